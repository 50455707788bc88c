"""Messages the bot cannot help with: not understood, or outside what it does.

Never the same apology twice in a row: the second time it offers a person instead.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import hand_off
from actions.media import file_photos

APOLOGIES = ("utter_default", "utter_out_of_scope", "utter_default_again")
BOOKING_WORDS = {"when", "service", "transport"}


def last_bot_response(tracker: Tracker) -> str | None:
    """The response name of the bot's previous message, if it was a templated one."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


def answered_the_form(tracker: Tracker) -> bool:
    """The message filled the slot the form asked for as free text: a name the NLU could not
    place ("Hyunwoo Kwak") is an answer, not a message to apologise for and forget."""
    asked = tracker.get_slot("requested_slot")
    text = tracker.latest_message.get("text")
    return bool(tracker.active_loop_name and asked and text) and tracker.get_slot(asked) == text


class ActionCannotHelp(Action):
    def name(self) -> str:
        return "action_cannot_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        if await file_photos(dispatcher, tracker):
            return []
        if intent == "nlu_fallback" and answered_the_form(tracker):
            return []  # the form takes it as said, and goes on
        if not tracker.active_loop_name:
            # Imported here: the recall check's module imports the booking one, which imports
            # this one.
            from actions.booking import ActionStartBooking
            from actions.recalls import ActionCheckRecall, said_vin
            said = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
            if intent == "nlu_fallback" and len(said & BOOKING_WORDS) >= 2:
                # A long text whose intent is unclear but which names the work and the day
                # (or a ride): a booking, with what it said filled in.
                events = await ActionStartBooking().run(dispatcher, tracker, domain)
                return [*events, FollowupAction("booking_form")]
            if said_vin(tracker):
                # A VIN on its own, most often the answer to the recall check asking for one.
                return await ActionCheckRecall().run(dispatcher, tracker, domain)
        if last_bot_response(tracker) in APOLOGIES and intent == "nlu_fallback":
            # Two messages in a row not understood: a person takes it from here.
            await hand_off(dispatcher, tracker, intent)
        elif last_bot_response(tracker) in APOLOGIES:
            dispatcher.utter_message(response="utter_default_again")
        elif intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_default")
        # A message not understood is taken out of the history, so it cannot derail
        # whatever the owner was in the middle of.
        return [UserUtteranceReverted()] if intent == "nlu_fallback" else []
