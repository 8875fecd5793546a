"""The one error type of the docs engine: a problem at a file and line."""

from pathlib import Path


class DocsError(Exception):
    """A contributor-facing problem, reported as ``path:line: message``."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.message = message

    def location(self) -> str:
        try:
            shown = self.path.resolve().relative_to(Path.cwd())
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"
