"""Bad input to the documentation engine fails at file:line with a message a contributor understands."""

from __future__ import annotations

import builtins
import json

import pytest

from tests.doctools.engine.inner_runs import check, scratch_tree, update

pytestmark = pytest.mark.xdist_group("engine-errors")

F = "```"


def run_page(pytester, text: str, *, snippets: dict[str, str] | None = None):
    files = {"docs/page.md": text, **(snippets or {})}
    scratch_tree(pytester, files)
    return check(pytester)


def assert_reports(result, *fragments: str):
    report = result.stdout.str()
    for fragment in fragments:
        assert fragment in report, f"{fragment!r} not in the report:\n{report}"


@pytest.mark.parametrize(
    ("fence", "message"),
    [
        ("{.python continuation fast}", "docs/page.md:3: unknown option 'fast' on a python fence"),
        ("{.python notest}", 'docs/page.md:3: an untested fence must say why: {.python notest reason="..."}'),
        ("py", "docs/page.md:3: write the language as 'python', not 'py'"),
        ("pyhton", "docs/page.md:3: unknown fence language 'pyhton'"),
        ("", "docs/page.md:3: this fence names no language"),
        ('{.python reason="x"}', "docs/page.md:3: 'reason' only goes with 'notest'"),
    ],
)
def test_malformed_fence(pytester, fence, message):
    result = run_page(pytester, f"# Page\n\n{F}{fence}\nprint(1)\n{F}\n")
    assert result.ret != 0
    assert_reports(result, message)


def test_continuation_with_nothing_to_continue(pytester):
    result = run_page(pytester, f"# Page\n\n{F}{{.python continuation}}\nx = 1\n{F}\n")
    assert_reports(result, "docs/page.md:3: 'continuation' on the first python fence of the page")


def test_output_that_follows_no_python_fence(pytester):
    result = run_page(pytester, f"# Page\n\nSome text.\n\n{F}output\n42\n{F}\n")
    assert_reports(result, "docs/page.md:5: an output fence must come right after the python fence")


def test_output_with_unknown_option(pytester):
    result = run_page(pytester, f"# Page\n\n{F}python\nprint(42)\n{F}\n\n{F}{{.output lines=3}}\n42\n{F}\n")
    assert_reports(result, "docs/page.md:7: unknown option 'lines' on a output fence")


def test_missing_output(pytester):
    result = run_page(pytester, f"# Page\n\n{F}python\nprint(6 * 7)\n{F}\n")
    assert_reports(result, "docs/page.md:5: this block prints output, but no ```output fence follows it", "42")


def test_wrong_output_shows_a_diff_at_the_wrong_line(pytester):
    page = f"# Page\n\n{F}python\nprint('a')\nprint('b')\n{F}\n\n{F}output\na\nc\n{F}\n"
    result = run_page(pytester, page)
    assert_reports(
        result, "docs/page.md:10: stored output differs", "-c", "+b", "python scripts/dev.py update docs/page.md"
    )


def test_update_writes_missing_output_and_is_idempotent(pytester):
    scratch_tree(pytester, {"docs/page.md": f"# Page\n\n{F}python\nprint(6 * 7)\n{F}\n\nText.\n"})
    update(pytester).assert_outcomes(passed=1)
    written = (pytester.path / "docs/page.md").read_text()
    assert written == f"# Page\n\n{F}python\nprint(6 * 7)\n{F}\n\n{F}output\n42\n{F}\n\nText.\n"
    update(pytester).assert_outcomes(passed=1)
    assert (pytester.path / "docs/page.md").read_text() == written
    check(pytester).assert_outcomes(passed=1)


def test_error_in_a_block_points_at_its_line(pytester):
    result = run_page(pytester, f"# Page\n\n{F}python\nx = 1\ny = x / 0\n{F}\n")
    assert_reports(result, "docs/page.md:5: this block raised an error", "ZeroDivisionError")


def test_deprecation_warning_fails_the_block(pytester):
    code = "import keras\nkeras.layers.Conv1D(4, 3, input_shape=(10, 2))"
    result = run_page(pytester, f"# Page\n\n{F}python\n{code}\n{F}\n")
    assert_reports(result, "docs/page.md:5: this block raised an error", "UserWarning", "input_shape")


def test_fences_in_tabs_and_admonitions_run(pytester):
    page = (
        f'# Page\n\n=== "One"\n\n    {F}python\n    print("tab")\n    {F}\n\n    {F}output\n    tab\n    {F}\n\n'
        f'!!! note\n\n    {F}python\n    print("note")\n    {F}\n\n'
        f'??? tip "More"\n\n    {F}python\n    raise ValueError("in a collapsible block")\n    {F}\n'
    )
    result = run_page(pytester, page)
    result.assert_outcomes(passed=1, failed=2)
    assert_reports(result, "docs/page.md:17: this block prints output", "docs/page.md:22: this block raised an error")


def test_each_block_runs_once_and_continuations_share_a_namespace(pytester):
    counter = "import builtins\nbuiltins.RUNS = getattr(builtins, 'RUNS', 0) + 1\n"
    page = (
        f"# Page\n\n{F}python\n{counter}x = 1\n{F}\n\n"
        f"{F}{{.python continuation}}\nx += 1\n{F}\n\n"
        f"{F}{{.python continuation}}\nassert x == 2\n{F}\n"
    )
    builtins.RUNS = 0
    run_page(pytester, page).assert_outcomes(passed=3)
    assert builtins.RUNS == 1
    del builtins.RUNS


def test_blocks_after_a_failure_are_skipped_with_the_reason(pytester):
    page = f"# Page\n\n{F}python\nraise RuntimeError('first')\n{F}\n\n{F}{{.python continuation}}\nx = 1\n{F}\n"
    result = run_page(pytester, page)
    result.assert_outcomes(failed=1, skipped=1)
    assert_reports(result, "the block it continues failed at docs/page.md:4")


@pytest.mark.parametrize(
    ("include", "message"),
    [
        (
            "snippets/missing.py",
            'docs/page.md:4: --8<-- "snippets/missing.py" includes snippets/missing.py, which does not exist',
        ),
        ("snippets/example.py:nope", "docs/page.md:4: snippets/example.py has no section 'nope' (it has: shown)"),
    ],
)
def test_broken_include(pytester, include, message):
    snippet = "# --8<-- [start:shown]\nprint('hi')\n# --8<-- [end:shown]\n"
    page = f'# Page\n\n{F}python\n--8<-- "{include}"\n{F}\n'
    result = run_page(pytester, page, snippets={"snippets/example.py": snippet})
    assert_reports(result, message)


def test_include_runs_the_snippet_and_checks_the_section_output(pytester):
    snippet = "x = 2\n# --8<-- [start:shown]\nprint(x * 21)\n# --8<-- [end:shown]\nprint('not shown')\n"
    page = f'# Page\n\n{F}python\n--8<-- "snippets/example.py:shown"\n{F}\n\n{F}output\n41\n{F}\n'
    result = run_page(pytester, page, snippets={"snippets/example.py": snippet})
    assert_reports(result, "docs/page.md:8: stored output differs", "+42")


def test_include_mixed_with_code(pytester):
    page = f'# Page\n\n{F}python\n--8<-- "snippets/example.py"\nprint(1)\n{F}\n'
    result = run_page(pytester, page, snippets={"snippets/example.py": "print(0)\n"})
    assert_reports(
        result, "docs/page.md:3: a fence that includes a snippet (--8<--) may hold nothing but include lines"
    )


def test_notebook_cell_error_points_at_the_cell(pytester):
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "id": "ok",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": "x = 1",
            },
            {
                "cell_type": "code",
                "id": "broken",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": "1 / 0",
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(notebook, indent=1)
    scratch_tree(pytester, {"docs/nb.ipynb": text})
    result = check(pytester)
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if '"id": "broken"' in t)
    assert_reports(result, f"docs/nb.ipynb:{line}: cell 1 raised an error", "ZeroDivisionError")


def test_summary_is_the_same_in_any_terminal(pytester, monkeypatch):
    code = "import keras\nkeras.Sequential([keras.Input(shape=(10, 2)), keras.layers.Conv1D(4, 3)]).summary()"
    scratch_tree(pytester, {"docs/page.md": f"# Page\n\n{F}python\n{code}\n{F}\n"})
    monkeypatch.setenv("COLUMNS", "300")
    update(pytester).assert_outcomes(passed=1)
    stored = (pytester.path / "docs/page.md").read_text()
    assert "conv1d (Conv1D)" in stored
    for columns in ("40", "80", "250"):
        monkeypatch.setenv("COLUMNS", columns)
        monkeypatch.setenv("FORCE_COLOR", "1")
        check(pytester).assert_outcomes(passed=1)
