"""Recalls: open campaigns for the owner's cars (or a VIN a guest sends), with the remedy,
and an offer to book the free fix. A VIN sent on its own is checked too (`common`)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    cars_said,
    check_recalls,
    in_session,
    offer_visit,
    owner_id_of,
    previous_reply,
    recall_risk_asked,
)
from actions.phrases import duration_text
from bot.dealership import services
from bot.dealership.recalls import RecallRequest, find_recalls

RECALL_FIX = "recall_repair"
# Asked of the fix just offered: "how long does the recall fix take and is it free".
HOW_LONG = re.compile(r"\bhow (?:long|much time)\b|\btakes? long\b", re.IGNORECASE)
COST = re.compile(r"\b(?:free|cost|charge|how much|pay)\b", re.IGNORECASE)


class ActionCheckRecall(Action):
    def name(self) -> str:
        return "action_check_recall"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if answered := await fix_asked_about(dispatcher, tracker):
            return answered
        if (risk := await recall_risk_asked(dispatcher, tracker)) is not None:
            return risk
        return await check_recalls(dispatcher, tracker)


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
    dispatcher.utter_message(response="utter_offer_recall_repair")
    return offer_visit(RECALL_FIX, fix_car)
