"""Shared fixtures: a seeded generator and small synthetic tables built from the model."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator; the seed is fixed so every run draws the same numbers."""
    return np.random.default_rng(20261121)
