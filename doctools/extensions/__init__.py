"""Python-Markdown extensions of the site (listed under markdown_extensions in mkdocs.yml)."""

from __future__ import annotations

import importlib
from pathlib import Path

_MTIMES: dict[tuple[str, ...], float] = {}


def reload_if_changed(*modules) -> None:
    """Reload the modules in place, in order, when one of their files changed since the last call.

    ``mkdocs serve`` rebuilds in the same process when a watched file changes; the extensions call
    this before rendering so that an edited formula module or page content is used at once.
    """
    key = tuple(module.__name__ for module in modules)
    mtime = max(Path(module.__file__).stat().st_mtime for module in modules)
    if _MTIMES.get(key, mtime) != mtime:
        for module in modules:
            importlib.reload(module)
    _MTIMES[key] = mtime
