"""Moving and cancelling an owner's own appointments, always after a yes to a clear question."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.appointments import NOT_AN_OWNER, describe
from actions.booking import _as_datetime, check_time, offer_buttons
from actions.common import ask_to_verify, in_session
from actions.phrases import numbered, when_text
from bot.dealership import appointments
from bot.dealership.dates import pick_offered
from bot.dealership.profile import local_now
from bot.dealership.replies import running_late

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
CHANGE_SLOTS = ("change_code", "offered_appointments", "appointment_time", "offered_slots")


def pick_appointment(text: str, booked: list, offered: list[str]):
    """Which of the owner's appointments a reply means: its code, its number, its service."""
    said = text.lower()
    for appointment in booked:
        if appointment.code.lower() in said:
            return appointment
    by_code = {a.code: a for a in booked}
    if offered and (m := re.search(r"\b([1-3])\b|\b(first|second|third|1st|2nd|3rd)\b", said)):
        index = int(m.group(1)) if m.group(1) else {"first": 1, "1st": 1, "second": 2,
                                                    "2nd": 2, "third": 3, "3rd": 3}[m.group(2)]
        if index <= len(offered):
            return by_code.get(offered[index - 1])
    named = [a for a in booked if any(word in said for s in a.services
                                      for word in s.name.lower().split() if len(word) > 3)]
    return named[0] if len(named) == 1 else None


class ChangePrompt:
    """Finds which appointment the owner means (asking if there are several)."""

    verb = ""

    def fresh(self, tracker: Tracker) -> bool:
        return tracker.latest_message.get("intent", {}).get("name") in (
            "cancel_appointment", "reschedule_appointment")

    async def which(self, dispatcher: CollectingDispatcher, tracker: Tracker, session_work):
        """(appointment, events) or (None, events) after saying what is needed."""
        owner_id = tracker.get_slot("owner_id")
        if owner_id is None:
            if asked := ask_to_verify(dispatcher, tracker, self.name(), "your appointments"):
                return None, asked
            dispatcher.utter_message(text=NOT_AN_OWNER)
            return None, []
        fresh = self.fresh(tracker)
        code = None if fresh else tracker.get_slot("change_code")
        offered = [] if fresh else tracker.get_slot("offered_appointments") or []
        text = tracker.latest_message.get("text") or ""

        def work(session):
            now = local_now(session)
            booked = appointments.upcoming(session, int(owner_id), now)
            chosen = next((a for a in booked if a.code == code), None)
            if chosen is None and len(booked) == 1:
                chosen = booked[0]
            if chosen is None:
                chosen = pick_appointment(text, booked, offered)
            listing = [describe(a, now) for a in booked]
            extra = session_work(session, chosen, now) if chosen is not None else None
            return chosen, booked, listing, extra

        chosen, booked, listing, extra = await in_session(work)
        if not booked:
            dispatcher.utter_message(
                text=f"You don't have anything booked to {self.verb}. Want me to book a visit?")
            return None, [SlotSet(s, None) for s in CHANGE_SLOTS]
        if chosen is None:
            dispatcher.utter_message(text=f"Which one should I {self.verb}? {numbered(listing)}")
            return None, [SlotSet("offered_appointments", [a.code for a in booked][:3])]
        return (chosen, extra), [SlotSet("change_code", chosen.code),
                                 SlotSet("offered_appointments", None)]


class ActionAskCancel(ChangePrompt, Action):
    verb = "cancel"

    def name(self) -> str:
        return "action_ask_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        found, events = await self.which(dispatcher, tracker, lambda s, a, now: describe(a, now))
        if found:
            _, text = found
            dispatcher.utter_message(text=f"Cancel your {text}?", buttons=YES_NO)
        return events


class ActionCancelAppointment(Action):
    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id, code = tracker.get_slot("owner_id"), tracker.get_slot("change_code")
        if owner_id is None or code is None:
            return await ActionAskCancel().run(dispatcher, tracker, domain)

        def work(session) -> str:
            now = local_now(session)
            appointment = appointments.by_code(session, int(owner_id), code)
            text = describe(appointment, now)
            appointments.cancel(session, int(owner_id), appointment.id)
            return text

        try:
            text = await in_session(work)
        except (appointments.NotYours, ValueError):
            dispatcher.utter_message(text="That appointment can't be cancelled anymore; "
                                          f"please call {tracker.get_slot('service_phone')}.")
        else:
            dispatcher.utter_message(text=f"Done: your {text} is cancelled. Text me anytime "
                                          "to book again.")
        return [SlotSet(s, None) for s in CHANGE_SLOTS]


class ActionAskReschedule(ChangePrompt, Action):
    verb = "move"

    def name(self) -> str:
        return "action_ask_reschedule"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        said = tracker.latest_message.get("text") or ""
        if self.fresh(tracker) and tracker.get_slot("owner_id") is not None and \
                running_late(said):
            owner_id = int(tracker.get_slot("owner_id"))

            def note(session) -> str | None:
                now = local_now(session)
                late = appointments.note_running_late(session, owner_id, now, said)
                return f"{late.starts_at.astimezone(now.tzinfo):%-I:%M %p}" if late else None

            if at := await in_session(note):
                dispatcher.utter_message(
                    text=f"Thanks for the heads-up. I've noted on your {at} appointment that "
                         "you're running late, so the service team knows. Drive safe! If "
                         "you'd rather move it, just say so.")
                return [SlotSet(s, None) for s in CHANGE_SLOTS]
        found, events = await self.which(dispatcher, tracker, lambda s, a, now: (
            describe(a, now), int((a.ends_at - a.starts_at).total_seconds() // 60),
            a.starts_at.astimezone(now.tzinfo)))
        if not found:
            return events
        (appointment, (text, minutes, starts_at)) = found
        asked = tracker.get_slot("appointment_time")
        offered = [datetime.fromisoformat(s) for s in tracker.get_slot("offered_slots") or []]
        if not (asked and _as_datetime(asked)) and offered and pick_offered(said, offered):
            asked = pick_offered(said, offered).isoformat()
        if not asked and offered and \
                tracker.latest_message.get("intent", {}).get("name") in {"affirm", "inform"}:
            asked = said  # "yes" or "9 is fine" to the times offered: read against them
        if not asked:
            return events + await self.ask_when(dispatcher, text, minutes)
        # "2pm instead": on the appointment's day, unless other times were offered since
        result = await check_time(dispatcher, tracker, asked, lambda s: minutes,
                                  same_day=starts_at)
        events += [SlotSet(k, v) for k, v in result.items()]
        if result.get("appointment_time"):
            new = datetime.fromisoformat(result["appointment_time"])

            def loaner_note(session) -> tuple[str, str]:
                now = local_now(session)
                note = ""
                if appointments.loaner_of(session, appointment) and not \
                        appointments.loaner_for_line(session, appointment.vehicle.model_line,
                                                     new, minutes):
                    note = (" Heads up: no loaner is free then, so I'd switch you to our "
                            "shuttle.")
                return when_text(new, now), note

            new_text, note = await in_session(loaner_note)
            dispatcher.utter_message(text=f"Move your {text} to {new_text}?{note}",
                                     buttons=YES_NO)
        return events

    async def ask_when(self, dispatcher: CollectingDispatcher, text: str, minutes: int
                       ) -> list[EventType]:
        from bot.dealership.scheduling import open_slots

        def work(session):
            now = local_now(session)
            return open_slots(session, None, minutes, now).slots, now

        slots, now = await in_session(work)
        options = numbered([when_text(s, now) for s in slots])
        dispatcher.utter_message(
            text=f"Sure. When should I move your {text} to? The next openings are {options}, "
                 "or tell me a day and time.", buttons=offer_buttons(slots, now))
        return [SlotSet("offered_slots", [s.isoformat() for s in slots])]


class ActionRescheduleAppointment(Action):
    def name(self) -> str:
        return "action_reschedule_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id, code = tracker.get_slot("owner_id"), tracker.get_slot("change_code")
        new = _as_datetime(tracker.get_slot("appointment_time") or "")
        if owner_id is None or code is None or new is None:
            return await ActionAskReschedule().run(dispatcher, tracker, domain)

        def work(session) -> str:
            now = local_now(session)
            appointment = appointments.by_code(session, int(owner_id), code)
            moved = appointments.reschedule(session, int(owner_id), appointment.id, new, now)
            text = f"Done: your {describe(moved.appointment, now)} is confirmed."
            if moved.loaner is not None:
                car = moved.loaner.loaner
                text += f" Your {car.year} {car.model} loaner moved with it."
            elif moved.loaner_lost:
                text += " No loaner was free then, so our shuttle will take you instead."
            return text

        try:
            text = await in_session(work)
        except appointments.SlotTaken:
            dispatcher.utter_message(text="Sorry, that time was just taken.")
            return [SlotSet("appointment_time", None)] + await ActionAskReschedule().ask_when(
                dispatcher, "appointment", 60)
        except (appointments.NotYours, ValueError):
            text = ("That appointment can't be moved anymore; please call "
                    f"{tracker.get_slot('service_phone')}.")
        dispatcher.utter_message(text=text)
        return [SlotSet(s, None) for s in CHANGE_SLOTS]
