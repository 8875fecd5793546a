"""Fixtures shared by the tests of the site itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from filelock import FileLock

from doctools.paths import ROOT
from doctools.site.build import build_site


def _build_once(directory: Path) -> dict:
    site = directory / "site"
    record = directory / "site-build.json"
    with FileLock(str(directory / "site-build.lock")):
        if not record.exists():
            result = build_site(ROOT, site)
            record.write_text(json.dumps({"returncode": result.returncode, "log": result.stderr + result.stdout}))
    return {"site": site, **json.loads(record.read_text())}


@pytest.fixture(scope="session")
def site_build(tmp_path_factory, worker_id) -> dict:
    """The result of one strict, TensorFlow-free ``mkdocs build``, shared by all workers of a run."""
    if worker_id == "master":
        return _build_once(tmp_path_factory.mktemp("site-build"))
    return _build_once(tmp_path_factory.getbasetemp().parent)


@pytest.fixture(scope="session")
def built_site(site_build) -> Path:
    """The built site's directory; fails if the build did not succeed."""
    if site_build["returncode"] != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{site_build['log']}")
    return site_build["site"]


def pytest_terminal_summary(terminalreporter):
    """Print the reports that tests recorded as ``record_property("report: TITLE", line)``.

    The browser tests record page weights, Lighthouse scores, external links and where their
    screenshots are; pytest-xdist carries these properties from the workers to this summary.
    """
    sections: dict[str, set[str]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if isinstance(name, str) and name.startswith("report: "):
                    sections.setdefault(name.removeprefix("report: "), set()).add(str(value))
    for title in sorted(sections):
        terminalreporter.write_sep("-", title)
        for line in sorted(sections[title]):
            terminalreporter.write_line(line)
