"""Type-check typical user code with mypy --strict, and check that misuse is caught."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
# Kept between runs outside the work tree, so that later runs take well under 1 s.
CACHE_DIR = Path(tempfile.gettempdir()) / "panel-async-typing-mypy-cache"

MISUSE = """
from decimal import Decimal
from panel_async import BatchResult, OrderStatus, PanelClient

async def misuse(panel: PanelClient) -> None:
    cancels: BatchResult[OrderStatus] = await panel.cancel([1])
    amount: float = (await panel.balance()).amount
    status = await panel.status(1)
    total: Decimal = status.charge + Decimal(1)
"""

# Each line of MISUSE above that mypy must reject, with a word of the error.
EXPECTED_ERRORS = {
    6: "Incompatible types in assignment",
    7: "Incompatible types in assignment",
    9: "Unsupported operand types",
}

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None, reason="mypy is not installed"
)


def test_user_code_type_checks(tmp_path: Path) -> None:
    misuse = tmp_path / "misuse.py"
    misuse.write_text(MISUSE)

    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(CACHE_DIR), str(HERE / "api.py"), str(misuse)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )  # fmt: skip

    output = completed.stdout + completed.stderr
    errors = [line for line in output.splitlines() if ": error:" in line]
    assert not [line for line in errors if "api.py" in line], output
    for line_number, message in EXPECTED_ERRORS.items():
        found = [line for line in errors if f"misuse.py:{line_number}:" in line]
        assert found, f"mypy accepted line {line_number} of the misuse:\n{output}"
        assert message in found[0]
    assert len(errors) == len(EXPECTED_ERRORS), output
