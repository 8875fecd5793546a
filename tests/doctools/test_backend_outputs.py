"""Per-backend output fences are shown as content tabs, one per backend (doctools/extensions/backend_outputs.py)."""

from __future__ import annotations

import markdown

from doctools.extensions.backend_outputs import tab_outputs

PAGE = """```python
print(0.1 + 0.2)
```

```output
A 1
```

```{.output backend="jax"}
B 2
```

```output
alone
```
"""


def _html(text: str) -> str:
    extensions = ["pymdownx.superfences", "doctools.extensions.backend_outputs"]
    return markdown.markdown(
        text,
        extensions=[*extensions, "pymdownx.tabbed"],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}},
    )


def test_a_backend_fence_and_the_reference_become_two_tabs():
    html = _html(PAGE)
    assert html.count('class="tabbed-set') == 1
    assert ">TensorFlow</label>" in html and ">JAX</label>" in html
    assert html.index("A 1") < html.index("B 2") < html.index("alone")
    assert 'backend="jax"' not in html


def test_an_output_without_backend_fences_stays_as_it_is():
    lines = PAGE.split("\n")[-4:]
    assert tab_outputs(lines) == lines


def test_indented_fences_keep_their_indent():
    lines = ["    ```output", "    A", "    ```", "", '    ```{.output backend="torch"}', "    B", "    ```"]
    assert tab_outputs(lines) == [
        '    === "TensorFlow"',
        "",
        "        ```output",
        "        A",
        "        ```",
        "",
        '    === "PyTorch"',
        "",
        "        ```output",
        "        B",
        "        ```",
        "",
    ]
