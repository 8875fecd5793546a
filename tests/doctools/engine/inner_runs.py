"""Run the documentation engine on a scratch docs tree, inside the current test process.

Keras is already imported in the test process, so an inner run costs only the work of its
pages. The command lines are the ones scripts/dev.py uses.
"""

from __future__ import annotations

from pathlib import Path

# Imported here, before any inner run: pytester forgets the modules an inner run imports, and
# TensorFlow and NumPy cannot be loaded twice in one process.
import keras  # noqa: F401
import pytest

from doctools.paths import ROOT
from scripts import dev

INI = """
[tool.pytest.ini_options]
testpaths = ["docs"]
addopts = ["--dist=loadgroup", "-ra"]
"""
# Only the plugins the engine needs: loading every installed plugin again (hypothesis, coverage,
# ...) would cost more than the pages themselves.
PLUGINS = [
    "-p",
    "xdist.plugin",
    "-p",
    "pytest_markdown_docs.plugin",
    "-p",
    "doctools.engine.plugin",
    "-p",
    "no:cacheprovider",
]


def scratch_tree(pytester, files: dict[str, str | Path]) -> Path:
    """Lay out files (text, or a path in this repository to copy) under pytester's directory."""
    pytester.makefile(".toml", pyproject=INI)
    for name, content in files.items():
        target = pytester.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            target.write_bytes((ROOT / content).read_bytes())
        else:
            target.write_text(content, "utf8")
    return pytester.path


def check(pytester, *paths: str):
    """What `python scripts/dev.py test PATH...` runs, in process."""
    args = dev.pytest_args("test", list(paths) or ["docs"])[1:]
    return _run(pytester, args)


def update(pytester, *paths: str):
    """What `python scripts/dev.py update [PATH...]` runs, in process."""
    args = dev.pytest_args("update", list(paths))[1:]
    return _run(pytester, args)


def _run(pytester, args: list[str]):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        return pytester.runpytest_inprocess(*PLUGINS, *args)
