"""Values written as Python source, the way pages and the calculator show them.

``py`` is the Python twin of ``py`` in docs/javascripts/conv-calculator.mjs;
tests/calculator/test_node.py runs both on the same values and compares.
"""

from __future__ import annotations


def py(value) -> str:
    """None, True, "same", (3, 3), (2,): a config value as Python writes it (lists as tuples)."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        items = [py(item) for item in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    return repr(value)
