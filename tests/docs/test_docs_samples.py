"""Run every Python sample of docs/*.md and README.md against the simulator.

Each page gets a fresh FakePanel served on 127.0.0.1 (see `_simulator`). The page's
samples run in page order:

- a program (a block that calls `asyncio.run(`) runs as `__main__` in a namespace of
  its own;
- a snippet runs in a namespace shared by the page's snippets, on one event loop,
  with top-level `await` allowed, as in the `python -m asyncio` REPL. The clients
  that the snippets leave open are closed after the page;
- `file:` blocks are written to a scratch project, where pytest runs when the page
  has test files.

Before a sample runs, the illustrative URL in its code becomes the simulator's URL,
and PANEL_URL and PANEL_KEY point at the simulator. Tracebacks name the page and the
line of the sample.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import logging
import re
import subprocess
import sys
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Any

import pytest

from panel_async import PanelClient
from panel_async.testing import ManualClock

from ._markdown import Sample, SampleKind, read_samples
from ._simulator import (
    DOCS_KEY,
    ILLUSTRATIVE_URL,
    docs_panel,
    loopback_only,
    served_in_thread,
    virtual_sleep,
)

ROOT = Path(__file__).resolve().parents[2]
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
SAMPLES = {page: read_samples(page) for page in PAGES}
RUN_KINDS = frozenset({SampleKind.PROGRAM, SampleKind.SNIPPET, SampleKind.FILE})
RUN_PAGES = [page for page in PAGES if any(s.kind in RUN_KINDS for s in SAMPLES[page])]

# Pages that teach with code; each must keep samples that run.
GUIDES_WITH_CODE = (
    "README.md",
    "index.md",
    "quickstart.md",
    "orders.md",
    "bulk.md",
    "errors.md",
    "testing.md",
)

# Skipped samples hide mistakes, so their number is capped.
MAX_SKIPPED = 3

_PYTEST_TIMEOUT = 300


class PageRunner:
    """Runs one page's samples against the simulator at `url`."""

    def __init__(self, url: str, project: Path) -> None:
        self.url = url
        self.project = project
        self.test_files: list[Path] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._namespace: dict[str, Any] = {}

    def run(self, sample: Sample) -> None:
        """Run, write or skip `sample` according to its kind."""
        if sample.kind is SampleKind.PROGRAM:
            namespace: dict[str, Any] = {"__name__": "__main__"}
            exec(self._compile(sample), namespace)
        elif sample.kind is SampleKind.SNIPPET:
            self._run_snippet(sample)
        elif sample.kind is SampleKind.FILE:
            self._write_file(sample)

    def close(self) -> None:
        """Close the clients the snippets left open, then their event loop."""
        if self._loop is None:
            return
        for value in list(self._namespace.values()):
            if isinstance(value, PanelClient):
                self._loop.run_until_complete(value.aclose())
        self._loop.close()

    def _compile(self, sample: Sample) -> Any:
        source = sample.padded_code().replace(ILLUSTRATIVE_URL, self.url)
        assert "panel.example" not in source, (
            f"{sample.label} names panel.example in a form the test cannot replace; "
            f"write the URL as {ILLUSTRATIVE_URL}"
        )
        return compile(
            source, str(sample.page), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )

    def _run_snippet(self, sample: Sample) -> None:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._namespace = {"__name__": "__docs__"}
        code = self._compile(sample)
        result = eval(code, self._namespace)  # a coroutine when the code awaits
        if inspect.iscoroutine(result):
            self._loop.run_until_complete(_awaited(result))

    def _write_file(self, sample: Sample) -> None:
        path = self.project / sample.argument
        assert path.resolve().is_relative_to(self.project.resolve()), sample.label
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sample.code, encoding="utf-8")
        if path.suffix == ".py" and path.name.startswith("test_"):
            self.test_files.append(path)


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """Undo the logging set-up that samples do: root handlers and logger levels."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in _logger_names()}
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        for name in _logger_names():
            logging.getLogger(name).setLevel(levels.get(name, logging.NOTSET))


def _logger_names() -> list[str]:
    """Return the names of every logger created so far, the root's ("") included."""
    registry = logging.Logger.manager.loggerDict
    names = [
        name for name, item in registry.items() if isinstance(item, logging.Logger)
    ]
    return ["", *names]


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def _run_pytest(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # Warnings are errors, as in this project's own test run.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=_PYTEST_TIMEOUT,
        check=False,
    )


@pytest.mark.parametrize("page", RUN_PAGES, ids=lambda page: page.name)
def test_page_samples_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every sample of the page runs against the simulator without an error."""
    clock = ManualClock()
    project = tmp_path / "project"
    project.mkdir()
    with served_in_thread(docs_panel(clock)) as url, _logging_restored():
        monkeypatch.setenv("PANEL_URL", url)
        monkeypatch.setenv("PANEL_KEY", DOCS_KEY)
        # Samples that write files write them here, not in the repository.
        monkeypatch.chdir(tmp_path)
        loopback_only(monkeypatch)
        virtual_sleep(monkeypatch, clock)
        runner = PageRunner(url, project)
        try:
            for sample in SAMPLES[page]:
                runner.run(sample)
        finally:
            runner.close()

    if runner.test_files:
        completed = _run_pytest(project)
        report = completed.stdout + completed.stderr
        assert completed.returncode == 0, report
        assert re.search(r"\b[1-9]\d* passed\b", completed.stdout), report
        assert " skipped" not in completed.stdout, report


def test_guides_keep_runnable_samples() -> None:
    """Each guide that teaches with code has samples that the test runs."""
    run_pages = {page.name for page in RUN_PAGES}

    missing = [name for name in GUIDES_WITH_CODE if name not in run_pages]

    assert missing == [], f"no runnable samples found in {missing}"


def test_skipped_samples_are_few() -> None:
    """At most MAX_SKIPPED Python samples are marked no-test, each with a reason."""
    skipped = [
        f"{sample.label} ({sample.argument})"
        for samples in SAMPLES.values()
        for sample in samples
        if sample.kind is SampleKind.SKIPPED
    ]

    assert len(skipped) <= MAX_SKIPPED, skipped
