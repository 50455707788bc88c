"""A web visitor's booking is kept on a guest record: the console shows it on that chat's page
as an unverified web guest with the number they gave, and the owner on file with that number,
so staff can reconcile the two."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from bot.dealership import appointments, scheduling, web_sessions
from bot.dealership.owners import find_owner_by_mobile, register_web_guest
from tests.staff.conftest import DANA, Browser
from tests.staff.rasa_standin import RasaStandIn

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
EVENTS = [
    {"event": "user", "text": "id like to book an oil change", "timestamp": 1795440001.0},
    {"event": "bot", "text": "You're booked.", "timestamp": 1795440002.0, "data": {},
     "metadata": {}},
]


def web_guest_booking(db_session, gave: str) -> tuple[str, str]:
    """A web chat whose visitor booked as a guest, giving `gave`: its id and the booking's code."""
    chat = web_sessions.resume_or_start(db_session, None, NOW, client_ip="198.51.100.7")
    guest, car = register_web_guest(db_session, conversation_id=chat.conversation_id,
                                    name="Mallory Stone", gave=gave, model="RX 350",
                                    make="Lexus", year=2019)
    start = scheduling.open_slots(db_session, None, 60, NOW).slots[0]
    booking = appointments.make_booking(db_session, owner_id=guest.id, vehicle_id=car.id,
                                        service_codes=["oil_change"], start=start,
                                        transport="wait", now=NOW)
    db_session.commit()
    return chat.conversation_id, booking.appointment.code


def test_a_guest_record_shows_the_number_given_and_the_owner_on_file(
        advisor: Browser, rasa: RasaStandIn, db_session):
    chat, code = web_guest_booking(db_session, DANA)
    rasa.script(chat, EVENTS, channel="webchat")
    html = advisor.get(f"/conversations/{chat}").text
    assert "Unverified web guest, gave (512) 555-0142" in html, html
    assert "Mallory Stone" in html and "2019 RX 350" in html and code in html
    assert f'href="/conversations/{quote(DANA, safe="")}">Dana Whitfield</a>' in html
    # Dana's own page shows none of it.
    rasa.script(DANA, EVENTS, channel="sms")
    dana = advisor.get(f"/conversations/{quote(DANA, safe='')}").text
    assert code not in dana and "Mallory" not in dana and "Unverified" not in dana


def test_a_number_on_no_account_is_said_to_match_nobody(
        advisor: Browser, rasa: RasaStandIn, db_session):
    chat, _ = web_guest_booking(db_session, "+15125550177")
    rasa.script(chat, EVENTS, channel="webchat")
    html = advisor.get(f"/conversations/{chat}").text
    assert "Unverified web guest, gave (512) 555-0177" in html
    assert "No owner on file has that number." in html


def test_staff_move_the_booking_to_the_owner_after_calling_her(
        advisor: Browser, rasa: RasaStandIn, db_session):
    chat, code = web_guest_booking(db_session, DANA)
    rasa.script(chat, EVENTS, channel="webchat")
    page = advisor.get(f"/conversations/{chat}").text
    assert "move this booking to their account" in page
    moved = advisor.submit(f"/conversations/{chat}/move-to-owner", page=f"/conversations/{chat}")
    assert moved.status_code == 302
    moved = advisor.get(moved.headers["Location"])
    assert "now on the owner" in moved.text, moved.text
    assert "moved to <a" in moved.text and "Unverified web guest" not in moved.text
    db_session.expire_all()
    dana = find_owner_by_mobile(db_session, DANA)
    visits = appointments.upcoming(db_session, dana.id, NOW)
    assert code in [v.code for v in visits]
    assert "2019 RX 350" in [v.label for v in dana.vehicles]


def test_nothing_moves_to_nobody(advisor: Browser, rasa: RasaStandIn, db_session):
    chat, code = web_guest_booking(db_session, "+15125550177")
    rasa.script(chat, EVENTS, channel="webchat")
    page = advisor.get(f"/conversations/{chat}").text
    assert "move this booking" not in page
    refused = advisor.submit(f"/conversations/{chat}/move-to-owner",
                             page=f"/conversations/{chat}")
    refused = advisor.get(refused.headers["Location"])
    assert "Nothing was moved" in refused.text and code in refused.text
