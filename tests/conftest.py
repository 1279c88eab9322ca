"""Shared fixtures: a seeded generator and small synthetic tables built from the model.

Hypothesis profiles: ``ci`` (the default: about 200 examples per fuzz property, no deadline,
the whole of tests/test_hostile_fuzz.py under a minute) and ``fuzz`` (20 000 examples per
property, for ``nox -s fuzz``). The environment variable ``TCFIT_HYPOTHESIS_PROFILE`` selects
one. Tests that set ``max_examples`` themselves keep their own budget.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=200, suppress_health_check=_SLOW)
settings.register_profile("fuzz", max_examples=20_000, suppress_health_check=_SLOW)
settings.load_profile(os.environ.get("TCFIT_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator; the seed is fixed so every run draws the same numbers."""
    return np.random.default_rng(20261121)
