"""Ownership questions (the retrieval intent `ownership/<topic>`) and recalls.

The topic comes from the topic selector; the answer from the dealership's knowledge rows, or,
for warranty, maintenance and lease, from the owner's own cars, and for prices from the service
menu. A car-specific answer that leads
to a visit offers to book it: a "yes" then starts the booking with the service filled in.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    in_session,
    named_cars,
    offer_visit,
    offered_car,
    only_car,
    owner_id_of,
    reset_booking,
)
from bot.dealership import knowledge, ownership, services
from bot.dealership.models import Service, Vehicle
from bot.dealership.owners import cars_of
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership, local_now
from bot.wording import say

CAR_TOPICS = {"maintenance_schedule", "warranty", "lease_end"}
# What is said: a named response and its variables.
Say = tuple[str, dict[str, Any]]


def asked_topic(tracker: Tracker) -> str | None:
    selected = tracker.latest_message.get("response_selector", {}).get("ownership", {})
    key = selected.get("response", {}).get("intent_response_key") or ""
    return key.split("/", 1)[1] if "/" in key else None


def day(value) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def miles(value: int) -> str:
    return say("utter_miles", miles=f"{value:,}")


def about(mileage: int | None) -> str:
    """" (about 31,000 mi now)" after the car's name, when its mileage is known."""
    return f" {say('utter_mileage_now', miles=miles(mileage))}" if mileage else ""


def coverage_text(coverage: ownership.CoverageStatus) -> str:
    """"Basic runs to Feb 27, 2027 or 50,000 mi, whichever comes first", "Basic ended ..."."""
    words = {"name": coverage.name, "ends_on": day(coverage.ends_on),
             "ends_at": miles(coverage.ends_at_miles)}
    if coverage.active:
        return say("utter_coverage_runs", **words)
    if coverage.ended_by == "date":
        return say("utter_coverage_ended_on", **words)
    return say("utter_coverage_ended_at", **words)


def warranty_lines(session, cars: list[Vehicle], today) -> list[Say]:
    lines: list[Say] = []
    for car in cars:
        found = ownership.coverages(session, car, today)
        if not found:
            lines.append(("utter_warranty_unknown", {"car": car.label}))
            continue
        lines.append(("utter_warranty", {"car": car.label, "mileage": about(car.mileage),
                                         "coverages": "; ".join(map(coverage_text, found))}))
    return lines


def maintenance_lines(session, cars: list[Vehicle], today) -> tuple[list[Say], list[int]]:
    lines: list[Say] = []
    due_now: list[int] = []
    for car in cars:
        due = ownership.maintenance_due(session, car, today)
        words = {"car": car.label, "mileage": about(due.mileage), "due_on": day(due.due_on),
                 "due_miles": miles(due.due_at_miles)}
        if due.overdue:
            due_now.append(car.id)
            lines.append(("utter_maintenance_due_now", words))
        else:
            lines.append(("utter_maintenance_due_next", words))
    return lines, due_now


def price(service: Service) -> str:
    """One item's price as an owner asks it: "$89-129", "no charge", or, for a free check that
    may lead to work, "free, or up to $389 if work is needed"."""
    if service.price_min == 0 and service.price_max > 0:
        return say("utter_price_free_unless_work", most=f"${service.price_max}")
    return services.estimate([service]) or say("utter_price_no_charge")


def pricing_lines(session, tracker: Tracker, phone: str) -> tuple[list[Say], str | None]:
    """What the menu says the work asked about costs, and the one service to offer to book;
    for anything not on the menu (pads, tires, labor), who quotes it."""
    asked = [str(e["value"]) for e in tracker.latest_message.get("entities", [])
             if e.get("entity") == "service"]
    found = services.resolve(session, asked)[0] if asked else []
    if found:
        lines: list[Say] = [("utter_service_price", {
            "service": s.name, "price": price(s), "description": s.description})
            for s in found]
        lines[-1] = ("utter_service_price_estimate", lines[-1][1])
        return lines, found[0].code if len(found) == 1 else None
    menu = "; ".join(f"{s.name.lower()} {price(s)}" for s in services.menu(session))
    return [("utter_repairs_quoted", {"service_phone": phone, "menu": menu})], None


def lease_lines(cars: list[Vehicle], today) -> list[Say]:
    lines: list[Say] = []
    for car in cars:
        if (lease := ownership.lease_end(car, today)) is None:
            continue
        words = {"car": car.label, "ends_on": day(lease.ends_on), "days": lease.days_left}
        lines.append(("utter_lease_ended" if lease.days_left < 0 else "utter_lease_ends", words))
    return lines or [("utter_no_lease_on_file", {})]


class ActionAnswerOwnership(Action):
    def name(self) -> str:
        return "action_answer_ownership"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        topic = asked_topic(tracker)
        owner_id = owner_id_of(tracker)
        in_form = tracker.active_loop.get("name") is not None

        def work(session) -> tuple[list[Say], str | None, int | None]:
            """What to say, and the visit to offer: a service, or a car due for maintenance."""
            answer = knowledge.answer(session, topic) if topic else None
            phone = display(get_dealership(session).service_phone)
            general: Say = ("utter_knowledge", {"answer": answer}) if answer is not None else (
                "utter_ask_an_advisor", {"service_phone": phone})
            if topic == "pricing":
                lines, service = pricing_lines(session, tracker, phone)
                return lines, service, None
            if topic not in CAR_TOPICS or owner_id is None:
                return [general], None, None
            cars = named_cars(cars_of(session, owner_id), tracker)
            today = local_now(session).date()
            if topic == "warranty":
                return warranty_lines(session, cars, today), None, None
            if topic == "lease_end":
                return [*lease_lines(cars, today), general], None, None
            lines, due_now = maintenance_lines(session, cars, today)
            return lines, None, due_now[0] if len(due_now) == 1 else None

        lines, service, due_car = await in_session(work)
        for response, words in lines:
            dispatcher.utter_message(response=response, **words)
        if service and not in_form:
            dispatcher.utter_message(response="utter_offer_to_book_it")
            return offer_visit(service, None)
        if due_car and not in_form:
            dispatcher.utter_message(response="utter_offer_maintenance_visit")
            return offer_visit("scheduled_maintenance", due_car)
        return offer_visit(None, None)


class ActionBookOffered(Action):
    """A "yes" to an offered visit: the booking starts with the service and car filled in."""

    def name(self) -> str:
        return "action_book_offered"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        service = tracker.get_slot("offered_service")
        clear = offer_visit(None, None)
        if not service:
            dispatcher.utter_message(response="utter_ok")
            return clear
        vehicle_id = tracker.get_slot("offered_vehicle_id")
        events = reset_booking() + clear + [SlotSet("services", [service])]
        if vehicle_id is not None:
            label = await offered_car(int(vehicle_id))
            events += [SlotSet("vehicle", label), SlotSet("vehicle_id", vehicle_id)]
        else:
            events += await only_car(tracker)
        return [*events, FollowupAction("booking_form")]
