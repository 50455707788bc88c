"""Greeting: by name for a known number, as a guest otherwise."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.changes import ActionRescheduleAppointment, car_corrected
from actions.common import (
    BOOKED_CODE,
    codes_just_booked,
    identify,
    in_session,
    intent_of,
    just_added,
    move_just_booked,
    move_pending,
    previous_reply,
    reply_to_whole_text_before,
    say_ok,
)
from bot.dealership.replies import holiday_wished


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        # Looked up again: the guest of this morning may have booked (and become an owner) since.
        caller = await in_session(identify(tracker.sender_id))
        slots = caller.slots()
        if holiday := holiday_wished(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_holiday_wished_back", holiday=holiday)
        elif caller.owner_id is None:
            dispatcher.utter_message(response="utter_greet_guest", **slots)
        else:
            dispatcher.utter_message(response="utter_greet_owner", **slots)
        return [SlotSet(k, v) for k, v in slots.items()]


class ActionWelcome(Action):
    """Thanks: welcomed; a holiday wished ("happy thanksgiving!", read as thanks): wished
    back."""

    def name(self) -> str:
        return "action_welcome"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if holiday := holiday_wished(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_holiday_wished_back", holiday=holiday)
        else:
            dispatcher.utter_message(response="utter_you_are_welcome")
        return []


# What the next part of the same text asks of the visit just booked.
CHANGES_NEXT = ("cancel_appointment", "reschedule_appointment")


class ActionOk(Action):
    """A yes or no that nothing was waiting for."""

    def name(self) -> str:
        return "action_ok"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        code = codes_just_booked(tracker) or tracker.get_slot(BOOKED_CODE)
        # (what the owner's last text got, all of it: "Done: I've added..." and the visit's
        # length after it, for a text read in parts)
        replied = [*previous_reply(tracker), *reply_to_whole_text_before(tracker)]
        if code and intent_of(tracker) == "affirm" and \
                any(str(r or "").startswith(("utter_booked", "utter_added_to_visit"))
                    for r in replied):
            # "ok yes book it" right after "You're booked" (or "ok yeah add it" right after
            # "Done: I've added..."): it is, and nothing is booked twice
            added = just_added(tracker)
            dispatcher.utter_message(response="utter_added_already" if added
                                     else "utter_booked_already", code=code)
            return []
        if code and intent_of(tracker) == "deny" and \
                any(str(r or "").startswith("utter_booked") for r in previous_reply(tracker)):
            if (switched := await car_corrected(dispatcher, tracker)) is not None:
                return switched  # "no, the rz" right after "You're booked"
            if moved := move_just_booked(tracker):
                return moved  # "no make it 2pm" right after "You're booked": that visit moved
            if (tracker.latest_message.get("metadata") or {}).get("then") in CHANGES_NEXT:
                return []  # "omg sorry nvm... pls cancel it": the cancel, next, says it all
            # a bare "no" to a confirmation: kept as booked, and how to change it
            dispatcher.utter_message(response="utter_booked_what_to_change", code=code)
            return []
        if move_pending(tracker):
            # the yes or no to "move it to ...?" after a question answered in between
            if intent_of(tracker) == "affirm":
                return await ActionRescheduleAppointment().run(dispatcher, tracker, domain)
            dispatcher.utter_message(response="utter_kept")
            return [SlotSet(slot, None) for slot in ("change_code", "appointment_time")]
        say_ok(dispatcher, tracker)
        return []
