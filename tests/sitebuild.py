"""Build the site as readers get it, in a process that fails if anything imports TensorFlow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("tensorflow", "keras", "tf_keras", "jax", "torch")

# Run as `python -c BUILD_WITHOUT_TENSORFLOW build ...`: mkdocs' own command line, behind an
# import hook that stops the process at the first import of a deep learning framework.
BUILD_WITHOUT_TENSORFLOW = f"""
import os, sys, traceback

class NoFrameworks:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {FORBIDDEN!r}:
            sys.stderr.write(f"ERROR: the site build imported {{name}}, from:\\n")
            sys.stderr.write("".join(traceback.format_stack()))
            sys.stderr.flush()
            os._exit(97)
        return None

sys.meta_path.insert(0, NoFrameworks())
from mkdocs.__main__ import cli
sys.argv[0] = "mkdocs"
cli()
"""


def build_site(root: Path, site_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-c", BUILD_WITHOUT_TENSORFLOW, "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )


def page_html(site_dir: Path, docs_dir: Path, page: Path) -> Path:
    """The built HTML file of a Markdown page (MkDocs' directory URLs)."""
    relative = page.relative_to(docs_dir).with_suffix("")
    if relative.name == "index":
        return site_dir / relative.parent / "index.html"
    return site_dir / relative / "index.html"
