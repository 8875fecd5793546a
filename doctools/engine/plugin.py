"""The pytest plugin that runs the documentation.

pytest-markdown-docs collects every python fence of ``docs/**/*.md`` (with this package's parser,
which also sees fences inside content tabs and admonitions) and hands each one to ``PageRunner``.
The runner does not replay earlier blocks: it runs each chain of blocks that share a namespace
once, in page order, the first time any of its blocks is asked for, and then checks each block's
stored output against what it printed. Notebooks under ``docs/`` are executed and checked too.

``--update-outputs`` rewrites the stored outputs from the fresh run instead of failing. A snippet
may also draw figures: its ``FIGURES`` dict ({path: text, or (text, matches)}) is compared with
the stored files, and written by ``--update-outputs``.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytest_markdown_docs import plugin as markdown_docs

# pytest-markdown-docs 0.9.2 (its newest release) has no public way to replace the runner of every
# fence: register_runner lives in its private _runners module. The engine uses that one function,
# and a runner class of its own that only has the two methods the plugin calls (no private base
# class); pyproject.toml pins the version exactly so a release that moves it fails at the lock.
from pytest_markdown_docs._runners import register_runner

from doctools import backends

from . import notebooks
from .errors import DocsError
from .execution import Outcome, apply_quiet_environment, fresh_namespace, run_code
from .fences import Block, Page, SiteMarkdown, parse_page
from .includes import SnippetRun, run_snippet, section_names, split_spec
from .outputs import Rewrite, apply_rewrites, first_difference, normalize, same, unified_diff

UPDATE_HINT = "To store the fresh output instead, run: python scripts/dev.py update {path}"


class Engine:
    """Everything one test session knows about the docs: parsed pages, runs, pending rewrites."""

    def __init__(self, root: Path, update: bool):
        self.root = root
        self.docs = root / "docs"
        self.update = update
        self.pages: dict[Path, Page] = {}
        self.chains: dict[tuple[Path, int], dict[int, Outcome]] = {}
        self.blocked: dict[tuple[Path, int], int] = {}
        self.snippets: dict[Path, SnippetRun] = {}
        self.figures_checked: set[Path] = set()
        self.notebooks: dict[Path, notebooks.NotebookCheck] = {}
        self.rewrites: dict[Path, list[Rewrite]] = defaultdict(list)
        self.work = {"seconds": 0.0, "runs": 0}  # time spent running documentation code
        self.backend = backends.current()
        self.left: dict[str, list[str]] = {}  # {backend: ids of the items this run left for its run}

    @contextmanager
    def timed(self):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.work["seconds"] += time.perf_counter() - start
            self.work["runs"] += 1

    def relative(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def page(self, path: Path) -> Page:
        path = Path(path)
        if path not in self.pages:
            self.pages[path] = parse_page(path)
        return self.pages[path]

    def snippet(self, path: Path) -> SnippetRun:
        if path not in self.snippets:
            with self.timed():
                self.snippets[path] = run_snippet(path)
        return self.snippets[path]

    def notebook(self, path: Path) -> notebooks.NotebookCheck:
        if path not in self.notebooks:
            with self.timed():
                self.notebooks[path] = notebooks.execute(path)
        return self.notebooks[path]

    def group_of(self, block: Block) -> str:
        """Blocks that must run in one process share a group (pytest-xdist's loadgroup)."""
        if block.kind == "include":
            return self.relative(self.root / split_spec(block.includes[0])[0])
        return self.relative(block.path)

    # Running and checking one block

    def check_block(self, path: Path, line: int) -> None:
        page = self.page(path)
        block = page.block_at(line)
        if block.kind == "include":
            fresh = self._included_output(block)
        else:
            outcome = self._chain(page, block).get(block.line)
            if outcome is None:
                failed = self.blocked[(page.path, block.line)]
                pytest.skip(f"not run: the block it continues failed at {self.relative(path)}:{failed}")
            if outcome.error is not None:
                message = f"this block raised an error:\n{outcome.error_text}"
                if outcome.stderr.strip():
                    message += f"\nIt wrote to stderr:\n{outcome.stderr}"
                raise DocsError(path, outcome.error_line or block.fence.code_line, message)
            fresh = outcome.stdout
        self._compare(block, fresh)

    def _chain(self, page: Page, block: Block) -> dict[int, Outcome]:
        key = (page.path, block.chain_start.line)
        if key not in self.chains:
            results: dict[int, Outcome] = {}
            with self.timed():
                namespace = fresh_namespace(page.path)
                failed = None
                for member in page.chain(block):
                    if failed is not None:
                        self.blocked[(page.path, member.line)] = failed
                        continue
                    outcome = run_code(member.fence.content, page.path, member.fence.code_line, namespace)
                    results[member.line] = outcome
                    if outcome.error is not None:
                        failed = outcome.error_line or member.line
            self.chains[key] = results
        return self.chains[key]

    def _included_output(self, block: Block) -> str:
        printed = []
        where = (block.path, block.fence.code_line)
        for spec in block.includes:
            name, section = split_spec(spec)
            file = self.root / name
            if not file.is_file():
                raise DocsError(*where, f'--8<-- "{spec}" includes {name}, which does not exist')
            names = section_names(file)
            if section is not None and section not in names:
                raise DocsError(*where, f"{name} has no section '{section}' (it has: {', '.join(names) or 'none'})")
            run = self.snippet(file)
            if run.failure is not None:
                raise DocsError(*where, f"the included snippet failed at {run.failure}")
            self._check_figures(run, where)
            printed.append(run.outputs[section or ""])
        return "".join(printed)

    def _check_figures(self, run: SnippetRun, where: tuple[Path, int]) -> None:
        """A snippet's ``FIGURES`` ({path from the root: text}): written by update, else compared.

        Checked at the first block that includes the snippet, once per session.
        """
        if run.path in self.figures_checked:
            return
        self.figures_checked.add(run.path)
        for name, figure in (run.namespace.get("FIGURES") or {}).items():
            # A figure is its text, or (text, matches): matches(stored text) says whether the stored
            # figure shows the same data, for pictures of numbers that vary a little between machines.
            text, matches = figure if isinstance(figure, tuple) else (figure, figure.__eq__)
            target = self.root / name
            if target.is_file() and (matches(stored := target.read_text("utf8")) or stored == text):
                continue
            if self.update:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, "utf8")
                continue
            state = "differs from" if target.is_file() else "is missing, unlike"
            hint = UPDATE_HINT.format(path=self.relative(where[0]))
            message = f"the stored figure {name} {state} a fresh render by {self.relative(run.path)}\n{hint}"
            raise DocsError(*where, message)

    def _compare(self, block: Block, fresh: str) -> None:
        output = block.output_for(self.backend)
        stored = output.content if output else None
        if self.update and self.backend != backends.REFERENCE:
            # Another backend's run writes only its own fence: none where it prints what TensorFlow does.
            reference = block.output.content if block.output else ""
            own = block.outputs.get(self.backend)
            if same(reference, fresh):
                if own is not None:
                    self.rewrites[block.path].append(Rewrite(block, "", self.backend))
            elif own is None or not same(own.content, fresh):
                self.rewrites[block.path].append(Rewrite(block, fresh, self.backend))
            return
        if stored is None and not normalize(fresh):
            return
        if stored is not None and same(stored, fresh):
            return
        if self.update:
            self.rewrites[block.path].append(Rewrite(block, fresh))
            return
        hint = UPDATE_HINT.format(path=self.relative(block.path))
        if self.backend != backends.REFERENCE:
            hint += f" --backend {self.backend}"
        if stored is None:
            raise DocsError(
                block.path,
                block.fence.end_line,
                "this block prints output, but no ```output fence follows it to show readers what it prints.\n"
                f"It printed:\n{fresh}\n{hint}",
            )
        line = output.code_line + first_difference(stored, fresh)
        diff = unified_diff(stored, fresh, f"{self.relative(block.path)}:{output.code_line}")
        which = "stored output" if output is block.output else f"stored {self.backend} output"
        raise DocsError(
            block.path,
            line,
            f"{which} differs from a fresh run of the block at line {block.line} "
            f"on the {self.backend} backend:\n{diff}\n{hint}",
        )

    def write_updates(self) -> list[str]:
        changed = [self.relative(p) for p, rewrites in self.rewrites.items() if apply_rewrites(p, rewrites)]
        changed += [self.relative(p) for p, check in self.notebooks.items() if notebooks.rewrite(check)]
        return changed


ENGINE = pytest.StashKey[Engine]()
_ENGINES: list[Engine] = []


def current_engine() -> Engine:
    return _ENGINES[-1]


@register_runner(default=True)
class PageRunner:
    """pytest-markdown-docs' runner for every python fence: run once, then check the output."""

    def runtest(self, test, args, *, asyncio_runner=None):
        current_engine().check_block(Path(test.source_path), test.start_line)

    def repr_failure(self, test, excinfo, style=None):
        if isinstance(excinfo.value, DocsError):
            return str(excinfo.value)
        return str(excinfo.getrepr(style="short"))


class ProblemItem(pytest.Item):
    """A test that fails with a problem found while reading a page."""

    def __init__(self, *, error: DocsError, **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self):
        raise self.error

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, self.error.line - 1, self.name


class PageFile(markdown_docs.MarkdownTextFile):
    def collect(self):
        engine = current_engine()
        page = engine.page(self.path)
        for problem in page.problems:
            yield ProblemItem.from_parent(self, name=f"[line:{problem.line}][fence problem]", error=problem)
        runnable = {b.line: b for b in page.blocks if b.kind != "untested"}
        for item in super().collect():
            block = runnable.pop(item.start_line, None)
            if block is not None:
                item.add_marker(pytest.mark.xdist_group(engine.group_of(block)))
                if page.backends is not None:
                    item.add_marker(pytest.mark.backends(*page.backends))
                yield item
        for block in runnable.values():
            problem = DocsError(self.path, block.line, "pytest-markdown-docs did not collect this python fence")
            yield ProblemItem.from_parent(self, name=f"[line:{block.line}][not collected]", error=problem)


class NotebookFailure(Exception):
    """Every problem found in one notebook, each with its file:line."""


class NotebookItem(pytest.Item):
    def runtest(self):
        engine = current_engine()
        check = engine.notebook(self.path)
        problems = check.problems + ([] if engine.update else check.stale)
        if problems:
            hint = UPDATE_HINT.format(path=engine.relative(self.path))
            raise NotebookFailure("\n\n".join(map(str, problems)) + f"\n{hint}")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, NotebookFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, 0, self.name


class NotebookFile(pytest.File):
    def collect(self):
        item = NotebookItem.from_parent(self, name="[notebook]")
        item.add_marker(pytest.mark.xdist_group(current_engine().relative(self.path)))
        yield item


def pytest_addoption(parser):
    group = parser.getgroup("docs", "Keras Conv Guide documentation engine")
    group.addoption(
        "--update-outputs",
        action="store_true",
        default=False,
        help="rewrite the stored outputs of pages and notebooks from a fresh run instead of failing",
    )


def pytest_configure(config):
    config.option.markdowndocs_syntax = "superfences"
    update = config.getoption("update_outputs")
    if update and (config.getoption("numprocesses", None) or 0):
        raise pytest.UsageError("--update-outputs rewrites files, so it runs in one process: add -n 0")
    apply_quiet_environment()
    engine = Engine(Path(config.rootpath), update)
    config.stash[ENGINE] = engine
    _ENGINES.append(engine)


def pytest_unconfigure(config):
    engine = config.stash.get(ENGINE, None)
    if engine in _ENGINES:
        _ENGINES.remove(engine)


def item_backends(item) -> tuple[str, ...] | None:
    """The backends an item runs on (its nearest ``backends`` marker), or None for every backend."""
    marker = item.get_closest_marker("backends")
    if marker is None:
        return None
    try:
        return backends.parse_names(", ".join(marker.args))
    except ValueError as error:
        raise pytest.UsageError(f"{item.nodeid}: pytest.mark.backends {error}") from None


def pytest_collection_modifyitems(session, config, items):
    """Deselect what runs on other backends only, and remember it for the summary."""
    engine = config.stash[ENGINE]
    kept, left = [], []
    for item in items:
        names = item_backends(item)
        if names is None or engine.backend in names:
            kept.append(item)
            continue
        left.append(item)
        engine.left.setdefault(names[0], []).append(item.nodeid)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def left_lines(left: dict[str, list[str]], ran: set[str]) -> list[str]:
    """One line per backend this invocation did not run: how much it left there, and how to run it."""
    return [
        f"left for the {name} run: {len(set(ids))} blocks/tests; run them with: {backends.command(name)}"
        for name, ids in sorted(left.items())
        if ids and name not in ran
    ]


def pytest_collect_file(file_path: Path, parent):
    engine = parent.config.stash[ENGINE]
    if engine.docs not in file_path.parents:
        return None
    if file_path.suffix == ".md":
        return PageFile.from_parent(parent, path=file_path)
    if file_path.suffix == ".ipynb":
        return NotebookFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    return SiteMarkdown()


def pytest_sessionfinish(session):
    engine = session.config.stash.get(ENGINE, None)
    if engine is None:
        return
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker reports to the controller
        session.config.workeroutput["docs_work"] = engine.work
        session.config.workeroutput["docs_left"] = engine.left
    if not engine.update:
        return
    changed = engine.write_updates()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        summary = ", ".join(changed) if changed else "nothing to change"
        reporter.write_line(f"stored outputs rewritten: {summary}")


def pytest_testnodedown(node, error):
    """Add up the documentation work of the pytest-xdist workers."""
    work = getattr(node, "workeroutput", {}).get("docs_work")
    engine = node.config.stash.get(ENGINE, None)
    if work and engine is not None:
        engine.work["seconds"] += work["seconds"]
        engine.work["runs"] += work["runs"]
    left = getattr(node, "workeroutput", {}).get("docs_left")
    if left and engine is not None:  # every worker collects the same items: keep each id once
        for name, ids in left.items():
            engine.left[name] = sorted({*engine.left.get(name, []), *ids})


def pytest_terminal_summary(terminalreporter, config):
    engine = config.stash.get(ENGINE, None)
    if engine is not None:
        # scripts/dev.py runs several backends in one `test` and prints the leftovers of all of them once.
        report = os.environ.get("DOCS_LEFT_FILE")
        if report:
            Path(report).write_text(json.dumps(engine.left), "utf8")
        else:
            for line in left_lines(engine.left, {engine.backend}):
                terminalreporter.write_line(line)
    if engine is not None and engine.work["runs"]:
        seconds, runs = engine.work["seconds"], engine.work["runs"]
        terminalreporter.write_line(
            f"documentation code: {seconds:.1f} s of work in {runs} runs (page chains, snippets, notebooks)"
        )


@pytest.fixture(scope="session")
def docs_engine(request) -> Engine:
    """The session's documentation engine, for tests that run snippets or read pages."""
    return request.config.stash[ENGINE]
