"""The `panel-async` command: the client and the simulator from a shell.

The command needs rich and uvicorn from the `cli` extra. `main()` checks for them before
importing anything that uses them, so a missing extra gives a one-line error instead of
a traceback.
"""

from __future__ import annotations

__all__ = ["main"]

import sys
from collections.abc import Sequence

_MISSING_EXTRA = (
    "panel-async: error: the command needs rich and uvicorn, which are not installed; "
    "install them with: pip install 'panel-async[cli]'\n"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `panel-async` with `argv` (sys.argv[1:] when None); return the exit code.

    Exit codes: 0 on success, 1 when the panel or the network failed (or some IDs of
    a batched command failed), 2 for a usage error, 130 when interrupted.
    """
    try:
        import rich  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        sys.stderr.write(_MISSING_EXTRA)
        return 2

    from panel_async._cli._main import run

    return run(sys.argv[1:] if argv is None else list(argv))
