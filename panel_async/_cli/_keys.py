"""The sources of the panel's URL and API key, read in a fixed order.

The URL comes from --url or PANEL_URL; there is no default. The key comes, in this
order, from --key, --key-file, PANEL_KEY, or a hidden prompt when standard input is a
terminal. --key works but warns, because other local users can read a process's
command line (`ps`, /proc/PID/cmdline).
"""

from __future__ import annotations

__all__ = ["KEY_OPTION_WARNING", "read_key", "read_url"]

import getpass
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from ._usage import UsageError

KEY_OPTION_WARNING = (
    "warning: --key puts the API key on the command line, where other local users "
    "can see it; set PANEL_KEY or use --key-file instead"
)


def read_url(option: str | None, environ: Mapping[str, str]) -> str:
    """Return the URL from --url or PANEL_URL; raise UsageError if neither is set."""
    url = option if option is not None else environ.get("PANEL_URL", "")
    if not url.strip():
        raise UsageError(
            "no panel URL: pass --url or set PANEL_URL, "
            "such as https://panel.example/api/v2"
        )

    return url.strip()


def read_key(
    *,
    option: str | None,
    key_file: str | None,
    environ: Mapping[str, str],
    stdin: TextIO,
    warn: Callable[[str], None],
    prompt: Callable[[str], str] = getpass.getpass,
) -> str:
    """Return the API key from the first source that is set; raise UsageError if none.

    `warn` receives the warning about --key. `prompt` reads the key without echo,
    when standard input is a terminal and no other source is set.
    """
    if option is not None:
        warn(KEY_OPTION_WARNING)
        return _non_empty(option, "--key")
    if key_file is not None:
        return _non_empty(_read_key_file(key_file), f"key file {key_file}")
    if environ.get("PANEL_KEY"):
        return _non_empty(environ["PANEL_KEY"], "PANEL_KEY")
    if stdin.isatty():
        return _non_empty(prompt("API key (input hidden): "), "the key entered")

    raise UsageError(
        "no API key: set PANEL_KEY, pass --key-file PATH, or run on a terminal to be "
        "asked for it"
    )


def _read_key_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read key file {path}: {reason}") from None


def _non_empty(key: str, source: str) -> str:
    # Surrounding whitespace is dropped because key files end in a newline. The key
    # itself never appears in a message.
    key = key.strip()
    if not key:
        raise UsageError(f"the API key from {source} is empty")

    return key
