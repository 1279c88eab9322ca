"""Browser tests of the HTML report (headless Chromium; `nox -s browser`)."""
