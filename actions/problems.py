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

from actions.common import (
    asked_once_more,
    car_buttons,
    in_session,
    media_urls,
    offer_visit,
    owner_id_of,
)
from bot.dealership import reports, vehicles
from bot.dealership.owners import cars_of
from bot.dealership.problems import (
    CarAnswer,
    CarNoted,
    ProblemReport,
    SinceAnswer,
    WhichModel,
    WhichOfCars,
    note_car,
    note_since,
    report,
)
from bot.dealership.triage import read_drivable, said_drivable, unsure
from bot.wording import joined

PROBLEM_SLOTS = ("problem_case", "problem_vehicle", "problem_since", "problem_drivable")
ASK_DRIVABLE_AGAIN = "utter_ask_drivable_again"


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
        owner_id = owner_id_of(tracker)
        named = said_vehicle(tracker)
        request = ProblemReport(
            text=text, owner_id=owner_id, conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            # An owner's car may be named where the entity extractor saw none ("...on my lx").
            car_named=named or vehicles.named_in(text), media_urls=media_urls(tracker))
        found = await in_session(lambda s: report(s, request))
        finding = found.finding
        if finding.safety:
            dispatcher.utter_message(response="utter_safety_first",
                                     roadside_phone=found.roadside_phone,
                                     reference=found.reference)
            return [SlotSet(slot, None) for slot in PROBLEM_SLOTS]
        if finding.severity == "urgent":
            dispatcher.utter_message(response="utter_do_not_drive",
                                     roadside_phone=found.roadside_phone)
        car = found.car or (named if owner_id is None else None)
        return [SlotSet("problem_case", found.reference),
                SlotSet("problem_vehicle", car),
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
        answer = CarAnswer(tracker.get_slot("problem_case"), owner_id_of(tracker), str(value))
        noted = await in_session(lambda s: note_car(s, answer))
        if isinstance(noted, WhichOfCars):
            dispatcher.utter_message(response="utter_which_of_cars",
                                     cars=joined(noted.cars, "utter_joined_or"))
        elif isinstance(noted, WhichModel):
            dispatcher.utter_message(response="utter_which_problem_model")
        car = noted.car if isinstance(noted, CarNoted) else None
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
        answer = SinceAnswer(tracker.get_slot("problem_case"), str(value), media_urls(tracker))
        since = await in_session(lambda s: note_since(s, answer))
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
            if unsure(str(value)) or asked_once_more(tracker, ASK_DRIVABLE_AGAIN):
                # The advisor reviewing the case asks; the owner is not held at a yes or no.
                return {"problem_drivable": "unsure"}
            dispatcher.utter_message(response=ASK_DRIVABLE_AGAIN)
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
            dispatcher.utter_message(response="utter_which_guest_car_is_it")
            return []
        cars = await in_session(lambda s: [v.label for v in cars_of(s, owner_id)])
        dispatcher.utter_message(response="utter_which_car_is_it", buttons=car_buttons(cars))
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

        found = await in_session(lambda s: reports.filed(s, reference))
        car = found.car or tracker.get_slot("problem_vehicle")
        dispatcher.utter_message(
            response="utter_case_filed" + ("_for_car" if car else "")
            + ("_not_drivable" if found.drivable is False else ""),
            reference=reference, car=car)
        events = [SlotSet(slot, None) for slot in PROBLEM_SLOTS]
        if found.service:
            dispatcher.utter_message(response="utter_offer_fix", service=found.service_name)
            events += offer_visit(found.service, found.vehicle_id)
        return events
