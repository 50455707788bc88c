"""Several of the owner's cars in one booking, read by the booking form: "both my cars sat
morning? ls needs an oil change, rz a tire rotation", "both" to which car, and "oh and the rz
needs a tire rotation, same time as my oil change" once the booking is under way. The booking's
own slots hold the first car; `cars_beside` the others, with their work."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import in_session, intent_of, owner_id_of, slot_before_this_turn
from actions.phrases import when_text
from bot.dealership import services
from bot.dealership.booking_time import as_datetime
from bot.dealership.cars_together import (
    CarWork,
    both_answered,
    car_added,
    same_time_as,
    work_by_car,
)
from bot.dealership.dates import parse_when
from bot.dealership.profile import local_now
from bot.wording import joined

SLOT = "cars_beside"
# Intents a message that brings another car may be read as.
READ_IN = {"book_service", "request_loaner", "inform", "affirm"}


def beside(tracker: Tracker) -> list[CarWork]:
    return [CarWork.from_slot(value) for value in tracker.get_slot(SLOT) or []]


def last_set(tracker: Tracker, slot: str) -> Any:
    """`slot` as the events last set it, before what the form reads now."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def read_now(tracker: Tracker) -> bool:
    """Whether the form's reading of this message has just brought in another car."""
    return tracker.get_slot(SLOT) != last_set(tracker, SLOT)


async def cars_read(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """The cars the latest message brings into the booking: the first as the booking's car
    (with its work), the others beside it; {} when it brings none."""
    owner_id = owner_id_of(tracker)
    text = tracker.latest_message.get("text") or ""
    if owner_id is None or not text or text.startswith("/"):
        return {}
    vehicle_id = tracker.get_slot("vehicle_id")
    asked = tracker.get_slot("requested_slot")
    codes = list(tracker.get_slot("services") or [])
    if vehicle_id is None and asked == "vehicle":
        found = await in_session(lambda s: both_answered(s, owner_id, text, codes))
        return together(found, codes)
    if intent_of(tracker) not in READ_IN:
        return {}
    if vehicle_id is None:
        whole = str((tracker.latest_message.get("metadata") or {}).get("whole_text") or text)

        def read(session: Session) -> list[CarWork]:
            found = work_by_car(session, owner_id, text)
            if len(found) < 2 or whole == text:
                return found
            # One of several requests in a text ("both cars sat morning? es needs an oil change
            # | and the gx has that seat recall"): the same cars' work, read from all of it.
            read_whole = work_by_car(session, owner_id, whole)
            same = {c.vehicle_id for c in read_whole} == {c.vehicle_id for c in found}
            return read_whole if same else found

        return together(await in_session(read), codes)
    already = beside(tracker)
    # What the entity extractor read from this message ("the rz", "tire rotation") is the
    # other car's: the booking's car and work are as they stood before it.
    codes = list(slot_before_this_turn(tracker, "services") or [])
    added = await in_session(lambda s: car_added(s, owner_id, text, int(vehicle_id), codes,
                                                 already))
    if added is None:
        return {}
    if asked != "confirm_booking" or not tracker.get_slot("transport"):
        # (the summary, said next, names it; with no ride chosen yet, the ride is asked first)
        await say_added(dispatcher, tracker, added)
    return {SLOT: [car.as_slot() for car in already + [added]],
            "vehicle": slot_before_this_turn(tracker, "vehicle"), "services": codes or None}


def together(found: list[CarWork], codes: list[str]) -> dict[str, Any]:
    if len(found) < 2:
        return {}
    first, *others = found
    # (the car's id is the car's validation's to set)
    return {"vehicle": first.car, "services": first.services or codes or None,
            SLOT: [car.as_slot() for car in others]}


async def say_added(dispatcher: CollectingDispatcher, tracker: Tracker, added: CarWork) -> None:
    start = as_datetime(str(tracker.get_slot("appointment_time") or ""))

    def work(session: Session) -> tuple[list[str], Any]:
        return ([item.name.lower() for item in services.resolve(session, added.services)[0]],
                local_now(session))

    names, now = await in_session(work)
    said = {"car": added.car, "services": joined(names)}
    if not names:
        dispatcher.utter_message(response="utter_car_added_no_work", car=added.car)
    elif start is not None:
        dispatcher.utter_message(response="utter_car_added_same_time",
                                 when=when_text(start, now), **said)
    else:
        dispatcher.utter_message(response="utter_car_added", **said)


async def time_with_visit(tracker: Tracker) -> dict[str, Any]:
    """"same time" while the booking's time is open: the time of the owner's other visit it
    points at ("put the es in then too, same time, shuttle like the lx")."""
    owner_id = owner_id_of(tracker)
    text = tracker.latest_message.get("text") or ""
    if owner_id is None or slot_before_this_turn(tracker, "appointment_time") or \
            text.startswith("/"):
        return {}
    vehicle_id = tracker.get_slot("vehicle_id")
    said = [str(e.get("value")) for e in tracker.latest_message.get("entities", [])
            if e.get("entity") == "when"]

    def work(session: Session) -> Any:
        now = local_now(session)
        start = same_time_as(session, owner_id, text, int(vehicle_id) if vehicle_id else None,
                             now)
        # a day said with it is that visit's day ("my ES tmrw too? same time as the LX"); an
        # hour or another day said is a time of its own
        for when in filter(None, (parse_when(value, now) for value in said)):
            if start is None or when.at or when.earliest or when.latest or \
                    (when.has_day and when.first_day != start.date()):
                return None
        return start

    start = await in_session(work)
    return {"appointment_time": start.isoformat()} if start is not None else {}
