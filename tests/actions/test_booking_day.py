"""The booking form reads the day from the message that started it when the entity extractor
missed it, and only then: the actions run here on a demo database, as the action server runs
them."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm


@pytest.fixture
def on_demo_db(demo_db, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")  # a Monday
    return demo_db


def tracker(text: str, intent: str = "book_service", entities: list | None = None,
            **slots) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "entities": entities or []}
    return Tracker("+15125550190", {"requested_slot": None, **slots}, message, [], False, None,
                   {"name": "booking_form"}, "action_listen")


def extract(t: Tracker) -> dict:
    return asyncio.run(ValidateBookingForm().extract_appointment_time(
        CollectingDispatcher(), t, {}))


@pytest.mark.parametrize("text", [
    "Hi! can I get my RX 350 in for a tire rotation thurs?",
    "oil change next tue after 2 pls",
    "can u fit me in asap for brakes",
    "need service on 12/3",
])
def test_a_day_the_extractor_missed_is_read_from_the_whole_message(on_demo_db, text):
    assert extract(tracker(text)) == {"appointment_time": text}


@pytest.mark.parametrize("text", [
    "can i get an oil change for my es 350",
    "need a tire rotation on the nx 450h+",
    "i have 2 cars, the 2019 gx needs brakes",
])
def test_no_day_no_time(on_demo_db, text):
    assert extract(tracker(text)) == {}


def test_only_the_message_that_starts_the_booking(on_demo_db):
    text = "my check engine light came on yesterday"
    assert extract(tracker(text, intent="report_issue")) == {}
    assert extract(tracker("friday", requested_slot="transport")) == {}
    assert extract(tracker("tmrw at 9", appointment_time="2026-11-24T09:00:00-06:00")) == {}
    found = [{"entity": "when", "value": "thurs", "start": 0, "end": 5}]
    assert extract(tracker("thurs", entities=found)) == {}  # the entity fills it already


def test_the_day_read_is_then_checked_like_any_other(on_demo_db):
    """Thursday is Thanksgiving: the reply says so and offers the nearest open times."""
    text = "Hi! can I get my RX 350 in for a tire rotation thurs?"
    dispatcher = CollectingDispatcher()
    form = ValidateBookingForm()
    slots = asyncio.run(form.validate_appointment_time(
        text, dispatcher, tracker(text, services=["tire_rotation"]), {}))
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert slots["appointment_time"] is None and len(slots["offered_slots"]) >= 1
    assert "Thanksgiving" in said
