"""Execute a notebook afresh and compare its stored outputs with the new ones, nbval-style."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from .errors import DocsError
from .execution import quiet_environment
from .outputs import first_difference, same, unified_diff

CELL_TIMEOUT = 300


def output_text(outputs: list) -> str:
    """What a reader sees of a cell's outputs, as text."""
    parts = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            parts.append(output.get("text", ""))
        elif kind in ("execute_result", "display_data"):
            parts.append(output.get("data", {}).get("text/plain", ""))
            if not parts[-1].endswith("\n"):
                parts[-1] += "\n"
        elif kind == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}\n")
    return "".join(parts)


def _line_of(raw: str, needle: str, start: int = 0) -> int | None:
    at = raw.find(needle, start)
    return None if at < 0 else raw.count("\n", 0, at) + 1


def cell_line(raw: str, cell) -> int:
    """The line of the notebook file where ``cell`` begins (found by its id)."""
    return _line_of(raw, f'"id": "{cell.get("id")}"') or 1


def stored_line(raw: str, cell, stored: str, index: int) -> int:
    """The file line of the ``index``-th line of the cell's stored output."""
    begin = cell_line(raw, cell)
    lines = stored.split("\n")
    if index < len(lines) and lines[index].strip():
        needle = json.dumps(lines[index].strip())[1:-1]
        offset = len("\n".join(raw.split("\n")[: begin - 1]))
        found = _line_of(raw, needle, offset)
        if found:
            return found
    return begin


@dataclass
class NotebookCheck:
    path: Path
    stored: nbformat.NotebookNode
    fresh: nbformat.NotebookNode
    problems: list[DocsError]
    stale: list[DocsError]


def execute(path: Path) -> NotebookCheck:
    stored = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    raw = path.read_text("utf8")
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(
        fresh,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    problems: list[DocsError] = []
    stale: list[DocsError] = []
    try:
        client.execute(env=quiet_environment())
    except CellExecutionError as exc:
        failed = next(
            (
                i
                for i, c in enumerate(fresh.cells)
                if any(o.get("output_type") == "error" for o in c.get("outputs", []))
            ),
            None,
        )
        cell = fresh.cells[failed] if failed is not None else fresh.cells[0]
        problems.append(DocsError(path, cell_line(raw, cell), f"cell {failed} raised an error:\n{exc}"))
        return NotebookCheck(path, stored, fresh, problems, stale)
    for index, (old, new) in enumerate(zip(stored.cells, fresh.cells, strict=True)):
        if old.cell_type != "code":
            continue
        warnings = [o for o in new.outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        if warnings:
            problems.append(
                DocsError(
                    path, cell_line(raw, old), f"cell {index} wrote to stderr (a warning?):\n{warnings[0].get('text')}"
                )
            )
        before, after = output_text(old.outputs), output_text(new.outputs)
        if any(o.get("output_type") == "error" for o in old.outputs):
            problems.append(DocsError(path, cell_line(raw, old), f"cell {index} has a stored error output"))
        if not same(before, after):
            line = stored_line(raw, old, before, first_difference(before, after))
            diff = unified_diff(before, after, f"{path.name} cell {index}")
            stale.append(DocsError(path, line, f"stored output of cell {index} differs from a fresh run:\n{diff}"))
    return NotebookCheck(path, stored, fresh, problems, stale)


def rewrite(check: NotebookCheck) -> bool:
    """Store the fresh outputs; return whether the file changed."""
    if not check.stale or check.problems:
        return False
    for old, new in zip(check.stored.cells, check.fresh.cells, strict=True):
        if old.cell_type == "code":
            old.outputs = new.outputs
            old.execution_count = new.execution_count
    nbformat.write(check.stored, check.path)
    return True
