"""Which Keras backend a test run uses, and what runs on some backends only (standard library only).

``python scripts/dev.py test --backend NAME`` sets ``KERAS_BACKEND``; without it the run is
TensorFlow's, the reference. Three things can be limited to some backends:

- a page, with ``backends: [torch]`` in its front matter (and a matching ``!!! info "Backend: torch
  only"`` admonition before its first python fence, checked by doctools.engine.fences);
- a snippet, with a comment line ``# backends: torch`` within its first five lines;
- a test module, with ``pytestmark = pytest.mark.backends("torch")``.

In the other backends' runs these are not run, and the run says how many it left and the command
that runs them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

BACKENDS = ("tensorflow", "jax", "torch")
REFERENCE = "tensorflow"
NAMES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}

_SNIPPET_LINE = re.compile(r"^#\s*backends:\s*(.*?)\s*$")
_FRONT_MATTER_LINE = re.compile(r"^backends:\s*(.*?)\s*$")
SNIPPET_HEAD = 5


class LibraryWarning(NamedTuple):
    """A warning Keras raises from one of its own modules on some backend, which readers never see."""

    message: str  # a regular expression matched at the start of the warning's text
    category: type[Warning]
    module: str  # the Keras module the warning is attributed to
    trigger: str  # code that raises it, for tests/doctools/engine/test_library_warnings.py


# Docs code runs with every warning as an error (doctools/engine/execution.py). These are let through
# on their backend only, and only when attributed to the named Keras module: Python shows a reader a
# DeprecationWarning only when the reader's own code (__main__) raises it, so the same call in docs
# code still fails. Once Keras stops raising one, its test fails and the entry goes.
# Keras 3.15.1's Variable.__array__(self, dtype=None) lacks NumPy 2's copy keyword, and
# Variable.numpy() calls np.array(self): get_weights() and .numpy() warn on JAX and torch.
_VARIABLE_TO_NUMPY = LibraryWarning(
    message="__array__ implementation doesn't accept a copy keyword",
    category=DeprecationWarning,
    module="keras.src.backend.common.variables",
    trigger="import keras\nlayer = keras.layers.Dense(2)\nlayer.build((None, 3))\nlayer.get_weights()\n",
)
LIBRARY_WARNINGS = {
    "jax": (_VARIABLE_TO_NUMPY,),
    "torch": (
        _VARIABLE_TO_NUMPY,
        # Keras's torch convert_to_numpy calls np.array(tensor) on PyTorch's Tensor, whose __array__
        # lacks the copy keyword too.
        _VARIABLE_TO_NUMPY._replace(
            module="keras.src.backend.torch.core",
            trigger="import keras\nkeras.ops.convert_to_numpy(keras.ops.ones(2))\n",
        ),
    ),
}


def library_warnings(backend: str | None = None) -> tuple[LibraryWarning, ...]:
    """The warnings let through on ``backend`` (default: this run's)."""
    return LIBRARY_WARNINGS.get(backend or current(), ())


def current() -> str:
    """The backend of this run: $KERAS_BACKEND, else TensorFlow."""
    return os.environ.get("KERAS_BACKEND") or REFERENCE


def command(backend: str) -> str:
    return f"python scripts/dev.py test --backend {backend}"


def parse_names(text: str) -> tuple[str, ...]:
    """``[torch, jax]`` or ``torch, jax`` -> ("torch", "jax"); ValueError names what is wrong."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    names = tuple(name.strip().strip("'\"") for name in text.split(",") if name.strip())
    if not names:
        raise ValueError(f"names no backend (known: {', '.join(BACKENDS)})")
    unknown = [name for name in names if name not in BACKENDS]
    if unknown:
        raise ValueError(f"unknown backend {', '.join(unknown)} (known: {', '.join(BACKENDS)})")
    return names


def snippet_backends(path: Path) -> tuple[str, ...] | None:
    """The backends a snippet's ``# backends:`` line names (None: every backend)."""
    with open(path, encoding="utf8") as file:
        for _, line in zip(range(SNIPPET_HEAD), file, strict=False):
            match = _SNIPPET_LINE.match(line.strip())
            if match:
                try:
                    return parse_names(match[1])
                except ValueError as error:
                    raise ValueError(f"{path}: '# backends:' {error}") from None
    return None


def front_matter_backends(text: str) -> tuple[tuple[str, ...] | None, int]:
    """A page's ``backends:`` front matter entry and its 1-based line (None, 0 when absent).

    Raises ValueError(line, message) for a malformed entry.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, 0
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            break
        match = _FRONT_MATTER_LINE.match(line)
        if match:
            try:
                return parse_names(match[1]), number
            except ValueError as error:
                raise ValueError(number, f"front matter 'backends:' {error}") from None
    return None, 0


def admonition_title(backends: tuple[str, ...]) -> str:
    return f"Backend: {', '.join(backends)} only"


def skipped_snippets(root: Path, backend: str | None = None) -> list[Path]:
    """The snippets under ``root`` that do not run on ``backend`` (default: this run's)."""
    backend = backend or current()
    return [
        path
        for path in sorted(root.rglob("*.py"))
        if (names := snippet_backends(path)) is not None and backend not in names
    ]


def coverage_init(reg, options):
    """A coverage.py plugin: snippets that do not run on this backend are omitted from the gate."""
    from coverage import CoveragePlugin

    class OmitOtherBackends(CoveragePlugin):
        def configure(self, config):
            root = Path(__file__).resolve().parent.parent / "snippets"
            omitted = [str(path) for path in skipped_snippets(root)]
            if omitted:
                config.set_option("run:omit", [*(config.get_option("run:omit") or []), *omitted])

    reg.add_configurer(OmitOtherBackends())
