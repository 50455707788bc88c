"""Ownership questions and recalls through the running servers: answers from the dealership's
knowledge rows, and from the owner's own cars (clock: Monday 2026-11-23, 10:00 in Austin)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.dealership import appointments
from bot.dealership.db import get_engine
from bot.dealership.joining import visit_ahead
from bot.dealership.owners import find_owner_by_mobile
from tests.demo import AISHA, AUSTIN, EMILY, HANNAH, MARCUS, MONDAY_10AM, NATHAN, ROSA


def test_a_guest_asks_the_hours(concierge):
    talk = concierge.chat("+15125550171", "r u guys open on saturdays?")
    assert "open Sat Nov 28, 8 AM to 5 PM" in talk, talk  # the day asked, its hours


def test_warranty_by_date_and_miles_for_the_owners_own_car(concierge):
    talk = concierge.chat(EMILY, "is my car still under warranty")
    # first whether it is still covered: partly, the basic coverage having ended
    assert "Partly: on your 2020 UX 250h" in talk and "Basic ended Feb 27, 2024" in talk, talk
    assert "Hybrid battery runs to Feb 27, 2030 or 150,000 mi" in talk, talk


def test_lease_end_with_the_date_and_the_options(concierge):
    talk = concierge.chat(HANNAH, "my lease is up soon, what are my options")
    assert "ends Dec 22, 2026, in 29 days" in talk and "buy" in talk, talk


def test_maintenance_due_and_not_due(concierge):
    talk = concierge.chat(ROSA, "when is my next service due?")
    assert "next due by Apr 5, 2027 or at 75,000 mi" in talk, talk
    assert "Want me to book" not in talk, talk


def test_maintenance_overdue_is_offered_and_booked(concierge):
    talk = concierge.chat(AISHA, "do i need maintenance yet")
    assert "due for maintenance now" in talk and "Want me to book" in talk, talk
    talk += "\n" + concierge.chat(AISHA, "yes please")
    assert "when would you like to come in" in talk.lower(), talk
    talk += "\n" + concierge.chat(AISHA, "1", "wait")
    assert "scheduled maintenance" in talk.lower() and "IS 350" in talk, talk


def test_a_question_mid_booking_then_back_to_it(concierge):
    talk = concierge.chat(NATHAN, "can i book an oil change")
    assert "when would you like to come in" in talk.lower(), talk
    talk += "\n" + concierge.chat(NATHAN, "do u take apple pay")
    after = talk.split("apple pay")[-1]
    assert "Apple Pay" in after and "Which time works" in after, talk


def gx_visit_codes(concierge) -> list[str]:
    """Marcus's GX's next visit's services, booked first (a tire rotation on Dec 14 at 10) if
    an earlier test did not book one."""
    with Session(get_engine(concierge.database_url), future=True) as session, session.begin():
        marcus = find_owner_by_mobile(session, MARCUS)
        gx = next(car for car in marcus.vehicles if car.model_line == "GX")
        ahead = visit_ahead(session, marcus.id, gx.id, MONDAY_10AM)
        if ahead is None:
            appointments.make_booking(
                session, owner_id=marcus.id, vehicle_id=gx.id, service_codes=["tire_rotation"],
                start=datetime(2026, 12, 14, 10, 0, tzinfo=AUSTIN), transport="wait",
                now=MONDAY_10AM)
            ahead = visit_ahead(session, marcus.id, gx.id, MONDAY_10AM)
        return ahead.service_codes


def test_an_open_recall_on_a_car_coming_in_is_offered_on_that_visit(concierge):
    assert "recall_repair" not in gx_visit_codes(concierge)
    talk = concierge.chat(MARCUS, "any recalls on my gx?")
    assert "24TA05" in talk and "seat latch" in talk and "safety recall" in talk, talk
    assert "add the recall repair to that visit" in talk and len(talk) < 400, talk
    talk += "\n" + concierge.chat(MARCUS, "not now")
    assert "recall_repair" not in gx_visit_codes(concierge), talk


def test_an_owner_sends_the_vin_of_a_car_with_a_recall_and_the_fix_joins_its_visit(concierge):
    talk = concierge.chat(MARCUS, "JTJBM7FX5K5000199")
    assert "24TA05" in talk and "add the recall repair to that visit" in talk, talk
    talk += "\n" + concierge.chat(MARCUS, "yes")
    assert "added recall repair" in talk, talk
    assert "recall_repair" in gx_visit_codes(concierge), talk
    talk = concierge.chat(MARCUS, "any recalls on the gx")
    assert "The fix is already booked" in talk and "Want me to" not in talk, talk


def test_a_guest_checks_a_vin(concierge):
    guest = "+15125550172"
    talk = concierge.chat(guest, "is there a recall on my car")
    assert "17-character VIN" in talk, talk
    talk = concierge.chat(guest, "JTJBM7FX5K5000199")  # the VIN alone, as asked
    assert "24TA05" in talk, talk
    talk = concierge.chat(guest, "any recalls for vin JTHBZ1D2XH5000181")
    assert "no open recalls" in talk, talk
