"""The triage table, read as owners text: the first matching rule wins, safety first."""

from __future__ import annotations

import pytest

from bot.dealership.triage import read_drivable, said_drivable, triage, unsure

CASES = [
    # (message, category, severity)
    ("my brakes just went out!!", "brakes_failing", "safety"),
    ("breaks arent working, pedal goes to the floor", "brakes_failing", "safety"),
    ("i have no brakes", "brakes_failing", "safety"),
    ("steering locked up on me on mopac", "steering_failure", "safety"),
    ("smoke coming from under the hood what do i do", "smoke_or_fire", "safety"),
    ("I smell gas inside the car 😬", "fuel_smell", "safety"),
    ("strong fuel smell after i filled up", "fuel_smell", "safety"),
    ("airbag light is on in my rx", "airbag", "safety"),
    ("car stalled twice at red lights today", "stalling", "safety"),
    ("it died on the highway this morning", "stalling", "safety"),
    ("someone rear-ended me at a light", "accident", "safety"),
    ("got in a fender bender, bumper is hanging", "accident", "safety"),
    ("temp gauge is in the red", "overheating", "urgent"),
    ("overheating in traffic", "overheating", "urgent"),
    ("brakes squeaking when i stop", "brakes", "routine"),
    ("grinding noise when i brake", "brakes", "routine"),
    ("check engine light came on this morning", "warning_light", "routine"),
    ("tire pressure light is on", "warning_light", "routine"),
    ("my battery died while i was at work", "battery", "routine"),
    ("car wont start, just clicks", "battery", "routine"),
    ("hit a pothole and now the steering wheel shakes", "pulling_or_vibration", "routine"),
    ("pulls to the right on the highway", "pulling_or_vibration", "routine"),
    ("ac is blowing warm air", "other", "routine"),
    ("backup camera screen is black", "other", "routine"),
    ("weird rattle from the dash, no lights on, no smoke", "other", "routine"),
]


@pytest.mark.parametrize("message, category, severity", CASES)
def test_the_triage_table(message, category, severity):
    found = triage(message)
    assert (found.category, found.severity) == (category, severity)


def test_a_whole_story_gives_the_details():
    found = triage("hi my rx started making a grinding noise when i brake since monday, "
                   "no lights on, still driving it but its getting worse")
    assert (found.category, found.since, found.warning_light, found.drivable) == (
        "brakes", "since monday", None, True)
    found = triage("Check engine light has been on for a few days, car runs fine")
    assert (found.warning_light, found.since, found.drivable) == (
        "check engine light", "for a few days", True)


def test_a_safety_problem_is_not_drivable_until_seen():
    assert triage("smoke from the vents").drivable is False
    assert triage("car wont start").drivable is False
    assert triage("weird noise from the back").drivable is None


@pytest.mark.parametrize("answer, drivable", [
    ("yes", True), ("yeah its fine", True), ("still driving it", True),
    ("no", False), ("nope it wont start", False), ("i'm scared to drive it", False),
    ("idk", None),
    ("no it's fine to drive", True), ("nah its ok to drive", True), ("it's safe to drive", True),
    ("no problem driving it", True), ("yes but it won't start now", False),
    ("not sure", None), ("maybe? it shakes a lot", None), ("can you check it next visit", None),
])
def test_can_you_still_drive_it(answer, drivable):
    assert read_drivable(answer) is drivable


@pytest.mark.parametrize("text, drivable", [
    ("no it's fine to drive", True), ("it wont start", False), ("since tuesday", None),
    ("no", None), ("yes", None),  # a bare yes or no answers only the question asked
])
def test_drivable_said_in_words(text, drivable):
    assert said_drivable(text) is drivable


def test_an_unsure_answer():
    assert unsure("idk honestly") and unsure("Not sure") and not unsure("no")
