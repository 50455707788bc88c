"""An owner's appointments: what is booked, and how the car is coming along."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    aside_done,
    ask_to_verify,
    book_visit,
    check_recalls,
    in_session,
    move_asked_again,
    owner_id_of,
    said_for_this_text,
    said_this_text,
    tell_appointments,
    tell_service_status,
    texts_for_this_text,
)
from actions.ownership import reported_work
from actions.phrases import ride_text
from actions.recalls import HOW_LONG
from bot.dealership import recalls, services
from bot.dealership.joining import VisitAhead, visit_named
from bot.dealership.profile import local_now
from bot.dealership.replies import ride_named
from bot.dealership.visits import booked

# "is the recall appointment still on?" (not "i can't recall the day").
RECALL_VISIT = re.compile(r"\b(the|my|a|that|this|for) recalls?\b", re.IGNORECASE)


class ActionCheckAppointment(Action):
    def name(self) -> str:
        return "action_check_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        # (asked beside the summary's yes: the booking takes the rest of the text up again)
        events = await self.check(dispatcher, tracker)
        if any(event.get("event") == "followup" for event in events):
            return events
        return [*events, *aside_done(tracker)]

    async def check(self, dispatcher: CollectingDispatcher, tracker: Tracker
                    ) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        if owner_id is None:
            if asked := ask_to_verify(dispatcher, tracker, self.name(),
                                      "utter_verify_for_appointments"):
                return asked
            dispatcher.utter_message(response="utter_not_an_owner")
            return []
        if RECALL_VISIT.search(tracker.latest_message.get("text") or ""):
            # A recall visit asked about: whether one is booked, then the recall itself, with
            # the offer to add its fix to the visit booked or to book it.
            visits = await in_session(lambda s: booked(s, owner_id, local_now(s)))
            if not any("recall" in name.lower() for v in visits for name in v.services):
                dispatcher.utter_message(response="utter_no_recall_visit")
            return await check_recalls(dispatcher, tracker)
        if added := await work_added(tracker, owner_id):
            return added
        if await told_already(tracker, owner_id):
            # (the booking's question about that visit, just asked in this reply, is not
            # asked again after nothing was said)
            loop = tracker.active_loop.get("name")
            return [ActiveLoop(loop), FollowupAction("action_listen")] if loop else []
        await tell_appointments(dispatcher, owner_id, offer=not booking_next(tracker))
        await move_asked_again(dispatcher, tracker)
        return []


async def told_already(tracker: Tracker, owner_id: int) -> bool:
    """Whether the reply to this text so far names every visit booked, by its code ("ok yes
    switch it. still 130 right?" once the switch was told): nothing to say again."""
    said = " ".join(texts_for_this_text(tracker))
    if not said:
        return False
    visits = await in_session(lambda s: booked(s, owner_id, local_now(s)))
    # (a ride asked about is said too: "yes. shuttle still ok at that time right?")
    ride_asked = ride_named(tracker.latest_message.get("text") or "") is not None
    return bool(visits) and all(
        v.code in said and (not ride_asked or ride_text(v.transport) in said)
        for v in visits)


async def work_added(tracker: Tracker, owner_id: int) -> list[EventType] | None:
    """"ok. add the battery thing to tmrws appt then": the work it names (or the trouble's
    just reported) added to the visit it names; None for a text that adds nothing."""
    text = tracker.latest_message.get("text") or ""

    def work(session) -> tuple[VisitAhead | None, list[str]]:
        ahead = visit_named(session, owner_id, text, local_now(session))
        if ahead is None:
            return None, []
        named = [x.code for x in services.mentioned(session, text)]
        # ("add that charging software update to my appt tmrw": an open recall by its words)
        return ahead, named or (["recall_repair"] if recalls.open_named(session, owner_id, text)
                                else [])

    ahead, named = await in_session(work)
    asked = named or [w for w in [reported_work(tracker)] if w]
    if ahead is None or not asked:
        return None
    whole = str((tracker.latest_message.get("metadata") or {}).get("whole_text") or text)
    # (its price asked beside it: the visit's question, which names the price, asks first)
    joining = None if PRICE_ASKED.search(whole) else ahead.appointment_id
    return await book_visit(tracker, asked, ahead.vehicle_id, joining,
                            keep=said_this_text(tracker) - {"services", "appointment_time"})


PRICE_ASKED = re.compile(r"\b(how much|what('?s| does| will) (it|that|this) (cost|run|be)|price|"
                         r"cost)\b", re.IGNORECASE)


# A visit asked for after the question, in the same text: "do i have anything booked? if not i
# need a brake check on the nx tues 9am".
VISIT_ASKED = re.compile(r"\b(?:need|want|like|book|schedule|get|bring|come in)\b.*\b(?:today|"
                         r"tomorrow|tmrw|mon|tues?|wed|weds|thu|thurs?|fri|sat|\w+day|next week|"
                         r"\d{1,2}(?::\d\d)? ?(?:am|pm))\b", re.IGNORECASE)


def booking_next(tracker: Tracker) -> bool:
    """Whether the same text goes on to ask for a visit: then nothing booked is said without
    the offer to set one up (it is being set up)."""
    metadata = tracker.latest_message.get("metadata") or {}
    if metadata.get("then") == "book_service":
        return True
    part = str(tracker.latest_message.get("text") or "")
    whole = str(metadata.get("whole_text") or "")
    rest = whole[whole.find(part) + len(part):] if part and part in whole else ""
    return bool(VISIT_ASKED.search(rest))


class ActionCheckServiceStatus(Action):
    def name(self) -> str:
        return "action_check_service_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        if owner_id is None:
            if asked := ask_to_verify(dispatcher, tracker, self.name(),
                                      "utter_verify_for_status"):
                return asked
            dispatcher.utter_message(response="utter_not_an_owner")
            return []
        if "utter_visit_length" in said_for_this_text(tracker) and \
                HOW_LONG.search(tracker.latest_message.get("text") or ""):
            # "...add that recall? how much longer would i be there": told with the work added
            return []
        await tell_service_status(dispatcher, owner_id, tracker)
        return []
