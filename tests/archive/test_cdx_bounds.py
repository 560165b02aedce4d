"""CDX from/to bounds: the database compares instants where Wayback compares padded strings; the
two must agree for every instant and every bound a client may send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kuaizhao.web.cdx_params import timestamp_bound as _timestamp_bound
from kuaizhao.web.wayback import timestamp14

# Hypothesis takes naive bounds; the instants drawn are made UTC below.
instants = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)).map(  # noqa: DTZ001
    lambda d: d.replace(tzinfo=UTC)
)
# Digits near real dates, and the awkward ones (month 00 or 13, day 31 of February, hour 24…).
bounds = st.one_of(
    st.builds(timestamp14, instants).flatmap(lambda s: st.integers(1, 14).map(lambda n: s[:n])),
    st.text("0123456789", min_size=1, max_size=14),
)


def wayback_in_range(when: datetime, low: str | None, high: str | None) -> bool:
    ts = timestamp14(when)
    return (low is None or ts >= low.ljust(14, "0")) and (high is None or ts <= high.ljust(14, "9"))


def database_in_range(when: datetime, low: str | None, high: str | None) -> bool:
    lo = _timestamp_bound(low or "", upper=False)
    hi = _timestamp_bound(high or "", upper=True)
    if (low and lo is None) or (high and hi is None):
        return False  # the view answers nothing for a bound no instant meets
    return (lo is None or when >= lo) and (hi is None or when <= hi.replace(microsecond=999_999))


@given(instants, st.integers(0, 999_999), bounds, bounds)
def test_bounds_agree_with_wayback_string_comparison(when, micro, low, high):
    when = when.replace(microsecond=micro)
    assert database_in_range(when, low, None) == wayback_in_range(when, low, None)
    assert database_in_range(when, None, high) == wayback_in_range(when, None, high)
    assert database_in_range(when, low, high) == wayback_in_range(when, low, high)


def test_awkward_bounds():
    assert _timestamp_bound("2024", upper=False) == datetime(2024, 1, 1, tzinfo=UTC)
    assert _timestamp_bound("2024", upper=True) == datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert _timestamp_bound("20240231", upper=False) == datetime(2024, 3, 1, tzinfo=UTC)
    assert _timestamp_bound("20240231", upper=True) == datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)
    assert _timestamp_bound("202400", upper=True) == datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert _timestamp_bound("202413", upper=False) == datetime(2025, 1, 1, tzinfo=UTC)
    assert _timestamp_bound("2024011724", upper=False) == datetime(2024, 1, 18, tzinfo=UTC)
    assert _timestamp_bound("0", upper=True) == datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC)  # 0999…
    assert _timestamp_bound("0000", upper=True) is None  # year 0000: before every instant
    assert _timestamp_bound("99991313", upper=False) is None  # after every instant
    assert _timestamp_bound("", upper=False) is None
    assert _timestamp_bound("2024", upper=True) - _timestamp_bound("2024", upper=False) == timedelta(
        days=365, hours=23, minutes=59, seconds=59
    )
