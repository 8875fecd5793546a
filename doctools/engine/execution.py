"""Run documentation code the way a reader would, and record what it printed."""

from __future__ import annotations

import io
import os
import re
import traceback
import warnings
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from doctools import backends

SEED = 42

# Fixed, so that model.summary() draws the same table in any terminal and in CI: Keras sizes the
# table from the terminal width and rich sizes its console from COLUMNS.
QUIET_ENVIRONMENT = {
    "COLUMNS": "200",
    "LINES": "50",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONHASHSEED": "0",
}
# Per backend. JAX compiles every op and every model call with XLA: CPU only (no probing for
# accelerators), and XLA's cheapest CPU code generation, which halves the JAX run's time here with
# the same printed outputs. Stored JAX outputs are written under the same settings.
BACKEND_ENVIRONMENT = {
    "jax": {
        "JAX_PLATFORMS": "cpu",
        "XLA_FLAGS": "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true",
    },
}
COLOUR_VARIABLES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE")


def quiet_environment() -> dict[str, str]:
    """The process environment that documentation code runs in."""
    env = {k: v for k, v in os.environ.items() if k not in COLOUR_VARIABLES}
    env.update(QUIET_ENVIRONMENT)
    # TensorFlow unless the run asks for another (python scripts/dev.py test --backend jax).
    env["KERAS_BACKEND"] = backends.current()
    env.update(BACKEND_ENVIRONMENT.get(env["KERAS_BACKEND"], {}))
    return env


def apply_quiet_environment() -> None:
    for name in COLOUR_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update(QUIET_ENVIRONMENT)
    os.environ["KERAS_BACKEND"] = backends.current()
    os.environ.update(BACKEND_ENVIRONMENT.get(os.environ["KERAS_BACKEND"], {}))


def fresh_namespace(file: Path, name: str = "__main__") -> dict:
    """A new namespace, with Keras's automatic names and every random generator reset."""
    import keras

    keras.backend.clear_session(free_memory=False)
    keras.utils.set_random_seed(SEED)
    return {"__name__": name, "__file__": str(file), "__builtins__": __builtins__}


@dataclass
class Outcome:
    stdout: str = ""
    stderr: str = ""
    error: BaseException | None = None
    error_line: int | None = None
    error_text: str = ""


def run_code(code: str, file: Path, first_line: int, namespace: dict) -> Outcome:
    """Execute ``code`` as lines ``first_line``... of ``file``, with warnings raised as errors."""
    source = "\n" * (first_line - 1) + code
    out, err = io.StringIO(), io.StringIO()
    outcome = Outcome()
    try:
        compiled = compile(source, str(file), "exec", dont_inherit=True)
        with redirect_stdout(out), redirect_stderr(err), warnings.catch_warnings():
            # A deprecation (or any other warning) raised by docs code is a defect of the page.
            warnings.simplefilter("error")
            for known in backends.library_warnings():
                warnings.filterwarnings("ignore", known.message, known.category, rf"{re.escape(known.module)}\Z")
            exec(compiled, namespace)
    except Exception as exc:
        outcome.error = exc
        outcome.error_line, outcome.error_text = _describe(exc, file)
    outcome.stdout, outcome.stderr = out.getvalue(), err.getvalue()
    return outcome


def _describe(exc: BaseException, file: Path) -> tuple[int | None, str]:
    """The last line of ``file`` the error passed through, and a traceback from that file on."""
    if isinstance(exc, SyntaxError) and exc.filename == str(file):
        return exc.lineno, "".join(traceback.format_exception_only(exc))
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [i for i, frame in enumerate(frames) if frame.filename == str(file)]
    line = frames[ours[-1]].lineno if ours else None
    shown = traceback.StackSummary.from_list(frames[ours[0] :] if ours else frames)
    text = "Traceback (most recent call last):\n" + "".join(shown.format())
    return line, text + "".join(traceback.format_exception_only(exc))
