"""Run a snippet file once, section by section, keeping what each section printed.

Snippet files are plain Python scripts. Pages show their sections with pymdownx.snippets
(``--8<-- "snippets/file.py:section"``); the markers are the ones pymdownx reads
(``# --8<-- [start:section]`` ... ``# --8<-- [end:section]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pymdownx.snippets import SnippetPreprocessor

from .errors import DocsError
from .execution import Outcome, fresh_namespace, run_code

_MARKER = SnippetPreprocessor.RE_SNIPPET_SECTION
_SECTION_NAME = re.compile(r"(?i)[a-z][-_0-9a-z]*")


@dataclass
class Chunk:
    name: str | None  # None for code outside any section
    first_line: int
    lines: list[str] = field(default_factory=list)


@dataclass
class SnippetRun:
    path: Path
    outputs: dict[str, str]
    failure: DocsError | None
    namespace: dict


def split_spec(spec: str) -> tuple[str, str | None]:
    """``"snippets/a.py:model"`` -> ``("snippets/a.py", "model")``."""
    head, sep, tail = spec.rpartition(":")
    if sep and _SECTION_NAME.fullmatch(tail):
        return head, tail
    return spec, None


def read_chunks(path: Path) -> list[Chunk]:
    chunks = [Chunk(None, 1)]
    for number, line in enumerate(path.read_text("utf8").splitlines(), start=1):
        marker = _MARKER.match(line)
        if not marker:
            chunks[-1].lines.append(line)
            continue
        name, is_start = marker["name"], marker["type"].lower() == "start"
        current = chunks[-1].name
        if is_start and current is not None:
            raise DocsError(
                path,
                number,
                f"section '{name}' starts inside section '{current}': sections of a runnable snippet may not nest",
            )
        if not is_start and current != name:
            raise DocsError(path, number, f"section '{name}' ends here but was not started")
        if any(c.name == name for c in chunks) and is_start:
            raise DocsError(path, number, f"section '{name}' appears twice")
        chunks.append(Chunk(name if is_start else None, number + 1))
    if chunks[-1].name is not None:
        raise DocsError(path, chunks[-1].first_line - 1, f"section '{chunks[-1].name}' is never ended")
    return chunks


def section_names(path: Path) -> list[str]:
    return [c.name for c in read_chunks(path) if c.name]


def run_snippet(path: Path) -> SnippetRun:
    """Run every line of the file in one namespace, as ``python path`` would."""
    namespace = fresh_namespace(path)
    outputs: dict[str, str] = {}
    printed: list[str] = []
    for chunk in read_chunks(path):
        outcome: Outcome = run_code("\n".join(chunk.lines) + "\n", path, chunk.first_line, namespace)
        printed.append(outcome.stdout)
        if chunk.name:
            outputs[chunk.name] = outcome.stdout
        if outcome.error is not None:
            line = outcome.error_line or chunk.first_line
            message = f"running {path.name} failed:\n{outcome.error_text}"
            if outcome.stderr.strip():
                message += f"\nstderr:\n{outcome.stderr}"
            return SnippetRun(path, outputs, DocsError(path, line, message), namespace)
    outputs[""] = "".join(printed)
    return SnippetRun(path, outputs, None, namespace)
