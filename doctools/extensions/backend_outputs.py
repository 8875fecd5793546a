"""Per-backend outputs as content tabs: ```output then ```{.output backend="jax"} -> "TensorFlow" / "JAX".

A block whose output differs between Keras backends stores TensorFlow's output in its ```output
fence and each other backend's in a ```{.output backend="NAME"} fence right after it (checked by
doctools.engine; written by ``python scripts/dev.py update --backend NAME``). Readers see one
content tab per backend (pymdownx.tabbed), so the difference is shown, never hidden. This is a
preprocessor, so MkDocs and Zensical render it alike.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

from doctools.backends import NAMES

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})(?P<info>[^`]*)$")
_BACKEND = re.compile(r'^\{\s*\.output\b[^}]*\bbackend="(?P<name>[a-z]+)"[^}]*\}\s*$')


def _fence_at(lines: list[str], start: int) -> tuple[str, str, str, int] | None:
    """(indent, fence, info, index of the closing line) of a fence opening at ``start``."""
    match = _OPEN.match(lines[start])
    if not match:
        return None
    closing = match["indent"] + match["fence"]
    for end in range(start + 1, len(lines)):
        if lines[end].rstrip() == closing:
            return match["indent"], match["fence"], match["info"].strip(), end
    return None


def _is_reference_output(info: str) -> bool:
    return (info == "output" or info.startswith(("output ", "{.output"))) and "backend=" not in info


def tab_outputs(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        fence = _fence_at(lines, i)
        if fence is None or not _is_reference_output(fence[2]):
            out.append(lines[i])
            i += 1
            continue
        indent, _, _, end = fence
        tabs = [("TensorFlow", lines[i : end + 1])]
        j = end + 1
        while True:
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            other = _fence_at(lines, k) if k < len(lines) else None
            backend = _BACKEND.match(other[2]) if other and other[0] == indent else None
            if backend is None:
                break
            body = lines[k + 1 : other[3]]
            tabs.append(
                (NAMES.get(backend["name"], backend["name"]), [f"{indent}{other[1]}output", *body, lines[other[3]]])
            )
            j = other[3] + 1
        if len(tabs) == 1:
            out.extend(lines[i : end + 1])
            i = end + 1
            continue
        for title, fence_lines in tabs:
            out += [f'{indent}=== "{title}"', ""]
            out += [f"    {line}" if line.strip() else "" for line in fence_lines]
            out.append("")
        i = j
    return out


class BackendOutputs(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return tab_outputs(lines)


class BackendOutputsExtension(Extension):
    def extendMarkdown(self, md):
        # After pymdownx.snippets (32), before superfences reads the fences (25).
        md.preprocessors.register(BackendOutputs(md), "backend_outputs", 30)


def makeExtension(**kwargs):
    return BackendOutputsExtension(**kwargs)
