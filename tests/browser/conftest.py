"""Fixtures of the browser tests: Debian's chromium, skipped only outside CI when missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._cdp import Chromium

CHROMIUM = os.environ.get("TCFIT_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The chromium binary. Missing in CI (``CI`` set) fails; missing elsewhere skips."""
    path = shutil.which(CHROMIUM)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                f"{CHROMIUM} is missing in CI; .ci/run must `apt-get install chromium` "
                "before `nox -s browser`."
            )
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI runs this test.")
    return path


@pytest.fixture
def browser(chromium_path: str, tmp_path: Path) -> Iterator[Chromium]:
    """A fresh headless Chromium with its own profile folder, closed after the test."""
    profile = tmp_path / "profile"
    profile.mkdir()
    chrome = Chromium(chromium_path, profile)
    try:
        yield chrome
    finally:
        chrome.close()
