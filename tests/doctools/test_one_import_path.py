"""The formula module has one home and one import path: snippets.conv_arithmetic.

A test process holds exactly one copy of it, whatever imported it first (the Markdown extension,
the snippets, the tests), and no file of the repository edits sys.path or loads a module by path
to reach it.
"""

from __future__ import annotations

import re
import subprocess
import sys

from doctools.paths import ROOT

LOADERS = re.compile(r"sys\.path\.(insert|append)|spec_from_file_location|SourceFileLoader|runpy\.run_path")
# dev.py runs before anything is installed, so it puts the repository on sys.path to read doctools/paths.py.
BOOTSTRAP = {"scripts/dev.py"}


def test_one_process_holds_one_copy():
    script = (
        "import sys\n"
        "import doctools.extensions.conv_tables, doctools.content.tables, scripts.benchmark\n"
        "from snippets import conv_arithmetic\n"
        "copies = [m for m in sys.modules.values() if getattr(m, '__file__', None)"
        " and m.__file__.endswith('conv_arithmetic.py')]\n"
        "print(len(copies), copies[0].__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["1", "snippets.conv_arithmetic"]


def test_no_file_edits_sys_path_or_loads_by_path():
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    offenders = [
        f"{name}:{number}: {line.strip()}"
        for name in tracked.stdout.split()
        if name not in BOOTSTRAP and name != "tests/doctools/test_one_import_path.py"
        for number, line in enumerate((ROOT / name).read_text("utf8").splitlines(), start=1)
        if LOADERS.search(line)
    ]
    assert offenders == []
