"""Run the command-line interface as `python -m panel_async`."""

from __future__ import annotations

import sys

from panel_async._cli import main

if __name__ == "__main__":
    sys.exit(main())
