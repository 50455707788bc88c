"""Messages the bot cannot help with: not understood, or outside what it does; and answers
given when no question was pending.

Never the same apology twice in a row: the second time it offers a person instead.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.asked_before import books_the_visit_asked_about, rebooks
from actions.changes import CHANGE_SLOTS, ActionRescheduleAppointment, car_corrected
from actions.common import (
    book_offered,
    booked_lately,
    car_not_theirs,
    check_recalls,
    file_photos,
    hand_off,
    in_session,
    intent_of,
    just_added,
    last_reply_was,
    move_just_booked,
    move_pending,
    owner_id_of,
    recall_risk_asked,
    said_this_text,
    said_vin,
    start_booking,
)
from actions.consent import hours_followed
from actions.departments import LEASE_ENDING, ActionAnswerDepartment, team_followed_up
from actions.recalls import fix_asked_about
from bot.dealership import vehicles
from bot.dealership.booking import CarFound, WhichCar, which_car
from bot.dealership.departments import FINANCE

# A change asked about, called off: "leave it", "keep it as is", "never mind".
KEEP = re.compile(r"\b(leave it|keep it|as it is|as is|never ?mind|nvm|forget it|don'?t (move|"
                  r"cancel) it|works after all)\b", re.IGNORECASE)
APOLOGIES = ("utter_default", "utter_out_of_scope", "utter_default_again")
BOOKING_WORDS = {"when", "service", "transport"}


def answered_the_form(tracker: Tracker) -> bool:
    """The message filled the slot the form asked for as free text: a name the NLU could not
    place ("Hyunwoo Kwak") is an answer, not a message to apologise for and forget."""
    asked = tracker.get_slot("requested_slot")
    text = tracker.latest_message.get("text")
    return bool(tracker.active_loop_name and asked and text) and tracker.get_slot(asked) == text


def said_entities(tracker: Tracker) -> set[str]:
    return {e.get("entity") for e in tracker.latest_message.get("entities", [])}


async def other_car_named(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """"its for my tesla model 3" to "Which car?": a car not on the account, said so with the
    owner's cars, not "outside what I can help with"."""
    asked = (tracker.active_loop_name, tracker.get_slot("requested_slot"))
    if asked not in {("booking_form", "vehicle"), ("problem_form", "problem_vehicle")}:
        return False
    car = vehicles.other_car(tracker.latest_message.get("text") or "")
    if car is None:
        return False
    owner_id = owner_id_of(tracker)
    if owner_id is None:
        dispatcher.utter_message(response="utter_which_model")
        return True
    found = await in_session(lambda s: which_car(s, WhichCar(owner_id, [car])))
    if isinstance(found, CarFound):
        return False  # one of theirs after all: the form reads it
    dispatcher.utter_message(response="utter_car_not_on_account", car=car.title(),
                             cars=", ".join(found.cars))
    return True


async def cannot_help(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    intent = intent_of(tracker)
    if await file_photos(dispatcher, tracker) or await hours_followed(dispatcher, tracker):
        return []
    if intent == "nlu_fallback" and answered_the_form(tracker):
        return []  # the form takes it as said, and goes on
    if intent == "nlu_fallback" and tracker.get_slot("change_code") and \
            KEEP.search(tracker.latest_message.get("text") or ""):
        # "wait no leave it, tmrw works after all" to "Move your ... to Fri?": a no
        dispatcher.utter_message(response="utter_kept")
        return [SlotSet(slot, None) for slot in CHANGE_SLOTS]
    if intent == "out_of_scope" and await other_car_named(dispatcher, tracker):
        return []  # the form asks for the car again
    if not tracker.active_loop_name and LEASE_ENDING.search(tracker.latest_message.get("text")
                                                             or ""):
        # "lease on my rx is up in a few weeks, what do i need to do": the lease's end
        return await ActionAnswerDepartment().answer(dispatcher, tracker, team=FINANCE)
    if team := team_followed_up(tracker):
        # "ok whats the number to call" right after the finance team's answer: theirs
        return await ActionAnswerDepartment().answer(dispatcher, tracker, team)
    if not tracker.active_loop_name:
        # "is it safe to drive tho?", "how long does the fix take", the recalls just told
        if (risk := await recall_risk_asked(dispatcher, tracker)) is not None:
            return risk
        if (fix := await fix_asked_about(dispatcher, tracker)) is not None:
            return fix
        if intent == "nlu_fallback" and (len(said_entities(tracker) & BOOKING_WORDS) >= 2 or
                                         await books_the_visit_asked_about(tracker) or
                                         await rebooks(tracker)):
            # "great, 9am then with that loaner" after "what loaner do i get if i bring the
            # ls in wed": that visit.
            # A long text whose intent is unclear but which names the work and the day
            # (or a ride): a booking, with what it said filled in.
            return [*await start_booking(tracker), FollowupAction("booking_form")]
        if said_vin(tracker):
            # A VIN on its own, most often the answer to the recall check asking for one.
            return await check_recalls(dispatcher, tracker)
    apologised = last_reply_was(tracker, APOLOGIES)
    if apologised and intent == "nlu_fallback":
        # Two messages in a row not understood: a person takes it from here.
        await hand_off(dispatcher, tracker, intent)
    elif apologised:
        dispatcher.utter_message(response="utter_default_again")
    elif intent == "out_of_scope":
        dispatcher.utter_message(response="utter_out_of_scope")
    else:
        dispatcher.utter_message(response="utter_default")
    # A message not understood is taken out of the history, so it cannot derail
    # whatever the owner was in the middle of.
    return [UserUtteranceReverted()] if intent == "nlu_fallback" else []


class ActionCannotHelp(Action):
    def name(self) -> str:
        return "action_cannot_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return await cannot_help(dispatcher, tracker)


class ActionInformUnprompted(Action):
    """An answer with no question pending: a day, a service or a ride starts a booking;
    anything else was not understood."""

    def name(self) -> str:
        return "action_inform_unprompted"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        said = said_entities(tracker)
        if (switched := await car_corrected(dispatcher, tracker)) is not None:
            return switched  # "Apologies, I meant the RZ, not the LS." after the confirmation
        if moved := move_just_booked(tracker):
            return moved  # "omg wait sorry i meant monday not sat" right after the confirmation
        if move_pending(tracker):
            # "ok yes 9 works" to "move it to 9?" after a question answered in between
            return await ActionRescheduleAppointment().run(dispatcher, tracker, domain)
        if not said & {"when", "service", "vehicle"} and (code := booked_lately(tracker)):
            # "ok add it, ill still just wait" once it was added: it is, as it was booked
            added = just_added(tracker)
            dispatcher.utter_message(response="utter_added_already" if added
                                     else "utter_booked_already", code=code)
            return []
        if tracker.get_slot("offered_service") and said & {"when", "transport"} and \
                not said & {"service"}:
            # A day or a ride in answer to "want me to book it?": that visit, then.
            return await book_offered(tracker, keep=said_this_text(tracker) - {"services"})
        if said <= {"when"} and (team := team_followed_up(tracker)):
            # "and on saturday?" right after a team's answer: their hours that day
            return await ActionAnswerDepartment().answer(dispatcher, tracker, team)
        if said & {"when", "service", "transport", "vehicle"}:
            return [*await car_not_theirs(dispatcher, tracker, await start_booking(tracker)),
                    FollowupAction("booking_form")]
        return await cannot_help(dispatcher, tracker)
