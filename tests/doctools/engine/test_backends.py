"""Pages, tests and outputs that belong to some Keras backends only (doctools/backends.py).

A page limited to some backends must say so to readers in an admonition that agrees with its front
matter; what a run does not run is deselected and counted, never skipped silently; a backend's own
output fence is what that backend's run checks, and what its update rewrites.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from doctools import backends
from doctools.engine.fences import parse_page
from tests.doctools.engine.inner_runs import check, scratch_tree, update

PAGE = """---
description: A page.
backends: [torch]
---

# Torch page

!!! info "Backend: torch only"
    It compares Keras with PyTorch, which only the torch run installs.

```python
print(1)
```

```output
1
```
"""

PER_BACKEND = """# Two backends

```python
print("same everywhere")
```

```output
same everywhere
```

```python
print(sum(range(5)))
```

```output
10
```

```{.output backend="jax"}
10
```
"""


def _problems(text: str) -> list[str]:
    return [str(problem) for problem in parse_page(Path("docs/page.md"), text).problems]


def test_a_limited_page_without_its_admonition_fails_at_the_front_matter_line():
    admonition = PAGE[PAGE.index("!!! info") : PAGE.index("```python")]
    text = PAGE.replace(admonition, "")
    (problem,) = _problems(text)
    assert problem.startswith("docs/page.md:3:") and '!!! info "Backend: torch only"' in problem


def test_an_admonition_that_disagrees_with_the_front_matter_fails_at_its_line():
    (problem,) = _problems(PAGE.replace("Backend: torch only", "Backend: jax only"))
    assert problem.startswith("docs/page.md:8:") and "disagrees" in problem
    (problem,) = _problems(PAGE.replace("backends: [torch]\n", ""))
    assert problem.startswith("docs/page.md:7:") and "no 'backends:' in the front matter" in problem


def test_an_unknown_backend_in_the_front_matter_fails_at_its_line():
    (problem,) = _problems(PAGE.replace("[torch]", "[pytorch]"))
    assert problem.startswith("docs/page.md:3:") and "unknown backend pytorch" in problem


def test_the_admonition_title_joins_the_backends():
    assert backends.admonition_title(("tensorflow", "jax")) == "Backend: tensorflow, jax only"
    assert backends.parse_names("[torch, jax]") == ("torch", "jax")


def test_what_runs_elsewhere_is_deselected_and_counted(pytester, monkeypatch):
    monkeypatch.delenv("DOCS_LEFT_FILE", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    scratch_tree(
        pytester,
        {
            "docs/torch.md": PAGE,
            "docs/every.md": "# Every backend\n\n```python\nprint(2)\n```\n\n```output\n2\n```\n",
            "docs/test_torch_only.py": (
                'import pytest\n\npytestmark = pytest.mark.backends("torch")\n\n\n'
                "def test_one():\n    pass\n\n\ndef test_two():\n    pass\n"
            ),
        },
    )
    result = check(pytester, "docs")
    result.assert_outcomes(passed=1, deselected=3)
    result.stdout.fnmatch_lines(
        ["left for the torch run: 3 blocks/tests; run them with: python scripts/dev.py test --backend torch"]
    )
    assert result.stdout.str().count("left for the torch run") == 1


def test_each_backend_checks_its_own_stored_output_at_file_and_line(pytester, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    scratch_tree(pytester, {"docs/page.md": PER_BACKEND.replace('backend="jax"}\n10', 'backend="jax"}\n11')})
    result = check(pytester, "docs/page.md")
    result.assert_outcomes(passed=1, failed=1)
    assert PER_BACKEND.splitlines()[19] == "10"  # the planted digit, in the jax fence
    result.stdout.fnmatch_lines(["*docs/page.md:20: stored jax output differs*on the jax backend*"])
    # TensorFlow's run reads the plain fence, which is right.
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    check(pytester, "docs/page.md").assert_outcomes(passed=2)


def test_update_on_a_backend_rewrites_only_that_backends_fence(pytester, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    root = scratch_tree(pytester, {"docs/page.md": PER_BACKEND.replace("```output\n10", "```output\n12")})
    page = root / "docs" / "page.md"
    update(pytester, "docs/page.md")
    # The jax fence already holds what JAX prints; TensorFlow's wrong fence is not JAX's to fix.
    assert page.read_text("utf8") == PER_BACKEND.replace("```output\n10", "```output\n12")
    wrong = PER_BACKEND.replace("```output\n10", "```output\n12")
    page.write_text(wrong.replace('```{.output backend="jax"}\n10', '```{.output backend="jax"}\n13'), "utf8")
    update(pytester, "docs/page.md")
    assert page.read_text("utf8") == wrong
    page.write_text(PER_BACKEND, "utf8")
    # A backend that prints what TensorFlow prints needs no fence of its own: update removes it.
    update(pytester, "docs/page.md")
    assert page.read_text("utf8") == PER_BACKEND.replace('\n```{.output backend="jax"}\n10\n```\n', "")


def test_update_writes_a_new_backend_fence_after_the_reference_one(pytester, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    plain = PER_BACKEND.replace('\n```{.output backend="jax"}\n10\n```\n', "").replace("```output\n10", "```output\n9")
    root = scratch_tree(pytester, {"docs/page.md": plain})
    update(pytester, "docs/page.md")
    assert (root / "docs" / "page.md").read_text("utf8") == PER_BACKEND.replace("```output\n10", "```output\n9")


@pytest.mark.parametrize("name", ["snippet.py"])
def test_a_snippet_names_its_backends_in_its_first_lines(tmp_path, name):
    snippet = tmp_path / name
    snippet.write_text('"""A snippet."""\n\n# backends: torch\nimport torch\n', "utf8")
    assert backends.snippet_backends(snippet) == ("torch",)
    assert backends.skipped_snippets(tmp_path, "jax") == [snippet]
    assert backends.skipped_snippets(tmp_path, "torch") == []
    snippet.write_text("\n" * 5 + "# backends: torch\n", "utf8")
    assert backends.snippet_backends(snippet) is None
