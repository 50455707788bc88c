"""Reading the time asked for against the offers and the calendar, on the demo dealership on
Monday 2026-11-23 10:00: typed answers, no words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dealership import scheduling
from bot.dealership.booking_time import (
    Chosen,
    NotRead,
    Offer,
    TimeRequest,
    as_datetime,
    openings,
    read_time,
)

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 10, tzinfo=CHICAGO)
SATURDAY = [datetime(2026, 11, 28, h, m, tzinfo=CHICAGO) for h, m in ((8, 0), (8, 30), (9, 0))]


def test_a_pick_from_the_offers_is_chosen(session):
    answer = read_time(session, TimeRequest("2", offered=SATURDAY, minutes=60), NOW)
    assert answer == Chosen(SATURDAY[1])


def test_a_time_alone_is_on_the_offered_day(session):
    answer = read_time(session, TimeRequest("10am", offered=SATURDAY, minutes=60), NOW)
    assert answer == Chosen(datetime(2026, 11, 28, 10, tzinfo=CHICAGO))


def test_yes_to_several_times_is_the_first_nearest_what_was_asked(session):
    asked = TimeRequest("yes please, sounds great!", offered=SATURDAY, agreed=True, minutes=60)
    assert read_time(session, asked, NOW) == Chosen(SATURDAY[0])


def test_no_time_at_all_is_not_read(session):
    assert read_time(session, TimeRequest("the blue one"), NOW) == NotRead(quiet=False)
    kept = TimeRequest("with a loaner", said_else=True)
    assert read_time(session, kept, NOW) == NotRead(quiet=True)


def test_a_closed_day_offers_the_nearest_times_with_the_reason(session):
    answer = read_time(session, TimeRequest("thursday at 9", services=["tire_rotation"]), NOW)
    assert isinstance(answer, Offer) and answer.problem == "closed" and answer.times
    assert "Thanksgiving" in (answer.detail or "")


def test_a_button_carries_an_iso_time():
    assert as_datetime("2026-11-28T08:00:00-06:00") == SATURDAY[0]
    assert as_datetime("2026-11-28T08:00:00") is None  # no zone: not a button's
    assert as_datetime("tomorrow") is None


def test_the_next_openings_before_a_time_is_named(session):
    slots = openings(session, ["oil_change"], NOW)
    assert slots and all(s > NOW for s in slots)
    # no service named yet: an hour's visit
    assert openings(session, [], NOW) == scheduling.open_slots(session, None, 60, NOW).slots


def test_first_thing_on_a_day_is_that_days_first_opening(session):
    answer = read_time(session, TimeRequest("first thing monday", minutes=60), NOW)
    assert answer == Chosen(datetime(2026, 11, 30, 7, tzinfo=CHICAGO))
    # a morning, not the first thing: times to pick from
    assert isinstance(read_time(session, TimeRequest("monday morning", minutes=60), NOW), Offer)


def test_a_day_said_alone_keeps_the_window_said_before_it_in_the_booking(session):
    earlier = ("can u do a rotation on my ux tmrw after 3",)
    answer = read_time(session, TimeRequest("ugh ok fri then", minutes=60, earlier=earlier), NOW)
    assert isinstance(answer, Offer) and answer.times
    assert all(t.date().day == 27 and t.hour >= 15 for t in answer.times)
    # Thanksgiving is closed: the nearest times are still after 3
    closed = read_time(session, TimeRequest("actually thurs", minutes=60, earlier=earlier), NOW)
    assert isinstance(closed, Offer) and closed.problem == "closed"
    assert all(t.hour >= 15 for t in closed.times)
    # a time said, or "first thing", is what is asked
    assert read_time(session, TimeRequest("fri at 9", minutes=60, earlier=earlier), NOW) == \
        Chosen(datetime(2026, 11, 27, 9, tzinfo=CHICAGO))
    first = read_time(session, TimeRequest("fri first thing", minutes=60, earlier=earlier), NOW)
    assert isinstance(first, Chosen) and first.start.hour < 10


def test_a_weekday_said_alone_is_in_the_week_asked_for_before(session):
    earlier = ("need an oil change sometime next week, mornings are best",)
    said = "tues works. whats the earliest that day"
    answer = read_time(session, TimeRequest("tues", message=said, minutes=45, earlier=earlier),
                       NOW)
    assert isinstance(answer, Offer) and answer.times
    assert all(t.date() == datetime(2026, 12, 1).date() and t.hour < 12 for t in answer.times)
    # with no week asked for before, the coming Tuesday (tomorrow)
    coming = read_time(session, TimeRequest("tues", message="tues works", minutes=45), NOW)
    assert isinstance(coming, Offer) and coming.times[0].date().day == 24


def test_a_weekday_said_to_next_weeks_times_is_in_that_week(session):
    earlier = ("need an oil change sometime next week, mornings are best",)
    monday = [datetime(2026, 11, 30, h, tzinfo=CHICAGO) for h in (7, 8)]
    answer = read_time(session, TimeRequest("tues", message="tues works. whats the earliest "
                                            "that day", offered=monday, minutes=45,
                                            earlier=earlier), NOW)
    assert isinstance(answer, Offer) and answer.times
    assert all(t.date() == datetime(2026, 12, 1).date() and t.hour < 12 for t in answer.times)


def test_first_thing_in_the_whole_message_picks_the_days_first_opening(session):
    asked = TimeRequest("sat first", message="need whatever is due on my IS, sat first thing?",
                        minutes=60)
    assert read_time(session, asked, NOW) == Chosen(SATURDAY[0])


def test_a_span_that_holds_the_times_offered_asks_nothing_new(session):
    wednesday = [datetime(2026, 11, 25, h, tzinfo=CHICAGO) for h in (7, 8)]
    said = TimeRequest("this week", message="wait sorry not the gx, the es. wife has the gx "
                       "this week", offered=wednesday, minutes=45, said_else=True)
    assert read_time(session, said, NOW) == NotRead(quiet=True)


def test_a_span_around_the_offers_asks_nothing_new_whatever_window_was_said(session):
    wednesday = [datetime(2026, 11, 25, h, tzinfo=CHICAGO) for h in (7, 8)]
    said = TimeRequest("this week", message="wife has the gx this week", offered=wednesday,
                       minutes=45, earlier=("can i get an oil change wed morning for the gx",))
    assert read_time(session, said, NOW) == NotRead(quiet=True)


def test_another_day_with_an_offered_hour_is_that_day(session):
    friday = [datetime(2026, 11, 27, h, tzinfo=CHICAGO) for h in (7, 8)]
    said = TimeRequest("7am", message="oh duh. wed 7am then, same deal w the ls loaner",
                       offered=friday, minutes=45)
    assert read_time(session, said, NOW) == Chosen(datetime(2026, 11, 25, 7, tzinfo=CHICAGO))


def test_another_engagements_time_alone_asks_again_quietly(session):
    said = TimeRequest("gotta be at work by 10", offered=SATURDAY, minutes=45)
    assert read_time(session, said, NOW) == NotRead(quiet=True)


def test_a_day_taken_back_is_no_pick_of_the_times_offered_on_the_first(session):
    said = "sat then like 8? actually no wait wed is better, 8am"
    answer = read_time(session, TimeRequest("sat", message=said, offered=SATURDAY,
                                            minutes=60), NOW)
    assert answer == Chosen(datetime(2026, 11, 25, 8, tzinfo=CHICAGO))



def test_a_time_taken_back_on_the_day_offered_is_the_time_said_after(session):
    said = "fri then like 9? actually no wait sat is better, 10am"
    answer = read_time(session, TimeRequest("fri", message=said, offered=SATURDAY,
                                            minutes=60), NOW)
    assert answer == Chosen(datetime(2026, 11, 28, 10, tzinfo=CHICAGO))


def test_a_day_said_alone_keeps_what_was_said_of_the_hour_before(session):
    # "...to thurs, same time": closed on Thanksgiving; "fri then" is Friday at the visit's hour
    visit = datetime(2026, 11, 24, 13, 30, tzinfo=CHICAGO)
    offered = [datetime(2026, 11, 25, 13, 0, tzinfo=CHICAGO),
               datetime(2026, 11, 25, 13, 30, tzinfo=CHICAGO),
               datetime(2026, 11, 27, 13, 30, tzinfo=CHICAGO)]
    asked = TimeRequest("fri", message="ugh right. fri then", offered=offered, minutes=60,
                        same_day=visit, earlier=("need to push the LX from tmrw to thurs, "
                                                 "same time",))
    assert read_time(session, asked, NOW) == Chosen(offered[2])
    # "...next week? after work, i get off at 5", then "thurs": that Thursday after 5
    asked = TimeRequest("thurs", message="thurs", minutes=60, same_day=visit, earlier=(
        "can i move tmrws tire rotation to sometime next week? after work, i get off at 5",))
    answer = read_time(session, asked, NOW)
    assert isinstance(answer, Offer)
    assert all(t.date().day == 3 and t.hour >= 17 for t in answer.times)


def test_yes_to_the_times_offered_is_the_hour_said_before(session):
    asked = TimeRequest("yes, ill wait", offered=SATURDAY, agreed=True, minutes=60,
                        earlier=("can i bring it in sat morning? like 9",))
    assert read_time(session, asked, NOW) == Chosen(SATURDAY[2])


def test_yes_after_an_hour_none_of_the_times_offered_is_that_hour_on_their_day(session):
    asked = TimeRequest("yes", offered=SATURDAY, agreed=True, minutes=60,
                        earlier=("noon works. oh and isnt there a recall on the gx?",))
    assert read_time(session, asked, NOW) == Chosen(datetime(2026, 11, 28, 12, 0,
                                                             tzinfo=CHICAGO))


def test_book_it_to_the_times_offered_is_one_of_them(session):
    asked = TimeRequest("ok book it", offered=SATURDAY, agreed=True, minutes=60,
                        earlier=("can i bring it in sat morning? like 9",))
    assert read_time(session, asked, NOW) == Chosen(SATURDAY[2])
    # an hour said before that none of them is: the first of them, not that hour
    asked = TimeRequest("ok book it", offered=SATURDAY, agreed=True, minutes=60,
                        earlier=("noon works. oh and isnt there a recall on the gx?",))
    assert read_time(session, asked, NOW) == Chosen(SATURDAY[0])


@pytest.mark.parametrize(("text", "agrees"), [
    ("perfect ill just wait for it", True), ("yep", True), ("sounds good, with a loaner", True),
    ("ok ill need a loaner", False), ("perfect but can it be later?", False),
    ("great question, how long is it", False), ("no", False),
    # told to book with the times on the table: the one nearest what was asked
    ("ok book it", True), ("just book it pls", True), ("ok book it for friday", False),
    ("book it at 9", False), ("ok cool book it", True), ("ok ill wait. book it", True),
    ("ok ill wait, lock it in", True), ("ill wait for the es. book it", False),
])
def test_a_text_that_opens_by_taking_the_times_offered(text, agrees):
    from bot.dealership.booking_time import AGREES

    assert bool(AGREES.match(text)) is agrees


@pytest.mark.parametrize(("text", "beside"), [
    ("like 2ish? wait how long does it take", True),
    ("fri at 9. oh and is there wifi", True),
    ("what time do you close sat?", False),  # the day is the question's
    ("are you open fri at 3?", False),
    ("how long does it take", False),
])
def test_a_time_said_beside_a_question(text, beside):
    from bot.dealership.booking_time import time_beside_question
    assert time_beside_question(text) is beside


@pytest.mark.parametrize(("text", "beside"), [
    ("9? oh wait is the recall part free", True),
    ("like 1ish? wait is there wifi", True),
    ("what about 9?", False),  # only asks
    ("9 works", False),  # only tells
])
def test_a_question_asked_beside_what_is_told(text, beside):
    from bot.dealership.booking_time import question_beside
    assert question_beside(text) is beside


def test_book_it_after_a_sentence_that_takes_back_no_time_offered_takes_them():
    from bot.dealership.booking_time import booked_as_offered

    assert booked_as_offered("just the light for now. yes book it")
    assert booked_as_offered("ok book it")
    assert not booked_as_offered("no not that one. book it")
    assert not booked_as_offered("i need to think. ok")
    assert not booked_as_offered("ill wait for the es. book it")  # another car's, maybe
