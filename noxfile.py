"""Development tasks: `nox -s tests`, `nox -s lint`, `nox -s docs`, `nox -s bench`."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = None  # the interpreter nox runs with; CI machines have one Python
TEST_DEPS = [
    "pytest>=8",
    "pytest-asyncio>=0.24",
    "respx>=0.21",
    "hypothesis>=6.100",
    # The examples' smoke tests import the frameworks the examples are written for.
    "aiogram>=3.4",
    "fastapi>=0.100",
    # tests/typing runs mypy on typical user code.
    "mypy>=1.10",
]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite, the simulator over loopback HTTP included."""
    session.install("-e", ".[cli]", *TEST_DEPS)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check formatting and lint with ruff, and types with mypy --strict."""
    session.install("-e", ".[cli]", *TEST_DEPS, "ruff", "nox")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run(
        "mypy", "--strict", "panel_async", "tests", "examples", "bench", "noxfile.py"
    )


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
def package(session: nox.Session) -> None:
    """Build the sdist and wheel, check them with twine, and import the bare wheel."""
    session.install("build", "twine")
    session.run("rm", "-rf", "dist", external=True)
    session.run("python", "-m", "build", "--outdir", "dist")
    session.run("twine", "check", "--strict", *_dist_files())
    wheel = next(path for path in _dist_files() if path.endswith(".whl"))
    session.install("--force-reinstall", wheel)
    session.run("python", "-c", IMPORT_CHECK)


IMPORT_CHECK = """
import sys
import panel_async
import panel_async.testing
assert panel_async.__version__
for name in ("uvicorn", "rich", "respx", "pytest"):
    assert name not in sys.modules, name + " was imported by the library"
"""


def _dist_files() -> list[str]:
    import glob

    return sorted(glob.glob("dist/*"))


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Run the benchmarks against the simulator and write docs/benchmarks.md."""
    session.install("-e", ".[cli,speedups]")
    session.run("python", "bench/run.py", *session.posargs)
