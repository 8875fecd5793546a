#!/usr/bin/env python3
"""Run Keras Conv Guide's tasks on a machine that has nothing but Python 3.11+ and pip.

    python scripts/dev.py serve              the site on http://127.0.0.1:8000, with live reload
    python scripts/dev.py test               the whole test suite on TensorFlow, then the docs on JAX
    python scripts/dev.py test PATH... [OPT]  the tests of some pages, notebooks or test files
    python scripts/dev.py test --backend jax|torch|tensorflow [PATH...]
                                             run on that Keras backend (without PATH: the pages,
                                             snippets, notebook and that backend's tests); torch is
                                             installed on first use into .venv-torch/ (never .venv/)
    python scripts/dev.py update [--backend NAME] [PATH...]
                                             rewrite stored outputs from a fresh run (another backend
                                             than TensorFlow writes only its own output fences)
    python scripts/dev.py build              the static site into site/, strictly
    python scripts/dev.py audit [OPT]        Lighthouse, axe, links and page weights of the built site
    python scripts/dev.py benchmark [OPT]    time the convolutions on this CPU (docs/cost/speed.md)
    python scripts/dev.py calculator-vectors Keras's answers for the calculator's tests
                                             (tests/calculator/vectors.json)
    python scripts/dev.py social-card        the site's preview image (docs/assets/images/social-card.png)
    python scripts/dev.py window-vectors     Keras's connectivity for the window view
                                             (tests/calculator/window-vectors.json)
    python scripts/dev.py model-vectors      Keras's answers for every keras.applications model
                                             (tests/calculator/model_vectors.json.gz)
    python scripts/dev.py model-benchmark    time model_info (CPython) and modelInfo (Node.js,
                                             Chromium) on the largest keras.applications config
    python scripts/dev.py newest-keras       upgrade .venv/ to the newest Keras and TensorFlow, outside
                                             the lock (the weekly drift run); then test/update --installed

Each task installs what it needs: uv (pinned) into .tools/, then the locked dependencies
(uv.lock) into .venv/. ``--installed`` (test, update) runs on .venv/ as it is, without syncing it
back to the lock. Only the standard library is used here, so this file runs before anything is
installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

# doctools/paths.py is standard library only, so this bootstrap can read it before any install.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from doctools import backends
from doctools.paths import CHROMIUM, ROOT

UV_VERSION = "0.13.9"
TOOLS = ROOT / ".tools"
BIN = TOOLS / ("Scripts" if os.name == "nt" else "bin")

FULL_RUN = [
    "--numprocesses=auto",
    "--maxprocesses=2",
    "--cov",
    "--cov-report=term-missing:skip-covered",
    "--cov-fail-under=100",
]
# What a backend other than TensorFlow runs (the JAX part of the default `test`, and `test --backend
# jax|torch` without paths): the pages, the notebook, every snippet run standalone, the known library
# warnings, and the test modules marked for that backend (tests/scripts/test_dev_backends.py checks
# this list against the pytest.mark.backends markers). The unit tests of the tooling and the formula
# module do not depend on the backend, so only TensorFlow's run has them.
BACKEND_PART = ["docs", "tests/snippets/test_standalone.py", "tests/doctools/engine/test_library_warnings.py"]
BACKEND_TESTS = {"torch": ["tests/snippets/porting/test_compare.py", "tests/calculator/test_pytorch_equivalent.py"]}

# The backends the default `test` runs; torch is opt-in (`test --backend torch`): its wheels are large.
DEFAULT_BACKENDS = ("tensorflow", "jax")
TORCH_ENV = ROOT / ".venv-torch"


def backend_part(backend: str) -> list[str]:
    return [*BACKEND_PART, *BACKEND_TESTS.get(backend, [])]


def uv() -> Path:
    """Return uv's executable, installing the pinned version into .tools/ if needed."""
    executable = BIN / ("uv.exe" if os.name == "nt" else "uv")
    python = BIN / ("python.exe" if os.name == "nt" else "python")
    if executable.exists():
        found = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout
        if found.split()[1:2] == [UV_VERSION]:
            return executable
    if not python.exists():
        print(f"Creating {TOOLS.name}/ with uv {UV_VERSION}...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", TOOLS], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"], check=True)
    return executable


def ensure_browser() -> None:
    """Install Debian's Chromium for the browser tests, where this machine can."""
    if CHROMIUM.exists() or os.name == "nt":
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("Installing Chromium from Debian's packages for the browser tests...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    else:
        print(f"No Chromium at {CHROMIUM}: the browser tests will be skipped (install Debian's chromium package).")


def ensure_node_packages() -> None:
    """Install the locked npm packages (the audit tools) if package.json asks for any."""
    lock = ROOT / "package-lock.json"
    marker = ROOT / "node_modules" / ".package-lock.json"
    if not lock.exists():
        return
    if not shutil.which("npm"):
        print("No npm on this machine: the tests that need Node.js packages will be skipped.")
        return
    if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)


def run(
    *args: str | Path, docs_only: bool = False, installed: bool = False, backend: str | None = None, **extra: str
) -> int:
    """Run a command in the project's locked environment (synced first, unless ``installed``).

    ``backend`` sets KERAS_BACKEND; "torch" runs in .venv-torch/ (created on first use).
    """
    sync = ["--no-sync"] if installed else ["--locked", "--compile-bytecode"]
    # Cached bytecode (including pytest's rewritten test modules) saves seconds per process.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    if backend:
        env["KERAS_BACKEND"] = backend
    if backend == "torch":
        if not installed and ensure_torch(env):
            return 1
        env["UV_PROJECT_ENVIRONMENT"] = str(TORCH_ENV)
        sync = ["--no-sync"]
    command = [uv(), "run", *sync, "--python", sys.executable]
    if docs_only:
        command.append("--no-dev")
    print("+", f"KERAS_BACKEND={backend}" if backend else "", " ".join(map(str, args)), flush=True)
    return subprocess.run([*command, *args], cwd=ROOT, env=env).returncode


def locked_version(name: str) -> str:
    """The version uv.lock pins for a package."""
    match = re.search(rf'^name = "{re.escape(name)}"\nversion = "([^"]+)"', (ROOT / "uv.lock").read_text("utf8"), re.M)
    if not match:
        raise SystemExit(f"uv.lock pins no {name}: run .tools/bin/uv lock")
    return match[1]


def ensure_torch(env: dict[str, str]) -> int:
    """Sync .venv-torch/ to the lock, plus the locked PyTorch (the "torch" dependency group).

    PyPI's torch wheel for Linux pulls several GB of CUDA libraries. Where pip is pointed at a
    folder of wheels (PIP_FIND_LINKS, as on the project's CI machines, which hold PyTorch's CPU build
    of the same version), the locked version is installed from there; else the group is synced as
    the lock has it.
    """
    env = {**env, "UV_PROJECT_ENVIRONMENT": str(TORCH_ENV)}
    base = [uv(), "sync", "--locked", "--inexact", "--compile-bytecode", "--python", sys.executable]
    links = [p for p in os.environ.get("PIP_FIND_LINKS", "").split() if Path(p).is_dir()]
    version = locked_version("torch")
    local = [p for p in links if any(Path(p).glob(f"torch-{version}*.whl"))]
    if not local:
        return subprocess.run([*base, "--group", "torch"], cwd=ROOT, env=env).returncode
    if subprocess.run(base, cwd=ROOT, env=env).returncode:
        return 1
    python = TORCH_ENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    found = subprocess.run([python, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True)
    if found.returncode == 0 and found.stdout.strip().split("+")[0] == version:
        return 0
    print(f"Installing PyTorch {version} (CPU build from {', '.join(local)}) into {TORCH_ENV.name}/...", flush=True)
    links_args = [arg for p in local for arg in ("--find-links", p)]
    install = [uv(), "pip", "install", "--python", python, *links_args, f"torch=={version}"]
    return subprocess.run(install, cwd=ROOT, env=env).returncode


def pytest_args(task: str, args: list[str]) -> list[str]:
    """The pytest command line behind ``test`` and ``update``."""
    if task == "update":
        return ["pytest", "-n", "0", "-p", "no:randomly", "--update-outputs", *(args or ["docs"])]
    if not any(_is_target(arg) for arg in args):
        return ["pytest", *FULL_RUN, *args]
    return ["pytest", "-n", "0", *args]


def _is_target(arg: str) -> bool:
    """Whether a pytest argument names tests to run (a path or a node id), not an option."""
    return not arg.startswith("-") and ("::" in arg or (ROOT / arg).exists() or Path(arg).exists())


# Tasks that run one script of scripts/ in the locked environment.
SCRIPTS = {
    "benchmark": "scripts/benchmark.py",
    "calculator-vectors": "scripts/make_calculator_vectors.py",
    "social-card": "scripts/make_social_card.py",
    "window-vectors": "scripts/make_window_vectors.py",
    "model-vectors": "scripts/make_model_vectors.py",
    "model-benchmark": "scripts/benchmark_model_info.py",
}
TASKS = {"serve", "test", "update", "build", "audit", "newest-keras", *SCRIPTS}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TASKS:
        print(__doc__)
        return 2
    task, args = argv[0], argv[1:]
    installed = "--installed" in args
    args = [arg for arg in args if arg != "--installed"]
    if task == "serve":
        return run("mkdocs", "serve", "--livereload", *args, docs_only=True)
    if task == "build":
        return run("mkdocs", "build", "--strict", *args, docs_only=True)
    if task in ("test", "audit", "model-benchmark"):
        ensure_browser()
        ensure_node_packages()
    if task == "audit":
        return run("python", "scripts/audit.py", *args)
    if task in SCRIPTS:
        return run("python", SCRIPTS[task], *args)
    if task == "newest-keras":
        if subprocess.run([uv(), "sync", "--locked", "--python", sys.executable], cwd=ROOT).returncode:
            return 1
        venv_python = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        upgrade = [uv(), "pip", "install", "--python", venv_python, "--upgrade", "keras", "tensorflow-cpu"]
        if subprocess.run(upgrade, cwd=ROOT).returncode:
            return 1
        versions = "import keras, tensorflow as tf; print('keras', keras.__version__, '/ tensorflow', tf.__version__)"
        return run("python", "-c", versions, installed=True)
    backend = None
    if "--backend" in args:
        at = args.index("--backend")
        backend = args[at + 1] if at + 1 < len(args) else ""
        if backend not in backends.BACKENDS:
            print(f"--backend takes one of: {', '.join(backends.BACKENDS)}")
            return 2
        del args[at : at + 2]
    if backend not in (None, backends.REFERENCE) and task == "test" and not any(_is_target(arg) for arg in args):
        return run("pytest", *FULL_RUN[:2], *args, *backend_part(backend), installed=installed, backend=backend)
    if backend or task == "update" or any(_is_target(arg) for arg in args):
        return run(*pytest_args(task, args), installed=installed, backend=backend or backends.REFERENCE)
    return default_test(args, installed)


def default_test(args: list[str], installed: bool) -> int:
    """The full suite on each of DEFAULT_BACKENDS (JAX: the docs, snippets and notebook); the leftover lines."""
    reports = ROOT / ".pytest_cache" / "backends"
    reports.mkdir(parents=True, exist_ok=True)
    left: dict[str, set[str]] = {}
    codes = []
    seconds: dict[str, float] = {}
    commands = {"tensorflow": pytest_args("test", args), "jax": ["pytest", *FULL_RUN[:2], *args, *backend_part("jax")]}
    for backend in DEFAULT_BACKENDS:
        command = commands[backend]
        report = reports / f"{backend}.json"
        report.unlink(missing_ok=True)
        started = time.perf_counter()
        codes.append(run(*command, installed=installed, backend=backend, DOCS_LEFT_FILE=str(report)))
        seconds[backend] = time.perf_counter() - started
        if report.is_file():
            for name, ids in json.loads(report.read_text("utf8")).items():
                left.setdefault(name, set()).update(ids)
    for name, ids in sorted(left.items()):
        if name not in DEFAULT_BACKENDS and ids:
            print(f"left for the {name} run: {len(ids)} blocks/tests; run them with: {backends.command(name)}")
    for name in backends.BACKENDS:
        if name not in DEFAULT_BACKENDS and name not in left:
            print(f"not run on {name}; run it with: {backends.command(name)}")
    print("wall time:", ", ".join(f"{backends.NAMES[name]} run {took:.0f} s" for name, took in seconds.items()))
    return next((code for code in codes if code), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
