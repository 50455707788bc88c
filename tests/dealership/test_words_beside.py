"""Words read beside the request: another car named as a reference, trouble told beside a
recall asked about, a visit joined in passing, a day said before a time alone, a driver's age."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.dealership.booking_time import on_day_said
from bot.dealership.dates import parse_when
from bot.dealership.ownership_questions import AGE_ASKED
from bot.dealership.recalls import trouble_told
from bot.dealership.replies import joins_visit_asked
from bot.dealership.vehicles import named_in, without_references

NOW = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("America/Chicago"))


def test_a_car_named_as_a_reference_is_not_the_car_booked():
    rest = without_references("can u do an oil change on my ES tmrw too? same time as the LX")
    assert rest is not None and named_in(rest) == "es"
    assert without_references("oil change on my ES tmrw") is None
    wished = without_references("need the RZ in wed at 10 for a rotation, can i get a loaner? "
                                "an LS would be sweet lol")
    assert wished is not None and named_in(wished) == "rz"
    refused = without_references("the es, not the gx. the old one")  # a car refused
    assert refused is not None and named_in(refused) == "es"
    # a car put off for now names no car to book
    put_off = without_references("ok. rotation sat at 10 then, ill wait. gx another time, busy "
                                 "month")
    assert put_off is not None and named_in(put_off) is None
    assert named_in(without_references("do the rx fri, the nx can wait") or "") == "rx"


@pytest.mark.parametrize(("text", "told"), [
    ("my wipers just quit in the rain, is this that wiper recall?", True),
    ("what about the wiper one i got a letter about", False),
])
def test_trouble_told_beside_a_recall_asked_about(text, told):
    assert trouble_told(text) is told


@pytest.mark.parametrize(("text", "joins"), [
    ("can they do it tmrw when im in for the tires?", True),
    ("can u do the recall at the same visit?", True),
    ("can u pick it up from my house tmrw?", False),
])
def test_work_asked_to_be_done_with_the_visit_booked(text, joins):
    assert joins_visit_asked(text) is joins


def test_a_time_alone_is_on_the_day_said_before_it():
    said = on_day_said("8:30", "friday morning", NOW)
    found = parse_when(said, NOW)
    assert (found.first_day, found.at) == (date(2026, 11, 27), time(8, 30))
    assert on_day_said("tmrw at 9", "friday", NOW) == "tmrw at 9"  # a day of its own


@pytest.mark.parametrize("text", ["my son (19) is gonna drop the rx off and take the loaner",
                                  "my daughter, 18, would drive it"])
def test_a_young_drivers_age_said_in_passing_is_the_age_asked(text):
    assert AGE_ASKED.search(text)


@pytest.mark.parametrize(("text", "young"), [
    ("can he take a loaner? he's 20", True), ("my son is 19 and he'd be driving it", True),
    ("my son (19) is gonna take it", True), ("hes 21", False), ("im 25", False),
    ("oil change at 9, he is 20 min away", False),
])
def test_a_loaner_driver_said_to_be_too_young(text, young):
    from bot.dealership.ownership_questions import too_young_to_drive

    assert too_young_to_drive(text) is young
