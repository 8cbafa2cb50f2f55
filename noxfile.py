"""Development tasks: `nox -s tests`, `nox -s lint`, `nox -s docs`, `nox -s bench`."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = None  # the interpreter nox runs with; CI machines have one Python
TEST_DEPS = ["pytest>=8", "pytest-asyncio>=0.24", "respx>=0.21", "hypothesis>=6.100"]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite, the simulator over loopback HTTP included."""
    session.install("-e", ".[cli]", *TEST_DEPS)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check formatting and lint with ruff, and types with mypy --strict."""
    session.install("-e", ".[cli]", *TEST_DEPS, "ruff", "mypy")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "--strict", "panel_async", "tests", "noxfile.py")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the documentation site with mkdocs --strict."""
    session.install(
        "-e",
        ".[cli]",
        "mkdocs>=1.6",
        "mkdocs-material>=9.5",
        "mkdocstrings[python]>=0.26",
    )
    session.run("mkdocs", "build", "--strict", "--site-dir", "build/site")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Run the benchmarks against the simulator and write docs/benchmarks.md."""
    session.install("-e", ".[cli]", "psutil")
    session.run("python", "bench/run.py", *session.posargs)
