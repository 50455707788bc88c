"""Photos sent on their own: they belong to the owner's latest problem report."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import in_session, media_urls
from bot.dealership import reports
from bot.dealership.profile import local_now


async def file_photos(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Adds the latest message's photos to the conversation's recent case; False if none came."""
    urls = media_urls(tracker)
    if not urls:
        return False

    def work(session) -> str | None:
        case = reports.latest_case(session, tracker.sender_id, local_now(session))
        if case is None:
            return None
        reports.add_details(session, case.reference, media_urls=urls)
        return case.reference

    reference = await in_session(work)
    if reference:
        dispatcher.utter_message(text=f"Thanks, I've added that to case {reference} for the "
                                      "service team.")
    else:
        dispatcher.utter_message(text="Thanks for the photo. If something's wrong with your "
                                      "car, tell me what's happening and I'll write it up.")
    return True


class ActionReceiveMedia(Action):
    """A photo sent without words (the SMS channel sends it as intent share_media)."""

    def name(self) -> str:
        return "action_receive_media"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if not await file_photos(dispatcher, tracker):
            dispatcher.utter_message(text="I didn't get a photo there. Could you send it again?")
        return []
