"""A web visitor proves nothing by typing a number: a guest's booking goes on a guest record,
never on the account the number may belong to; codes are texted after the reply, within limits
that hold, and are never kept in plain text. The actions run here on a demo database, as the
action server runs them, texting through a Twilio stand-in."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import background
from actions.booking import ActionBookAppointment, ValidateBookingForm
from actions.common import identify
from actions.verification import ValidateVerifyForm
from bot.dealership import appointments, scheduling, web_sessions
from bot.dealership.db import session_scope
from bot.dealership.models import Appointment, Base, OutboundMessage, Owner, WebSession
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.profile import local_now
from bot.settings import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, DEMO_NUMBER
from tools.twilio_standin import SentMessage, TwilioStandIn

DANA = "+15125550142"
STRANGER = "+15125550177"
HELD_AT_MOST = 30.0  # seconds a held message waits before the stand-in gives up holding it


class HeldTwilio(TwilioStandIn):
    """Twilio that accepts no message while `held` is cleared, as it may stall under load."""

    def __init__(self) -> None:
        super().__init__()
        self.held = threading.Event()
        self.held.set()  # open unless a test holds it

    def _record(self, message: SentMessage) -> None:
        self.held.wait(HELD_AT_MOST)
        super()._record(message)


@pytest.fixture
def twilio() -> Iterator[HeldTwilio]:
    with HeldTwilio() as standin:
        yield standin


@pytest.fixture
def on_demo_db(demo_db, twilio, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")  # a Monday
    monkeypatch.setenv("TWILIO_API_BASE", twilio.api_base)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", DEMO_ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", DEMO_AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_NUMBER", DEMO_NUMBER)
    return demo_db


def new_chat(address: str = "198.51.100.7") -> str:
    with session_scope() as session:
        return web_sessions.resume_or_start(session, None, local_now(session),
                                            client_ip=address).conversation_id


def tracker(sender: str, text: str = "", intent: str = "inform", **slots) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return Tracker(sender, slots, message, [{"event": "user", "text": text,
                                             "parse_data": message}],
                   False, None, {}, "action_listen")


def first_open_slot() -> str:
    with session_scope() as session:
        now = local_now(session)
        return scheduling.open_slots(session, None, 60, now).slots[0].isoformat()


def book_as_web_guest(chat: str, gave: str, name: str = "Mallory Stone") -> str:
    t = tracker(chat, "yes", "affirm", guest_name=name, guest_mobile=gave,
                vehicle="2019 RX 350", vehicle_id=None, services=["oil_change"],
                appointment_time=first_open_slot(), transport="wait", confirm_booking=True,
                owner_id=None, service_phone="(512) 555-0100")
    dispatcher = CollectingDispatcher()

    async def run() -> None:
        await ActionBookAppointment().run(dispatcher, t, {})
        await background.settled()

    asyncio.run(run())
    return dispatcher.messages


def unlike(messages: list[dict], *differ: str) -> list[dict]:
    """What was said (response names and variables) but the variables that may differ."""
    return [{k: v for k, v in m.items() if k not in differ} for m in messages]


def dana_now() -> tuple[str, list[str], list[str]]:
    with session_scope() as session:
        dana = find_owner_by_mobile(session, DANA)
        visits = appointments.upcoming(session, dana.id, local_now(session))
        return dana.name, [v.label for v in dana.vehicles], [a.code for a in visits]


def test_a_web_guest_giving_an_owners_number_writes_nothing_to_her_account(on_demo_db, twilio):
    before = dana_now()
    chat = new_chat()
    said = book_as_web_guest(chat, "(512) 555-0142")
    assert said[0]["response"] == "utter_booked_web_guest", said
    assert dana_now() == before  # her name, cars and appointments: untouched

    with session_scope() as session:
        booked = session.execute(select(Appointment).order_by(Appointment.id.desc())
                                 .limit(1)).scalar_one()
        guest = booked.owner
        assert (guest.name, guest.mobile, guest.source, guest.unverified_mobile) == (
            "Mallory Stone", None, "web", DANA)
        assert (booked.vehicle.year, booked.vehicle.model) == (2019, "RX 350")
        chat_row = session.execute(select(WebSession).where(
            WebSession.conversation_id == chat)).scalar_one()
        assert chat_row.guest_owner_id == guest.id and chat_row.owner_id is None
    # A text from Dana's number later is Dana's, not the visitor's.
    with session_scope() as session:
        caller = identify(DANA)(session)
    assert caller.owner_name == "Dana" and booked.code not in dana_now()[2]
    # The confirmation the visitor was promised went to the number they gave.
    (text,) = [m for m in twilio.wait_for_text_to(DANA) if "Confirmation code" in m.body]
    assert booked.code in text.body and "2019 RX 350" in text.body


def test_the_reply_is_the_same_whether_or_not_the_number_is_on_file(on_demo_db):
    on_file = book_as_web_guest(new_chat(), DANA)
    stranger = book_as_web_guest(new_chat(), STRANGER)
    assert unlike(on_file, "mobile", "code") == unlike(stranger, "mobile", "code")
    assert on_file[0]["response"] == "utter_booked_web_guest"  # "I'm texting the details"
    with session_scope() as session:
        # A number on no account becomes nobody's identity either.
        assert find_owner_by_mobile(session, STRANGER) is None
        guests = session.execute(select(Owner).where(Owner.source == "web")).scalars().all()
        assert sorted(g.unverified_mobile for g in guests) == [DANA, STRANGER]


def test_a_guest_who_texts_in_still_becomes_an_owner_with_the_year_kept(on_demo_db):
    t = tracker(STRANGER, "its a 2020 rx 350", requested_slot="vehicle", owner_id=None)
    slots = asyncio.run(ValidateBookingForm().validate_vehicle(
        "rx 350", CollectingDispatcher(), t, {}))
    assert slots == {"vehicle": "2020 RX 350", "vehicle_id": None}
    events = asyncio.run(ActionBookAppointment().run(CollectingDispatcher(), tracker(
        STRANGER, "yes", "affirm", guest_name="Sam Ortiz", vehicle="2020 RX 350",
        services=["oil_change"], appointment_time=first_open_slot(), transport="wait",
        confirm_booking=True), {}))
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["is_guest"] is False
    with session_scope() as session:
        sam = find_owner_by_mobile(session, STRANGER)
        assert sam.name == "Sam Ortiz" and [v.label for v in sam.vehicles] == ["2020 RX 350"]


def verify_phone(chat: str, number: str, twilio: HeldTwilio | None = None
                 ) -> tuple[list[dict], dict, int]:
    """Asks for a code in the verify form: what the reply said, the slots, and how many texts
    Twilio had accepted for it when the reply was ready. With `twilio`, it holds every text
    until the reply is ready, so a reply that waited for a text would time the text out."""
    dispatcher = CollectingDispatcher()
    t = tracker(chat, number, requested_slot="verify_phone", service_phone="(512) 555-0100")

    async def run() -> tuple[dict, int]:
        before = len(twilio.sent) if twilio is not None else 0
        if twilio is not None:
            twilio.held.clear()
        try:
            slots = await asyncio.wait_for(ValidateVerifyForm().validate_verify_phone(
                number, dispatcher, t, {}), HELD_AT_MOST / 2)
            accepted = len(twilio.sent) - before if twilio is not None else 0
        finally:
            if twilio is not None:
                twilio.held.set()
        await background.settled()
        return slots, accepted

    slots, accepted = asyncio.run(run())
    return dispatcher.messages, slots, accepted


def test_the_code_reply_never_waits_for_the_text_and_reads_the_same_for_a_stranger(
        on_demo_db, twilio):
    owner_said, _, owner_accepted = verify_phone(new_chat(), DANA, twilio)
    stranger_said, _, stranger_accepted = verify_phone(new_chat(), STRANGER, twilio)
    # The reply was ready while Twilio still held the owner's code: it did not wait for it.
    assert owner_accepted == 0 and stranger_accepted == 0
    assert unlike(owner_said, "mobile") == unlike(stranger_said, "mobile")
    assert [m.to for m in twilio.wait_for_text_to(DANA)] == [DANA]  # texted once released
    assert [m.to for m in twilio.sent] == [DANA]  # and nothing to the stranger
    with session_scope() as session:  # a reply that had waited would have timed the text out
        assert session.execute(select(OutboundMessage.to_number, OutboundMessage.status).where(
            OutboundMessage.purpose == "code")).all() == [(DANA, "accepted")]


def every_value(url: str) -> str:
    with session_scope(url) as session:
        return "\n".join(repr(tuple(row)) for table in Base.metadata.sorted_tables
                         for row in session.execute(select(table)))


def test_no_row_anywhere_holds_the_code(on_demo_db, twilio, monkeypatch):
    before = every_value(on_demo_db)
    code = next(f"{n:06d}" for n in range(314159, 10**6) if f"{n:06d}" not in before)
    monkeypatch.setattr(web_sessions, "new_code", lambda: code)
    verify_phone(new_chat(), DANA)
    (sent,) = twilio.wait_for_text_to(DANA)
    assert code in sent.body  # the text itself carries it
    assert code not in every_value(on_demo_db)


def test_after_the_limit_the_code_already_sent_still_works(on_demo_db, twilio, monkeypatch):
    codes = iter(["271828", "161803", "141421", "173205"])
    monkeypatch.setattr(web_sessions, "new_code", lambda: next(codes))
    for _ in range(web_sessions.CODES_PER_NUMBER - 1):  # others asked for Dana's number
        verify_phone(new_chat(), DANA)
    chat = new_chat()
    _, slots, _ = verify_phone(chat, DANA)
    sent = twilio.wait_for(web_sessions.CODES_PER_NUMBER)[-1].body
    code = re.search(r"\d{6}", sent).group(0)

    form = ValidateVerifyForm()
    resend = tracker(chat, "resend please", requested_slot="verify_code",
                     verify_phone=slots["verify_phone"], service_phone="(512) 555-0100")
    dispatcher = CollectingDispatcher()
    refused = asyncio.run(form.validate_verify_code("resend please", dispatcher, resend, {}))
    said = [m["response"] for m in dispatcher.messages]
    assert said == ["utter_last_code_still_works"], (said, refused)
    assert refused.get("verify_status") != "stopped"
    assert len(twilio.sent) == web_sessions.CODES_PER_NUMBER  # no fourth code

    typed = tracker(chat, code, requested_slot="verify_code", **refused)
    checked = asyncio.run(form.validate_verify_code(code, CollectingDispatcher(), typed, {}))
    assert checked["verify_status"] == "verified" and checked["owner_name"] == "Dana"


def test_a_refusal_says_the_same_for_a_number_on_file_or_not(on_demo_db, monkeypatch):
    monkeypatch.setenv("VERIFY_CODES_PER_ADDRESS", "1")
    verify_phone(new_chat("192.0.2.1"), STRANGER)
    verify_phone(new_chat("192.0.2.2"), STRANGER)
    owner_said, owner_slots, _ = verify_phone(new_chat("192.0.2.1"), DANA)
    stranger_said, stranger_slots, _ = verify_phone(new_chat("192.0.2.2"), "+15125550178")
    assert owner_said == stranger_said
    assert [m["response"] for m in owner_said] == ["utter_codes_paused"]
    assert owner_slots == stranger_slots == {"verify_phone": None, "verify_code": None,
                                             "verify_status": "stopped"}
