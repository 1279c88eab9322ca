"""Section "model": Eq. (5), its prefactor from CODATA constants against the paper's, and how
the implied and assigned i and the residual are defined."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tcfit.model import PAPER_PREFACTOR, PREFACTOR

from ._common import Formatter

if TYPE_CHECKING:
    from tcfit.analysis import Analysis

__all__ = ["SECTION", "ModelSection"]


class ModelSection:
    """The model: always present."""

    id = "model"
    title = "The model"
    template = "sections/model.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """The CODATA and the paper's prefactor, and the one this report used."""
        used = float(analysis.result.summary.prefactor)
        return {
            "toc": "Model",
            "codata": fmt.sci(PREFACTOR),
            "paper": fmt.sci(PAPER_PREFACTOR, 3),
            "ratio": fmt.percent(PAPER_PREFACTOR / PREFACTOR - 1, 2),
            "used": fmt.sci(used),
            "used_is_codata": math.isclose(used, PREFACTOR, rel_tol=1e-12),
            "is_eq5": analysis.result.model.name == "eq5",
            "model_name": analysis.result.model.name,
            "model_description": analysis.result.model.description,
        }

    def summary(self, analysis: Analysis) -> None:
        """Nothing: the prefactor used is in ``summary.summary.prefactor``."""
        return None


SECTION = ModelSection()
