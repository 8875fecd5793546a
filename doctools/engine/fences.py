"""Read a Markdown page into its code fences, and check that each fence says what it is.

The parser is markdown-it with the admonition plugin. Material's content tabs (``=== "Title"``)
nest exactly like admonitions, so the tab marker is respelt as an admonition marker of the same
width before parsing: lines and columns stay where they were, and fences inside tabs, admonitions
and collapsible blocks are found like any other.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from pymdownx.snippets import SnippetPreprocessor

from doctools import backends as backend_names

from .errors import DocsError

_TAB_MARKER = re.compile(r"^([ \t]*)===(\+?)(?=[ \t])", re.MULTILINE)
_INCLUDE_LINE = SnippetPreprocessor.RE_ALL_SNIPPETS

PYTHON = "python"
OUTPUT = "output"
# Languages a fence may name. A python fence is run; an output fence holds the output of the
# python fence just above it; every other language is shown as it is.
SHOWN_LANGUAGES = {
    "text",
    "console",
    "bash",
    "shell",
    "json",
    "yaml",
    "toml",
    "markdown",
    "html",
    "css",
    "javascript",
    "ini",
    "diff",
    "svg",
    "xml",
}
PYTHON_SPELLINGS = {"py", "python3", "pycon", "ipython", "Python", "py3"}
OPTIONS = {
    PYTHON: {"continuation", "notest", "reason", "title", "hl_lines", "linenums"},
    OUTPUT: {"title", "backend"},
}
SHOWN_OPTIONS = {"title", "hl_lines", "linenums"}
FLAGS = {"continuation", "notest"}


class SiteMarkdown(MarkdownIt):
    """CommonMark plus the containers the site uses, with lines numbered as in the file."""

    def __init__(self) -> None:
        super().__init__("commonmark")
        admon_plugin(self)

    def parse(self, src: str, env=None):
        respelt = _TAB_MARKER.sub(lambda m: m[1] + ("???+" if m[2] else "!!!"), src)
        return super().parse(respelt, env)


@dataclass
class Fence:
    path: Path
    line: int  # 1-based line of the opening fence
    end_line: int  # 1-based line of the closing fence
    lang: str
    options: dict
    content: str
    indent: str
    markup: str

    @property
    def code_line(self) -> int:
        return self.line + 1


@dataclass
class Block:
    """A python fence: run as code, or included from a snippet file, or shown untested."""

    fence: Fence
    kind: str  # "code", "include" or "untested"
    continuation: bool = False
    includes: list[str] = field(default_factory=list)
    output: Fence | None = None  # the reference (TensorFlow) output
    outputs: dict[str, Fence] = field(default_factory=dict)  # {backend: its own output fence}
    chain_start: Block | None = None

    @property
    def line(self) -> int:
        return self.fence.line

    @property
    def path(self) -> Path:
        return self.fence.path

    def output_for(self, backend: str) -> Fence | None:
        """The stored output of ``backend``: its own fence, else the reference one."""
        return self.outputs.get(backend, self.output)

    @property
    def last_fence(self) -> Fence:
        return max([self.fence, *([self.output] if self.output else []), *self.outputs.values()], key=lambda f: f.line)


@dataclass
class Page:
    path: Path
    text: str
    blocks: list[Block]
    problems: list[DocsError]
    backends: tuple[str, ...] | None = None  # front matter `backends:`; None: every backend

    def block_at(self, line: int) -> Block:
        for block in self.blocks:
            if block.line == line:
                return block
        raise KeyError(f"{self.path}: no python fence at line {line}")

    def chain(self, block: Block) -> list[Block]:
        """The blocks that share a namespace with ``block``, in page order."""
        return [b for b in self.blocks if b.kind == "code" and b.chain_start is block.chain_start]


def parse_info(info: str) -> tuple[str, dict]:
    """Split a fence's info string into its language and options (superfences syntax)."""
    info = info.strip()
    braced = info.startswith("{") and info.endswith("}")
    words = shlex.split(info[1:-1] if braced else info)
    lang = ""
    options: dict = {}
    for word in words:
        if braced and word.startswith(".") and not lang:
            lang = word[1:]
        elif not braced and not lang and "=" not in word:
            lang = word
        elif "=" in word:
            key, _, value = word.partition("=")
            options[key] = value
        else:
            options[word] = True
    return lang, options


@cache
def _parser() -> SiteMarkdown:
    return SiteMarkdown()


def read_fences(path: Path, text: str) -> list[Fence]:
    lines = text.splitlines()
    fences = []
    for token in _parser().parse(text):
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        opening = lines[start]
        lang, options = parse_info(token.info)
        fences.append(
            Fence(
                path=path,
                line=start + 1,
                end_line=end,
                lang=lang,
                options=options,
                content=token.content,
                indent=opening[: len(opening) - len(opening.lstrip())],
                markup=token.markup,
            )
        )
    return fences


def _only_blank_between(lines: list[str], first: Fence, second: Fence) -> bool:
    return all(not line.strip() for line in lines[first.end_line : second.line - 1])


def _check_fence(fence: Fence) -> str | None:
    """Return what is wrong with a fence's language or options, or None."""
    lang = fence.lang
    if not lang:
        return (
            "this fence names no language: use ```python for code to run, "
            "```output for its output, ```text for plain text"
        )
    if lang in PYTHON_SPELLINGS:
        return f"write the language as 'python', not '{lang}': other spellings are not run"
    if lang not in OPTIONS and lang not in SHOWN_LANGUAGES:
        known = ", ".join(sorted({PYTHON, OUTPUT, *SHOWN_LANGUAGES}))
        return f"unknown fence language '{lang}' (known: {known})"
    allowed = OPTIONS.get(lang, SHOWN_OPTIONS)
    for key, value in fence.options.items():
        if key not in allowed:
            return f"unknown option '{key}' on a {lang} fence (allowed: {', '.join(sorted(allowed))})"
        if (key in FLAGS) != (value is True):
            return f"option '{key}' " + ("takes no value" if key in FLAGS else 'needs a value, as key="..."')
    if fence.options.get("notest") and not str(fence.options.get("reason", "")).strip():
        return 'an untested fence must say why: {.python notest reason="..."}'
    if "reason" in fence.options and not fence.options.get("notest"):
        return "'reason' only goes with 'notest'"
    backend = fence.options.get("backend")
    if backend is not None and backend not in backend_names.BACKENDS[1:]:
        others = ", ".join(backend_names.BACKENDS[1:])
        return (
            f"unknown backend '{backend}' on an output fence (one of: {others}; "
            "the plain ```output fence holds TensorFlow's output)"
        )
    return None


def _classify(fence: Fence) -> tuple[str, list[str]] | str:
    """Return (kind, included snippet specs) for a python fence, or a problem."""
    if fence.options.get("notest"):
        return "untested", []
    lines = [line for line in fence.content.splitlines() if line.strip()]
    includes = [m for m in map(_INCLUDE_LINE.match, lines) if m]
    if not includes:
        return "code", []
    if len(includes) != len(lines):
        return "a fence that includes a snippet (--8<--) may hold nothing but include lines"
    if fence.options.get("continuation"):
        return "an included snippet runs in its own namespace: remove 'continuation'"
    specs = []
    for match in includes:
        if not match["snippet"]:
            return 'use the one-line form --8<-- "snippets/file.py:section"'
        specs.append(match["snippet"][1:-1])
    return "include", specs


def parse_page(path: Path, text: str | None = None) -> Page:
    path = Path(path)
    text = path.read_text("utf8") if text is None else text
    lines = text.splitlines()
    blocks: list[Block] = []
    problems: list[DocsError] = []
    previous: Fence | None = None
    previous_block: Block | None = None
    chain_start: Block | None = None
    for fence in read_fences(path, text):
        problem = _check_fence(fence)
        if problem:
            problems.append(DocsError(path, fence.line, problem))
        elif fence.lang == PYTHON:
            kind = _classify(fence)
            if isinstance(kind, str):
                problems.append(DocsError(path, fence.line, kind))
            else:
                block = Block(fence, kind[0], bool(fence.options.get("continuation")), kind[1])
                if block.kind == "code":
                    if not block.continuation:
                        chain_start = block
                    elif chain_start is None:
                        problems.append(
                            DocsError(
                                path,
                                fence.line,
                                "'continuation' on the first python fence of the page: there is nothing to continue",
                            )
                        )
                        chain_start = block
                    block.chain_start = chain_start
                blocks.append(block)
                previous_block = block
        elif fence.lang == OUTPUT and "backend" in fence.options:
            backend = fence.options["backend"]
            owner = previous_block if previous_block and previous is not None else None
            if owner is None or previous is not owner.last_fence or not _only_blank_between(lines, previous, fence):
                problems.append(
                    DocsError(
                        path,
                        fence.line,
                        f'an {{.output backend="{backend}"}} fence must come right after the python fence '
                        "or the output fences of the block whose output it shows",
                    )
                )
            elif owner.kind == "untested":
                problems.append(DocsError(path, fence.line, "this output belongs to an untested fence"))
            elif backend in owner.outputs:
                problems.append(DocsError(path, fence.line, f"a second output fence for backend '{backend}'"))
            else:
                owner.outputs[backend] = fence
        elif fence.lang == OUTPUT:
            if not (
                previous
                and previous_block
                and previous.lang == PYTHON
                and previous_block.fence is previous
                and _only_blank_between(lines, previous, fence)
            ):
                problems.append(
                    DocsError(
                        path, fence.line, "an output fence must come right after the python fence whose output it shows"
                    )
                )
            elif previous_block.kind == "untested":
                problems.append(
                    DocsError(
                        path,
                        fence.line,
                        "this output belongs to an untested fence, so nothing can check it: "
                        "run the fence or drop the output",
                    )
                )
            else:
                previous_block.output = fence
        previous = fence
    page_backends = _page_backends(path, text, lines, blocks, problems)
    return Page(path, text, blocks, problems, page_backends)


_ADMONITION = re.compile(r'^[ \t]*!!![ \t]+(\w+)(?:[ \t]+"([^"]*)")?')


def _page_backends(
    path: Path, text: str, lines: list[str], blocks: list[Block], problems: list[DocsError]
) -> tuple[str, ...] | None:
    """The page's front matter ``backends:``, checked against its ``Backend: ... only`` admonition."""
    try:
        names, line = backend_names.front_matter_backends(text)
    except ValueError as error:
        problems.append(DocsError(path, *error.args))
        return None
    first = min((b.line for b in blocks), default=len(lines) + 1)
    found = None
    for number, row in enumerate(lines[: first - 1], start=1):
        match = _ADMONITION.match(row)
        if match and (match[2] or "").startswith("Backend:"):
            found = (number, match[1], match[2])
            break
    if names is None:
        if found:
            problems.append(
                DocsError(path, found[0], f"a '{found[2]}' admonition, but no 'backends:' in the front matter")
            )
        return None
    wanted = backend_names.admonition_title(names)
    if found is None:
        problems.append(
            DocsError(
                path,
                line,
                f"this page runs on {', '.join(names)} only: say so to readers, before its first python fence, "
                f'with an admonition !!! info "{wanted}" whose body gives the reason',
            )
        )
    elif found[1] != "info" or found[2] != wanted:
        problems.append(
            DocsError(path, found[0], f'the admonition disagrees with the front matter: write !!! info "{wanted}"')
        )
    elif not any(row.strip() for row in lines[found[0] : found[0] + 2] if row.startswith((" ", "\t"))):
        problems.append(DocsError(path, found[0], "the backend admonition must give the reason in its body"))
    return names
