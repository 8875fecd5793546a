"""Numbers in a page's prose, and the numbers its code, outputs and generated values hold.

The site's promise is that no number is typed by hand. Code fences are run and their outputs
compared; this module checks the words around them. ``check_page`` reads a page with the engine's
parser (CommonMark, admonitions, content tabs) and finds every number of two or more digits in the
text outside code fences, output fences and marked quotations. Each must appear somewhere in:

- the page's python fences, and the snippet files they include (a sentence may set up an input
  that the code uses: "a 128x128 image");
- the page's stored outputs;
- the values the build generates for the page: its tables (``<!-- conv-table: ... -->``) and its
  prose values (``{{ name }}``, see ``doctools/extensions/prose_values.py``) and exercises
  (``<!-- exercises: NAME -->``).

Two markings take a number out of the check, for figures that are neither inputs nor results:

- ``{{ year 2017 }}``, ``{{ section 3.2 }}`` and ``{{ keras 3.15 }}`` render as the bare number (a
  year in a citation, a section or table number of a paper, the Keras version a statement was
  checked with: ``tests/doctools/test_prose_numbers.py`` compares it with the installed Keras);
- a *marked quotation*, an admonition of type ``quote`` (``!!! quote "Howard et al. 2017, Table 3"``),
  holds figures quoted from a source as the source prints them. Quotations registered in
  ``doctools/content/quotations.py`` are compared with the site's own values by
  ``tests/doctools/test_quotations.py``.

A percentage may stand for a fraction in the code (80 % for ``0.8``).
A number inside inline code (`` `(None, 26, 26, 32)` ``) is prose too: it is part of a sentence.
Numbers glued to a word (``Conv2D``, ``float32``, ``x86``) are names, not figures, and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from doctools.engine.fences import SiteMarkdown
from doctools.engine.includes import split_spec
from doctools.paths import ROOT

# A run of digits with the separators numbers are written with: 1,234,567  0.95  16_000.
_NUMBER = re.compile(r"\d(?:[\d_]|[.,](?=\d))*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_INCLUDE = re.compile(r"""^\s*-+8<-+\s+["']([^"']+)["']""", re.MULTILINE)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MARKER = re.compile(r"<!--\s*conv-(?P<kind>table|formula):\s*(?P<name>[-\w]+)\s*-->")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)

QUOTE_TYPE = "quote"


@dataclass(frozen=True)
class Number:
    line: int  # 1-based line in the page
    text: str  # as written
    value: Decimal
    percent: bool = False  # written as a percentage: 80 % may stand for 0.8 in the code


class ProseError(ValueError):
    """A number in prose that no code, output or generated value of the page accounts for."""


def _values(text: str, names_too: bool) -> list[tuple[int, str, Decimal]]:
    """(offset, written form, value) of each number in ``text``.

    With ``names_too`` False, a number glued to a letter before it (``Conv2D``, ``float32``) is
    skipped, except ``x`` between two numbers (``64x64``).
    """
    found = []
    for match in _NUMBER.finditer(text):
        start, written = match.start(), match[0]
        before = text[start - 1] if start else ""
        if not names_too and (before.isalpha() or before == "_"):
            if not (before == "x" and start >= 2 and text[start - 2].isdigit()):
                continue
        parts = [written] if _THOUSANDS.fullmatch(written) else written.split(",")
        offset = start
        for part in parts:
            try:
                value = Decimal(part.replace(",", "").replace("_", ""))
            except InvalidOperation:  # pragma: no cover - the pattern only matches digits
                continue
            found.append((offset, part, value))
            offset += len(part) + 1
    return found


def digits(written: str) -> int:
    return sum(c.isdigit() for c in written)


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in ``text`` (code or output), as values."""
    return {value for _, _, value in _values(text, names_too=True)}  # Decimal(100) == Decimal('1E+2')


# ----------------------------------------------------------------------------------------------
# Prose


def _strip_front_matter(text: str) -> str:
    match = _FRONT_MATTER.match(text)
    if not match:
        return text
    return "\n" * match[0].count("\n") + text[match.end() :]


def _mask_prose_values(text: str) -> str:
    """Replace each {{ ... }} with spaces: generated values and marked years are not typed."""
    from doctools.extensions.prose_values import PLACEHOLDER

    return PLACEHOLDER.sub(lambda m: " " * len(m[0]), text)


@cache
def _parser() -> SiteMarkdown:
    return SiteMarkdown()


def prose_numbers(path: Path, text: str | None = None) -> list[Number]:
    """Every number of two or more digits in the prose of a page, with its line."""
    text = Path(path).read_text("utf8") if text is None else text
    text = _mask_prose_values(_strip_front_matter(text))
    found: list[Number] = []
    containers: list[bool] = []  # for each open admonition: is it a marked quotation?
    for token in _parser().parse(text):
        if token.type == "admonition_open":
            containers.append(token.info.strip().split()[:1] == [QUOTE_TYPE])
        elif token.type == "admonition_close":
            containers.pop()
        if any(containers):
            continue
        if token.type == "inline" and token.map:
            line = token.map[0] + 1
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type in ("text", "code_inline"):
                    found += _numbers_of(child.content, line)
        elif token.type == "html_block" and token.map:
            found += _html_numbers(token.content, token.map[0] + 1)
    return [number for number in found if digits(number.text) >= 2]


_PERCENT = re.compile(r"\s?%")


def _numbers_of(content: str, line: int) -> list[Number]:
    return [
        Number(line, written, value, bool(_PERCENT.match(content, offset + len(written))))
        for offset, written, value in _values(content, names_too=False)
    ]


def _html_numbers(content: str, first_line: int) -> list[Number]:
    """Numbers in the words of an HTML block (a figure's caption), not in its tags or includes."""
    found = []
    for offset, raw in enumerate(content.split("\n")):
        if _INCLUDE.match(raw):
            continue
        words = _TAG.sub(" ", _COMMENT.sub(" ", raw))
        found += _numbers_of(words, first_line + offset)
    return found


# ----------------------------------------------------------------------------------------------
# What the page's code, outputs and generated values hold


def _snippet_text(spec: str) -> str:
    file, _ = split_spec(spec)
    path = ROOT / file
    return path.read_text("utf8") if path.exists() and path.suffix == ".py" else ""


def generated_text(text: str) -> str:
    """The Markdown the build generates for the page: its tables and formulas, and its prose values."""
    from doctools.extensions import conv_tables, prose_values

    parts = [conv_tables.render(m["name"], m["kind"]) for m in _MARKER.finditer(text)]
    parts += [prose_values.render_placeholder(m) for m in prose_values.PLACEHOLDER.finditer(text)]
    for line in text.split("\n"):
        if match := prose_values.EXERCISES_MARKER.match(line):
            parts += prose_values.render_exercises(match["name"])
    return "\n".join(parts)


def allowed_numbers(path: Path, text: str | None = None) -> set[Decimal]:
    """The numbers of a page's python fences, included snippets, outputs and generated values."""
    from doctools.engine.fences import OUTPUT, PYTHON, read_fences

    path = Path(path)
    text = path.read_text("utf8") if text is None else text
    sources = []
    for fence in read_fences(path, text):
        if fence.lang == OUTPUT:
            sources.append(fence.content)
        elif fence.lang == PYTHON and not fence.options.get("notest"):
            sources.append(fence.content)
            sources += [_snippet_text(spec) for spec in _INCLUDE.findall(fence.content)]
    sources.append(generated_text(text))
    return numbers_in("\n".join(sources))


def check_page(path: Path, text: str | None = None) -> list[str]:
    """``file:line: ...`` for each number in the prose that the page's code does not account for."""
    path = Path(path)
    text = path.read_text("utf8") if text is None else text
    allowed = allowed_numbers(path, text)
    problems = []
    for number in prose_numbers(path, text):
        if number.value not in allowed and not (number.percent and number.value / 100 in allowed):
            problems.append(
                f"{path}:{number.line}: the number {number.text} in the prose appears nowhere in the page's "
                "code, outputs or generated values: compute it ({{ name }}, see doctools/content/prose_values.py), "
                "print it, or mark it ({{ year 2017 }}, {{ section 3.2 }}, or a !!! quote block for a quotation)"
            )
    return problems
