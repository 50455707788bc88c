"""A yes to a cancel asked about, said in words the classifier reads as a cancel of its own."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker

ASKED = {"event": "bot", "text": "Cancel your ...?",
         "metadata": {"utter_action": "utter_confirm_cancel"}}


def cancelled_by(monkeypatch, text: str, *before: dict) -> list[str]:
    """The visits the cancel action was run for, on `text` after the events `before`."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.changes import ActionAskCancel, ActionCancelAppointment
    events = [*before, {"event": "user", "text": text}]
    t = Tracker("+15125550190", {"change_code": "ABC123", "owner_id": 3},
                {"text": text, "intent": {"name": "cancel_appointment"}}, events,
                False, None, None, "action_listen")
    calls = []

    async def cancels(self, dispatcher, tracker, domain):
        calls.append(tracker.get_slot("change_code"))
        return []

    monkeypatch.setattr(ActionCancelAppointment, "run", cancels)
    asyncio.run(ActionAskCancel().run(CollectingDispatcher(), t, {}))
    return calls


def test_yes_cancel_it_to_the_cancel_asked_is_the_yes(monkeypatch):
    asked = [{"event": "user", "text": "cancel the one on friday"}, ASKED]
    assert cancelled_by(monkeypatch, "yep cancel it", *asked) == ["ABC123"]  # asked, done


def test_a_yes_cancel_it_after_a_question_in_between_is_the_yes(monkeypatch):
    asked = [{"event": "user", "text": "need to cancel tmrw"}, ASKED,
             {"event": "user", "text": "wait is there a fee for that"},
             {"event": "bot", "text": "There's no fee to cancel or move a visit.",
              "metadata": {"utter_action": "utter_ownership_answer"}}]
    assert cancelled_by(monkeypatch, "ok then yes cancel it, ill rebook after thanksgiving",
                        *asked) == ["ABC123"]


def test_a_fee_asked_of_that_cancel_is_the_fee_for_cancelling():
    from actions.ownership import of_the_change_asked

    def after(response: str, text: str) -> Tracker:
        events = [{"event": "bot", "text": "...", "metadata": {"utter_action": response}},
                  {"event": "user", "text": text}]
        return Tracker("+15125550190", {}, {"text": text, "entities": []}, events, False,
                       None, None, "action_listen")

    text = "wait is there a fee for that"
    assert "cancel" in of_the_change_asked(after("utter_confirm_cancel", text), text)
    assert of_the_change_asked(after("utter_offer_times", text), text) == text
    assert of_the_change_asked(after("utter_confirm_cancel", "ok"), "ok") == "ok"


def test_leave_it_to_a_change_asked_about_keeps_it():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.cannot_help import cannot_help
    text = "wait no leave it, tmrw works after all. sorry!"
    t = Tracker("+15125550190", {"change_code": "ABC123", "owner_id": 3,
                                 "appointment_time": "2026-11-27T11:00:00-06:00"},
                {"text": text, "intent": {"name": "nlu_fallback"}},
                [{"event": "user", "text": text}], False, None, None, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(cannot_help(dispatcher, t))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_kept"]
    assert {e["name"]: e["value"] for e in events}["change_code"] is None


def test_a_recall_asked_about_mid_booking_joins_the_work_only_when_asked_for():
    from rasa_sdk.events import SlotSet

    from actions.common import fix_joins
    from bot.dealership.recalls import CarRecalls, OpenRecall, Recalls
    found = Recalls([CarRecalls("2019 GX 460", "VIN", [OpenRecall("24TA05", "latch", "fix")],
                                True)], fix_car=7)

    def asked(text: str, vehicle_id: int | None, kept: list) -> bool:
        t = Tracker("+15125550199", {"vehicle_id": vehicle_id, "services": ["brake_inspection"]},
                    {"text": text}, [], False, None, {"name": "booking_form"}, "action_listen")
        return fix_joins(t, found, text, kept)

    assert asked("isnt there a recall on it too? can u do both", 7, [])
    # just named as the car being booked, in the same text
    assert asked("the gx. isnt there a recall on it too? can u do both", None,
                 [SlotSet("vehicle_id", 7)])
    assert not asked("isnt there a recall on it too?", 7, [])  # a question, not work asked
    assert not asked("can u do both", 8, [])  # another car is being booked


def test_another_hour_to_a_move_asked_about_is_no_yes_to_it(demo_db, monkeypatch):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.changes import ActionRescheduleAppointment
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    proposed = "2026-11-24T09:30:00-06:00"

    def reply(text: str) -> list[dict]:
        t = Tracker("+17375550110", {"change_code": "ABC123", "owner_id": 3,
                                     "appointment_time": proposed},
                    {"text": text, "intent": {"name": "affirm"}},
                    [{"event": "user", "text": text}], False, None, None, "action_listen")
        return asyncio.run(ActionRescheduleAppointment().run(CollectingDispatcher(), t, {}))

    events = reply("7 works")
    assert {"event": "slot", "timestamp": None, "name": "appointment_time",
            "value": "Tue Nov 24 at 7 works"} in events
    assert events[-1]["name"] == "action_ask_reschedule"  # asked again, at 7: nothing moved


def test_same_time_on_another_day_is_the_other_day_named(demo_db, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from actions.changes import said_otherwise
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    friday_3pm = datetime(2026, 11, 27, 15, tzinfo=ZoneInfo("America/Chicago"))
    for text in ("ugh cancel friday and book monday instead same time",
                 "monday same time then"):
        assert asyncio.run(said_otherwise(text, friday_3pm)) == "Mon Nov 30 at 3:00 PM", text
    assert asyncio.run(said_otherwise("can we keep friday same time", friday_3pm)) is None


def test_a_yes_to_the_times_offered_for_a_move_is_read_by_the_moves_question():
    # "ugh right. fri then", read as a yes: the move's question reads the day and asks to
    # confirm, so that the next yes moves it
    from rasa_sdk.events import FollowupAction
    from rasa_sdk.executor import CollectingDispatcher

    from actions.changes import ActionRescheduleAppointment
    t = Tracker("+15125550190", {"change_code": "ABC123", "owner_id": 3,
                                 "offered_slots": ["2026-11-27T13:30:00-06:00"]},
                {"text": "ugh right. fri then", "intent": {"name": "affirm"}},
                [{"event": "user", "text": "ugh right. fri then"}], False, None, None,
                "action_listen")
    events = asyncio.run(ActionRescheduleAppointment().run(CollectingDispatcher(), t, {}))
    assert events == [FollowupAction("action_ask_reschedule")]


def test_yes_and_the_cancel_asked_again_is_the_yes_on_both_databases(demo_db, monkeypatch):
    from actions.changes import cancel_said_again
    from tests.actions.test_moving_times import FRI_9, book_dana

    owner_id, code = book_dana(demo_db, monkeypatch, FRI_9)

    def said(text: str, intent: str = "cancel_appointment") -> bool:
        events = [{"event": "user", "text": "need to cancel my rx visit"},
                  {**ASKED}, {"event": "user", "text": text}]
        tracker = Tracker("+15125550142", {"change_code": code, "owner_id": owner_id},
                          {"text": text, "intent": {"name": intent}, "entities": []}, events,
                          False, None, None, "action_listen")
        return asyncio.run(cancel_said_again(tracker))

    assert said("yes pls cancel")
    assert said("yeah go ahead and cancel the rx one")
    assert not said("cancel my netflix")  # no yes in it: asked again, not done
    assert not said("yes pls cancel", intent="affirm")  # (the rules take a plain yes)
    assert not said("no dont cancel it")


def test_a_move_left_unanswered_by_a_question_is_asked_again(on_demo_db):
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.common import move_asked_again

    def after(asked: str, slots: dict) -> list[dict]:
        message = {"text": "still shuttle right?", "intent": {"name": "check_appointment"},
                   "entities": []}
        events = [{"event": "user", "text": "actually make it 2 if u can"},
                  {"event": "bot", "text": "...", "metadata": {"utter_action": asked}},
                  {"event": "user", "text": "still shuttle right?", "parse_data": message}]
        tracker = Tracker("+17375550172", slots, message, events, False, None, {},
                          "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(move_asked_again(dispatcher, tracker))
        return dispatcher.messages

    pending = {"change_code": "MSD3P9", "appointment_time": "2026-11-25T14:00:00-06:00"}
    [again] = after("utter_confirm_move", pending)
    assert again["response"] == "utter_move_still_asked"
    assert again["when"] == "Wed Nov 25 at 2:00 PM"
    assert after("utter_visits", pending) == []  # no move asked last
    assert after("utter_confirm_move", {**pending, "change_code": None}) == []


def test_a_yes_that_says_the_time_put_back_is_the_yes(demo_db, monkeypatch):
    from datetime import datetime

    from rasa_sdk.executor import CollectingDispatcher

    import actions.changes as changes_actions
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    put = "2026-11-25T14:00:00-06:00"  # "Move it to Wed Nov 25 at 2:00 PM?"
    made = []

    async def make_move(dispatcher, tracker, owner_id, code, new):
        made.append(new)
        return []

    monkeypatch.setattr(changes_actions, "make_move", make_move)

    def reply(text: str, read_as: str) -> list[dict]:
        made.clear()
        t = Tracker("+15125550142", {"change_code": "ABC123", "owner_id": 1,
                                     "appointment_time": read_as},
                    {"text": text, "intent": {"name": "affirm"}},
                    [{"event": "slot", "name": "appointment_time", "value": put},
                     {"event": "user", "text": text}], False, None, None, "action_listen")
        return asyncio.run(changes_actions.ActionRescheduleAppointment().run(
            CollectingDispatcher(), t, {}))

    reply("yes 2pm wed", "wed 2pm")
    assert made == [datetime.fromisoformat(put)]
    reply("yes 2", "2")
    assert made == [datetime.fromisoformat(put)]
    # another hour or another day said back is no yes to the time put
    assert reply("yes 3pm wed", "wed 3pm")[-1]["name"] == "action_ask_reschedule"
    assert reply("yes 2pm fri", "fri 2pm")[-1]["name"] == "action_ask_reschedule"
    assert made == []
