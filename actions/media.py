"""Photos sent on their own: they belong to the owner's latest problem report."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import file_photos


class ActionReceiveMedia(Action):
    """A photo sent without words (the SMS channel sends it as intent share_media)."""

    def name(self) -> str:
        return "action_receive_media"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if not await file_photos(dispatcher, tracker):
            dispatcher.utter_message(response="utter_no_photo")
        return []
