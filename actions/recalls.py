"""Recalls: open campaigns for the owner's cars (or a VIN a guest sends), with the remedy,
and an offer to book the free fix. A VIN sent on its own is checked too (`common`)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    cars_said,
    check_recalls,
    check_time,
    in_session,
    just_added,
    offer_visit,
    owner_id_of,
    previous_reply,
    recall_risk_asked,
    said_for_this_text,
    time_said_in_booking,
    whole_text,
)
from actions.phrases import duration_text, when_text
from bot.dealership import services
from bot.dealership.booking_time import on_day_said
from bot.dealership.dates import parse_when
from bot.dealership.profile import local_now
from bot.dealership.recalls import RecallRequest, find_recalls
from bot.dealership.replies import WAIT_ASKED_FOR

RECALL_FIX = "recall_repair"
# Asked of the fix just offered: "how long does the recall fix take and is it free".
HOW_LONG = re.compile(r"\bhow (?:long|much time|much longer)\b|\btakes? long\b", re.IGNORECASE)
COST = re.compile(r"\b(?:free|cost|charge|how much(?! (?:longer|time|more time))|pay)\b",
                  re.IGNORECASE)


class ActionCheckRecall(Action):
    def name(self) -> str:
        return "action_check_recall"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if answered := await fix_asked_about(dispatcher, tracker):
            return answered
        if (risk := await recall_risk_asked(dispatcher, tracker)) is not None:
            return risk
        events = await check_recalls(dispatcher, tracker)
        await fix_time_beside(dispatcher, tracker, events)
        return events + await time_of_car_kept(dispatcher, tracker, events)


# What offers the fix at the end of the recalls told.
FIX_OFFERS = ("utter_offer_recall_repair", "utter_offer_recall_on_visit")


async def fix_time_beside(dispatcher: CollectingDispatcher, tracker: Tracker,
                          events: list[EventType]) -> None:
    """How long the fix takes, asked in the text that asks for the recalls ("how long does the
    seat latch recall take on my gx? can i wait for it"): said before the offer of the fix,
    with the lounge when waiting is asked about."""
    text = whole_text(tracker)
    offered = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    said = [m.get("response") for m in dispatcher.messages]
    if offered.get("offered_service") != RECALL_FIX or not said or said[-1] not in FIX_OFFERS \
            or not (HOW_LONG.search(text) or WAIT_ASKED_FOR.search(text.lower())):
        return
    fix = await in_session(lambda s: next(iter(services.resolve(s, [RECALL_FIX])[0]), None))
    if fix is None or not fix.duration_minutes:
        return
    dispatcher.utter_message(response="utter_recall_fix_time_wait" if WAIT_ASKED_FOR.search(
        text.lower()) else "utter_recall_fix_time", time=duration_text(fix.duration_minutes))
    # (before the offer, which ends the reply)
    time_said = dispatcher.messages.pop()
    dispatcher.messages.insert(len(dispatcher.messages) - 1, time_said)


async def time_of_car_kept(dispatcher: CollectingDispatcher, tracker: Tracker,
                           events: list[EventType]) -> list[EventType]:
    """The time said in the booking once the car it asked for is named with the recall question
    ("the gx. around 2? and i got a letter about a seat latch recall"): read now, on the day said
    before ("oil change wed afternoon"), as the form would have read it with the car."""
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    if tracker.active_loop.get("name") != "booking_form" or \
            tracker.get_slot("requested_slot") != "vehicle" or "vehicle" not in slots or \
            tracker.get_slot("appointment_time") or tracker.get_slot("offered_slots"):
        return []
    text = tracker.latest_message.get("text") or ""
    earlier = time_said_in_booking(tracker)
    now = await in_session(local_now)
    said = on_day_said(text, earlier, now) if earlier else text
    if parse_when(said, now) is None:
        said = earlier or ""
    if not said or parse_when(said, now) is None:
        return []
    work = slots.get("services") or tracker.get_slot("services") or []
    found = await check_time(dispatcher, tracker, said, services=work, car=slots["vehicle"])
    if found.get("appointment_time"):
        # said back, as the ride asked next does not name it
        dispatcher.utter_message(response="utter_car_and_time_agreed", car=slots["vehicle"],
                                 when=when_text(datetime.fromisoformat(
                                     found["appointment_time"]), now))
    return [SlotSet(name, value) for name, value in found.items()]


async def fix_asked_about(dispatcher: CollectingDispatcher, tracker: Tracker
                          ) -> list[EventType] | None:
    """Right after the recalls were told, how long the fix takes or what it costs: that, and
    the offer to book it again; None for any other recall question."""
    text = tracker.latest_message.get("text") or ""
    owner_id = owner_id_of(tracker)
    told = any("recall" in str(r or "") for r in previous_reply(tracker))
    if owner_id is None or not told or tracker.active_loop.get("name") or \
            not (HOW_LONG.search(text) or COST.search(text)):
        return None
    request = RecallRequest(owner_id, None, cars_said(tracker))

    def work(session) -> tuple[int | None, int | None]:
        found = find_recalls(session, request)
        fix = next(iter(services.resolve(session, [RECALL_FIX])[0]), None)
        return found.fix_car, fix.duration_minutes if fix else None

    fix_car, minutes = await in_session(work)
    if fix_car is None:
        return None
    if HOW_LONG.search(text) and minutes:
        dispatcher.utter_message(response="utter_recall_fix_time", time=duration_text(minutes))
    if COST.search(text):
        dispatcher.utter_message(response="utter_recall_fix_free")
    if just_added(tracker):
        return []  # added to the visit just now: nothing more to offer
    # (the visit it was offered to join stays offered: "is that free?", then "ok yes add it")
    join = tracker.get_slot("offered_visit_id") \
        if tracker.get_slot("offered_service") == RECALL_FIX else None
    if not set(said_for_this_text(tracker)) & {*FIX_OFFERS, "utter_offer_recall_join_again"}:
        # (offered once per text: "what's booked and does the recall cost anything")
        dispatcher.utter_message(response="utter_offer_recall_join_again" if join
                                 else "utter_offer_recall_repair")
    return offer_visit(RECALL_FIX, fix_car, join)
