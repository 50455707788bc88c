"""Handing a conversation to a person: honest about who answers and when, with a ticket the
service team sees in its queue (bot/staff)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import in_session
from actions.phrases import when_text
from bot.dealership.handoff import open_ticket, staffed_now
from bot.dealership.profile import local_now
from bot.dealership.web_sessions import is_web

# Why the assistant hands over, by what the owner just said, as the queue shows it.
WHY = {
    "request_human": "Asked for a person",
    "complain": "Upset",
    "nlu_fallback": "Not understood twice",
}
# What the owner was in the middle of.
DOING = {
    "booking_form": "booking service",
    "problem_form": "reporting a problem",
    "verify_form": "verifying their number",
}


def summary(tracker: Tracker, why: str) -> str:
    """One line for the queue: why, during what, and the owner's own words."""
    text = " ".join((tracker.latest_message.get("text") or "").split())
    doing = DOING.get((tracker.active_loop or {}).get("name") or "")
    services = tracker.get_slot("services") or []
    if doing == "booking service" and services:
        doing += f" ({', '.join(services)})"
    words = f': "{text[:120]}{"..." if len(text) > 120 else ""}"' if text else ""
    return f"{why}{f' while {doing}' if doing else ''}{words}"


async def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> None:
    """Opens (or finds) the conversation's ticket and tells the owner who replies and when."""
    owner_id = tracker.get_slot("owner_id")
    why = WHY.get(intent, "Asked for a person")

    def work(session) -> tuple[int, str | None]:
        now = local_now(session)
        ticket = open_ticket(
            session, conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            owner_id=int(owner_id) if owner_id is not None else None,
            reason=tracker.latest_message.get("text") or why.lower(),
            summary=summary(tracker, why))
        opens = staffed_now(session, now)
        return ticket.id, when_text(opens, now) if opens else None

    ticket, opens = await in_session(work)
    phone = tracker.get_slot("service_phone")
    here = "in this chat" if is_web(tracker.sender_id) else "by text, right here"
    sorry = "I'm sorry about this. " if intent == "complain" else ""
    if intent == "nlu_fallback":
        sorry = "Sorry, I'm not getting it. "
    if opens:
        text = (f"{sorry}I've passed this to our service team. We're closed now, so an advisor "
                f"will reply {here} when we open {opens}; your request is kept until then. "
                f"Or call {phone} then.")
    else:
        text = (f"{sorry}I've asked a service advisor to take over; they'll reply {here} "
                f"shortly. If it's urgent, call {phone}.")
    dispatcher.utter_message(text=f"{text} (Ref #{ticket})")


class ActionHandOff(Action):
    def name(self) -> str:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        await hand_off(dispatcher, tracker,
                       tracker.latest_message.get("intent", {}).get("name") or "request_human")
        return []
