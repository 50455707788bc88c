"""Asking for a person: honest about who answers and when."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import in_session
from actions.phrases import when_text
from bot.dealership.handoff import open_ticket, staffed_now
from bot.dealership.profile import local_now


class ActionHandOff(Action):
    def name(self) -> str:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = tracker.get_slot("owner_id")

        def work(session) -> tuple[int, str | None]:
            now = local_now(session)
            ticket = open_ticket(
                session, conversation_id=tracker.sender_id,
                channel=tracker.get_latest_input_channel() or "rest",
                owner_id=int(owner_id) if owner_id is not None else None,
                reason=tracker.latest_message.get("text") or "asked for a person")
            opens = staffed_now(session, now)
            return ticket.id, when_text(opens, now) if opens else None

        ticket, opens = await in_session(work)
        phone = tracker.get_slot("service_phone")
        if opens:
            text = (f"I've asked our service team to reply here; we're closed now, so someone "
                    f"will text you when we open {opens}. Or call {phone} then.")
        else:
            text = (f"I've asked a service advisor to take over; they'll reply right here "
                    f"shortly. If it's urgent, call {phone}.")
        dispatcher.utter_message(text=f"{text} (Ref #{ticket})")
        return []
