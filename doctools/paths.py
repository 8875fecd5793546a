"""Where things are: the repository's folders and the one Chromium the browser tests drive."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
TESTS = ROOT / "tests"
# Debian's chromium package; Playwright drives it and never downloads a browser of its own.
CHROMIUM = Path("/usr/bin/chromium")
