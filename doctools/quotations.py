"""Marked quotations: figures quoted from a paper, as the paper prints them, found on a page.

A marked quotation is an admonition of type ``quote`` whose body starts with its id and holds one
Markdown table:

    !!! quote "Howard et al. 2017, Table 3 (as published)"

        <!-- quotation: mobilenet-table3 -->

        | Layer/Modification | Million Mult-Adds | Million Parameters |
        | --- | --- | --- |
        | Convolution | 462 | 2.36 |

The prose lint (``doctools/prose.py``) skips it; ``doctools/content/quotations.py`` says which
cells are figures and what the site's own value of each is, and the tests compare the two at the
precision the paper prints. A figure that disagrees must carry a visible note in its cell, a
footnote reference (``1.19[^swap]``) whose footnote explains the difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path

from doctools.engine.fences import SiteMarkdown

QUOTE_TYPE = "quote"
_ID = re.compile(r"^\s*<!--\s*quotation:\s*(?P<id>[-\w]+)\s*-->\s*$")
_NOTE = re.compile(r"\[\^(?P<note>[^\]]+)\]")
_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


class QuotationError(ValueError):
    """A marked quotation that cannot be read."""


@dataclass
class Cell:
    line: int  # 1-based line of the row in the page
    row: str  # the row's first cell: its label
    column: str  # the header of the cell's column
    text: str  # as written, without the note
    notes: list[str]

    @property
    def figure(self) -> Decimal | None:
        """The number the cell prints (None if it prints none)."""
        match = _FIGURE.search(self.text)
        return Decimal(match[0].replace(",", "")) if match else None


@dataclass
class Quotation:
    path: Path
    line: int  # the line of the !!! quote marker
    id: str | None
    title: str
    cells: list[Cell] = field(default_factory=list)

    def cell(self, row: str, column: str) -> Cell:
        for cell in self.cells:
            if (cell.row, cell.column) == (row, column):
                return cell
        raise KeyError(f"{self.path}:{self.line}: quotation {self.id} has no cell ({row!r}, {column!r})")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_quotations(path: Path, text: str | None = None) -> list[Quotation]:
    """Every marked quotation of a page, with its table's cells and their lines."""
    path = Path(path)
    text = path.read_text("utf8") if text is None else text
    lines = text.split("\n")
    quotations = []
    for token in SiteMarkdown().parse(text):
        if token.type != "admonition_open" or token.info.strip().split()[:1] != [QUOTE_TYPE]:
            continue
        start, end = token.map
        title = token.info.strip()[len(QUOTE_TYPE) :].strip().strip('"')
        body = [(number, lines[number - 1]) for number in range(start + 2, end + 1)]
        ids = [m["id"] for _, line in body if (m := _ID.match(line))]
        quotation = Quotation(path, start + 1, ids[0] if ids else None, title)
        rows = [(number, _cells(line)) for number, line in body if line.strip().startswith("|")]
        if rows:
            header = rows[0][1]
            for number, cells in rows[2:]:
                if len(cells) != len(header):
                    raise QuotationError(f"{path}:{number}: this row has {len(cells)} cells, the header {len(header)}")
                for column, cell in zip(header[1:], cells[1:], strict=True):
                    notes = _NOTE.findall(cell)
                    quotation.cells.append(Cell(number, cells[0], column, _NOTE.sub("", cell).strip(), notes))
        quotations.append(quotation)
    return quotations


def footnotes(text: str) -> set[str]:
    """The names of the footnotes a page defines (``[^name]: ...``)."""
    return set(re.findall(r"^\s*\[\^([^\]]+)\]:", text, re.MULTILINE))


def at_precision(value: Fraction | int, printed: Decimal, step: Decimal | None = None) -> Decimal:
    """``value`` rounded to the last printed digit of ``printed`` (or to ``step``), half to even."""
    step = step if step is not None else Decimal(1).scaleb(printed.as_tuple().exponent)
    value = Fraction(value)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return (exact / step).quantize(Decimal(1), ROUND_HALF_EVEN) * step


def compare(quotation: Quotation, quoted, values: dict, notes: set[str]) -> list[str]:
    """``file:line: ...`` for each figure of ``quotation`` that the site's values do not bear out.

    ``quoted`` is the quotation's entry in ``doctools.content.quotations.QUOTATIONS``, ``values``
    what its figures are computed from, ``notes`` the footnotes the page defines. A figure agrees
    when the site's value, rounded half to even to the printed precision, prints the same number;
    one that disagrees needs a footnote reference in its cell.
    """
    where = f"{quotation.path}:{quotation.line}"
    problems = []
    columns = {column for _, column in quoted.figures}
    found = set()
    for cell in quotation.cells:
        key = (cell.row, cell.column)
        at = f"{quotation.path}:{cell.line}"
        for note in cell.notes:
            if note not in notes:
                problems.append(f"{at}: the note [^{note}] next to {cell.text} is not defined on the page")
        if key not in quoted.figures:
            if cell.column in columns and cell.figure is not None:
                problems.append(
                    f"{at}: the quoted figure {cell.text} ({cell.row}, {cell.column}) has no value to compare with: "
                    f"add it to QUOTATIONS[{quotation.id!r}] in doctools/content/quotations.py"
                )
            continue
        found.add(key)
        figure = quoted.figures[key]
        if cell.figure is None:
            problems.append(f"{at}: ({cell.row}, {cell.column}) of quotation {quotation.id} prints no figure")
            continue
        step = Decimal(figure.step) if figure.step else None
        site = at_precision(Fraction(figure.value(values), figure.scale), cell.figure, step)
        if site != cell.figure and not cell.notes:
            problems.append(
                f"{at}: the quoted figure {cell.text} ({cell.row}, {cell.column}) disagrees with the site's own "
                f"value, {site:,} at the printed precision: correct the quotation, or add a footnote in the "
                "cell ([^name]) that explains the difference"
            )
    for row, column in sorted(set(quoted.figures) - found):
        problems.append(f"{where}: quotation {quotation.id} has no cell ({row}, {column})")
    return problems
