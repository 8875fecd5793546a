"""scripts/dev.py's backends: --backend, the default run (TensorFlow, then the docs on JAX), its leftover line."""

from __future__ import annotations

import json
import re

import pytest

from scripts import dev


@pytest.fixture
def runs(monkeypatch):
    calls = []

    def fake_run(*args, installed=False, backend=None, **extra):
        calls.append((backend, list(args), extra))
        report = extra.get("DOCS_LEFT_FILE")
        if report:  # what the engine writes: each run leaves the same torch page and one torch test
            left = {"torch": ["docs/porting.md::[CodeFence#1][line:9]"]}
            if backend == "tensorflow":
                left["torch"].append("tests/test_torch.py::test_one")
                left["jax"] = ["docs/jax-only.md::[CodeFence#1][line:9]"]
            with open(report, "w", encoding="utf8") as file:
                json.dump(left, file)
        return 0

    monkeypatch.setattr(dev, "run", fake_run)
    monkeypatch.setattr(dev, "ensure_browser", lambda: None)
    monkeypatch.setattr(dev, "ensure_node_packages", lambda: None)
    return calls


def test_default_test_runs_tensorflow_in_full_then_the_docs_on_jax(runs, capsys):
    assert dev.main(["test"]) == 0
    (tf, tf_args, _), (jax, jax_args, _) = runs
    assert (tf, jax) == ("tensorflow", "jax")
    assert "--cov-fail-under=100" in tf_args and not any(arg.startswith("--cov") for arg in jax_args)
    assert jax_args[-len(dev.backend_part("jax")) :] == dev.backend_part("jax")
    out = capsys.readouterr().out.splitlines()
    lines = [line for line in out if line.startswith(("left for", "not run"))]
    # Once, counting each item once; nothing for JAX, which this run ran.
    command = "python scripts/dev.py test --backend torch"
    assert lines == [f"left for the torch run: 2 blocks/tests; run them with: {command}"]
    assert [line for line in out if line.startswith("wall time:")] == ["wall time: TensorFlow run 0 s, JAX run 0 s"]


def test_with_tensorflow_alone_the_run_names_what_it_left_for_jax(runs, capsys, monkeypatch):
    monkeypatch.setattr(dev, "DEFAULT_BACKENDS", ("tensorflow",))
    assert dev.main(["test"]) == 0
    ((tf, tf_args, _),) = runs
    assert tf == "tensorflow" and "--cov-fail-under=100" in tf_args
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("left for", "not run"))]
    jax, torch = "python scripts/dev.py test --backend jax", "python scripts/dev.py test --backend torch"
    assert lines == [
        f"left for the jax run: 1 blocks/tests; run them with: {jax}",
        f"left for the torch run: 2 blocks/tests; run them with: {torch}",
    ]


def test_a_backend_the_default_run_never_reached_is_named(runs, capsys, monkeypatch):
    monkeypatch.setattr(dev, "run", lambda *args, **kwargs: 0)  # writes no leftover report
    assert dev.main(["test"]) == 0
    out = capsys.readouterr().out
    assert "not run on jax" not in out
    assert "not run on torch; run it with: python scripts/dev.py test --backend torch" in out


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_another_backend_without_paths_runs_its_part(runs, backend):
    assert dev.main(["test", "--backend", backend]) == 0
    ((ran, args, _),) = runs
    assert ran == backend and args == ["pytest", *dev.FULL_RUN[:2], *dev.backend_part(backend)]


MARK = re.compile(r"^(?:pytestmark = \[?|@)pytest\.mark\.backends\(([^)]*)\)", re.M)


def test_each_backend_part_holds_every_test_module_marked_for_that_backend():
    marked = {}
    for path in sorted((dev.ROOT / "tests").rglob("test_*.py")):
        # A module's pytestmark, or a test's decorator (not marks built from variables or in strings).
        for names in MARK.findall(path.read_text("utf8")):
            for name in re.findall(r"\w+", names):
                marked.setdefault(name, set()).add(path.relative_to(dev.ROOT).as_posix())
    assert set(marked) == {"jax", "torch"}
    for name, paths in marked.items():
        if name != dev.backends.REFERENCE:
            assert paths <= set(dev.backend_part(name)) - {"docs"}, name


@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_backend_option_runs_one_backend(runs, backend):
    assert dev.main(["test", "--backend", backend, "docs/index.md", "-x"]) == 0
    ((ran, args, _),) = runs
    assert ran == backend and args == ["pytest", "-n", "0", "docs/index.md", "-x"]


def test_update_takes_a_backend(runs):
    assert dev.main(["update", "--backend", "jax", "docs/index.md"]) == 0
    assert runs[0][0] == "jax" and "--update-outputs" in runs[0][1]


def test_an_unknown_backend_is_refused(runs, capsys):
    assert dev.main(["test", "--backend", "pytorch"]) == 2
    assert runs == [] and "tensorflow, jax, torch" in capsys.readouterr().out


def test_torch_is_pinned_in_the_lock():
    assert dev.locked_version("torch") == "2.13.0"
