"""Recalls: open campaigns for the owner's cars (or a VIN a guest sends), with the remedy,
and an offer to book the free fix."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.booking import owner_id_of
from actions.common import in_session
from actions.ownership import named_cars, offer_visit
from bot.dealership import ownership
from bot.dealership.models import Owner, Vehicle

VIN = re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b")
VIN_HINT = ("Send me the 17-character VIN (it's on your registration, your insurance card, or "
            "the dashboard by the windshield on the driver's side) and I'll check it.")


def said_vin(tracker: Tracker) -> str | None:
    """A VIN in the message: the extracted entity, or any 17-character VIN-shaped word."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "vin":
            return str(entity.get("value")).upper().replace(" ", "")
    found = VIN.search((tracker.latest_message.get("text") or "").upper())
    return found.group(0) if found else None


def recall_text(label: str, recalls) -> str:
    if not recalls:
        return f"Good news: no open recalls on your {label}."
    items = "; ".join(f"{r.campaign}: {r.title}. Fix: {r.remedy}" for r in recalls[:2])
    safety = " It's a safety recall, so please have it done soon." if any(
        r.safety_risk for r in recalls) else ""
    count = "an open recall" if len(recalls) == 1 else f"{len(recalls)} open recalls"
    return f"Your {label} has {count}. {items} Recall repairs are free.{safety}"


class ActionCheckRecall(Action):
    def name(self) -> str:
        return "action_check_recall"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        vin, owner_id = said_vin(tracker), owner_id_of(tracker)
        typed = re.search(r"\b[a-z0-9]{11,20}\b", tracker.latest_message.get("text") or "",
                          re.IGNORECASE)
        if vin is None and owner_id is None:
            if typed and re.search(r"\d", typed.group(0)) and len(typed.group(0)) != 17:
                dispatcher.utter_message(text="That doesn't look like a VIN: it's 17 letters "
                                              "and numbers, with no I, O or Q. " + VIN_HINT)
            else:
                dispatcher.utter_message(text=VIN_HINT)
            return []

        def work(session) -> tuple[list[str], int | None, bool]:
            if vin is not None:
                car = session.execute(select(Vehicle).where(Vehicle.vin == vin)
                                      ).scalar_one_or_none()
                mine = car is not None and owner_id is not None and car.owner_id == owner_id
                label = car.label if mine else f"car (VIN ending {vin[-6:]})"
                recalls = ownership.open_recalls(session, vin)
                return ([recall_text(label, recalls)], car.id if mine and recalls else None,
                        bool(recalls))
            cars = named_cars(list(session.get(Owner, owner_id).vehicles), tracker)
            lines, due = [], []
            for car in cars:
                recalls = ownership.open_recalls(session, car.vin) if car.vin else []
                lines.append(recall_text(car.label, recalls))
                if recalls:
                    due.append(car.id)
            return lines, (due[0] if len(due) == 1 else None), bool(due)

        lines, fix_car, any_open = await in_session(work)
        for line in lines:
            dispatcher.utter_message(text=line)
        if not any_open:
            return offer_visit(None, None)
        dispatcher.utter_message(text="Want me to book the recall repair?",
                                 buttons=[{"title": "Yes, book it", "payload": "/affirm"},
                                          {"title": "Not now", "payload": "/deny"}])
        return offer_visit("recall_repair", fix_car)
