"""Compare stored outputs with fresh ones, and rewrite the stored ones in place."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .fences import Block, Fence

# What may differ between two honest runs, replaced on both sides before comparing.
SANITIZERS = [
    (re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "0x<address>"),
    (re.compile(r"\b\d+(?:\.\d+)?(?:ms|s|us|µs)/(?:step|sample)\b"), "<time>/step"),
    (re.compile(r"(?<=━ )\d+(?:\.\d+)?(?:ms|s|us|µs)\b"), "<time>"),
    # A measured duration printed with a unit, e.g. "12.34 ms": the page shows the stored run.
    (re.compile(r"\b\d+(?:\.\d+)? (?:ns|us|µs|ms|s)\b"), "<duration>"),
]


def normalize(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def sanitize(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        for pattern, replacement in SANITIZERS:
            line = pattern.sub(replacement, line)
        out.append(line)
    return out


def same(stored: str, fresh: str) -> bool:
    return sanitize(normalize(stored)) == sanitize(normalize(fresh))


def first_difference(stored: str, fresh: str) -> int:
    """0-based index of the first stored line that a fresh run does not reproduce."""
    a, b = sanitize(normalize(stored)), sanitize(normalize(fresh))
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def unified_diff(stored: str, fresh: str, stored_name: str) -> str:
    return "\n".join(
        difflib.unified_diff(
            normalize(stored), normalize(fresh), fromfile=f"{stored_name} (stored)", tofile="fresh run", lineterm=""
        )
    )


@dataclass
class Rewrite:
    """Replace (or insert, or remove) the output fence of one block."""

    block: Block
    fresh: str
    backend: str | None = None  # rewrite this backend's own {.output backend="..."} fence

    @property
    def target(self) -> Fence | None:
        return self.block.outputs.get(self.backend) if self.backend else self.block.output

    def span(self) -> tuple[int, int]:
        """0-based [start, end) lines of the file that this rewrite replaces."""
        output = self.target
        if output is None:
            end = (self.block.last_fence if self.backend else self.block.fence).end_line
            return end, end
        return output.line - 2, output.end_line  # the blank line above the fence goes too

    def new_lines(self, lines: list[str]) -> list[str]:
        fresh = normalize(self.fresh)
        if not fresh:
            return []
        fence: Fence = self.target or self.block.fence
        indent = fence.indent
        markup = "```"
        while markup in self.fresh:
            markup += "`"
        opening = f"{indent}{markup}output"
        if self.backend:
            opening = f'{indent}{markup}{{.output backend="{self.backend}"}}'
        if self.target is not None:
            original = lines[self.target.line - 1].strip()
            opening = f"{indent}{markup}{original.lstrip('`')}"
        body = [f"{indent}{line}" if line else "" for line in fresh]
        return ["", opening, *body, f"{indent}{markup}"]


def apply_rewrites(path: Path, rewrites: list[Rewrite]) -> bool:
    """Rewrite ``path``; return whether anything changed."""
    text = path.read_text("utf8")
    lines = text.split("\n")
    for rewrite in sorted(rewrites, key=lambda r: r.span()[0], reverse=True):
        start, end = rewrite.span()
        if rewrite.target is not None and start >= 0 and lines[start].strip():
            start += 1  # no blank line above the fence: keep the line that is there
            lines[start:end] = rewrite.new_lines(lines)[1:]
        else:
            lines[start:end] = rewrite.new_lines(lines)
    new_text = "\n".join(lines)
    if new_text != text:
        path.write_text(new_text, "utf8")
        return True
    return False
