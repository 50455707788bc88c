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

from actions.booking import only_car, owner_id_of, reset_booking
from actions.common import in_session
from bot.dealership import knowledge, ownership, services, vehicles
from bot.dealership.models import Owner, Vehicle
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership, local_now

CAR_TOPICS = {"maintenance_schedule", "warranty", "lease_end"}
YES_BOOK = [{"title": "Yes, book it", "payload": "/affirm"},
            {"title": "Not now", "payload": "/deny"}]


def asked_topic(tracker: Tracker) -> str | None:
    selected = tracker.latest_message.get("response_selector", {}).get("ownership", {})
    key = selected.get("response", {}).get("intent_response_key") or ""
    return key.split("/", 1)[1] if "/" in key else None


def named_cars(cars: list[Vehicle], tracker: Tracker) -> list[Vehicle]:
    """The owner's cars the message names ("my gx"), or all of them."""
    said = [e["value"] for e in tracker.latest_message.get("entities", [])
            if e.get("entity") == "vehicle"]
    said = said or [vehicles.named_in(tracker.latest_message.get("text") or "")]
    for text in filter(None, said):
        if found := vehicles.match(cars, str(text)):
            return found
    return cars


def day(value) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def miles(value: int) -> str:
    return f"{value:,} mi"


def warranty_lines(session, cars: list[Vehicle], today) -> list[str]:
    lines = []
    for car in cars:
        found = ownership.coverages(session, car, today)
        if not found:
            lines.append(f"Your {car.label}: I need its in-service date to check; an advisor "
                         "can look it up from the VIN.")
            continue
        parts = []
        for c in found:
            if c.active:
                parts.append(f"{c.name} runs to {day(c.ends_on)} or {miles(c.ends_at_miles)}, "
                             "whichever comes first")
            elif c.ended_by == "date":
                parts.append(f"{c.name} ended {day(c.ends_on)}")
            else:
                parts.append(f"{c.name} ended at {miles(c.ends_at_miles)}")
        at = f" (about {miles(car.mileage)} now)" if car.mileage else ""
        lines.append(f"Your {car.label}{at}: " + "; ".join(parts) + ".")
    return lines


def maintenance_lines(session, cars: list[Vehicle], today) -> tuple[list[str], list[int]]:
    lines, due_now = [], []
    for car in cars:
        due = ownership.maintenance_due(session, car, today)
        at = f" (about {miles(due.mileage)} now)" if due.mileage else ""
        if due.overdue:
            due_now.append(car.id)
            lines.append(f"Your {car.label}{at} is due for maintenance now: it was due by "
                         f"{day(due.due_on)} or {miles(due.due_at_miles)}.")
        else:
            lines.append(f"Your {car.label}{at} is next due by {day(due.due_on)} or at "
                         f"{miles(due.due_at_miles)}, whichever comes first.")
    return lines, due_now


def pricing_lines(session, tracker: Tracker, phone: str) -> tuple[list[str], str | None]:
    """What the menu says the work asked about costs, and the one service to offer to book;
    for anything not on the menu (pads, tires, labor), who quotes it."""
    asked = [str(e["value"]) for e in tracker.latest_message.get("entities", [])
             if e.get("entity") == "service"]
    found = services.resolve(session, asked)[0] if asked else []
    if found:
        lines = [f"{s.name}: {services.price_text(s)}. {s.description}" for s in found]
        lines[-1] += " Prices are estimates; the final price comes after inspection."
        return lines, found[0].code if len(found) == 1 else None
    menu = "; ".join(f"{s.name.lower()} {services.price_text(s)}" for s in services.menu(session))
    return [f"Repairs and parts (like brakes or tires) are quoted by a service advisor once "
            f"they've seen the car: {phone}. Our menu prices: {menu}."], None


def lease_lines(cars: list[Vehicle], today) -> list[str]:
    lines = []
    for car in cars:
        if (lease := ownership.lease_end(car, today)) is None:
            continue
        when = (f"ended {day(lease.ends_on)}" if lease.days_left < 0
                else f"ends {day(lease.ends_on)}, in {lease.days_left} days")
        lines.append(f"The lease on your {car.label} {when}.")
    return lines or ["I don't have a lease on file for your cars; if that's wrong, an advisor "
                     "can update it."]


class ActionAnswerOwnership(Action):
    def name(self) -> str:
        return "action_answer_ownership"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        topic = asked_topic(tracker)
        owner_id = owner_id_of(tracker)
        in_form = tracker.active_loop.get("name") is not None

        def work(session) -> dict[str, Any]:
            general = knowledge.answer(session, topic) if topic else None
            phone = display(get_dealership(session).service_phone)
            if general is None:
                general = f"Good question: a service advisor can answer that at {phone}."
            if topic == "pricing":
                lines, offer = pricing_lines(session, tracker, phone)
                return {"say": lines, "offer_service": offer}
            if topic not in CAR_TOPICS or owner_id is None:
                return {"say": [general]}
            cars = named_cars(list(session.get(Owner, owner_id).vehicles), tracker)
            today = local_now(session).date()
            if topic == "warranty":
                return {"say": warranty_lines(session, cars, today)}
            if topic == "lease_end":
                return {"say": [*lease_lines(cars, today), general]}
            lines, due_now = maintenance_lines(session, cars, today)
            offer = due_now[0] if len(due_now) == 1 else None
            return {"say": lines, "offer": offer}

        result = await in_session(work)
        for text in result["say"]:
            dispatcher.utter_message(text=text)
        if result.get("offer_service") and not in_form:
            dispatcher.utter_message(text="Want me to book it?", buttons=YES_BOOK)
            return offer_visit(result["offer_service"], None)
        if result.get("offer") and not in_form:
            dispatcher.utter_message(text="Want me to book its maintenance visit?",
                                     buttons=YES_BOOK)
            return offer_visit("scheduled_maintenance", result["offer"])
        return offer_visit(None, None)


def offer_visit(service: str | None, vehicle_id: int | None) -> list[EventType]:
    return [SlotSet("offered_service", service), SlotSet("offered_vehicle_id", vehicle_id)]


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
            label = await in_session(lambda s: s.get(Vehicle, int(vehicle_id)).label)
            events += [SlotSet("vehicle", label), SlotSet("vehicle_id", vehicle_id)]
        else:
            events += await only_car(tracker)
        return [*events, FollowupAction("booking_form")]
