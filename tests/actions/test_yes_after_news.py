"""A yes after the booking's summary, when only news followed it in the same reply ("Got it:
reminders only after 9 AM"), is the summary's yes; after a question answered, it is asked
again."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ActionAskAgain


def yes_after(*said: str, transport: str | None = None) -> tuple[list[str], list[dict]]:
    message = {"text": "yes", "intent": {"name": "affirm", "confidence": 0.99}, "entities": []}
    events = [{"event": "user", "text": "oil change fri at 10", "metadata": {"part": 1}},
              {"event": "bot", "text": "", "metadata": {"utter_action": said[0]}},
              {"event": "user", "text": "pls no texts before 9", "metadata": {"part": 2}},
              *[{"event": "bot", "text": "", "metadata": {"utter_action": name}}
                for name in said[1:]],
              {"event": "user", "text": "yes", "parse_data": message}]
    tracker = Tracker("+15125550199", {"requested_slot": "confirm_booking",
                                       "transport": transport}, message, events, False, None,
                      {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    done = asyncio.run(ActionAskAgain().run(dispatcher, tracker, {}))
    return [m.get("response") for m in dispatcher.messages], done


def slots(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_a_yes_to_the_summary_with_news_after_it_books():
    said, done = yes_after("utter_confirm_booking_wait", "utter_text_hours_saved")
    assert said == [] and slots(done) == {"confirm_booking": True, "transport": "wait"}
    said, done = yes_after("utter_confirm_booking", "utter_text_hours_saved", transport="loaner")
    assert slots(done) == {"confirm_booking": True}


def test_a_yes_after_a_question_answered_asks_again():
    said, done = yes_after("utter_confirm_booking_wait", "utter_knowledge")
    assert said == ["utter_book_it_right"] and not slots(done)
