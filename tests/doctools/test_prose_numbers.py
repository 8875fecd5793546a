"""The prose lint: every number of two or more digits in a page's words comes from its code.

``doctools/prose.py`` reads each page's prose (outside code fences, output fences and marked
quotations) and fails at file:line on a number that appears nowhere in the page's python fences,
the snippet files they include, its stored outputs or its generated values. First every page of
the site, then the rules themselves on small pages.
"""

from __future__ import annotations

import re

import keras
import pytest

from doctools import prose
from doctools.extensions.prose_values import PLACEHOLDER
from doctools.paths import DOCS

PAGES = sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_number_in_the_prose_comes_from_the_page(page):
    problems = prose.check_page(page)
    assert not problems, "\n".join(problems)


def test_the_keras_version_a_page_names_is_the_one_installed():
    installed = ".".join(keras.__version__.split(".")[:2])
    for page in PAGES:
        for number, line in enumerate(page.read_text("utf8").splitlines(), start=1):
            for match in PLACEHOLDER.finditer(line):
                if match["name"] == "keras":
                    assert match["arg"] == installed, f"{page}:{number}: says Keras {match['arg']}, runs {installed}"


def check(tmp_path, text: str) -> list[str]:
    page = tmp_path / "page.md"
    page.write_text(text, "utf8")
    return prose.check_page(page)


def lines_of(problems: list[str]) -> list[int]:
    return [int(re.match(r".*?\.md:(\d+):", problem)[1]) for problem in problems]


def test_a_typed_result_fails_at_its_line(tmp_path):
    text = "# T\n\nA `Conv1D(32, 3)` on 100 steps:\n\n```python\nprint(32 * 3 + 100)\n```\n\n```output\n196\n```\n\n"
    text += "It has\n6,176 parameters.\n"
    problems = check(tmp_path, text)
    assert lines_of(problems) == [14]
    assert "the number 6,176 in the prose appears nowhere" in problems[0]


def test_inputs_outputs_and_generated_values_are_allowed(tmp_path):
    text = (
        "# T\n\nA sequence of 100 steps gives 196, or 1,792 and 27 from {{ standard.conv2d-params }}.\n\n"
        "```python\nsteps = 100\nprint(steps + 96)\n```\n\n```output\n196\n```\n\n"
        "<!-- conv-table: conv-examples -->\n\nAlso 73,856? No: only what the table holds, like 6,176.\n"
    )
    problems = check(tmp_path, text)
    # 1,792 is the generated value, 6,176 a cell of the generated table; 27 and 73,856 are neither.
    assert lines_of(problems) == [3, 16], problems
    assert "the number 27 " in problems[0] and "the number 73,856 " in problems[1]


def test_snippet_files_a_page_includes_count_as_its_code(tmp_path):
    include = '```python\n--8<-- "snippets/cost/layer_costs.py:four_layers"\n```\n'
    text = "# T\n\nThe map holds 28 by 28 values.\n\n" + include
    assert check(tmp_path, text) == []
    assert lines_of(check(tmp_path, "# T\n\nThe map holds 28 by 28 values.\n")) == [3, 3]


def test_code_outputs_quotations_and_marks_are_not_prose(tmp_path):
    text = (
        "# T\n\n```text\n4096\n```\n\n"
        '!!! quote "Someone {{ year 1998 }}"\n\n    | a | b |\n    | --- | --- |\n    | 462 | 2.36 |\n\n'
        "Cited ({{ year 1998 }}, {{ section 3.2 }}, Keras {{ keras 3.15 }}).\n"
    )
    assert check(tmp_path, text) == []


def test_numbers_in_admonitions_tabs_captions_and_inline_code_are_prose(tmp_path):
    text = (
        '# T\n\n!!! note "Note"\n\n    A note with 11 in it.\n\n=== "Tab"\n\n    A tab with 12.\n\n'
        "<figure>\n<figcaption>A caption with 13.</figcaption>\n</figure>\n\nA shape `(None, 14, 1)`.\n\n"
        "> A plain blockquote with 15 is not a marked quotation.\n"
    )
    assert lines_of(check(tmp_path, text)) == [5, 9, 12, 15, 17]


def test_names_single_digits_and_percentages(tmp_path):
    text = "# T\n\nConv2D, float32 and x86 are names; 3 by 3 is one digit each; 80 % of the steps.\n\n"
    text += "```python\nsplit = 0.8\n```\n\nBut 64x64 and 90 % are numbers.\n"
    assert lines_of(check(tmp_path, text)) == [9, 9, 9]


def test_front_matter_is_not_prose(tmp_path):
    assert check(tmp_path, "---\ndescription: 1000 classes\n---\n# T\n\nText.\n") == []
