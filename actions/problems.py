"""Problem reports: triage first, then a case with what an advisor needs, then the visit.

A safety-critical report gets everything in the very first reply (stop driving, roadside, 911,
an urgent ticket for staff). Otherwise the case is written at once and `problem_form` asks only
for what the story left out (which car, since when, can it be driven); each answer lands on the
case as it comes.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.booking import owner_id_of
from actions.common import car_buttons, in_session, media_urls, said_last_turn
from actions.ownership import offer_visit
from bot.dealership import reports, vehicles
from bot.dealership.handoff import open_ticket
from bot.dealership.models import Owner, Service, Vehicle
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership
from bot.dealership.triage import SINCE, read_drivable, said_drivable, triage, unsure

PROBLEM_SLOTS = ("problem_case", "problem_vehicle", "problem_since", "problem_drivable")
ASK_DRIVABLE_AGAIN = "Sorry, is it safe to drive right now: yes or no?"


def asked_again(tracker: Tracker) -> bool:
    """Whether the reply to the owner's message before this one asked the question again."""
    return ASK_DRIVABLE_AGAIN in said_last_turn(tracker)


def said_vehicle(tracker: Tracker) -> str | None:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "vehicle":
            return str(entity.get("value"))
    return None


class ActionReportIssue(Action):
    def name(self) -> str:
        return "action_report_issue"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        finding = triage(text)
        owner_id = owner_id_of(tracker)
        named = said_vehicle(tracker)
        # An owner's car may be named where the entity extractor saw none ("...on my lx").
        pointed = named or vehicles.named_in(text)

        def work(session) -> dict[str, Any]:
            car = None
            if owner_id is not None:
                cars = list(session.get(Owner, owner_id).vehicles)
                found = vehicles.match(cars, pointed) if pointed else []
                car = found[0] if len(found) == 1 else cars[0] if len(cars) == 1 else None
            case = reports.open_case(
                session, description=text, finding=finding, owner_id=owner_id,
                vehicle_id=car.id if car else None, conversation_id=tracker.sender_id,
                media_urls=media_urls(tracker))
            dealership = get_dealership(session)
            if finding.safety:
                open_ticket(session, conversation_id=tracker.sender_id,
                            channel=tracker.get_latest_input_channel() or "rest",
                            owner_id=owner_id, urgency="urgent",
                            reason=f"SAFETY ({finding.category}), case {case.reference}: {text}",
                            summary=f"Safety: {finding.category.replace('_', ' ')}, case "
                                    f"{case.reference}")
            return {"reference": case.reference, "car": car.label if car else None,
                    "roadside": display(dealership.roadside_phone),
                    "service_phone": display(dealership.service_phone)}

        found = await in_session(work)
        if finding.safety:
            dispatcher.utter_message(
                text="That sounds serious. Please pull over and stop driving as soon as it's "
                     "safe. If anyone is hurt, call 911 now. For a tow, Roadside Assistance is "
                     f"24/7 at {found['roadside']}. I've alerted our service team as urgent; "
                     f"someone will reach out to you right away (case {found['reference']}).")
            return [SlotSet(slot, None) for slot in PROBLEM_SLOTS]
        if finding.severity == "urgent":
            dispatcher.utter_message(
                text="Please don't drive it like this: pull over when it's safe and turn the "
                     f"engine off. Roadside Assistance can tow it to us, 24/7 at "
                     f"{found['roadside']}.")
        if not found["car"] and named and owner_id is None:
            found["car"] = named
        return [SlotSet("problem_case", found["reference"]),
                SlotSet("problem_vehicle", found["car"]),
                SlotSet("problem_since", finding.since),
                SlotSet("problem_drivable", finding.drivable), FollowupAction("problem_form")]


class ValidateProblemForm(FormValidationAction):
    def name(self) -> str:
        return "validate_problem_form"

    async def validate_problem_vehicle(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: dict[str, Any]
                                       ) -> dict[str, Any]:
        if value is None:  # cleared when the report began: nothing was said yet
            return {"problem_vehicle": None}
        text, owner_id = str(value), owner_id_of(tracker)
        reference = tracker.get_slot("problem_case")

        def work(session) -> tuple[str | None, list[str]]:
            if owner_id is None:
                lines = get_dealership(session).loaner_ladder or []
                model = vehicles.guest_model(text, lines)
                if model:
                    reports.add_details(session, reference, more=f"Car: {model}")
                return model, []
            cars = list(session.get(Owner, owner_id).vehicles)
            found = vehicles.match(cars, text)
            if len(found) == 1:
                reports.add_details(session, reference, vehicle_id=found[0].id)
                return found[0].label, []
            return None, [c.label for c in cars]

        car, choices = await in_session(work)
        if car is None:
            dispatcher.utter_message(
                text=f"Which one is it: {' or '.join(choices)}?" if choices
                else "Which model is it? For example RX 350 or NX.")
        return {"problem_vehicle": car}

    async def extract_problem_drivable(self, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: dict[str, Any]
                                       ) -> dict[str, Any]:
        """Whether it can be driven, said in answer to since when ("no, it's fine to drive")."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") != "problem_since" or \
                tracker.get_slot("problem_drivable") is not None:
            return {}
        drivable = said_drivable(text)
        return {} if drivable is None else {"problem_drivable": drivable}

    async def validate_problem_since(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: dict[str, Any]
                                     ) -> dict[str, Any]:
        if value is None:
            return {"problem_since": None}
        since = " ".join(str(value).split())[:80] or "not sure"
        if said_drivable(since) is not None and not SINCE.search(since.lower()):
            since = "not said"  # the answer was whether it can be driven
        reference = tracker.get_slot("problem_case")
        await in_session(lambda s: reports.add_details(s, reference, since=since,
                                                       media_urls=media_urls(tracker)))
        return {"problem_since": since}

    async def validate_problem_drivable(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: dict[str, Any]
                                        ) -> dict[str, Any]:
        if value is None:
            return {"problem_drivable": None}
        if value == "unsure":
            return {"problem_drivable": value}
        drivable = value if isinstance(value, bool) else read_drivable(str(value))
        if drivable is None:
            if unsure(str(value)) or asked_again(tracker):
                # The advisor reviewing the case asks; the owner is not held at a yes or no.
                return {"problem_drivable": "unsure"}
            dispatcher.utter_message(text=ASK_DRIVABLE_AGAIN)
            return {"problem_drivable": None}
        reference = tracker.get_slot("problem_case")
        await in_session(lambda s: reports.add_details(s, reference, drivable=drivable,
                                                       media_urls=media_urls(tracker)))
        return {"problem_drivable": drivable}


class ActionAskProblemVehicle(Action):
    def name(self) -> str:
        return "action_ask_problem_vehicle"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        if owner_id is None:
            dispatcher.utter_message(text="Sorry to hear that. Which car is it? For example "
                                          "a 2021 RX 350.")
            return []
        cars = await in_session(lambda s: [v.label for v in s.get(Owner, owner_id).vehicles])
        dispatcher.utter_message(
            text="Sorry to hear that. Which car is it?",
            buttons=car_buttons(cars))
        return []


class ActionFileReport(Action):
    """Closes the questions: the case reference, and the visit that fits the problem."""

    def name(self) -> str:
        return "action_file_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        reference = tracker.get_slot("problem_case")
        if not reference:
            return []

        def work(session) -> dict[str, Any]:
            case = reports.by_reference(session, reference)
            service = triage(case.description).service
            name = session.execute(select(Service.name).where(Service.code == service)
                                   ).scalar_one_or_none()
            car = session.get(Vehicle, case.vehicle_id) if case.vehicle_id else None
            return {"service": service if name else None, "name": (name or "").lower(),
                    "vehicle_id": car.id if car else None,
                    "car": car.label if car else tracker.get_slot("problem_vehicle"),
                    "drivable": case.drivable}

        found = await in_session(work)
        car = f" for your {found['car']}" if found["car"] else ""
        caution = ("" if found["drivable"] is not False else
                   " Since it's not drivable, we can have it towed in or pick it up.")
        dispatcher.utter_message(
            text=f"Thanks, I've written this up{car} as case {reference}, and a service advisor "
                 f"will review it.{caution}")
        events = [SlotSet(slot, None) for slot in PROBLEM_SLOTS]
        if found["service"]:
            dispatcher.utter_message(
                text=f"Want me to book a {found['name']} for it?",
                buttons=[{"title": "Yes, book it", "payload": "/affirm"},
                         {"title": "Not now", "payload": "/deny"}])
            events += offer_visit(found["service"], found["vehicle_id"])
        return events
