"""A change of ride on a visit already booked: offered with what it would be (the loaner car),
then made on a yes. Thin over `bot.dealership.rides`."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    asked_lately,
    car_not_theirs,
    describe,
    in_session,
    intent_of,
    owner_id_of,
    said_for_this_text,
    start_booking,
    whole_text,
)
from actions.phrases import ride_text
from bot.dealership import appointments, fleet, rides
from bot.dealership.changes import PickRequest, pick
from bot.dealership.profile import local_now
from bot.wording import say

SLOT = "ride_change"
# A ride asked for with a visit named (its day or its work): a booking when nothing is booked.
BOOKING_INTENTS = {"request_loaner", "book_service"}
VISIT_NAMED = {"when", "service"}


# What is said of a change of ride, offered and then done: a loaner, none, another ride.
OFFERED = ("utter_offer_ride_loaner", "utter_offer_drop_loaner", "utter_offer_ride_change")
DONE = ("utter_ride_changed_loaner", "utter_loaner_released", "utter_ride_changed")


def loaner_name(loaner: Any) -> str:
    return f"{loaner.year} {loaner.model}" if loaner is not None else ""


def say_change(dispatcher: CollectingDispatcher, responses: tuple[str, str, str], visit: str,
               change: rides.RideChange) -> None:
    if change.no_loaner_free:
        dispatcher.utter_message(response="utter_no_loaner_for_visit", appointment=visit)
    elif change.ride == "loaner":
        dispatcher.utter_message(response=responses[0], appointment=visit,
                                 loaner=loaner_name(change.loaner))
    elif change.ride == "no_loaner":
        dispatcher.utter_message(response=responses[1], appointment=visit)
    else:
        dispatcher.utter_message(response=responses[2], appointment=visit,
                                 ride=ride_text(change.ride))


class ActionChangeRide(Action):
    def name(self) -> str:
        return "action_change_ride"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        # the text as the routing read it: whole, unless one of several requests
        several = int((tracker.latest_message.get("metadata") or {}).get("parts") or 1) > 1
        text = (tracker.latest_message.get("text") or "") if several else whole_text(tracker)
        ride = rides.wanted_ride(text)
        if owner_id is None or ride is None:
            dispatcher.utter_message(response="utter_nothing_booked")
            return [SlotSet(SLOT, None)]

        def work(session) -> tuple[str, rides.RideChange] | None:
            now = local_now(session)
            found = pick(session, PickRequest(owner_id, text), now)
            chosen = found.chosen or (found.booked[0] if found.booked else None)
            if chosen is None:
                return None
            return describe(chosen, now), rides.plan(session, chosen, ride)

        found = await in_session(work)
        if found is None and intent_of(tracker) in BOOKING_INTENTS and any(
                e.get("entity") in VISIT_NAMED for e in tracker.latest_message.get("entities", [])):
            # "can i drop my is off tmrw at 730 for its service and get a loaner", nothing
            # booked: a visit asked for with its ride, booked as such
            return [SlotSet(SLOT, None),
                    *await car_not_theirs(dispatcher, tracker, await start_booking(tracker)),
                    FollowupAction("booking_form")]
        if found is None and "?" in text:
            # "do u guys do pickup? id rather not mess w a loaner", nothing booked: a question
            # about the ride wanted, answered as such
            return [SlotSet(SLOT, None), FollowupAction("action_answer_ownership")]
        if found is None:
            dispatcher.utter_message(response="utter_nothing_booked")
            return [SlotSet(SLOT, None)]
        visit, planned = found
        if rides.loaner_asked(text) and planned.appointment.transport == "loaner":
            # "does my appt tmrw come with a loaner?": it does; nothing to change
            dispatcher.utter_message(response="utter_visit_has_loaner", appointment=visit,
                                     loaner=loaner_name(planned.loaner))
            return [SlotSet(SLOT, None)]
        if rides.loaner_asked(text) and not planned.no_loaner_free:
            # ...it does not: the ride it has, and the loaner it could have
            dispatcher.utter_message(response="utter_visit_ride_then_loaner", appointment=visit,
                                     ride=ride_text(planned.appointment.transport),
                                     loaner=loaner_name(planned.loaner))
            return [SlotSet(SLOT, f"{planned.appointment.code}:{ride}")]
        change = f"{planned.appointment.code}:{ride}"
        if tracker.get_slot(SLOT) == change and "?" not in text and \
                any(asked_lately(tracker, offer, 3) for offer in OFFERED) and \
                not planned.no_loaner_free:
            # "ok ill be the one driving it. switch me to the loaner pls" after a question
            # answered: the change offered, asked for again, is the yes to it
            await make_change(dispatcher, owner_id, planned.appointment.code, ride)
            return [SlotSet(SLOT, None)]
        if any(str(r or "").startswith("utter_moved") for r in said_for_this_text(tracker)):
            # the visit just moved in this reply, said in full: not twice in one text
            visit = say("utter_visit_just_said")
        say_change(dispatcher, OFFERED, visit, planned)
        if planned.no_loaner_free:
            return [SlotSet(SLOT, None)]
        return [SlotSet(SLOT, f"{planned.appointment.code}:{ride}")]


async def say_unchanged(dispatcher: CollectingDispatcher, owner_id: int | None,
                        offered: Any) -> None:
    """The ride left as it was, said as it stands ("...tomorrow at 1:30 PM, with a shuttle
    ride"): the owner who kept it hears what they kept."""
    code = str(offered or "").split(":", 1)[0]

    def work(session) -> tuple[str, str] | None:
        if owner_id is None or not code:
            return None
        try:
            appointment = appointments.by_code(session, owner_id, code)
        except appointments.NotYours:
            return None
        return describe(appointment, local_now(session)), ride_text(appointment.transport)

    kept = await in_session(work)
    if kept is None:
        dispatcher.utter_message(response="utter_ride_unchanged")
        return
    visit, ride = kept
    dispatcher.utter_message(response="utter_ride_kept",
                             appointment=f"{visit}, {ride}" if ride else visit)


class ActionConfirmRideChange(Action):
    """The answer to the change offered: a yes makes it, anything else leaves the ride."""

    def name(self) -> str:
        return "action_confirm_ride_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        offered = tracker.get_slot(SLOT)
        owner_id = owner_id_of(tracker)
        # (the message's own intent: a text read in parts carries no ranking)
        intent = intent_of(tracker)
        # "can i get one instead?" to a loaner offered: a yes
        text = tracker.latest_message.get("text") or ""
        loaner = str(offered or "").endswith(":loaner")
        # ("actually something smaller is fine, an es is easier to park": that one)
        line = await in_session(lambda s: fleet.line_asked(s, text)) if loaner else None
        taken = intent == "affirm" or line is not None or (
            intent in rides.TAKEN_AS and loaner and rides.takes_loaner_offered(text))
        if not offered or owner_id is None or not taken:
            await say_unchanged(dispatcher, owner_id, offered)
            return [SlotSet(SLOT, None)]
        code, ride = str(offered).split(":", 1)
        await make_change(dispatcher, owner_id, code, ride, line)
        return [SlotSet(SLOT, None)]


async def make_change(dispatcher: CollectingDispatcher, owner_id: int, code: str, ride: str,
                      line: str | None = None) -> None:
    """The change of ride made on the visit `code` (with a loaner of `line`, named), and
    said."""
    def work(session) -> tuple[str, rides.RideChange]:
        done = rides.change(session, owner_id, code, ride, line)
        return describe(done.appointment, local_now(session)), done

    visit, done = await in_session(work)
    say_change(dispatcher, DONE, visit, done)

