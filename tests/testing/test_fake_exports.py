"""The public surface of panel_async.testing and what it imports."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import panel_async.testing

PACKAGE_DIR = pathlib.Path(panel_async.testing.__file__).parent

# The only modules of the library that the simulator may share: it must stay an
# independent reading of the protocol, apart from constants and status words.
ALLOWED_LIBRARY_MODULES = {"panel_async._constants", "panel_async._states"}


def isort_key(name: str) -> tuple[int, str]:
    """Order constants first, then classes, then functions, as ruff sorts `__all__`."""
    if name.isupper():
        return 0, name
    if name[0].isupper():
        return 1, name

    return 2, name


def imported_modules(path: pathlib.Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            modules.add(node.module)

    return modules


def test_exports_are_sorted() -> None:
    names = panel_async.testing.__all__

    assert list(names) == sorted(names, key=isort_key)


def test_exports_exist() -> None:
    missing = [
        n for n in panel_async.testing.__all__ if not hasattr(panel_async.testing, n)
    ]

    assert missing == []


def test_simulator_imports_no_client_module() -> None:
    forbidden = {
        f"{path.name}: {module}"
        for path in PACKAGE_DIR.glob("*.py")
        for module in imported_modules(path)
        if (module == "panel_async" or module.startswith("panel_async."))
        and not module.startswith("panel_async.testing")
        and module not in ALLOWED_LIBRARY_MODULES
    }

    assert forbidden == set()


def test_import_does_not_load_uvicorn() -> None:
    code = "import sys, panel_async.testing; print('uvicorn' in sys.modules)"

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"
