"""The dealership's departments, the use cases, on the demo dealership (Monday 2026-11-23):
who handles what, their phone and next opening hours; and asking one of them to reach out, which
puts one ticket for that team in the queue and writes nothing else."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from bot.dealership import models as m
from bot.dealership.departments import (
    DepartmentQuestion,
    Opening,
    ReachOutRequest,
    about,
    asks_after_team,
    contact_asked,
    next_opening,
    reach_out,
)
from bot.dealership.handoff import open_ticket, queue
from tests.demo import AUSTIN, DANA


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=AUSTIN)


WEEKDAYS_9_TO_5 = {d: (time(9), time(17)) for d in range(5)}


def test_the_next_opening_is_todays_until_closing_time():
    monday = at(11, 23, 10)
    assert next_opening(WEEKDAYS_9_TO_5, set(), monday) == Opening(
        date(2026, 11, 23), time(9), time(17), open_now=True)
    assert next_opening(WEEKDAYS_9_TO_5, set(), monday.replace(hour=7)) == Opening(
        date(2026, 11, 23), time(9), time(17), open_now=False)
    assert next_opening(WEEKDAYS_9_TO_5, set(), monday.replace(hour=17)).day == date(2026, 11, 24)


def test_weekends_and_holidays_are_skipped():
    friday_evening = at(11, 27, 18)
    assert next_opening(WEEKDAYS_9_TO_5, set(), friday_evening).day == date(2026, 11, 30)
    wednesday_evening = at(11, 25, 18)
    thanksgiving = {date(2026, 11, 26)}
    assert next_opening(WEEKDAYS_9_TO_5, thanksgiving, wednesday_evening).day == date(2026, 11, 27)
    assert next_opening({}, set(), friday_evening) is None


def test_a_department_is_who_handles_it_its_phone_and_hours(session):
    sales = about(session, DepartmentQuestion("sales"), at(11, 23, 10))
    assert (sales.code, sales.name, sales.phone) == ("sales", "Sales", "(512) 555-0100")
    assert "trade-ins" in sales.handles
    assert sales.opening == Opening(date(2026, 11, 23), time(9), time(20), open_now=True)


def test_the_collision_center_is_closed_on_saturday(session):
    collision = about(session, DepartmentQuestion("collision"), at(11, 28, 10))
    assert collision.name == "Collision Center" and collision.phone == "(512) 555-0113"
    assert collision.opening == Opening(date(2026, 11, 30), time(7, 30), time(17, 30), False)


def test_service_is_the_service_desk(session):
    service = about(session, DepartmentQuestion("service"), at(11, 23, 6))
    assert service.phone == "(512) 555-0101"
    assert service.opening == Opening(date(2026, 11, 23), time(7), time(19), open_now=False)


def test_an_unknown_department_is_none(session):
    assert about(session, DepartmentQuestion("detailing"), at(11, 23, 10)) is None


def tickets(session) -> int:
    return session.execute(select(func.count()).select_from(m.HandoffTicket)).scalar_one()


def asking(department: str, words: str = "how much is a new nx, any deals") -> ReachOutRequest:
    return ReachOutRequest(conversation_id=DANA, channel="sms", owner_id=None,
                           department=department, asked=words)


def test_asking_a_department_to_reach_out_queues_a_ticket_for_that_team(session):
    done = reach_out(session, asking("finance", "buyout price on my lease"), at(11, 23, 10))
    session.commit()
    ticket = session.get(m.HandoffTicket, done.ticket)
    assert (ticket.department, ticket.status, ticket.urgency) == ("finance", "open", "normal")
    assert ticket.reason == "buyout price on my lease"
    assert ticket.summary == ('Asked for Finance & Leasing to reach out: '
                              '"buyout price on my lease"')
    assert done.department.name == "Finance & Leasing" and done.department.opening.open_now
    assert [t.id for t in queue(session)] == [ticket.id]


def test_asking_twice_keeps_one_ticket_per_team(session):
    first = reach_out(session, asking("sales"), at(11, 23, 10))
    again = reach_out(session, asking("sales", "hello?"), at(11, 23, 11))
    parts = reach_out(session, asking("parts", "do you sell floor mats"), at(11, 23, 11))
    session.commit()
    assert first.ticket == again.ticket != parts.ticket
    assert tickets(session) == 2


def test_a_service_ticket_and_a_department_ticket_are_kept_apart(session):
    sales = reach_out(session, asking("sales"), at(11, 23, 10))
    safety = open_ticket(session, conversation_id=DANA, channel="sms", owner_id=None,
                         reason="SAFETY (brakes_failing): brakes went out", urgency="urgent")
    session.commit()
    assert safety.id != sales.ticket and safety.department is None
    assert session.get(m.HandoffTicket, sales.ticket).urgency == "normal"
    service = reach_out(session, asking("service", "can service call me"), at(11, 23, 10))
    assert service.ticket == safety.id  # the service team's ticket, already open


def test_a_department_the_dealership_does_not_have_writes_nothing(session):
    assert reach_out(session, asking("detailing"), at(11, 23, 10)) is None
    assert tickets(session) == 0


def test_the_hours_on_the_day_asked_about(session):
    saturday = about(session, DepartmentQuestion("parts", date(2026, 11, 28)), at(11, 23, 10))
    assert saturday.on_day[0] == date(2026, 11, 28) and saturday.on_day[1] is not None
    collision = about(session, DepartmentQuestion("collision", date(2026, 11, 28)),
                      at(11, 23, 10))
    assert collision.on_day == (date(2026, 11, 28), None)  # closed on Saturdays
    thanksgiving = about(session, DepartmentQuestion("sales", date(2026, 11, 26)),
                         at(11, 23, 10))
    assert thanksgiving.on_day == (date(2026, 11, 26), None)
    assert about(session, DepartmentQuestion("sales"), at(11, 23, 10)).on_day is None


@pytest.mark.parametrize("text, asked", [
    ("cool can they text me a price on the mats", True),
    ("can they call me about it", True),
    ("have them text me", True),
    ("ok can someone from there email me a quote", True),
    ("are they open saturday", False),
    ("whats their number", False),
    ("can i text them", False),
])
def test_a_team_asked_to_get_in_touch(text: str, asked: bool) -> None:
    assert contact_asked(text) is asked


@pytest.mark.parametrize("text, after", [
    ("who fixes that", True), ("whats the number", True), ("are you open sat", False),
    ("who can help with that", True), ("can you fix it", False),
    ("til what time today", True), ("and on saturday?", True), ("what about sunday", True),
    ("and a tire rotation on saturday?", False),
])
def test_what_is_asked_after_a_team_right_after_its_answer(text: str, after: bool) -> None:
    assert asks_after_team(text) is after


def test_another_team_or_roadside_named_is_not_the_team_just_talked_about():
    from bot.dealership.departments import names_another
    assert names_another("also whats the roadside number again", "collision")
    assert names_another("and the sales guys, whats their number", "collision")
    assert not names_another("whats the body shop number again", "collision")
    assert not names_another("whats their number", "collision")
