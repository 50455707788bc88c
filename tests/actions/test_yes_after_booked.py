""""ok yes book it" right after "You're booked": the booking stands, said with its code, and
nothing is booked again; a yes that nothing waited for is an okay."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.greeting import ActionOk


def answered(previous: str, metadata: dict | None = None, code: str | None = "XVA9RN"
             ) -> list[dict]:
    message = {"text": "ok yes book it", "intent": {"name": "affirm", "confidence": 0.99},
               "entities": []}
    events = [{"event": "user", "text": "yes"},
              {"event": "bot", "text": "...", "metadata": {"utter_action": previous,
                                                           **(metadata or {})}},
              {"event": "user", "text": "ok yes book it", "parse_data": message}]
    tracker = Tracker("+15125550199", {"booked_code": code}, message, events, False, None,
                      {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOk().run(dispatcher, tracker, {}))
    return dispatcher.messages


def test_a_yes_after_the_booking_says_it_is_booked_already():
    said = answered("utter_booked_with_loaner")
    assert [m["response"] for m in said] == ["utter_booked_already"]
    assert said[0]["code"] == "XVA9RN"


def test_a_yes_after_two_cars_booked_says_both_codes():
    said = answered("utter_booked_cars", {"codes": "JT73VP and UBTQF5"}, code=None)
    assert [m["response"] for m in said] == ["utter_booked_already"]
    assert said[0]["code"] == "JT73VP and UBTQF5"


def test_a_yes_after_anything_else_is_an_okay():
    assert [m["response"] for m in answered("utter_hours")] == ["utter_ok"]


def test_a_yes_to_add_it_after_a_text_in_parts_that_added_it_is_added_already():
    whole = "can u add that charging recall thing to it? how much longer would i be there"
    message = {"text": "ok yes add it, ill still wait", "entities": [],
               "intent": {"name": "affirm", "confidence": 0.9}}
    events = [{"event": "user", "text": "can u add that charging recall thing to it?",
               "metadata": {"whole_text": whole, "part": 1}},
              {"event": "bot", "text": "Done: ...", "metadata": {
                  "utter_action": "utter_added_to_visit"}},
              {"event": "bot", "text": "The whole visit takes about 2 hours.", "metadata": {
                  "utter_action": "utter_visit_length"}},
              {"event": "user", "text": "how much longer would i be there",
               "metadata": {"whole_text": whole, "part": 2}},
              {"event": "user", "text": message["text"], "parse_data": message}]
    tracker = Tracker("+17375550110", {"booked_code": "WTGSBG"}, message, events, False, None,
                      {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOk().run(dispatcher, tracker, {}))
    assert [(m["response"], m.get("code")) for m in dispatcher.messages] == \
        [("utter_added_already", "WTGSBG")]


def test_asked_again_once_added_it_is_added_already():
    from actions.cannot_help import ActionInformUnprompted

    message = {"text": "ok add it, ill still just wait", "entities": [],
               "intent": {"name": "inform", "confidence": 0.7}}
    events = [{"event": "bot", "text": "Done: ...", "metadata": {
                  "utter_action": "utter_added_to_visit"}},
              {"event": "user", "text": "how long will it all take now"},
              {"event": "bot", "text": "Plan on about 2 hours", "metadata": {
                  "utter_action": "utter_service_time"}},
              {"event": "user", "text": message["text"], "parse_data": message}]
    tracker = Tracker("+17375550110", {"booked_code": "WTGSBG"}, message, events, False, None,
                      {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionInformUnprompted().run(dispatcher, tracker, {}))
    assert [(m["response"], m["code"]) for m in dispatcher.messages] == \
        [("utter_booked_already", "WTGSBG")]


def test_work_added_to_the_visit_named_joins_it(on_demo_db, monkeypatch):
    """"ok. add the battery thing to tmrws appt then", read as a look at the visits: the work
    joins the visit named (Vikram's LX tomorrow), not a list of his visits."""
    from sqlalchemy.orm import Session

    from actions.appointments import ActionCheckAppointment
    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile

    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(on_demo_db), future=True) as session:
        vikram = find_owner_by_mobile(session, "+17375550172").id
    message = {"text": "ok. add the battery thing to tmrws appt then", "entities": [],
               "intent": {"name": "check_appointment", "confidence": 0.9}}
    tracker = Tracker("+17375550172", {"owner_id": vikram}, message,
                      [{"event": "user", "text": message["text"], "parse_data": message}],
                      False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCheckAppointment().run(dispatcher, tracker, {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["services"] == ["battery"] and slots["join_visit"] is True
    assert dispatcher.messages == []


def test_a_question_about_a_lease_says_no_time_of_the_visit():
    from actions.common import said_in_booking

    lease = {"intent": {"name": "ownership",
                        "full_retrieval_intent_name": "ownership/lease_end"}}
    hours = {"intent": {"name": "inform"}}
    events = [{"event": "user", "text": "rotation wed with a loaner, dropping off like 7"},
              {"event": "action", "name": "action_start_booking"},
              {"event": "user", "text": "also my lease is up next month, is it worth it?",
               "parse_data": lease},
              {"event": "user", "text": "maybe around 8 instead", "parse_data": hours},
              {"event": "user", "text": "ok make it thurs"}]
    tracker = Tracker("+15125550164", {}, {"text": "ok make it thurs"}, events, False, None,
                      {"name": "booking_form"}, "action_listen")
    assert said_in_booking(tracker) == ("rotation wed with a loaner, dropping off like 7",
                                        "maybe around 8 instead")


def test_a_no_right_after_booking_with_a_cancel_next_leaves_the_cancel_to_say_it(on_demo_db):
    def said(then: str | None) -> list[str]:
        metadata = {"whole_text": "omg sorry nvm. pls cancel it", "part": 1, "parts": 2,
                    **({"then": then} if then else {})}
        message = {"text": "omg sorry nvm.", "intent": {"name": "deny", "confidence": 0.9},
                   "entities": [], "metadata": metadata}
        events = [{"event": "bot", "text": "You're booked ... (code XVA9RN).",
                   "metadata": {"utter_action": "utter_booked"}},
                  {"event": "user", "text": message["text"], "parse_data": message,
                   "metadata": metadata}]
        tracker = Tracker("+15125550199", {"booked_code": "XVA9RN"}, message, events, False,
                          None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionOk().run(dispatcher, tracker, {}))
        return [m["response"] for m in dispatcher.messages]

    assert said("cancel_appointment") == []
    assert said(None) == ["utter_booked_what_to_change"]  # a bare no: what may change
