"""The parts of replies the actions and channels fill in are the domain's named responses: every
name the code gives is one, and each is filled in with all of its variables."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from actions import common, phrases
from bot.wording import joined, say, texts

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "actions").glob("*.py"), *(ROOT / "bot" / "channels").glob("*.py"),
                  *(ROOT / "bot" / "staff").glob("*.py")])
# A response's name in the code; a name that ends in "_" is the start of one ("utter_nothing_to_").
NAMED = re.compile(r"[\"'](utter_[a-z0-9_]*[a-z0-9])[\"']")
# Not a response: the key Rasa keeps a bot event's response name under.
NOT_RESPONSES = {"utter_action"}
NOW = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("America/Chicago"))


def test_every_response_the_code_names_is_in_the_domain():
    named = {name for path in SOURCES for name in NAMED.findall(path.read_text())}
    assert named and named - NOT_RESPONSES - set(texts()) == set()


@pytest.mark.parametrize("responses", [phrases.REASONS, phrases.RIDES, phrases.DAYS,
                                       common.SORRY, common.WHERE, common.CAR_STATUS])
def test_each_case_has_its_response(responses):
    assert set(responses.values()) <= set(texts())


@pytest.mark.parametrize(("days", "response"), [
    (0, "utter_when_today"), (1, "utter_when_tomorrow"), (4, "utter_when_day")])
def test_a_time_is_said_by_the_days_away(days, response):
    start = NOW + timedelta(days=days, hours=4, minutes=30)
    assert phrases.when_text(start, NOW) == say(response, day=f"{start:%a %b} {start.day}",
                                                weekday=f"{start:%a}", time="2:30 PM")


@pytest.mark.parametrize(("problem", "detail", "until", "response"), [
    ("closed", "Thanksgiving Day", None, "utter_reason_closed_on"),
    ("closed_weekly", "Sunday", None, "utter_reason_closed_weekly"),
    ("after_hours", "7:00 AM", "7:00 PM", "utter_reason_after_hours"),
    ("full", "Wednesday", None, "utter_reason_full"),
    ("full", "Fri Nov 27", "Sat Nov 28", "utter_reason_full_days"),
    ("too_far", "Jan 22", None, "utter_reason_too_far"),
    ("past", None, None, "utter_reason_past"),
])
def test_why_a_time_cannot_be_booked_is_its_response(problem, detail, until, response):
    said = phrases.problem_text(problem, detail, until)
    assert said == say(response, detail=detail, until=until)
    assert "{" not in said and all(word in said for word in (detail, until) if word)


def test_no_problem_says_nothing_and_no_ride_says_nothing():
    assert phrases.problem_text(None, None) == "" and phrases.ride_text(None) == ""


def test_lists_are_joined_by_the_domain_words():
    assert joined([]) == "" and joined(["oil change"]) == "oil change"
    two = say("utter_joined_and", before="oil change", after="tire rotation")
    assert joined(["oil change", "tire rotation"]) == two
    assert joined(["a", "b", "c"], "utter_joined_or") == say(
        "utter_joined_or", before=say("utter_joined_or", before="a", after="b"), after="c")


def test_every_part_fills_all_its_variables():
    for name, text in texts().items():
        variables = set(re.findall(r"(?<!{){([a-z_]+)}(?!})", text))
        filled = say(name, **{v: f"<{v}>" for v in variables})
        assert not re.search(r"(?<!{){[a-z_]+}(?!})", filled), name
