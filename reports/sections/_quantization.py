"""The quantization test in words: its p-value and one plain sentence on what it means.

Shared by the verdict (which states it) and the figures section (whose null-distribution
figure it captions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tcfit.quantization import QuantizationTest

    from ._common import Formatter

__all__ = ["quantization_sentences"]

#: The conventional 5 % level, fixed before looking at any data.
SIGNIFICANCE = 0.05


def quantization_sentences(q: QuantizationTest, policy: str, fmt: Formatter) -> tuple[str, str]:
    """What the p-value says, and what it means for Eq. (5).

    Parameters
    ----------
    q : QuantizationTest
        The finished test.
    policy : str
        The policy's name, as the sentence names it.
    fmt : Formatter

    Returns
    -------
    what, meaning : str
        ``what`` starts with ``"p = ...:"`` (or ``"p < ...:"``); the verdict's card shows
        the part before the colon.
    """
    p = float(q.p_value)
    n_null = int(q.n_null)
    if p <= 0:
        p_text = f"p < {1 / n_null:.0e}".replace("e-0", "e-")
        share = f"none of {n_null} random tables"
    else:
        p_text = f"p = {fmt.sig(p, 2)}"
        share = f"{fmt.percent(p, 1, sign=False)} of {n_null} random tables"
    observed = fmt.percent(q.rms_observed, 2, sign=False)
    what = (
        f"{p_text}: in {share} whose implied i were drawn at random (log-uniformly over the "
        f"observed range) and then given their best allowed i under the same '{policy}' policy, "
        f"the RMS residual came out as small as the observed {observed} or smaller."
    )
    if p >= SIGNIFICANCE:
        meaning = (
            "So a free i per material buys agreement this good by itself: the agreement is not "
            "evidence for Eq. (5)."
        )
    else:
        meaning = (
            "So the agreement is better than a free i per material buys by itself (p < 0.05): "
            "the implied i sit closer to the allowed values than chance would put them. This "
            "tests that clustering only, not the physics behind Eq. (5)."
        )
    return what, meaning
