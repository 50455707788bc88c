"""A time corrected right after a booking's confirmation ("omg wait sorry i meant monday not
sat, same time") moves the visit just booked, after the move's own question; it does not start
another booking."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.cannot_help import ActionInformUnprompted
from tests.actions.test_moving_times import ask_to_move, dana_on_friday  # noqa: F401
from tests.demo import EMILY


def after_booking(text: str, reply: str = "utter_booked") -> list[dict]:
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "when", "value": "monday"}]}
    events = [{"event": "user", "text": "yes"},
              {"event": "bot", "text": "...", "metadata": {"utter_action": reply}},
              {"event": "user", "text": text, "parse_data": message}]
    tracker = Tracker(EMILY, {"owner_id": 7.0, "booked_code": "BLC8A9"}, message, events,
                      False, None, {}, "action_listen")
    return asyncio.run(ActionInformUnprompted().run(CollectingDispatcher(), tracker, {}))


def test_a_correction_right_after_the_confirmation_moves_the_visit_just_booked():
    events = after_booking("omg wait sorry i meant monday not sat same time")
    assert {"event": "slot", "name": "change_code", "value": "BLC8A9"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events]
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_ask_reschedule"


def test_without_a_correction_or_right_after_something_else_it_is_a_booking():
    assert "action_ask_reschedule" not in [e.get("name") for e in after_booking("monday too")]
    assert "action_ask_reschedule" not in [
        e.get("name") for e in after_booking("sorry i meant monday", reply="utter_ok")]


def test_the_move_keeps_the_time_on_the_day_said(dana_on_friday):  # noqa: F811
    said = ask_to_move(dana_on_friday, "omg wait sorry i meant monday not fri, same time",
                       "monday")
    assert said["response"] == "utter_confirm_move" and said["when"] == "Mon Nov 30 at 9:00 AM"
