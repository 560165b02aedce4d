"""Durations, and when to look at a captured article again: a schedule that decays with its age.

News is edited and deleted most in its first hours, so a page is rechecked often while it is young
and ever more rarely as it ages, until its schedule ends. The default is NewsDiffs' shape: every
15 minutes while under 3 hours old, every 30 minutes under a day, every 2 hours under a week, daily
under a month, then weekly until a year. A schedule is written as steps `EVERY<AGE`:

    recheck = "15m<3h, 30m<1d, 2h<7d, 1d<30d, 7d<365d"     # in sources.toml, or KUAIZHAO_RECHECK

Pure: no clock is read here; callers pass the times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_DURATION = re.compile(r"^\s*(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$")


def parse_duration(value: str | float) -> timedelta:
    """'90s', '30m', '6h', '1d', '1h30m', or a number of seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return timedelta(seconds=value)
    m = _DURATION.match(str(value))
    if not m or not any(m.groups()):
        raise ValueError(f"not a duration: {value!r} (write e.g. '30m', '6h', '1d')")
    w, d, h, mins, s = (int(g or 0) for g in m.groups())
    return timedelta(weeks=w, days=d, hours=h, minutes=mins, seconds=s)



DEFAULT_SPEC = "15m<3h, 30m<1d, 2h<7d, 1d<30d, 7d<365d"
_STEP = re.compile(r"^\s*(?P<every>[^<]+?)\s*<\s*(?P<until>[^<]+?)\s*$")


@dataclass(frozen=True)
class Step:
    every: timedelta  # how often to recheck…
    until: timedelta  # …while the article is younger than this


@dataclass(frozen=True)
class Schedule:
    steps: tuple[Step, ...]

    @classmethod
    def parse(cls, spec: str | list[str]) -> Schedule:
        """'15m<3h, 30m<1d' (or a list of steps) → a Schedule; ValueError says what is wrong."""
        parts = spec if isinstance(spec, list) else [p for p in re.split(r"[,，;]", spec) if p.strip()]
        steps: list[Step] = []
        for part in parts:
            m = _STEP.match(str(part))
            if m is None:
                raise ValueError(f"not a recheck step: {part!r} (write EVERY<AGE, e.g. '30m<1d')")
            step = Step(parse_duration(m["every"]), parse_duration(m["until"]))
            if step.every <= timedelta(0):
                raise ValueError(f"a recheck interval must be positive: {part!r}")
            if steps and step.until <= steps[-1].until:
                raise ValueError(f"recheck steps must cover growing ages: {part!r} after {steps[-1].until}")
            steps.append(step)
        if not steps:
            raise ValueError("a recheck schedule needs at least one step")
        return cls(tuple(steps))

    def interval(self, age: timedelta) -> timedelta | None:
        """How long after a check at this age the next one is due; None when the schedule has ended."""
        for step in self.steps:
            if age < step.until:
                return step.every
        return None

    def next_check(self, born: datetime, checked: datetime) -> datetime | None:
        """The next recheck of an article born (published, or first seen) at `born`, checked at `checked`."""
        interval = self.interval(max(checked - born, timedelta(0)))
        return None if interval is None else checked + interval

    @property
    def ends(self) -> timedelta:
        return self.steps[-1].until


DEFAULT = Schedule.parse(DEFAULT_SPEC)
