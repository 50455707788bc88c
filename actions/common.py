"""Helpers every action uses: database work off the event loop, and who is texting."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy.orm import Session

from bot import clock
from bot.dealership import web_sessions
from bot.dealership.db import session_scope
from bot.dealership.models import Owner
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership

T = TypeVar("T")


async def in_session(work: Callable[[Session], T]) -> T:
    """Runs `work(session)` in a worker thread with a session of its own.

    The action server's event loop serves every conversation at once: a database call made on it
    would stall them all, and a session shared between concurrent actions would mix their work.
    """

    def run() -> T:
        with session_scope() as session:
            return work(session)

    return await asyncio.to_thread(run)


@dataclass(frozen=True)
class Caller:
    """Who a conversation is with, as the slots keep it."""

    owner_id: int | None
    owner_name: str | None
    dealership_name: str
    service_phone: str

    def slots(self) -> dict[str, Any]:
        return {
            "owner_id": self.owner_id,
            "owner_name": self.owner_name,
            "is_guest": self.owner_id is None,
            "dealership_name": self.dealership_name,
            "service_phone": self.service_phone,
        }


def identify(conversation_id: str) -> Callable[[Session], Caller]:
    """The caller behind a conversation id: on SMS and REST it is the phone number; a web chat
    is a guest's until the visitor proved an owner's mobile number with a texted code."""

    def work(session: Session) -> Caller:
        dealership = get_dealership(session)
        if web_sessions.is_web(conversation_id):
            owner_id = web_sessions.verified_owner_id(session, conversation_id,
                                                      clock.real_now())
            owner = session.get(Owner, owner_id) if owner_id is not None else None
        else:
            owner = find_owner_by_mobile(session, conversation_id)
        return Caller(
            owner_id=owner.id if owner else None,
            owner_name=owner.first_name if owner else None,
            dealership_name=dealership.name,
            service_phone=display(dealership.service_phone),
        )

    return work


def said_this_turn(tracker) -> set[str]:
    """Slots set since the owner's latest message (by entities it carried)."""
    names: set[str] = set()
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "slot":
            names.add(event["name"])
    return names


def said_last_turn(tracker) -> list[str]:
    """What the bot answered to the owner's message before the latest one."""
    users, said = 0, []
    for event in reversed(tracker.events):
        users += event.get("event") == "user"
        if users == 2:
            break
        if users == 1 and event.get("event") == "bot" and event.get("text"):
            said.append(event["text"])
    return said[::-1]


def bot_spoke_this_turn(tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot":
            return True
    return False


def media_urls(tracker) -> list[str]:
    """Photos sent with the latest message (the SMS channel passes them as metadata)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            urls = (event.get("metadata") or {}).get("media_urls") or []
            return [str(u) for u in urls if isinstance(u, str)][:10]
    return []


def car_buttons(labels: list[str]) -> list[dict[str, str]]:
    """One button per car of the owner's: a tap names it as if typed."""
    return [{"title": car, "payload": '/inform{"vehicle": "' + car + '"}'} for car in labels]


def ask_to_verify(dispatcher, tracker, then: str, what: str) -> list[dict[str, Any]] | None:
    """On the website a guest sees nothing of an owner's until they prove the mobile number:
    says so and starts verifying, to run `then` afterwards. None on other channels."""
    if not web_sessions.is_web(tracker.sender_id):
        return None
    dispatcher.utter_message(text=f"I can help with {what} once I know it's you.")
    return [SlotSet("verify_then", then), FollowupAction("action_start_verification")]
