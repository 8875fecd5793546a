"""Proof that the prose lint and the quotation check catch a wrong number, and say where it is.

A real page (the compute cost page, which has both prose and a marked quotation) is copied into
a scratch folder. One number in a sentence and one figure in the quotation are changed; the
checks that tests/doctools/test_prose_numbers.py and tests/doctools/test_quotations.py assert to
be empty for every page must then report exactly those two file:line locations, and nothing else.
"""

from __future__ import annotations

from decimal import Decimal

from doctools import prose
from doctools.content.quotations import QUOTATIONS, table3_values
from doctools.paths import ROOT
from doctools.quotations import compare, footnotes, read_quotations

PAGE = "docs/cost/index.md"


def _bumped(written: str, allowed: set[Decimal]) -> str:
    """The number with its last digit changed to one that the page's code does not hold."""
    for step in range(1, 10):
        candidate = written[:-1] + str((int(written[-1]) + step) % 10)
        if Decimal(candidate.replace(",", "")) not in allowed:
            return candidate
    raise AssertionError(f"no wrong value for {written}")  # pragma: no cover


def plant_in_prose(path) -> int:
    """Change the first prose number of the page into one its code does not hold; return its line."""
    text = path.read_text("utf8")
    first = prose.prose_numbers(path)[0]
    lines = text.split("\n")
    wrong = _bumped(first.text, prose.allowed_numbers(path))
    assert lines[first.line - 1].count(first.text) >= 1
    lines[first.line - 1] = lines[first.line - 1].replace(first.text, wrong, 1)
    path.write_text("\n".join(lines), "utf8")
    return first.line


def plant_in_quotation(path, quotation_id: str) -> int:
    """Change the last digit of the quotation's first figure; return its line."""
    (quotation,) = [q for q in read_quotations(path) if q.id == quotation_id]
    cell = quotation.cells[0]
    lines = path.read_text("utf8").split("\n")
    wrong = cell.text[:-1] + str((int(cell.text[-1]) + 1) % 10)
    lines[cell.line - 1] = lines[cell.line - 1].replace(f"| {cell.text} |", f"| {wrong} |", 1)
    path.write_text("\n".join(lines), "utf8")
    return cell.line


def test_a_wrong_number_in_prose_and_in_a_quotation_fail_at_their_lines(tmp_path):
    page = tmp_path / "index.md"
    page.write_text((ROOT / PAGE).read_text("utf8"), "utf8")
    assert prose.check_page(page) == []  # the copy passes before anything is planted

    prose_line = plant_in_prose(page)
    quotation_line = plant_in_quotation(page, "mobilenet-table3")
    assert prose_line != quotation_line

    prose_problems = prose.check_page(page)
    assert [problem.split(": ", 1)[0] for problem in prose_problems] == [f"{page}:{prose_line}"], prose_problems

    (quotation,) = [q for q in read_quotations(page) if q.id == "mobilenet-table3"]
    quoted = QUOTATIONS["mobilenet-table3"]
    quotation_problems = compare(quotation, quoted, table3_values(), footnotes(page.read_text("utf8")))
    assert [problem.split(": ", 1)[0] for problem in quotation_problems] == [f"{page}:{quotation_line}"]
    assert "disagrees with the site's own value" in quotation_problems[0]
