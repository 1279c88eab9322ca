r"""A physics reference for Eq. (5): the BCS weak-coupling thermodynamic relation.

Where a material's Sommerfeld coefficient γ is known, BCS theory predicts Tc from Bc with no free
parameter, and it predicts which i Eq. (5) would need. This module derives both and computes them.

Derivation
----------
**BCS, zero temperature.** Four textbook relations (BCS 1957; Tinkham, *Introduction to
Superconductivity*, 2nd ed., Eqs. 3.30, 3.51; Ashcroft & Mermin Eq. 2.80):

1. Condensation energy density: :math:`B_c(0)^2 / 2\mu_0 = \tfrac12 N_\sigma(0)\,\Delta(0)^2`,
   with :math:`N_\sigma(0)` the density of states at the Fermi level *per spin* and per volume.
2. Weak-coupling gap: :math:`\Delta(0) = (\pi / e^{\gamma_E})\, k_B T_c \approx 1.7639\, k_B T_c`
   (:math:`\gamma_E` = Euler's constant).
3. Sommerfeld coefficient per volume, both spins:
   :math:`\gamma_V = (\pi^2/3)\, k_B^2 \cdot 2 N_\sigma(0)`.
4. Free-electron gas: :math:`2N_\sigma(0) = 3n / (2 E_F)`, hence
   :math:`\gamma_{{\rm free},V} = (\pi^2/2)\, n k_B / T_F` with :math:`T_F = E_F/k_B`.

Eliminating :math:`N_\sigma(0) = 3\gamma_V / (2\pi^2 k_B^2)` and :math:`\Delta(0)` from 1–3:

.. math::
    \frac{B_c(0)^2}{2\mu_0} = \frac12 \cdot \frac{3\gamma_V}{2\pi^2 k_B^2}
    \cdot \frac{\pi^2}{e^{2\gamma_E}} k_B^2 T_c^2
    = \frac{3}{4 e^{2\gamma_E}}\, \gamma_V T_c^2 = 0.236428\, \gamma_V T_c^2 .

The issue text quotes 0.2365, which is :math:`3 \cdot 1.764^2 / 4\pi^2 = 0.23646` (the gap ratio
rounded to 1.764); the exact weak-coupling constant :data:`BCS_CONDENSATION` = 0.236428 is used
here (0.01 % lower). Cross-check: in Gaussian units this is the textbook
:math:`\gamma T_c^2 / H_c(0)^2 = 1/(8\pi \cdot 0.236428) = 0.1683`. Solved for Tc:

.. math:: T_{c,\rm BCS} = \frac{B_c(0)}{\sqrt{2\mu_0 \cdot 0.236428\, \gamma_V}} .

**The i that BCS implies in Eq. (5).** The paper's Eq. (4),
:math:`n_{s,\max}\, (i/2)\, k_B T_c = B_c^2/2\mu_0`, with its Eq. (1),
:math:`n_{s,\max} = (T_c/T_F)\, n`, gives

.. math:: i = \frac{B_c^2}{2\mu_0} \cdot \frac{2 T_F}{n k_B T_c^2}

(Eq. (5) is this relation solved for Tc, so this is exactly ``implied_i``). Inserting the BCS
relation for :math:`B_c^2/2\mu_0` and then :math:`n k_B / T_F = 2\gamma_{{\rm free},V}/\pi^2`:

.. math::
    i_{\rm BCS} = 2 \cdot 0.236428\, \frac{\gamma_V T_F}{n k_B}
    = \pi^2 \cdot 0.236428\, \frac{\gamma_V}{\gamma_{{\rm free},V}}
    = 2.333447\, \frac{\gamma_V}{\gamma_{{\rm free},V}} .

The issue quotes 2.334 (:math:`0.2365\pi^2`); :data:`BCS_I_FACTOR` = 2.333447 is the exact
weak-coupling value. The ratio :math:`\gamma_V/\gamma_{{\rm free},V}` is the thermal effective
mass :math:`m^*_{\rm th}/m`, so a free-electron BCS metal would need i ≈ 2.33 — not an integer.
Equivalently, :math:`i_{\rm BCS}` is the implied i of Eq. (5) evaluated at
:math:`T_{c,\rm BCS}` instead of the measured Tc (a test checks this identity).

**Units.** γ is tabulated per mole (J mol⁻¹ K⁻²); per volume
:math:`\gamma_V = \gamma \rho / M` with ρ the mass density (kg m⁻³) and M the molar mass
(kg mol⁻¹), giving J m⁻³ K⁻².

References
----------
Jiang, Eqs. (1), (4), (5). J. Bardeen, L. N. Cooper, J. R. Schrieffer, Phys. Rev. 108, 1175
(1957). M. Tinkham, *Introduction to Superconductivity*, 2nd ed. (1996), §3.6.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import constants as _c

from . import model
from ._numeric import checked, scalar_out, sqrt

__all__ = [
    "BCS_CONDENSATION",
    "BCS_GAP_RATIO",
    "BCS_I_FACTOR",
    "gamma_free",
    "gamma_volumetric",
    "i_bcs",
    "tc_bcs",
]

#: Weak-coupling gap ratio Δ(0)/(k_B Tc) = π/e^{γ_E} ≈ 1.763877.
BCS_GAP_RATIO: float = float(np.pi / np.exp(np.euler_gamma))

#: Bc(0)²/2μ0 = BCS_CONDENSATION · γ_V · Tc², BCS_CONDENSATION = 3/(4 e^{2γ_E}) ≈ 0.236428.
BCS_CONDENSATION: float = float(3.0 / (4.0 * np.exp(2.0 * np.euler_gamma)))

#: i_BCS = BCS_I_FACTOR · γ_V/γ_free,V, BCS_I_FACTOR = π² · BCS_CONDENSATION ≈ 2.333447.
BCS_I_FACTOR: float = float(np.pi**2 * BCS_CONDENSATION)


def gamma_volumetric(gamma: Any, density: Any, molar_mass: Any) -> Any:
    r"""Sommerfeld coefficient per unit volume from its molar value.

    .. math:: \gamma_V = \gamma \, \rho / M

    Parameters
    ----------
    gamma : float, array_like of shape (m,), Quantity or ufloat
        Sommerfeld coefficient in J mol⁻¹ K⁻².
    density : float, array_like of shape (m,), Quantity or ufloat
        Mass density ρ in kg m⁻³.
    molar_mass : float, array_like of shape (m,), Quantity or ufloat
        Molar mass M in kg mol⁻¹.

    Returns
    -------
    float or ndarray
        :math:`\gamma_V` in J m⁻³ K⁻².

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Unit conversion used with Jiang, Eq. (4) (see the module docstring).

    Examples
    --------
    >>> round(gamma_volumetric(1.35e-3, 2698.9, 0.0269815), 2)  # Al, J m⁻³ K⁻²
    135.04
    """
    g = checked("gamma", gamma, "molar_heat")
    rho = checked("density", density, "mass_density")
    mm = checked("molar_mass", molar_mass, "molar_mass")
    return scalar_out(np.asarray(g) * rho / mm, g, rho, mm)


def gamma_free(n: Any) -> Any:
    r"""Free-electron Sommerfeld coefficient per unit volume.

    .. math:: \gamma_{{\rm free},V} = \frac{\pi^2}{2} \, \frac{n k_B}{T_F}

    Parameters
    ----------
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.

    Returns
    -------
    float or ndarray
        :math:`\gamma_{{\rm free},V}` in J m⁻³ K⁻².

    Raises
    ------
    InputError
        If ``n`` is zero, negative, NaN or infinite.

    References
    ----------
    Ashcroft & Mermin Eq. (2.80); :math:`T_F` as in Jiang, assumption (2).

    Examples
    --------
    >>> round(gamma_free(1.812e29), 2)  # Al, J m⁻³ K⁻²
    91.11
    """
    n_ = checked("n", n, "density")
    return scalar_out(np.pi**2 / 2.0 * np.asarray(n_) * _c.k / model.fermi_temperature(n_), n_)


def tc_bcs(bc: Any, gamma_v: Any) -> Any:
    r"""Critical temperature predicted by the BCS weak-coupling relation from Bc(0) and γ_V.

    .. math:: T_{c,\rm BCS} = \frac{B_c(0)}{\sqrt{2\mu_0 \cdot 0.236428\, \gamma_V}}

    Parameters
    ----------
    bc : float, array_like of shape (m,), Quantity or ufloat
        Thermodynamic critical field :math:`B_c(0)` in tesla.
    gamma_v : float, array_like of shape (m,), Quantity or ufloat
        Sommerfeld coefficient per volume in J m⁻³ K⁻² (see :func:`gamma_volumetric`).

    Returns
    -------
    float or ndarray
        :math:`T_{c,\rm BCS}` in kelvin.

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    BCS (1957) condensation energy and gap; compared with Jiang, Eq. (4).

    Examples
    --------
    >>> round(tc_bcs(0.0103, 135.04), 3)  # Al: Bc(0) = 103 G, γ = 1.35 mJ mol⁻¹ K⁻²
    1.15
    """
    b = checked("bc", bc, "field")
    g = checked("gamma_v", gamma_v, "volume_heat")
    return scalar_out(np.asarray(b) / sqrt(2.0 * _c.mu_0 * BCS_CONDENSATION * np.asarray(g)), b, g)


def i_bcs(gamma_v: Any, n: Any) -> Any:
    r"""The degree of freedom i that Eq. (5) needs for a metal obeying weak-coupling BCS.

    .. math:: i_{\rm BCS} = 2.333447 \, \frac{\gamma_V}{\gamma_{{\rm free},V}(n)}

    Parameters
    ----------
    gamma_v : float, array_like of shape (m,), Quantity or ufloat
        Sommerfeld coefficient per volume in J m⁻³ K⁻².
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.

    Returns
    -------
    float or ndarray
        :math:`i_{\rm BCS}` (dimensionless).

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, Eqs. (1) and (4) combined with the BCS relation (module docstring).

    Examples
    --------
    >>> round(i_bcs(135.04, 1.812e29), 3)  # Al
    3.458
    """
    g = checked("gamma_v", gamma_v, "volume_heat")
    n_ = checked("n", n, "density")
    return scalar_out(BCS_I_FACTOR * np.asarray(g) / gamma_free(n_), g, n_)
