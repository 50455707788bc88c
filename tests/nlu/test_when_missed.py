"""Weekdays the entity extractor missed, added as days, and times said apart from their day
joined to it (bot/nlu/when_missed.py)."""

from __future__ import annotations

import pytest

from bot.nlu.when_missed import with_days, with_time


def whens(text: str, entities: list[dict] = ()) -> list[str]:
    return [e["value"] for e in with_days(text, list(entities)) if e["entity"] == "when"]


@pytest.mark.parametrize(("text", "day"), [
    ("ugh ok fri then. and ill need a loaner", "fri"), ("mon works", "mon"),
    ("Thurs?", "Thurs"), ("can we do weds instead", "weds"), ("wed is fine", "wed"),
    ("open mondays?", "mondays"), ("k what about sat, how late", "sat"),
    ("ill stop by sat then, what time do u close", "sat"), ("open sun?", "sun")])
def test_a_weekday_no_entity_covers_is_a_day(text, day):
    assert whens(text) == [day]


@pytest.mark.parametrize("text", [
    "wed like a loaner pls", "c'mon man", "the car sat in the garage", "common problem",
    "sun visor is loose", "monitor light on", "frigid out there", "it sat for a week",
    "parked in the sun all day", "sat in traffic and it overheated"])
def test_words_that_are_no_weekday_are_left_alone(text):
    assert whens(text) == []


def test_a_day_beside_a_time_found_joins_it():
    at_9 = {"entity": "when", "start": 13, "end": 17, "value": "at 9"}
    assert whens("can u do fri at 9", [at_9]) == ["fri at 9"]


def test_a_day_the_extractor_read_is_kept_as_it_read_it():
    found = [{"entity": "when", "start": 0, "end": 10, "value": "fri at 9am"}]
    assert with_days("fri at 9am", found) == found
    car = [{"entity": "vehicle", "start": 4, "end": 7, "value": "fri"}]
    assert with_days("the fri", car) == car


def test_wed_that_is_we_would_is_no_day_even_read_as_one():
    wed = {"entity": "when", "start": 0, "end": 3, "value": "wed"}
    tmrw = {"entity": "when", "start": 28, "end": 32, "value": "tmrw"}
    assert whens("wed like a loaner for my rx tmrw", [wed, tmrw]) == ["tmrw"]
    assert whens("wed at 9 works", [wed]) == ["wed"]
    assert with_time("wed at 9 works", with_days("wed at 9 works", [wed]))[0]["value"] == \
        "wed at 9"


def day_and_time(text: str, day: str) -> list[str]:
    start = text.index(day)
    said = [{"entity": "when", "start": start, "end": start + len(day), "value": day},
            {"entity": "vehicle", "start": 0, "end": 0, "value": "GX"}]
    return [e["value"] for e in with_time(text, said) if e["entity"] == "when"]


@pytest.mark.parametrize(("text", "day", "joined"), [
    ("want the gx recall done wed, dropping it at 8. need a loaner", "wed", "wed at 8"),
    ("both cars sat morning? es needs oil. can drop them around 9", "sat morning",
     "sat morning around 9"),
    ("oil change tmrw. 2pm work?", "tmrw", "tmrw 2pm"),
    ("thurs? id be there like 8ish", "thurs", "thurs 8ish"),
    ("friday works, could bring it by 10", "friday", "friday by 10"),
    ("next week, anytime after 3:30 is good", "next week", "next week after 3:30")])
def test_a_time_said_apart_from_its_day_is_that_days(text, day, joined):
    assert day_and_time(text, day) == [joined]


@pytest.mark.parametrize(("text", "day"), [
    ("tmrw works but i get off at 5:30", "tmrw"),    # work's time, not the visit's
    ("oh duh. friday then, i'm off at 5:30", "friday"),
    ("wed is good, i have a meeting at 9", "wed"),
    ("fri at 9 or 10am", "fri at 9"),                # the day has its time already
    ("sat, its got 8 miles of range left", "sat"),   # no clock time
    ("wed, i was doing 70 on 183", "wed"),
    ("can you do fri? at 8 or at 9", "fri")])       # two times: which one is not known
def test_a_time_that_is_not_the_visits_is_left_alone(text, day):
    assert day_and_time(text, day) == [day]


@pytest.mark.parametrize(("text", "said"), [
    ("actually make it 10 and yes book it", ["make it 10"]),
    ("can we do 2 instead", []), ("switch it to 3:30 pls", ["switch it to 3:30"]),
    ("make it 2 cars", []), ("actually make it 2 not morning", ["make it 2"])])
def test_a_time_said_instead_with_no_day_is_a_time(text, said):
    from bot.nlu.when_missed import with_time_instead

    assert [e["value"] for e in with_time_instead(text, [])] == said


def test_a_time_said_instead_read_already_is_left_alone():
    from bot.nlu.when_missed import with_time_instead

    option = [{"entity": "option", "start": 10, "end": 11, "value": "3"}]
    assert with_time_instead("how about 3", option) == option
    when = [{"entity": "when", "start": 0, "end": 3, "value": "fri"}]
    assert with_time_instead("fri, make it 10", when) == when
