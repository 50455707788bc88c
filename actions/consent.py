"""An opt-out said in words ("please stop texting me"): honoured like STOP, never argued with."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import sender_mobile
from actions.common import in_session
from bot.dealership import consent
from bot.dealership.profile import local_now


class ActionOptOut(Action):
    def name(self) -> str:
        return "action_opt_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        mobile = sender_mobile(tracker)
        if mobile is None:  # the web chat: there is no number to stop texting
            dispatcher.utter_message(text="Understood: we won't text you. You can close this "
                                          "chat anytime.")
            return []
        await in_session(lambda s: consent.opt_out(s, mobile, local_now(s), via="in words"))
        name = tracker.get_slot("dealership_name")
        dispatcher.utter_message(text=f"Understood. You won't get any more texts from {name}. "
                                      "Text START anytime to opt back in.")
        return []
