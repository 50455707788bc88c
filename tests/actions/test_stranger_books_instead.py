"""A stranger asks to move a visit, hears there is none under the number, then asks for a new
one: the booking starts, with what the text said, instead of the same answer again."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.changes import ActionAskReschedule
from scripts import situations

STRANGER = "+12145550111"


@pytest.fixture
def database(demo_db, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", situations.MONDAY)


def asked(text: str, intent: str, entities: list[dict]) -> tuple[list[str], list[dict]]:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "entities": entities}
    tracker = Tracker(STRANGER, {"owner_id": None}, message,
                      [{"event": "user", "text": text, "parse_data": message}], False, None,
                      {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskReschedule().run(dispatcher, tracker, {}))
    return [m.get("response") for m in dispatcher.messages], events


def test_a_new_visit_asked_after_nothing_to_move_is_booked(database):
    said, events = asked("hi i have an appt wed for my nx, can you push it to next week?",
                         "reschedule_appointment", [{"entity": "when", "value": "next week"}])
    assert said == ["utter_not_an_owner"]
    said, events = asked("whatever just book me a new one tues dec 1 at 10 for an oil change",
                         "inform", [{"entity": "service", "value": "oil_change"},
                                    {"entity": "when", "value": "dec 1 at 10"}])
    assert "utter_not_an_owner" not in said
    assert {"event": "followup", "name": "booking_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events]
    # a text with nothing of a visit in it hears the same answer
    said, _ = asked("hm maybe its under my husbands number", "inform", [])
    assert said == ["utter_not_an_owner"]


def test_a_visit_told_of_again_after_none_was_found_is_sent_to_the_desk(database):
    from actions.changes import ActionAskCancel

    text = "its under maria lopez, thursday at 10"
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "when", "value": "thursday at 10"}]}
    events = [{"event": "user", "text": "need to cancel my appt"},
              {"event": "bot", "text": "I don't have appointments under this number.",
               "metadata": {"utter_action": "utter_not_an_owner"}},
              {"event": "user", "text": text, "parse_data": message}]
    tracker = Tracker(STRANGER, {"owner_id": None, "service_phone": "(512) 555-0101"}, message,
                      events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskCancel().run(dispatcher, tracker, {}))
    # not the same words again: who can find it, by name
    assert [(m.get("response"), m.get("service_phone")) for m in dispatcher.messages] == [
        ("utter_not_an_owner_again", "(512) 555-0101")]
