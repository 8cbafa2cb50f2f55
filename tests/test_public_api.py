"""Tests of the package's public names and of what importing it pulls in."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import panel_async
from panel_async import (
    PanelClientClosedError,
    PanelError,
    PanelInputError,
)

# Modules that only the simulator, the command line or tests may import.
FORBIDDEN_MODULES = ("panel_async.testing", "uvicorn", "rich", "pytest", "hypothesis")


@pytest.mark.parametrize("name", panel_async.__all__)
def test_public_name_importable(name: str) -> None:
    assert hasattr(panel_async, name)
    namespace: dict[str, object] = {}
    exec(f"from panel_async import {name}", namespace)
    assert namespace[name] is getattr(panel_async, name)


def test_all_sorted_without_duplicates() -> None:
    assert panel_async.__all__ == sorted(panel_async.__all__)
    assert len(set(panel_async.__all__)) == len(panel_async.__all__)


def test_version_is_text() -> None:
    assert isinstance(panel_async.__version__, str)
    assert panel_async.__version__


@pytest.mark.parametrize(
    "name", [name for name in panel_async.__all__ if name.endswith("Error")]
)
def test_errors_in_hierarchy(name: str) -> None:
    error_class = getattr(panel_async, name)
    if error_class is PanelInputError:
        assert issubclass(error_class, ValueError)
    elif error_class is PanelClientClosedError:
        assert issubclass(error_class, RuntimeError)
    else:
        assert issubclass(error_class, PanelError)


def test_import_pulls_in_no_optional_modules() -> None:
    # A fresh interpreter, because this one has loaded pytest and the simulator. The
    # dependencies are imported first and their modules left out, because httpx
    # itself imports rich when its command-line extra is installed.
    script = (
        "import json, sys\n"
        "import attrs, cattrs, httpx, tenacity\n"
        "before = set(sys.modules)\n"
        "import panel_async\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    added = json.loads(completed.stdout)
    assert "panel_async._client" in added
    for module in FORBIDDEN_MODULES:
        found = [
            name for name in added if name == module or name.startswith(f"{module}.")
        ]
        assert not found, f"importing panel_async loads {found}"
