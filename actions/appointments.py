"""An owner's appointments: what is booked, and how the car is coming along."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import ask_to_verify, owner_id_of, tell_appointments, tell_service_status


class ActionCheckAppointment(Action):
    def name(self) -> str:
        return "action_check_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        if owner_id is None:
            if asked := ask_to_verify(dispatcher, tracker, self.name(),
                                      "utter_verify_for_appointments"):
                return asked
            dispatcher.utter_message(response="utter_not_an_owner")
            return []
        await tell_appointments(dispatcher, owner_id)
        return []


class ActionCheckServiceStatus(Action):
    def name(self) -> str:
        return "action_check_service_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        if owner_id is None:
            if asked := ask_to_verify(dispatcher, tracker, self.name(),
                                      "utter_verify_for_status"):
                return asked
            dispatcher.utter_message(response="utter_not_an_owner")
            return []
        await tell_service_status(dispatcher, owner_id)
        return []
