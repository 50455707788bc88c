""""Same time" is the time of the visit being changed."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.dealership.booking_time import same_time
from bot.dealership.dates import When, parse_when

AUSTIN = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AUSTIN)
VISIT = datetime(2026, 11, 24, 9, 0, tzinfo=AUSTIN)  # Tuesday at 9


def test_a_day_said_with_same_time_keeps_the_visits_hour():
    text = "ugh ok wednesday then, same time"
    found = same_time(text, parse_when(text, NOW), VISIT)
    assert (found.first_day, found.at) == (date(2026, 11, 25), time(9, 0))


def test_same_time_next_week_is_a_week_later_to_the_minute():
    text = "move it to the same time next week"
    assert same_time(text, parse_when(text, NOW), VISIT) == When(
        first_day=date(2026, 12, 1), last_day=date(2026, 12, 1), at=time(9, 0))


def test_without_same_time_nothing_changes():
    text = "wednesday at 2"
    assert same_time(text, parse_when(text, NOW), VISIT) == parse_when(text, NOW)
