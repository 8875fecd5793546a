"""Build the site as readers get it, in a process that fails if anything imports TensorFlow.

``build_site`` runs ``mkdocs build --strict``; ``build_with_zensical`` runs Zensical, Material's
successor, on the same mkdocs.yml (it runs the Markdown extensions of doctools/extensions/, but no
MkDocs hooks). Both run their builder's own command line behind an import hook that stops the
process at the first import of a deep learning framework.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

FORBIDDEN = ("tensorflow", "keras", "tf_keras", "jax", "torch")

_WITHOUT_FRAMEWORKS = f"""
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
"""
# Run as `python -c BUILD_WITHOUT_TENSORFLOW build ...`: mkdocs' own command line, guarded.
BUILD_WITHOUT_TENSORFLOW = _WITHOUT_FRAMEWORKS + 'from mkdocs.__main__ import cli\nsys.argv[0] = "mkdocs"\ncli()\n'
ZENSICAL_WITHOUT_TENSORFLOW = _WITHOUT_FRAMEWORKS + 'from zensical.main import cli\nsys.argv[0] = "zensical"\ncli()\n'


def _run(script: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, env=env, capture_output=True, text=True)


def build_site(root: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of the repository at ``root`` into ``site_dir``."""
    return _run(BUILD_WITHOUT_TENSORFLOW, ["build", "--strict", "--site-dir", str(site_dir)], root)


def build_with_zensical(root: Path, scratch: Path) -> tuple[subprocess.CompletedProcess, Path]:
    """Zensical's build of the repository at ``root``, and the site folder it wrote.

    Zensical writes beside its config file and wants the docs inside that folder, so the build runs
    on a copy of docs/ and overrides/ in ``scratch``, with the snippets read from ``root``.
    """
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf8"))
    for extension in config["markdown_extensions"]:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            extension["pymdownx.snippets"]["base_path"] = [str(root)]
    config["site_dir"] = "site"
    for folder in ("docs", config["theme"]["custom_dir"]):
        shutil.copytree(root / folder, scratch / folder, dirs_exist_ok=True)
    (scratch / "zensical.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf8")
    return _run(ZENSICAL_WITHOUT_TENSORFLOW, ["build", "--strict", "-f", "zensical.yml"], scratch), scratch / "site"
