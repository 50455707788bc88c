"""Reporting a problem, the use case, on the demo dealership: the case is written at once, on
the car the message names, and a safety report reaches staff as urgent."""

from __future__ import annotations

from bot.dealership import reports
from bot.dealership.handoff import live_ticket
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.problems import ProblemReport, report

VIKRAM = "+17375550172"  # an LX 600 and an ES 350


def test_the_case_is_on_the_car_named(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    said = ProblemReport("check engine light came on yesterday on my lx", owner.id, VIKRAM,
                         "rest", car_named="lx")
    reported = report(session, said)
    assert reported.car is not None and reported.car.endswith("LX 600")
    assert reports.by_reference(session, reported.reference).owner_id == owner.id
    assert live_ticket(session, VIKRAM) is None  # not about safety: no alert


def test_no_car_named_with_two_cars_leaves_it_to_ask(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    reported = report(session, ProblemReport("weird noise when i brake", owner.id, VIKRAM,
                                             "rest"))
    assert reported.car is None


def test_a_safety_report_alerts_staff_as_urgent(session):
    reported = report(session, ProblemReport("my brakes failed and the pedal goes to the floor",
                                             None, "+15125550199", "rest"))
    assert reported.finding.safety
    ticket = live_ticket(session, "+15125550199")
    assert ticket is not None and ticket.urgency == "urgent"
    assert reported.reference in ticket.reason
