"""cProfile of the client side, summarised as the functions that take the most time."""

from __future__ import annotations

import cProfile
import pstats
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The code whose cumulative times a summary lists, by the start of its file name.
LIBRARIES = ("panel_async/", "httpx/", "httpcore/", "anyio/", "tenacity/", "h11/")

# Path prefixes cut from file names in the summary, longest first.
_PREFIXES = sorted(
    {
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["stdlib"],
        str(Path(__file__).resolve().parent.parent),
    },
    key=len,
    reverse=True,
)


@dataclass(frozen=True)
class ProfileLine:
    """One function of a profile: its name, calls, self and cumulative seconds."""

    function: str
    calls: int
    self_seconds: float
    cumulative_seconds: float


@dataclass(frozen=True)
class Profile:
    """The functions with the most self time and the most costly library ones."""

    title: str
    total_seconds: float
    by_self_time: list[ProfileLine]
    library_by_cumulative: list[ProfileLine]


def short_path(file: str) -> str:
    """Cut the site-packages, standard library or checkout directory off `file`."""
    for prefix in _PREFIXES:
        if file.startswith(prefix):
            return file[len(prefix) :].lstrip("/")
    return file


def _name(file: str, line: int, function: str) -> str:
    return f"{short_path(file)}:{line}({function})" if line else function


def profile(title: str, work: Callable[[], Any]) -> Profile:
    """Run `work` under cProfile and summarise where its time went."""
    profiler = cProfile.Profile()
    profiler.runcall(work)
    return summarize(title, profiler)


def summarize(title: str, profiler: cProfile.Profile, *, limit: int = 12) -> Profile:
    """List the functions with the most self time and the most costly library ones."""
    summary = pstats.Stats(profiler).get_stats_profile()
    lines = []
    for function, entry in summary.func_profiles.items():
        # ncalls reads "total/primitive" for recursive functions.
        calls = int(entry.ncalls.split("/")[0])
        name = _name(entry.file_name, entry.line_number, function)
        lines.append(ProfileLine(name, calls, entry.tottime, entry.cumtime))

    by_self = sorted(lines, key=lambda line: line.self_seconds, reverse=True)
    library = [line for line in lines if _is_library(line.function)]
    library.sort(key=lambda line: line.cumulative_seconds, reverse=True)
    return Profile(title, summary.total_tt, by_self[:limit], library[:limit])


def _is_library(function: str) -> bool:
    # cattrs names the structuring functions it generates after the model class.
    return function.startswith(LIBRARIES) or "panel_async." in function
