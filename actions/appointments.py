"""An owner's appointments: what is booked, and how the car is coming along."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import ask_to_verify, in_session
from actions.phrases import when_text
from bot.dealership import appointments
from bot.dealership.profile import local_now

NOT_AN_OWNER = ("I don't have appointments under this number. If you booked with another "
                "number, text from that one, or I can book something new for you.")


def describe(appointment, now) -> str:
    what = " and ".join(s.name.lower() for s in appointment.services)
    return (f"{what} for your {appointment.vehicle.label} {when_text(appointment.starts_at, now)}"
            f" (code {appointment.code})")


class ActionCheckAppointment(Action):
    def name(self) -> str:
        return "action_check_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = tracker.get_slot("owner_id")
        if owner_id is None:
            if asked := ask_to_verify(dispatcher, tracker, self.name(), "your appointments"):
                return asked
            dispatcher.utter_message(text=NOT_AN_OWNER)
            return []

        def work(session) -> list[str]:
            now = local_now(session)
            return [describe(a, now) for a in appointments.upcoming(session, int(owner_id), now)]

        booked = await in_session(work)
        if not booked:
            dispatcher.utter_message(
                text="You don't have anything booked right now. Want me to set something up?")
        elif len(booked) == 1:
            dispatcher.utter_message(text=f"You're booked for {booked[0]}.")
        else:
            dispatcher.utter_message(text="You have: " + "; ".join(booked[:3]) + ".")
        return []


class ActionCheckServiceStatus(Action):
    def name(self) -> str:
        return "action_check_service_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = tracker.get_slot("owner_id")
        if owner_id is None:
            if asked := ask_to_verify(dispatcher, tracker, self.name(), "your car's status"):
                return asked
            dispatcher.utter_message(text=NOT_AN_OWNER)
            return []

        def work(session) -> str:
            now = local_now(session)
            visit = appointments.latest_visit(session, int(owner_id), now)
            if visit is None:
                return "I don't see your car with us right now, and nothing is booked."
            car = visit.vehicle.label
            if visit.status == "scheduled":
                return (f"Your {car} isn't with us yet: it's booked "
                        f"{when_text(visit.starts_at, now)}.")
            if visit.status == "ready_for_pickup":
                return f"Good news: your {car} is ready for pickup!"
            return f"Your {car} is {appointments.STATUS_WORDS[visit.status]}."

        dispatcher.utter_message(text=await in_session(work))
        return []
