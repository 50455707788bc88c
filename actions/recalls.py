"""Recalls: open campaigns for the owner's cars (or a VIN a guest sends), with the remedy,
and an offer to book the free fix. A VIN sent on its own is checked too (`common`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import check_recalls


class ActionCheckRecall(Action):
    def name(self) -> str:
        return "action_check_recall"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return await check_recalls(dispatcher, tracker)
