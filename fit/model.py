"""The paper's equations as pure, vectorised numpy functions, SI units in and out.

Jiang, "Magnetic-attractive-interaction-induced superconductivity in metals", Eqs. (1)–(5).
Every function accepts scalars, numpy arrays, pandas Series or plain lists and tuples (broadcast
together by numpy's rules) and returns a float for all-scalar input, otherwise the array or Series
numpy produces. A bare number is in SI (Tc in K, Bc in T, n in m⁻³).

Units and uncertainties (:mod:`tcfit._numeric`):

* a pint Quantity (from any ``pint.UnitRegistry``) is converted to the argument's SI unit; a
  critical field in gauss or oersted is read as μ0·H (1 G ≙ 1 Oe ≙ 1e-4 T), one in A/m is
  multiplied by μ0; a wrong dimension raises :class:`tcfit.UnitError` naming the argument. The
  result is a plain number in SI (K, T, m⁻³, J ...), not a Quantity;
* an ``uncertainties`` ufloat or ``unumpy`` array flows through the arithmetic: the result is a
  ufloat (or an array of them) with the first-order uncertainty ``uncertainties`` propagates,
  correlations between arguments included.

Inputs must be positive and finite; anything else raises :class:`tcfit.InputError`
(a ``ValueError``) naming the argument, so no NaN ever leaves this module.

Nothing here reads files or fits: that is the job of ``tcfit.datasets`` and of the fitting
modules, which call these functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import constants as _c

from ._numeric import checked as _checked
from ._numeric import scalar_out as _scalar_out
from ._numeric import sqrt as _sqrt

__all__ = [
    "PAPER_PREFACTOR",
    "PREFACTOR",
    "bc",
    "condensation_energy",
    "electron_density",
    "fermi_temperature",
    "fermi_velocity",
    "gap",
    "implied_i",
    "jc_max",
    "ns_max",
    "pair_energy",
    "tc",
]

#: ħ(3π²)^{1/3} / (k_B √(2 m_e μ0)) from CODATA (``scipy.constants``), in K m^{1/2} T^{-1}.
#: About 1.5617e7; the prefactor of Eq. (5).
PREFACTOR: float = float(
    _c.hbar * (3.0 * np.pi**2) ** (1.0 / 3.0) / (_c.k * np.sqrt(2.0 * _c.m_e * _c.mu_0))
)

#: The prefactor as printed in the paper, Eq. (5): 1.56e7 K m^{1/2} T^{-1}.
PAPER_PREFACTOR: float = 1.56e7


def tc(bc: Any, n: Any, i: Any, *, prefactor: float = PREFACTOR) -> Any:
    r"""Critical temperature predicted by the paper's Eq. (5).

    .. math:: T_c = C \, \frac{B_c}{n^{1/6} \sqrt{i}}, \qquad
              C = \frac{\hbar (3\pi^2)^{1/3}}{k_B \sqrt{2 m_e \mu_0}}

    Parameters
    ----------
    bc : float, array_like of shape (m,), Quantity or ufloat
        Thermodynamic critical field :math:`B_c(0)` in tesla.
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.
    i : float, array_like of shape (m,), Quantity or ufloat
        The paper's "electronic degree of freedom" (dimensionless, positive; may be fractional).
    prefactor : float, default=PREFACTOR
        :math:`C` in K m^{1/2} T⁻¹. Pass :data:`PAPER_PREFACTOR` to reproduce the paper's rounding.

    Returns
    -------
    float or ndarray or Series
        :math:`T_c` in kelvin.

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite (the message names the argument).

    References
    ----------
    Jiang, Eq. (5).

    Examples
    --------
    >>> round(tc(0.0099, 1.812e29, 3), 4)  # aluminium, Table-1 row 1
    1.1866
    >>> import pint
    >>> ureg = pint.UnitRegistry()
    >>> round(tc(9.9 * ureg.mT, 1.812e29 * ureg.m**-3, 3), 3)  # converted to SI first
    1.187
    >>> round(tc(99 * ureg.gauss, 1.812e29, 3), 3)  # gauss read as μ0·H: 1e-4 T
    1.187
    >>> from uncertainties import ufloat
    >>> print(tc(ufloat(0.0099, 0.0001), 1.812e29, 3))  # a ufloat in, a ufloat out
    1.187+/-0.012
    """
    bc_, n_, i_ = _checked("bc", bc, "field"), _checked("n", n, "density"), _checked("i", i)
    c = _checked("prefactor", prefactor, "prefactor")
    return _scalar_out(c * bc_ / (n_ ** (1.0 / 6.0) * _sqrt(i_)), bc_, n_, i_)


def implied_i(tc: Any, bc: Any, n: Any, *, prefactor: float = PREFACTOR) -> Any:
    r"""The degree of freedom that makes Eq. (5) exact for a measured material.

    .. math:: i = \left( \frac{C \, B_c}{n^{1/6} \, T_c} \right)^2

    Parameters
    ----------
    tc : float, array_like of shape (m,), Quantity or ufloat
        Measured critical temperature in kelvin.
    bc : float, array_like of shape (m,), Quantity or ufloat
        Critical field in tesla.
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.
    prefactor : float, default=PREFACTOR
        :math:`C` in K m^{1/2} T⁻¹.

    Returns
    -------
    float or ndarray or Series
        The implied :math:`i` (dimensionless).

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, Eq. (5) solved for :math:`i`.

    Examples
    --------
    >>> round(implied_i(1.19, 0.0099, 1.812e29), 3)
    2.983
    """
    tc_, bc_ = _checked("tc", tc, "temperature"), _checked("bc", bc, "field")
    n_, c = _checked("n", n, "density"), _checked("prefactor", prefactor, "prefactor")
    return _scalar_out((c * bc_ / (n_ ** (1.0 / 6.0) * tc_)) ** 2, tc_, bc_, n_)


def bc(tc: Any, n: Any, i: Any, *, prefactor: float = PREFACTOR) -> Any:
    r"""Critical field that Eq. (5) needs to give a critical temperature.

    .. math:: B_c = \frac{T_c \, n^{1/6} \sqrt{i}}{C}

    Parameters
    ----------
    tc : float, array_like of shape (m,), Quantity or ufloat
        Critical temperature in kelvin.
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.
    i : float, array_like of shape (m,), Quantity or ufloat
        Degree of freedom (dimensionless).
    prefactor : float, default=PREFACTOR
        :math:`C` in K m^{1/2} T⁻¹.

    Returns
    -------
    float or ndarray or Series
        :math:`B_c` in tesla.

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, Eq. (5) solved for :math:`B_c`.

    Examples
    --------
    >>> round(bc(1.19, 1.812e29, 3) * 1e4, 2)  # in gauss-equivalent 1e-4 T
    99.28
    """
    tc_, n_, i_ = _checked("tc", tc, "temperature"), _checked("n", n, "density"), _checked("i", i)
    c = _checked("prefactor", prefactor, "prefactor")
    return _scalar_out(tc_ * n_ ** (1.0 / 6.0) * _sqrt(i_) / c, tc_, n_, i_)


def electron_density(tc: Any, bc: Any, i: Any, *, prefactor: float = PREFACTOR) -> Any:
    r"""Free-electron density that Eq. (5) needs to give a critical temperature.

    .. math:: n = \left( \frac{C \, B_c}{T_c \sqrt{i}} \right)^6

    Parameters
    ----------
    tc : float, array_like of shape (m,), Quantity or ufloat
        Critical temperature in kelvin.
    bc : float, array_like of shape (m,), Quantity or ufloat
        Critical field in tesla.
    i : float, array_like of shape (m,), Quantity or ufloat
        Degree of freedom (dimensionless).
    prefactor : float, default=PREFACTOR
        :math:`C` in K m^{1/2} T⁻¹.

    Returns
    -------
    float or ndarray or Series
        :math:`n` in m⁻³. Its relative error is six times that of :math:`B_c/T_c`.

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, Eq. (5) solved for :math:`n`.

    Examples
    --------
    >>> f"{electron_density(tc(0.0099, 1.812e29, 3), 0.0099, 3):.4e}"  # round trip, aluminium
    '1.8120e+29'
    """
    tc_, bc_, i_ = _checked("tc", tc, "temperature"), _checked("bc", bc, "field"), _checked("i", i)
    c = _checked("prefactor", prefactor, "prefactor")
    return _scalar_out((c * bc_ / (tc_ * _sqrt(i_))) ** 6, tc_, bc_, i_)


def fermi_temperature(n: Any) -> Any:
    r"""Free-electron Fermi temperature.

    .. math:: T_F = \frac{\hbar^2 (3\pi^2 n)^{2/3}}{2 m_e k_B}

    Parameters
    ----------
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.

    Returns
    -------
    float or ndarray or Series
        :math:`T_F` in kelvin.

    Raises
    ------
    InputError
        If ``n`` is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, text below assumption (2) (the definition used in Eq. 1).

    Examples
    --------
    >>> round(fermi_temperature(1.812e29))
    135499
    """
    n_ = _checked("n", n, "density")
    return _scalar_out(
        _c.hbar**2 * (3.0 * np.pi**2 * n_) ** (2.0 / 3.0) / (2.0 * _c.m_e * _c.k), n_
    )


def fermi_velocity(n: Any) -> Any:
    r"""Free-electron Fermi velocity.

    .. math:: v_F = \frac{\hbar (3\pi^2 n)^{1/3}}{m_e}

    Parameters
    ----------
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.

    Returns
    -------
    float or ndarray or Series
        :math:`v_F` in m s⁻¹.

    Raises
    ------
    InputError
        If ``n`` is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, text of assumption (2) (:math:`J_c = n_s e v_F`).

    Examples
    --------
    >>> f"{fermi_velocity(1.812e29):.4e}"
    '2.0267e+06'
    """
    n_ = _checked("n", n, "density")
    return _scalar_out(_c.hbar * (3.0 * np.pi**2 * n_) ** (1.0 / 3.0) / _c.m_e, n_)


def ns_max(tc: Any, n: Any) -> Any:
    r"""Maximum density of superconducting electrons, the paper's Eq. (1).

    .. math:: n_{s,\max} = \frac{T_c}{T_F} \, n

    Parameters
    ----------
    tc : float, array_like of shape (m,), Quantity or ufloat
        Critical temperature in kelvin.
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.

    Returns
    -------
    float or ndarray or Series
        :math:`n_{s,\max}` in m⁻³.

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, Eq. (1).

    Examples
    --------
    >>> f"{ns_max(1.19, 1.812e29):.4e}"  # the paper prints 1.589e24 for Al
    '1.5914e+24'
    """
    tc_, n_ = _checked("tc", tc, "temperature"), _checked("n", n, "density")
    return _scalar_out(tc_ / fermi_temperature(n_) * n_, tc_, n_)


def jc_max(tc: Any, n: Any) -> Any:
    r"""Maximum critical current density, :math:`J_c = n_{s,\max} e v_F`.

    Parameters
    ----------
    tc : float, array_like of shape (m,), Quantity or ufloat
        Critical temperature in kelvin.
    n : float, array_like of shape (m,), Quantity or ufloat
        Free-electron density in m⁻³.

    Returns
    -------
    float or ndarray or Series
        :math:`J_c` in A m⁻² (divide by 1e4 for A cm⁻²).

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, text of assumption (2), with Eq. (1) for :math:`n_{s,\max}`.

    Examples
    --------
    >>> f"{jc_max(1.19, 1.812e29) / 1e4:.3e}"  # A/cm²; the paper prints 5.16e7 for Al
    '5.167e+07'
    """
    tc_, n_ = _checked("tc", tc, "temperature"), _checked("n", n, "density")
    return _scalar_out(ns_max(tc_, n_) * _c.e * fermi_velocity(n_), tc_, n_)


def gap(tc: Any, i: Any) -> Any:
    r"""Superconducting gap under the paper's equipartition assumption.

    .. math:: \Delta = \frac{i \, k_B T_c}{2}

    Parameters
    ----------
    tc : float, array_like of shape (m,), Quantity or ufloat
        Critical temperature in kelvin.
    i : float, array_like of shape (m,), Quantity or ufloat
        Degree of freedom (dimensionless).

    Returns
    -------
    float or ndarray or Series
        :math:`\Delta` in joule.

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, assumption (5) and Eq. (2) (:math:`\Delta = \varepsilon_k = i k_B T_c / 2`).

    Examples
    --------
    >>> f"{gap(1.0, 3) / 1.380649e-23:.2f}"  # in units of k_B·K
    '1.50'
    """
    tc_, i_ = _checked("tc", tc, "temperature"), _checked("i", i)
    return _scalar_out(i_ * _c.k * tc_ / 2.0, tc_, i_)


def pair_energy(tc: Any, i: Any) -> Any:
    r"""Magnetic-attractive potential energy of one pair, :math:`\varepsilon_p = i k_B T_c`.

    Parameters
    ----------
    tc : float, array_like of shape (m,), Quantity or ufloat
        Critical temperature in kelvin.
    i : float, array_like of shape (m,), Quantity or ufloat
        Degree of freedom (dimensionless).

    Returns
    -------
    float or ndarray or Series
        :math:`\varepsilon_p = 2\Delta` in joule.

    Raises
    ------
    InputError
        If any input is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, text after Eq. (2) (:math:`\varepsilon_p = i k_B T_c`).

    Examples
    --------
    >>> pair_energy(2.0, 3) == 2 * gap(2.0, 3)
    True
    """
    tc_, i_ = _checked("tc", tc, "temperature"), _checked("i", i)
    return _scalar_out(i_ * _c.k * tc_, tc_, i_)


def condensation_energy(bc: Any) -> Any:
    r"""Magnetic energy density of the critical field, the right-hand side of Eq. (4).

    .. math:: E = \frac{B_c^2}{2 \mu_0}

    Parameters
    ----------
    bc : float, array_like of shape (m,), Quantity or ufloat
        Critical field in tesla.

    Returns
    -------
    float or ndarray or Series
        Energy density in J m⁻³.

    Raises
    ------
    InputError
        If ``bc`` is zero, negative, NaN or infinite.

    References
    ----------
    Jiang, Eq. (4): :math:`n_{s,\max} (i/2) k_B T_c = B_c^2 / 2\mu_0`.

    Examples
    --------
    >>> round(condensation_energy(0.0099), 2)  # J/m³ for aluminium
    39.0
    """
    bc_ = _checked("bc", bc, "field")
    return _scalar_out(bc_**2 / (2.0 * _c.mu_0), bc_)
