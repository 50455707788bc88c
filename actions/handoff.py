"""Handing a conversation to a person: honest about who answers and when, with a ticket the
service team sees in its queue (bot/staff). The hand-over itself is `common.hand_off`: not
being understood twice hands over too."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import hand_off, intent_of


class ActionHandOff(Action):
    def name(self) -> str:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        await hand_off(dispatcher, tracker, intent_of(tracker) or "request_human")
        return []
