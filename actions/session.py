"""The start of every conversation session: who is this?"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import identify, in_session

# What belongs to one session: a request that waited since the last one is not taken up in
# the next, hours later.
SESSION_ONLY = {"waiting_request"}


class ActionSessionStart(Action):
    """Starts the session with the caller's identity in the slots, so every reply can use it."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        caller = await in_session(identify(tracker.sender_id))
        events: list[EventType] = [SessionStarted()]
        # Carried-over slots first, then fresh identity: a number may have become an owner.
        events += [SlotSet(k, v) for k, v in tracker.current_slot_values().items()
                   if k in domain.get("slots", {}) and v is not None and k not in SESSION_ONLY]
        events += [SlotSet(k, v) for k, v in caller.slots().items()]
        events.append(ActionExecuted("action_listen"))
        return events
