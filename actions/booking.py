"""Booking service: the booking form, its questions, and writing the appointment.

The form asks only for what is missing (which car only when there is more than one); every
answer is checked against the dealership here, and the rules live in bot.dealership.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.asked_before import day_lent
from actions.background import in_background
from actions.cars_together import SLOT, beside, cars_read, read_now, time_with_visit
from actions.common import (
    BOOKED_CODE,
    WORK_NAMED_UP_TO,
    FormValidation,
    aside,
    asked_lately,
    asked_once_more,
    bot_spoke_this_turn,
    car_buttons,
    car_not_theirs,
    cars_of,
    check_time,
    in_session,
    intent_of,
    last_reply_was,
    move_just_booked,
    offer_buttons,
    owner_id_of,
    owner_text_before,
    previous_reply,
    previous_reply_text,
    reply_before_this_text,
    reply_to_whole_text_before,
    reset_booking,
    responses_in_booking,
    said_for_this_text,
    said_in_reply,
    said_this_turn,
    sender_mobile,
    short_if_long,
    slot_before_this_turn,
    start_booking,
    texts_for_this_text,
    time_said_in_booking,
    times_said_in_booking,
    whole_text,
)
from actions.consent import keep_hours
from actions.ownership import lines_of, terms_asked
from actions.phrases import duration_text, numbered, ride_text, when_text
from actions.recalls import HOW_LONG
from bot.channels import outbound
from bot.dealership import appointments, fleet, guest_names, recalls, rides, services, vehicles
from bot.dealership.booking import (
    Booked,
    BookedTogether,
    BookingRequest,
    CarFound,
    Retry,
    Summary,
    WhichCar,
    book,
    book_beside_visit,
    book_together,
    estimate_together,
    lounge_wait,
    priced_work,
    summarize,
    which_car,
)
from bot.dealership.booking_time import (
    AGREES,
    HEDGES,
    OPENINGS_ASKED,
    agreed_to_offer,
    as_datetime,
    on_day_said,
    openings,
    time_beside_question,
)
from bot.dealership.cars_together import CarWork
from bot.dealership.consent_words import text_hours
from bot.dealership.dates import CLASH, NOT_ON_DAY, on_offered_day, parse_when, pick_offered
from bot.dealership.joining import (
    Joined,
    PastClosing,
    VisitAhead,
    add_services,
    visit_to_join,
    without_told_of,
)
from bot.dealership.loaners import (
    LoanerAnswer,
    LoanerFree,
    LoanerLater,
    LoanerRequest,
    check_loaner,
    free_on_day,
)
from bot.dealership.models import Vehicle
from bot.dealership.ownership_questions import Question, too_young_to_drive
from bot.dealership.ownership_questions import answer as answer_question
from bot.dealership.phones import InvalidPhoneNumber, display, to_e164
from bot.dealership.profile import get_dealership, local_now
from bot.dealership.replies import (
    NO_RIDE,
    bare_yes_or_no,
    joins_visit_asked,
    ride_asked_for,
    ride_instead,
    ride_named,
    rides_turned_down,
    yes_with_ride,
)
from bot.dealership.rides import wanted_ride
from bot.dealership.triage import visit_request
from bot.wording import joined, say

# What a "no" to the summary may change, said with it.
# Slots the form reads from a text but never asks for.
READ_BESIDE = ("loaner_line", SLOT)
CHANGEABLE = {"appointment_time", "transport", "services", "vehicle", "offered_slots"}
WHAT_TO_CHANGE = "utter_what_to_change"
OPENING_WORDS = 12  # longer than "oil change for my rx tmrw at 9, ill need a loaner"
# Intents whose message may open a booking and say its day.
BOOKING_STARTS = {"book_service", "request_loaner", "inform"}
RIDE_VALUES = ("wait", "loaner", "shuttle", "pickup_delivery", "drop_off")
# A question of the owner's own, answered by a rule when it answers none of the form's.
QUESTION_INTENTS = {"ownership", "department"}
ASKS = re.compile(r"(.*\?|\s*(?:(?:oh|ok|okay|wait|hmm|um|and|so|also|btw)\W+)*(how|what|where|"
                  r"when|why|which|who|do|does|is|are|can|could|will|would)\b)", re.IGNORECASE)
# A question about a ride, not a choice of it.
QUESTION = re.compile(r"\s*(how|what|where|when|why|do|does|is|are|can|could|will|would)\b.*\?")
# Waiting said as the ride before it is asked for ("can i come in at 2 and wait?").
# What a name said alone is read as, by a classifier that knows no names.
NAME_MISREAD_AS = {"out_of_scope", "nlu_fallback", "inform", "greet"}
WILL_WAIT = re.compile(r"\b(and|i'?ll|i will|i can|can i|i'?d|gonna|to) (just )?wait\b"
                       r"(?! (for (the|an?) (advisor|call|text)|to hear))|"
                       # "i'm waiting this time", "im waiting there"
                       r"\b(i'?m|im|i am) (just )?waiting (this time|there|for it|in the lounge|"
                       r"on it|while)\b")

# Waiting said in other words than "wait": "ill hang out in the lounge", "i'll stay there".
IN_THE_LOUNGE = re.compile(r"\b(lounge|stay there|hang out|hang around|chill there)\b")

# "wait" said as a pause, not a ride: "stop, wait, i meant the es", "wait no, make it 3pm".
INTERJECTED_WAIT = re.compile(r"^\W*(?:\w+\W+)?wait\s*(?:,|!|\.\.+|\s-\s)\s*\w|"
                              r"\b(?:no|stop|oh|hmm|oops|ok|hold on)\W+wait\W+\w|"
                              r"\bwait\s+(?:no|actually|i meant|sorry|a (?:sec|second|min))\b")


# "wait do u guys have wifi": a question after the pause.
ASKED_AFTER_WAIT = re.compile(r"\W*(?:oh |ok |hmm |um )?wait\W+(?:do|does|is|are|can|could|how|"
                              r"what|whats|what's|when|where|will|would|did|u|you|y'?all)\b",
                              re.IGNORECASE)


def wait_interjected(text: str) -> bool:
    said = text.lower()
    return bool(INTERJECTED_WAIT.search(said)) and not WILL_WAIT.search(said) and \
        not IN_THE_LOUNGE.search(said)


class ActionStartBooking(Action):
    """Starts a booking: forgets an earlier, unfinished one but keeps what this message said."""

    def name(self) -> str:
        return "action_start_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        message = tracker.latest_message
        text = str((message.get("metadata") or {}).get("whole_text") or message.get("text") or "")
        if terms_asked(tracker):
            # "what do i need to get a loaner?": the loaner policy, no booking
            return [FollowupAction("action_answer_ownership")]
        if moved := move_just_booked(tracker):
            return moved  # "sorry i meant monday" right after the confirmation
        mobile = sender_mobile(tracker)
        if mobile and (hours := text_hours(text)):
            # "rotation fri at 10? ill wait. oh and dont text me before 10am": the wish is kept
            await keep_hours(dispatcher, mobile, hours, text)
        if RIDE_INSTEAD.search(text.lower()) and wanted_ride(text) is not None and not any(
                e.get("entity") == "service" for e in message.get("entities", [])) and \
                not tracker.active_loop.get("name") and await visits_ahead(tracker):
            # "i cant wait there anymore, can i get a loaner instead", "then I would prefer a
            # loaner tomorrow": a ride wanted for the visit booked, no new work named
            return [FollowupAction("action_change_ride")]
        if MY_VISIT.search(text.lower()) and not await visits_ahead(tracker):
            # "can i get a loaner w/ my appt this week?" with nothing booked: said so, and the
            # visit is booked now
            dispatcher.utter_message(response="utter_nothing_booked_so_book")
        return await car_not_theirs(dispatcher, tracker, await start_booking(tracker))


class ValidateBookingForm(FormValidation):
    def name(self) -> str:
        return "validate_booking_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        if requested and reading_the_text(tracker) and not aside(tracker) and \
                intent_of(tracker) in QUESTION_INTENTS and \
                ASKS.match(tracker.latest_message.get("text") or "") and not any(
                event.get("event") == "slot" and event.get("name") in (requested, "offered_slots")
                and event.get("value") is not None for event in events):
            # "how long is a tire rotation, can i just wait": a question that answers none of
            # the form's (nor asks its openings: "what do u have sat morning"); read as no
            # answer, so it is answered and the question asked again (rejected as Rasa rejects
            # a text it read nothing from: a ride read by a slot mapping, "great ill wait for
            # it. remind me how much...", would go on to the domain's first question)
            dispatcher.messages.clear()
            return [ActionExecutionRejected(self.form_name())]
        if await self.summary_next(events, dispatcher, tracker, domain) and \
                await said_it_all(tracker, events):
            # The owner's text gave the last of it and said to book it: booked, with nothing
            # to say yes to again (the confirmation says it all, with the estimate)
            return [event for event in events if event.get("name") != "requested_slot"] + [
                SlotSet("confirm_booking", True), SlotSet("requested_slot", None)]
        return events

    async def summary_next(self, events: list[EventType], dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: dict[str, Any]) -> bool:
        """Whether the form's next question, after these events, is the summary's yes (the
        validation names it, or leaves it to Rasa when the slots asked are the domain's)."""
        asked = [event.get("value") for event in events
                 if event.get("event") == "slot" and event.get("name") == "requested_slot"]
        if asked:
            return asked[-1] == "confirm_booking"
        slots = {**tracker.slots, **{event["name"]: event.get("value") for event in events
                                     if event.get("event") == "slot"}}
        missing = [slot for slot in await self.required_slots(
            self.domain_slots(domain), dispatcher, tracker, domain) if slots.get(slot) is None]
        return bool(missing) and missing[0] == "confirm_booking"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        skip = set()
        if owner_id_of(tracker) is not None:
            skip |= {"guest_name", "guest_mobile"}
        elif sender_mobile(tracker):
            skip.add("guest_mobile")
        slots = [slot for slot in domain_slots if slot not in skip]
        if tracker.get_slot("offered_slots") and not tracker.get_slot("appointment_time") \
                and "appointment_time" in slots:
            # Times were just offered: the pick comes next, so their buttons stay the last
            # thing said (the web chat hides a message's buttons once another one follows).
            slots.remove("appointment_time")
            slots.insert(0, "appointment_time")
        if "join_visit" in slots:
            joining = tracker.get_slot("join_visit")
            if joining is True:
                # the work joins the visit booked already: nothing more to ask (the slot kept
                # in the list, so a join read from the text is validated, not dropped)
                return ["join_visit"]
            slots.remove("join_visit")
            if joining is False or await joinable(tracker) is not None:
                # The car comes in anyway: whether to add the work to that visit comes first.
                slots.insert(0, "join_visit")
        if "transport" in slots and await wait_offered(tracker):
            # Short work: the summary offers the wait in the lounge, and its yes agrees to it;
            # the ride is read as before from what the owner answers instead.
            slots.remove("transport")
            if tracker.get_slot("confirm_booking") is not False:
                slots.insert(slots.index("confirm_booking") + 1, "transport")
        return slots

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> list[EventType]:
        """Checks the answers in the form's order, whatever order they were read in: whether a
        loaner is free depends on the time, and a time read from the whole message
        (`extract_appointment_time`) comes after the ride the entity extractor found."""
        read = tracker.slots_to_validate
        order = self.domain_slots(domain)

        def in_form_order() -> dict[str, Any]:
            return dict(sorted(read().items(), key=lambda item: order.index(item[0])
                               if item[0] in order else len(order)))

        tracker.slots_to_validate = in_form_order
        # What the form reads beside its questions (the loaner model asked for, the other cars)
        # is kept too, as its reading or a validation left it.
        before = {slot: tracker.get_slot(slot) for slot in READ_BESIDE}
        read_beside = set(read()) & set(READ_BESIDE)
        events = await super().get_validation_events(dispatcher, tracker, domain)
        kept: list[EventType] = []
        if tracker.get_slot("join_visit") is True:
            # Joining asks nothing more, so the car and work read this turn are not validated;
            # as the reading left them they stay ("ok add it. and an oil change on my es":
            # the work joined is the one offered, the es's is its own)
            validated = {event.get("name") for event in events}
            kept = [SlotSet(slot, tracker.get_slot(slot)) for slot in ("vehicle", "services")
                    if slot in read() and slot not in validated]
        return events + kept + [SlotSet(slot, tracker.get_slot(slot)) for slot in READ_BESIDE
                                if slot in read_beside or tracker.get_slot(slot) != before[slot]]

    async def extract_guest_name(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: dict[str, Any]) -> dict[str, Any]:
        """A name answered to the name question, even when the intent classifier read it as
        something else ("Lena Park" as a question about where we are)."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("guest_name") is not None or owner_id_of(tracker) is not None:
            return {}
        if tracker.get_slot("requested_slot") == "guest_name" and \
                (name := guest_names.answered(text)):
            return {"guest_name": name}
        # "hi im sam reyes. can i book...": the name given before it is asked (the greeting is
        # left out of the request when the text asks several things: the whole text is read)
        whole = str((tracker.latest_message.get("metadata") or {}).get("whole_text") or text)
        if name := guest_names.introduced(whole) or guest_names.name_first(whole):
            return {"guest_name": name}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in NAME_MISREAD_AS and not tracker.latest_message.get("entities") and \
                guest_names.full_name(text.strip()) and guest_names.looks_like_name(text.strip()):
            # "jordan pike" alone, to the times offered: a guest's name given before it is
            # asked, read as nothing the assistant does
            return {"guest_name": " ".join(text.split()).title()}
        return {}

    async def extract_transport(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: dict[str, Any]) -> dict[str, Any]:
        """The ride a text names in words the entity extractor missed ("fri dec 4 at 9 with a
        loaner then"), in answer to "how will you get around" or said before it was asked;
        nothing when it names none, or more than one ("no loaner, i'll wait"), or asks."""
        message = tracker.latest_message
        text = message.get("text") or ""
        asked = tracker.get_slot("requested_slot") == "transport" or (
            tracker.get_slot("requested_slot") == "confirm_booking" and
            not tracker.get_slot("transport"))
        if line := await loaner_line_asked(tracker):
            return {"transport": "loaner", "loaner_line": line}
        changed = rides.wanted_ride(text)
        if changed in RIDE_VALUES and changed != tracker.get_slot("transport"):
            return {"transport": changed}  # "can i swap that for a loaner instead of waiting?"
        if tracker.get_slot("requested_slot") == "confirm_booking" and not text.startswith("/") \
                and (other := ride_instead(text, tracker.get_slot("transport"))):
            return {"transport": other}  # "no actually id rather take the shuttle"
        whole = str((message.get("metadata") or {}).get("whole_text") or text)
        if not tracker.get_slot("transport") and (asked_for := ride_asked_for(whole)):
            return {"transport": asked_for}  # "9am, and can the shuttle take me home?"
        request = message.get("intent", {}).get("name") in BOOKING_STARTS | {"report_issue"}
        if text.startswith("/") or (not asked and (tracker.get_slot("transport") or
                                                   ("?" in text and not request))) \
                or any(e.get("entity") == "transport" for e in message.get("entities", [])):
            return {}
        if asked and QUESTION.match(text.lower()):
            return {}  # "how far does your shuttle go?": a question about it, answered first
        named = ride_named(text)
        if named == "wait" and not asked and not WILL_WAIT.search(text.lower()) and \
                not IN_THE_LOUNGE.search(text.lower()):
            return {}  # "wait, make it 3pm": not a ride unless asked for one
        return {"transport": named} if named else {}

    async def extract_vehicle(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: dict[str, Any]) -> dict[str, Any]:
        """The car a booking's message points at in words the entity extractor missed ("...came
        on in the old es. can u look at it friday"), before anyone asks which car."""
        if several := await cars_read(dispatcher, tracker):
            return several  # "both my cars", "oh and the rz too"
        message = tracker.latest_message
        text = message.get("text") or ""
        if tracker.get_slot("vehicle") and text and not text.startswith("/") and \
                (make := vehicles.other_make(text)) and not vehicles.named_in(text) and \
                (owner_id := owner_id_of(tracker)) is not None:
            # "its for my ferrari actually" once the car is known: not theirs, said so; the
            # car being booked stays
            cars = await in_session(lambda s: [v.label for v in cars_of(s, owner_id)])
            if not any(make.lower() in label.lower() for label in cars):
                dispatcher.utter_message(response="utter_car_not_on_account", car=make.title(),
                                         cars=", ".join(cars))
                return {"vehicle": tracker.get_slot("vehicle")}
        if tracker.get_slot("vehicle") and text and not text.startswith("/") and \
                CAR_SWITCHED.search(text.lower()):
            return await car_switched(tracker, text)
        if tracker.get_slot("vehicle") or not text or text.startswith("/") or \
                tracker.get_slot("requested_slot") == "vehicle" or \
                message.get("intent", {}).get("name") not in BOOKING_STARTS or \
                any(e.get("entity") == "vehicle" for e in message.get("entities", [])):
            return {}
        # (or, of a text of several requests, the car another part named: "do u service a 2020
        # ux 250h? ... need a brake inspection")
        named = vehicles.named_in(text) or (vehicles.named_in(whole_text(tracker)) if int(
            (message.get("metadata") or {}).get("parts") or 1) > 1 else None)
        if not named and OTHER_CAR.search(text.lower()):
            return {"vehicle": text}  # "a rotation on the other car too": of the two, read next
        return {"vehicle": named} if named else {}

    async def extract_services(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: dict[str, Any]) -> dict[str, Any]:
        """The work a booking's message names in words the entity extractor missed ("any
        chance u can do an oil change on my rx thursday"): the menu read in the whole message."""
        message = tracker.latest_message
        text = message.get("text") or ""
        if not text or text.startswith("/") or read_now(tracker) or (
                message.get("intent", {}).get("name") not in BOOKING_STARTS and
                not WORK_ADDED.search(text.lower()) and not ADD_THAT.search(text.lower())):
            return {}  # (the work of several cars was read with them)
        named = any(e.get("entity") == "service" for e in message.get("entities", [])) or \
            bool(WORK_ADDED.search(text.lower()) or ADD_THAT.search(text.lower()))
        have = list(tracker.get_slot("services") or [])
        if have and not named:
            return {}  # work asked for earlier stands; this message names none
        before = [] if started_this_turn(tracker) or SWAPPED.search(text.lower()) else \
            list(slot_before_this_turn(tracker, "services") or [])
        owner_id = owner_id_of(tracker)

        def work_named(session: Session) -> list[str]:
            # (not the work of a visit told of beside it: "i know i have the rotation tmrw")
            asked = without_told_of(text)
            codes = [x.code for x in services.mentioned(session, asked)
                     or services.mentioned(session, text)]
            if not codes and ADD_THAT.search(text.lower()):
                # "ya add that too" after "how much is an alignment?": the work just asked about
                codes = [x.code for x in services.mentioned(session, owner_text_before(tracker))
                         if x.code not in have]
            if RECALL not in codes and owner_id is not None and \
                    recalls.open_named(session, owner_id, text):
                codes.append(RECALL)  # "that charging timer update thing": the recall's fix
            return codes

        found = await in_session(work_named)
        # "skip the detail, just the oil then": the work named to drop is no longer asked
        dropped = await in_session(lambda s: {x.code for part in DROPPED.findall(text.lower())
                                              for x in services.mentioned(s, part)})
        # Work named once the booking is under way joins what was asked ("oh and can u rotate
        # the tires while its there"); the extractor may find one of two ("add an oil change
        # onto my rotation"): both count.
        work = [c for c in dict.fromkeys(before + have + found) if c not in dropped]
        return {"services": work} if work and work != have else {}

    async def extract_appointment_time(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: dict[str, Any]) -> dict[str, Any]:
        """The day in the message that started the booking, or that answered which car or what
        work ("asap please" to what to do), when the entity extractor missed it ("rx in for a
        tire rotation thurs?"): the date reader reads the whole message."""
        message = tracker.latest_message
        text = message.get("text") or ""
        report = message.get("intent", {}).get("name") == "report_issue"
        if with_visit := await time_with_visit(tracker):
            return with_visit  # "same time as the lx"
        if tracker.get_slot("requested_slot") in LATER_ASKS:
            return await time_missed(tracker)
        if tracker.get_slot("requested_slot") not in (None, "vehicle", "services") or \
                tracker.get_slot("appointment_time") or \
                not text or text.startswith("/") or (not report and (
                    {e.get("entity") for e in message.get("entities", [])} & {"when", "option"})):
            return {}
        if report:
            # A report may ask for the visit too ("...low, can i come in today around 2?"):
            # the day is read from that request, not from the story ("came on yesterday").
            text = visit_request(text) or ""
        elif message.get("intent", {}).get("name") not in BOOKING_STARTS | {"nlu_fallback"}:
            # (a text not understood starts a booking only when it names the work and the day
            # or a ride: "nah too much. just an oil change then, tmrw at 5pm, ill wait")
            return {}
        if not text:
            return {}
        when = await in_session(lambda s: parse_when(text, local_now(s)))
        return {"appointment_time": text} if when is not None else {}

    async def validate_guest_name(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        name = " ".join(str(value or "").split())
        if name.startswith("/") or bare_yes_or_no(name):
            return {"guest_name": None}  # a button's payload
        if "appointment_time" in tracker.slots_to_validate() and \
                tracker.get_slot("requested_slot") == "guest_name":
            # a change of time ("no make it 2pm"): no name in it, unless one is given beside
            # it ("ok fri morning? im chris patel")
            said = guest_names.introduced(name, asked=True)
            return {"guest_name": said.title() if said else None}
        offered = [datetime.fromisoformat(s) for s in tracker.get_slot("offered_slots") or []]
        if chosen := pick_offered(name, offered):  # "2": the time offered beside the question
            return {"guest_name": None, "appointment_time": chosen.isoformat(),
                    "offered_slots": None}
        for lead in ("it's ", "its ", "it is ", "this is ", "i'm ", "im ", "my name is ",
                     "name is ", "under "):
            if name.lower().startswith(lead):
                name = name[len(lead):]
        # ("id rather wait there than take a loaner" to the name question is no name)
        if not 2 <= len(name) <= 60 or any(ch.isdigit() for ch in name) or "?" in name or \
                not guest_names.looks_like_name(name):
            if said := guest_names.answered(" ".join(str(value or "").split())):
                return {"guest_name": said.title()}  # "mike ortiz, its a 2019 es 300h"
            dispatcher.utter_message(response="utter_ask_guest_name_again")
            return {"guest_name": None}
        return {"guest_name": name.title()}

    async def validate_guest_mobile(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        try:
            return {"guest_mobile": to_e164(str(value))}
        except InvalidPhoneNumber:
            dispatcher.utter_message(response="utter_not_a_mobile_number")
            return {"guest_mobile": None}

    async def validate_vehicle(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        text = str(value or "")
        message = tracker.latest_message.get("text") or ""
        if kept := car_kept_beside_another(tracker, message) or loaner_not_car(tracker, text):
            return kept
        # The entity extractor may cut "a 2020 rx 350" to "350": the whole message is read too.
        # A correction's car comes first ("actually do the gx instead, the es can wait").
        readings = [text] + ([message] if message and message != text else [])
        if (corrected := vehicles.corrected(message)) and vehicles.named_in(corrected):
            readings.insert(0, corrected)
        elif (rest := vehicles.without_references(message)) and vehicles.named_in(rest):
            # "on my ES tmrw? same time as the LX": the ES; the car it points at first ("No, the
            # RZ, not the LS. The LS had new tires last month.": the RZ)
            readings[0:0] = [vehicles.named_in(rest) or rest, rest]
        elif rest and (before := slot_before_this_turn(tracker, "vehicle")):
            # every car named is a reference or put off ("gx another time"): the car stays
            return {"vehicle": before, "vehicle_id": slot_before_this_turn(tracker, "vehicle_id")}
        named = any(e.get("entity") == "vehicle"
                    for e in tracker.latest_message.get("entities", []))
        said_else = set(tracker.slots_to_validate()) - {"vehicle"}
        owner_id = owner_id_of(tracker)
        request = WhichCar(owner_id, readings, previous_reply_text(tracker))
        found = await in_session(lambda s: which_car(s, request))
        before = slot_before_this_turn(tracker, "vehicle")
        if isinstance(found, CarFound):
            if before and slot_before_this_turn(tracker, "vehicle_id") not in (
                    None, found.vehicle_id):
                # said back, so a switch the owner did not mean is caught before the summary
                dispatcher.utter_message(response="utter_car_switched", car=found.label,
                                         before=before)
            # A guest's year said with it ("a 2019 rx 350") is kept: the slot holds the label.
            chosen = {"vehicle": found.label, "vehicle_id": found.vehicle_id}
            if tracker.get_slot("requested_slot") == "vehicle" and \
                    not tracker.get_slot("appointment_time") and \
                    "appointment_time" not in tracker.slots_to_validate() and \
                    not tracker.get_slot("offered_slots") and \
                    (times := times_said_in_booking(tracker)):
                # the time said before which car was asked ("sometime next week"), read now;
                # a time alone since, on the day said before it ("friday morning", "9")
                said = await in_session(lambda s: on_day_said(times[0], times[-1], local_now(s)))
                return {**chosen, **await check_time(
                    dispatcher, tracker, said, services=tracker.get_slot("services") or [],
                    car=found.label)}
            return chosen
        of_the_ride = re.search(r"\b(loaner|rental|courtesy car)", message, re.IGNORECASE) or \
            "transport" in said_else or (tracker.get_slot("transport") == "loaner" and (
                tracker.get_slot("requested_slot") == "confirm_booking" or
                # "ugh fine nx then. 9am" once a loaner is asked for: the loaner's line
                await line_not_owned(tracker, message)))
        if before and owner_id is not None and not found.several and of_the_ride:
            # A car not theirs named once theirs is known ("an rx is fine" of the loaner):
            # the car being booked stays.
            return {"vehicle": before,
                    "vehicle_id": slot_before_this_turn(tracker, "vehicle_id")}
        if not found.several and (named or not said_else):
            # a car not named, or not theirs; not "tmrw at 8", which is kept and asked again
            if owner_id is None:
                dispatcher.utter_message(response="utter_which_model")
            else:
                dispatcher.utter_message(response="utter_car_not_on_account", car=text,
                                         cars=", ".join(found.cars))
        return {"vehicle": None, "vehicle_id": None}

    async def validate_services(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        asked = value if isinstance(value, list) else [str(value or "")]
        def work(session) -> tuple[list[str], list[str], list[str]]:
            found, unknown = services.resolve(session, asked)
            return [x.code for x in found], unknown, [x.name.lower() for x in found]

        found, unknown, names = await in_session(work)
        before = slot_before_this_turn(tracker, "services") or []
        if before and tracker.get_slot("requested_slot") in ("appointment_time", "transport",
                                                            "confirm_booking") \
                and (added := [(c, n) for c, n in zip(found, names, strict=True)
                               if c not in before]):
            # "and do that seat latch recall on it while its there" as the time is asked: said
            # back, since the question that comes next does not name the work
            await say_work_added(dispatcher, tracker, added)
        if found:
            # "both" to which car, before the work was named: the other cars' work is this too
            others = beside(tracker)
            if any(not car.services for car in others):
                return {"services": found, SLOT: [
                    replace(car, services=car.services or found).as_slot() for car in others]}
            return {"services": found}
        if set_this_turn := work_set_this_turn(tracker, asked):
            # words the extractor took for work ("mon the 30th first thing") beside the work the
            # action that began the booking named: that work
            return {"services": set_this_turn}
        if set(tracker.slots_to_validate()) - {"services"}:
            # The answer said something else the form asks ("asap", "with a loaner"): that is
            # kept, and the question comes again without the menu.
            return {"services": None}
        names = await in_session(lambda s: [x.name.lower() for x in services.menu(s)])
        dispatcher.utter_message(response="utter_service_not_on_menu",
                                 asked=", ".join(unknown)[:60], menu=", ".join(names))
        return {"services": None}

    async def validate_appointment_time(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: dict[str, Any]
                                        ) -> dict[str, Any]:
        # A time alone that changes one agreed already ("make it 2pm") keeps its day.
        before = slot_before_this_turn(tracker, "appointment_time")
        text = tracker.latest_message.get("text") or ""
        if (BOOK_IT.search(str(value or "")) or GO_AHEAD.search(str(value or ""))) and \
                not TIME_WORDS.search(text) and (as_datetime(str(before or "")) or not (
                    tracker.get_slot("offered_slots") and agreed_to_offer(text) and
                    offered_as_asked(tracker))):
            # "book it" read as a time: the time kept, or none picked, which is asked; "ok book
            # it" alone to the times offered for the day asked takes the one nearest what was
            # asked (read below), not to times offered because the one asked cannot be had
            return {"appointment_time": before if as_datetime(str(before or "")) else None}
        if not before and await car_to_choose(tracker):
            # which of the owner's cars comes first; the time said is read once that is
            # answered (`validate_vehicle`)
            return {"appointment_time": None}
        if tracker.get_slot("join_visit") is None and not as_datetime(str(before or "")) and \
                await joinable(tracker) is not None:
            # Whether the work joins the visit booked already comes first; the time said is
            # read once that is answered (`validate_join_visit`). Not once a day of its own
            # was agreed ("8 works." to the summary for Saturday at 8).
            return {"appointment_time": None}
        if tracker.get_slot("requested_slot") == "confirm_booking" and \
                MIND_CHANGED.search(tracker.latest_message.get("text") or ""):
            return {"appointment_time": before}  # "i changed my mind. maybe next month"
        value = fuller_this_turn(tracker, str(value or ""))
        if not as_datetime(str(before or "")):
            # (a time agreed already is kept by the day said alone: "thurs the 3rd, same time")
            value = await same_time_kept(tracker, value)
        if not before and not tracker.get_slot("offered_slots") and \
                (earlier := time_said_in_booking(tracker, before_this_text=True)):
            # "need a loaner friday morning", which car, "the es, 8:30": friday at 8:30
            value = await in_session(lambda s: on_day_said(value, earlier, local_now(s)))
        return await check_time(dispatcher, tracker, await day_lent(tracker, value),
                                services=tracker.get_slot("services") or [],
                                same_day=as_datetime(before) if before else None)

    async def extract_join_visit(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: dict[str, Any]) -> dict[str, Any]:
        """To "shall I add it to that visit?": a yes said with more ("yes add it. i'll still
        wait"), or the work asked for at the same visit ("can u just do the recall at the same
        time tmrw then?"), however the text was read."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") != "join_visit" and \
                tracker.get_slot("join_visit") is None and joins_visit_asked(whole_text(tracker)) \
                and not tracker.get_slot(SLOT) and await joinable(tracker) is not None:
            # "while you have my LX tomorrow, could you also do an alignment?": added to that
            # visit, as asked, with no question whether to
            return {"join_visit": True}
        if tracker.get_slot("requested_slot") != "join_visit" or intent_of(tracker) in (
                "affirm", "deny") or "?" in text and not joins_visit_asked(text):
            return {}
        if ADD_IT.search(text) or joins_visit_asked(text):
            return {"join_visit": True}
        return {}

    async def validate_join_visit(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """No: a visit of its own, at the time the owner said before the question, if any."""
        if value is not False:
            return {"join_visit": value}
        said = time_said_in_booking(tracker)
        if said is None or tracker.get_slot("appointment_time"):
            return {"join_visit": False}
        found = await check_time(dispatcher, tracker, said,
                                 services=tracker.get_slot("services") or [])
        return {"join_visit": False, **found}

    async def extract_confirm_booking(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: dict[str, Any]) -> dict[str, Any]:
        """A yes read as the ride it names ("yes please, I'll wait in the lounge") is the yes to
        the summary when that ride is the one the summary offered."""
        text = tracker.latest_message.get("text") or ""
        asked = tracker.get_slot("requested_slot")
        if asked == "confirm_booking" and MIND_CHANGED.search(text):
            return {"confirm_booking": False}
        agreed = BOOK_IT.search(text) or asked == "appointment_time" and time_and_yes(tracker) \
            or asked == "transport" and GO_AHEAD.search(text) and ride_named(text) is not None
        if agreed and not NOT_BOOKED.search(text) and (
                asked == "appointment_time" and tracker.get_slot("offered_slots") or
                asked == "transport" and as_datetime(str(tracker.get_slot(
                    "appointment_time") or ""))) and \
                (tracker.get_slot("transport") or await wait_offered(tracker)):
            # "perfect book that" or "2pm works. yes" to the times offered, the ride said
            # already (or the wait the summary would offer), or "loaner pls. yes book it" to
            # the ride asked, the time agreed: booked, with no summary to say yes to again
            # (its confirmation says it all)
            return {"confirm_booking": True}
        if tracker.get_slot("requested_slot") != "confirm_booking" or \
                intent_of(tracker) in {"affirm", "deny"}:
            return {}
        if intent_of(tracker) == "thank" and AGREES.match(text) and not HEDGES.search(text) and \
                not NOT_BOOKED.search(text):
            return {"confirm_booking": True}  # "perfect thx" to "Shall I book it?"
        offered = slot_before_this_turn(tracker, "transport") or "wait"
        text = tracker.latest_message.get("text") or ""
        # ("still need the loaner for around town tho, go ahead": the ride offered, said again,
        # and the go-ahead after it; not "go ahead and make it 3")
        gone_ahead = GO_AHEAD.search(text) and ride_named(text) == offered and "?" not in text \
            and not NOT_BOOKED.search(text) and not any(
                e.get("entity") == "when" for e in tracker.latest_message.get("entities", []))
        return {"confirm_booking": True} if gone_ahead or yes_with_ride(text, offered) else {}

    async def validate_confirm_booking(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: dict[str, Any]
                                       ) -> dict[str, Any]:
        """A "no" to the summary that says what to change ("no, make it 2pm", "nah the loaner
        instead") changes it and keeps the rest: the summary comes again. A bare "no" asks what
        to change, with everything kept; a second one stops."""
        if {"loaner_line", SLOT} & set(tracker.slots_to_validate()):
            return {"confirm_booking": None}  # "an rx is fine": the summary again, with it
        if value is True and "services" in tracker.slots_to_validate() and \
                set(tracker.get_slot("services") or []) - set(
                    slot_before_this_turn(tracker, "services") or []):
            # "ya add that too" to the summary: said again with the work added and its estimate
            return {"confirm_booking": None}
        if value is True and not tracker.get_slot("appointment_time"):
            return {"confirm_booking": None}  # "book it", and the time is not to be had
        if value is True and not tracker.get_slot("transport"):
            return {"confirm_booking": True, "transport": "wait"}  # the wait the summary offered
        before = slot_before_this_turn(tracker, "transport")
        text = tracker.latest_message.get("text") or ""
        if value is True and tracker.get_slot("transport") != before and \
                (before is not None or tracker.get_slot("transport") != "wait") and \
                not (BOOK_IT.search(text) and not NOT_BOOKED.search(text)):
            # "yes, with a loaner": the summary again with that ride (which loaner is free);
            # "loaner pls. yes book it" is booked (its confirmation names the loaner)
            return {"confirm_booking": None}
        turned_down = rides_turned_down(text)
        changed = set(tracker.slots_to_validate()) & CHANGEABLE - (
            {"transport"} if turned_down else set())
        if value is False and (BOOK_IT.search(text) or GO_AHEAD.search(text)) and \
                not NOT_BOOKED.search(text) and not CALLED_OFF.search(text.lower()) and \
                not changed and tracker.get_slot("transport") not in turned_down:
            # "no loaner needed, just book it": the no is of a ride the summary does not hold
            value = True
        if value is not False:
            return {"confirm_booking": value}
        if CALLED_OFF.search(text.lower()) or MIND_CHANGED.search(text):
            return {"confirm_booking": False}  # "never mind" to the summary: stopped, as it says
        if set(tracker.slots_to_validate()) & CHANGEABLE:
            return {"confirm_booking": None}  # changed above, in the form's order
        if asked_once_more(tracker, WHAT_TO_CHANGE):
            return {"confirm_booking": False}
        dispatcher.utter_message(response=WHAT_TO_CHANGE)
        return {"confirm_booking": None}

    async def validate_transport(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        if (not_had := await ride_not_had(dispatcher, tracker, value, text)) is not None:
            return not_had
        if value in rides_turned_down(text):
            value = ride_named(text)  # "no loaner needed, i'll wait": the one chosen
        if value == "wait" and (wait_interjected(text) or (
                intent_of(tracker) in QUESTION_INTENTS and ASKED_AFTER_WAIT.match(text))):
            # ("wait do u guys have wifi in the lounge": a question, no ride chosen)
            return {"transport": slot_before_this_turn(tracker, "transport")}
        if value == "wait" and (asked_for := ride_asked_for(text)):
            value = asked_for  # "do i have to wait there or can someone drive me to work"
        if value not in (*RIDE_VALUES, "waitlist"):
            # words the extractor tagged that its synonyms do not know ("wait for"): the ride
            # they name, if one; else the question is asked
            # ("could I have a loaner? I can drop it off at 8": the drop-off tagged, the loaner
            # asked for in the same text)
            value = ride_named(str(value or "")) or ride_named(text)
            if value is None:
                # ("ill drop it off myself at 8": no ride named; the one asked for stays)
                return {"transport": slot_before_this_turn(tracker, "transport")}
        said = {e.get("value") for e in tracker.latest_message.get("entities", [])
                if e.get("entity") == "transport"}
        if "waitlist" in said or re.search(r"\bwait ?list|\bwaiting list",
                                           (tracker.latest_message.get("text") or "").lower()):
            value = "waitlist"  # "put me on the waitlist, i'll take the shuttle meanwhile"
        if value == "waitlist" and not tracker.get_slot("appointment_time"):
            return {"transport": "loaner"}  # the time comes first; a loaner may be free then
        # "is there a loaner i could use?" while the time is asked, "need a loaner friday
        # morning" or "any chance of an IS loaner?": heard, and held for the time, before the
        # times offered
        if value == "loaner" and (await no_loaner_of_its_line(dispatcher, tracker) or (
                heard_before_time(tracker, value) and not await loaner_heard(dispatcher, tracker))):
            return {"transport": None}
        await wait_answered(dispatcher, tracker, value, text)  # "and can i wait for it"
        if value in ("pickup_delivery", "shuttle") and not tracker.get_slot("appointment_time") \
                and slot_before_this_turn(tracker, "transport") != value and \
                tracker.get_slot("requested_slot") != "transport" and not said_in_reply(tracker):
            # "can u pick up my rx from my office wed": heard, before the times offered
            said_first(dispatcher, f"utter_{value}_noted")
        if value != "loaner" or not tracker.get_slot("appointment_time"):
            return {"transport": value}
        request = LoanerRequest(str(tracker.get_slot("vehicle") or ""),
                                tracker.get_slot("services") or [],
                                datetime.fromisoformat(tracker.get_slot("appointment_time")))

        def work(session) -> tuple[LoanerAnswer, datetime]:
            now = local_now(session)
            return check_loaner(session, request, now), now

        answer, now = await in_session(work)
        if isinstance(answer, LoanerFree):
            return {"transport": "loaner"}
        if isinstance(answer, LoanerLater):
            dispatcher.utter_message(response="utter_no_loaner_free_but_later",
                                     later=when_text(answer.start, now),
                                     later_at=answer.start.isoformat())
        else:
            dispatcher.utter_message(response="utter_no_loaner_free")
        return {"transport": None}


NO_LOANER_OF_LINE = {"utter_no_loaner_of_line", "utter_no_loaner_of_line_smaller"}


async def no_loaner_of_its_line(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """A loaner asked for a car the fleet holds none of its line or the next one up for (a
    UX, a GX): said, and no loaner held. Before the times, short (the ride is asked once the
    time is agreed); after, with the smaller one there is, if any, and the other rides, as the
    ride's question. False when the fleet has one of the line."""
    vehicle_id, car = tracker.get_slot("vehicle_id"), tracker.get_slot("vehicle")
    if not vehicle_id or tracker.get_slot("loaner_line"):  # (a smaller one agreed to)
        return False

    def work(session: Session) -> tuple[bool, str | None, str]:
        line = session.get(Vehicle, int(vehicle_id)).model_line
        has_line, smaller = fleet.lent_for(session, line)
        return has_line, smaller.model if smaller is not None else None, line

    has_line, smaller, line = await in_session(work)
    if has_line:
        return False
    if not tracker.get_slot("appointment_time"):
        # before the times offered: told short; the ride is asked once the time is agreed
        if smaller:
            said_first(dispatcher, "utter_no_loaner_of_line_told_smaller", line=line,
                       loaner=smaller.split()[0])
        else:
            said_first(dispatcher, "utter_no_loaner_of_line_told", line=line)
    elif smaller:
        said_first(dispatcher, "utter_no_loaner_of_line_smaller", car=car, loaner=smaller)
    else:
        said_first(dispatcher, "utter_no_loaner_of_line", car=car)
    return True


def heard_before_time(tracker: Tracker, value: Any) -> bool:
    """A loaner asked for anew before the time is agreed, not as the answer to the ride."""
    return value == "loaner" and not tracker.get_slot("appointment_time") and \
        (slot_before_this_turn(tracker, "transport") != "loaner" or
         "loaner_line" in tracker.slots_to_validate()) and \
        tracker.get_slot("requested_slot") != "transport"


async def loaner_heard(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """A loaner asked for before the time: heard, and held for the time; False when the day
    asked has none for the car's line ("need a loaner wed"), which is said now, not after the
    time is picked (the ride is asked then)."""
    if (day := await day_without_loaner(tracker)) is not None:
        said_first(dispatcher, "utter_no_loaner_on_day", day=day,
                   car=tracker.get_slot("vehicle"))
        return False
    line = tracker.get_slot("loaner_line")
    said_first(dispatcher, "utter_loaner_line_noted" if line else "utter_loaner_noted",
               line=line)
    return True


async def day_without_loaner(tracker: Tracker) -> str | None:
    """The one day the booking asks for ("wed"), when no open time of it has a loaner of the
    car's line free ("Wed Nov 25"); None when one has, or no single day was said."""
    car, codes = tracker.get_slot("vehicle"), tracker.get_slot("services") or []
    words = [str(e.get("value")) for e in tracker.latest_message.get("entities", [])
             if e.get("entity") == "when"] or [time_said_in_booking(tracker) or ""]
    if not isinstance(car, str) or not codes or not words[0]:
        return None

    def work(session) -> str | None:
        now = local_now(session)
        when = parse_when(words[0], now)
        if when is None or not when.has_day or (when.last_day or when.first_day) != \
                when.first_day or free_on_day(session, car, list(codes), when, now):
            return None
        return f"{when.first_day:%a %b} {when.first_day.day}"

    return await in_session(work)


# Texts back that the times offered are still the ones asked about ("how long does that
# take?" answered between the offer and "ok cool book it").
OFFER_TEXTS_BACK = 3


def offered_as_asked(tracker: Tracker) -> bool:
    """Whether the times offered last are of the day or part of a day asked, with no reason
    that what was asked cannot be had, and no other day or time said since ("5 today" to times
    offered for tomorrow, which nothing read)."""
    texts = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            texts += 1
            text = str(event.get("text") or "")
            if texts > OFFER_TEXTS_BACK or (texts > 1 and (
                    TIME_WORDS.search(text) or any(e.get("entity") == "when" for e in (
                        event.get("parse_data") or {}).get("entities") or []))):
                return False
        elif event.get("event") == "bot":
            name = str((event.get("metadata") or {}).get("utter_action") or "")
            if name.startswith("utter_offer_") and "times" in name:
                return name.startswith("utter_offer_any_times")
    return False


# Waiting asked about, not only said: "can i wait for it", "is it ok if i just wait there?".
WAIT_ASKED = re.compile(r"\b(?:can|could|may) (?:i|we) (?:just )?(?:wait|stay|hang out|hang "
                        r"around|chill)\b|"
                        r"\b(?:ok|okay|fine|possible) (?:if|to) (?:i )?(?:just )?wait\b|"
                        r"\bwait (?:for it|there)\b[^.!]*\?", re.IGNORECASE)


async def wait_answered(dispatcher: CollectingDispatcher, tracker: Tracker, ride: Any,
                        text: str) -> None:
    """Whether the owner can wait for the work, asked as the wait is chosen ("ok sat morning?
    and can i wait for it"): yes, and how long it takes; or that it takes long, and the wait is
    theirs to choose. Nothing when the wait is not asked about, or was chosen before."""
    if ride != "wait" or not WAIT_ASKED.search(text) or \
            slot_before_this_turn(tracker, "transport") == "wait":
        return
    # (the time it takes not said again when this text was answered already: "how long for
    # both? can i wait")
    brief = texts_for_this_text(tracker)
    codes = tracker.get_slot("services") or []

    def work(session) -> tuple[int, bool]:
        found, _ = services.resolve(session, codes)
        return services.duration_minutes(found), lounge_wait(session, codes) is not None

    minutes, short = await in_session(work)
    if minutes:
        said_first(dispatcher, ("utter_wait_yes" if short else "utter_wait_long") +
                   ("_brief" if brief else ""), duration=duration_text(minutes))


# Work named instead of the work asked before: "make it a rotation instead".
# A visit the owner speaks of as booked: "w/ my appt this week", "for my appointment".
# A ride wanted in place of the one a visit has: "a loaner instead", "i'd prefer a loaner".
RIDE_INSTEAD = re.compile(r"\binstead\b|\bprefer\b|\brather\b|\bcan'?t wait (?:there )?anymore\b")
MY_VISIT = re.compile(r"\b(?:my|our) (?:appt|appointment|visit|booking|service appt)\b")


# A text that names a time or a pick of the times offered ("8 works. book it", "the first").
TIME_WORDS = re.compile(r"\d|\b(?:noon|morning|afternoon|evening|tonight|today|tomorrow|tmrw|"
                        r"first|second|third|last|earliest|latest|same time|"
                        r"(?:mon|tue|wed|thu|fri|sat|sun)\w*)\b", re.IGNORECASE)
# The time of day said before, on another day: "wed same time then" (not "same time as my rx").
SAME_TIME = re.compile(r"\bsame (?:time|hour|slot)\b(?!\s+(?:as|with|like)\b)", re.IGNORECASE)


async def same_time_kept(tracker: Tracker, value: str) -> str:
    """"wed same time then" after "thurs 2pm" (closed that day): Wednesday at 2 PM, the time
    of day the owner said last; `value` as it is otherwise."""
    text = tracker.latest_message.get("text") or ""
    if not SAME_TIME.search(text):
        return value
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]

    def read(session: Session) -> str:
        now = local_now(session)
        for said in reversed(texts[-5:-1]):
            found = parse_when(said, now)
            if found is not None and found.at is not None:
                return f"{SAME_TIME.sub(' ', text)} at {found.at:%-I:%M %p}"
        return value

    return await in_session(read)


# Said with a detail, it is no decision yet ("maybe friday", "9 might work").
HEDGED = re.compile(r"\b(maybe|might|possibly|perhaps|not sure|probably|let me (check|think|see|"
                    r"ask)|thinking|wondering|depend|if not|or)\b", re.IGNORECASE)
# A question asked in a text, with or without its question mark ("8am w a loaner pls. what do
# i need to bring"); not a request put as one ("can u do sat at 10").
ASKED_IN = re.compile(r"(?:^|[.!,;:]\s*|\b(?:and|also|but|so|oh|btw|then)\s+)(?:what|whats|"
                      r"what's|how|hows|where|when|why|which|who|do|does|did|is|isn'?t|are|"
                      r"should|any|anything)\b", re.IGNORECASE)
# Said to book, in other words than "book it": "book both", "pls book", "confirm it".
BOOK_ALL = re.compile(r"\bbook (?:both|them|all|em|'em|the two)\b|\b(?:please|pls|plz) book\b|"
                      r"\bconfirm (?:it|that|them)\b|\bset (?:it|that|me) up\b|"
                      # "ok book 8am w the loaner", "whatever just book me wed at 9": book, said
                      # as an instruction, not asked ("can u book...?")
                      r"(?:^|[.!,;]\s*|\b(?:ok|okay|so|then|just|yes|yeah|yep|k|kk|fine|ugh|"
                      r"alright|great|cool|perfect|whatever|go ahead and)\s+)book\s+(?!a time\b)"
                      r"(?:me|my|the|one|it|that|for|in|\d)[^?]*$", re.IGNORECASE)


async def said_it_all(tracker: Tracker, events: list[EventType]) -> bool:
    """Whether the owner's latest text completes the booking and says to book it, with nothing
    for the summary to settle: it hedges nothing, and what would be booked is what was asked
    for (no loaner below or above their car's line, none missing, no waitlist)."""
    text = tracker.latest_message.get("text") or ""
    whole = whole_text(tracker)  # (a question in another part of the text is asked too)
    if tracker.get_slot("confirm_booking") is not None:
        return False
    slots = {**tracker.slots, **{event["name"]: event.get("value") for event in events
                                 if event.get("event") == "slot"}}
    if not (BOOK_IT.search(text) or GO_AHEAD.search(text) or BOOK_ALL.search(text)) or \
            NOT_BOOKED.search(text) or MIND_CHANGED.search(text) or HEDGED.search(text) or \
            ASKED_IN.search(whole) and "?" in whole and not BOOK_IT.search(whole) or \
            intent_of(tracker) == "deny":
        return False
    start = as_datetime(str(slots.get("appointment_time") or ""))
    ride = slots.get("transport")
    if slots.get("confirm_booking") is False or start is None or ride not in RIDE_VALUES or \
            not slots.get("services") or slots.get("join_visit") is True:
        return False
    if ride != "loaner":
        return True
    vehicle_id = slots.get("vehicle_id")

    def settled(session: Session) -> bool:
        found = summarize(session, slots["services"], int(vehicle_id) if vehicle_id else None,
                          slots.get("vehicle"), start, ride, slots.get("loaner_line"))
        return not found.smaller_loaner and not found.line_not_free and not found.line_beyond

    return await in_session(settled)


async def ride_not_had(dispatcher: CollectingDispatcher, tracker: Tracker, value: Any,
                       text: str) -> dict[str, Any] | None:
    """The ride kept when the one read is not to be had: turned down ("my wife's picking me up
    so no loaner": none, unless another is named beside it), or a loaner for a driver too young
    ("can he take a loaner? he's 20": the policy's word on it, and the ride asked again)."""
    before = slot_before_this_turn(tracker, "transport")
    refused = rides_turned_down(text)
    if value in refused and ride_named(text) is None:
        return {"transport": None if before in refused else before}
    if value != "loaner" or not too_young_to_drive(text):
        return None
    question = Question("loaner_policy", owner_id_of(tracker), text=text)
    found = await in_session(lambda s: answer_question(s, question, local_now(s)))
    for response, words in lines_of(found, brief=True, asked=text, topic="loaner_policy"):
        dispatcher.utter_message(response=response, **words)
    return {"transport": None if before in (None, "loaner") else before}


async def visits_ahead(tracker: Tracker) -> bool:
    """Whether the owner has a visit booked ahead (a guest: none known)."""
    owner_id = owner_id_of(tracker)
    if owner_id is None:
        return False
    return await in_session(lambda s: bool(appointments.upcoming(s, owner_id, local_now(s))))


# The owner's car taken back once it is known: "wait no the other car, the gx. sorry".
OTHER_CAR = re.compile(r"\b(?:the|my|our) other (?:car|one|vehicle|suv)\b")
CAR_SWITCHED = re.compile(r"\b(?:the )?other (?:car|one|vehicle|suv)\b|\bwrong (?:car|one)\b|"
                          r"^\W*(?:wait\W+|hmm\W+|oh\W+)?(?:no|nope|oops|wait no|no wait|sorry|"
                          r"actually|i meant)\b|"
                          # "make it the gx instead, es is fine"
                          r"\b(?:make|do) it (?:the|my) \w+(?: \d{3}\w*)? instead\b")


def loaner_not_car(tracker: Tracker, named: str) -> dict[str, Any] | None:
    """The car being booked, kept when the car named is the loaner's line this text asks for
    ("ok the rx is fine then" to a smaller RX loaner offered); None otherwise."""
    before = slot_before_this_turn(tracker, "vehicle")
    line = tracker.get_slot("loaner_line") if "loaner_line" in tracker.slots_to_validate() \
        else None
    if not before or not line or not re.search(rf"\b{re.escape(str(line))}\b", named,
                                                 re.IGNORECASE):
        return None
    return {"vehicle": before, "vehicle_id": slot_before_this_turn(tracker, "vehicle_id")}


def car_kept_beside_another(tracker: Tracker, text: str) -> dict[str, Any] | None:
    """The car being booked, kept when the text names it beside another of the owner's with no
    correction ("she'll wait for the ES, the LX can keep the shuttle like it is"); None
    otherwise."""
    before = slot_before_this_turn(tracker, "vehicle")
    line = next((w for w in str(before or "").split() if w.isalpha() and w.isupper()), None)
    if not line or vehicles.corrected(text) or CAR_SWITCHED.search(text.lower()) or \
            not re.search(rf"\b{line}\b", text, re.IGNORECASE):
        return None
    return {"vehicle": before, "vehicle_id": slot_before_this_turn(tracker, "vehicle_id")}


async def car_switched(tracker: Tracker, text: str) -> dict[str, Any]:
    """The car a correction names, or the other of two ("no the other car"); {} for none (a
    car named of the loaner is no switch: "no, an rx loaner is fine")."""
    if re.search(r"\b(?:loaner|rental|courtesy|shuttle|ride)\b", text.lower()):
        return {}
    if named := vehicles.named_in(vehicles.corrected(text) or "") or vehicles.named_in(text):
        return {"vehicle": named}
    owner_id = owner_id_of(tracker)
    if owner_id is None or not re.search(r"\bother (?:car|one|vehicle|suv)\b|\bwrong (?:car|one)",
                                         text.lower()):
        return {}
    labels = await in_session(lambda s: [v.label for v in cars_of(s, owner_id)])
    others = [label for label in labels if label != tracker.get_slot("vehicle")]
    return {"vehicle": others[0]} if len(labels) == 2 and len(others) == 1 else {}


# Work added while the booking asks ("yeah add the recall too. 9 works"), however the rest of
# the text is read.
WORK_ADDED = re.compile(r"\b(?:add|also do|throw in|tack on|and do|plus)\b(?! (?:a |an )?"
                        r"(?:loaner|shuttle|ride|note|comment))|"
                        # "ok do the recall fix too while its there"
                        r"\b(?:do|fix|get|check) (?:the|a|an|that) [\w ]{0,30}\b(?:too|as well|"
                        r"also|while (?:it'?s|its|it is) (?:there|in))\b")
# A yes to adding the work to the visit booked, said with more: "yes add it. i'll still wait".
ADD_IT = re.compile(r"^\W*(?:(?:yes|yeah|yep|yup|ya|sure|ok|okay|fine|perfect)\W+)*"
                    r"(?:(?:ill|i'll|i will) (?:still )?wait\W+)?(?:(?:yes|ok|okay)\W+)?"
                    r"(?:pls |please )?add (?:it|that|the \w+(?: \w+)?)\b(?! to (?:a|another|"
                    r"a new|a separate) )", re.IGNORECASE)
# The work the owner just asked about, added: "ya add that too", "ok add it", "throw that in".
ADD_THAT = re.compile(r"\b(?:add|throw in|tack on|include)\s+(?:that|it|that one|those|them)\b|"
                      r"\bthrow (?:that|it) in\b|"
                      r"\bdo (?:that|it|that one|those) (?:too|as well|also)\b")
SWAPPED = re.compile(r"\b(instead|rather|not the|switch|swap|change (it|that|the \w+) to|only|"
                     r"just (the|an?|do))\b")
# Work named to drop from the booking: "skip the detail", "forget the alignment, just oil".
DROPPED = re.compile(r"\b(?:skip|drop|forget(?: about)?|nix|scratch|leave off|hold off on|without|"
                     r"no need for|don'?t need|dont need) (?:the |an? |that |on )?"
                     r"([a-z&' -]{2,30}?)"
                     r"(?=[,.;!?]|\s+(?:just|only|and|then|but)\b|$)")


def started_this_turn(tracker: Tracker) -> bool:
    """Whether the latest message started this booking (what it names is all there is), not
    one asked already and under way."""
    seen_user = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            seen_user = True
        elif not seen_user and kind == "action" and event.get("name") == "action_start_booking":
            return True
        elif seen_user and kind == "active_loop":
            return event.get("name") != "booking_form"
    return True


def said_first(dispatcher: CollectingDispatcher, response: str, **words: Any) -> None:
    """`response` before what was said so far: times offered keep their buttons last."""
    dispatcher.utter_message(response=response, **words)
    dispatcher.messages.insert(0, dispatcher.messages.pop())


# The menu code of a recall's fix, named by what it fixes rather than by its name.
RECALL = "recall_repair"
# Questions after the time is asked, when a time said is read from the whole text.
LATER_ASKS = ("appointment_time", "guest_name", "transport", "confirm_booking")
# What a text that says a time the entity extractor missed is read as ("no make it 2pm, forgot
# i have a mtg"; "can i get a loaner instead? 8am").
TIME_MISSED_IN = {"nlu_fallback", "inform", "deny", "request_loaner", "reschedule_appointment"}
# What a text that picks one of the times offered cannot be, however it picks one.
NOT_A_TIME = {"cancel_appointment", "opt_out", "request_human", "complain", "deny"}


def fuller_this_turn(tracker: Tracker, value: str) -> str:
    """The time the action that began the booking set this turn ("Sat Nov 28 at 9:00 AM" for
    "rebook it for sat same time") over the extractor's shorter words for it ("sat")."""
    set_now: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "slot" and event.get("name") == "appointment_time" and \
                event.get("value"):
            set_now.append(str(event["value"]))
    return next((e for e in set_now if value and value.lower() in e.lower() and
                 len(e) > len(value)), value)


async def time_missed(tracker: Tracker) -> dict[str, Any]:
    """A day or time the entity extractor missed, once the time is asked or agreed: the whole
    text, for the date reader (a change at the summary keeps its day, "tmrw same time" its
    hour)."""
    message = tracker.latest_message
    text = message.get("text") or ""
    intent = message.get("intent", {}).get("name")
    # a booking asked for at another's summary says its own day ("...fri dec 11 after work")
    anew = intent == "book_service" and tracker.get_slot("requested_slot") == "confirm_booking"
    # a statement read as a question's topic, said to the time asked: "office is on congress.
    # they can grab it around 9" (the topic is answered; the time is the answer still)
    told = intent == "ownership" and \
        tracker.get_slot("requested_slot") == "appointment_time" and (
            "?" not in text or (
                # "like 2ish? wait how long does it take": once the question is answered, the
                # time said beside it is the answer still
                tracker.latest_action_name not in (None, "action_listen") and
                time_beside_question(text)))
    offered = [datetime.fromisoformat(s) for s in tracker.get_slot("offered_slots") or []]
    if text and not text.startswith("/") and intent not in NOT_A_TIME and \
            tracker.get_slot("requested_slot") == "appointment_time" and \
            pick_offered(text, offered) is not None:
        return {"appointment_time": text}  # "sweet. 7 it is. my wife is driving me back"
    if text and not text.startswith("/") and intent not in NOT_A_TIME and offered and \
            tracker.get_slot("requested_slot") == "appointment_time" and \
            agreed_to_offer(text) and \
            not {e.get("entity") for e in message.get("entities", [])} & {"when", "option"}:
        return {"appointment_time": text}  # "perfect ill just wait for it": the time offered
    if text and not text.startswith("/") and intent in QUESTION_INTENTS and \
            tracker.get_slot("requested_slot") == "appointment_time" and \
            OPENINGS_ASKED.search(text):
        # "what do u have sat morning" to the times asked: that day's openings, not its hours
        # (read here: its day was read as a question's, which the slot's mapping leaves out)
        return {"appointment_time": text}
    if not text or text.startswith("/") or (intent not in TIME_MISSED_IN and not anew and
                                            not told) or \
            {e.get("entity") for e in message.get("entities", [])} & {"when", "option"}:
        return {}
    when = await in_session(lambda s: parse_when(text, local_now(s)))
    if when is None and CLASH.search(text.lower()):
        return {}  # "got a meeting at noon": another engagement's time, not the visit's
    # "the 530 works. can i get a loaner": a time of the offered day
    return {"appointment_time": text} if when is not None or (
        offered and on_offered_day(text, None, offered) is not None) else {}


def smaller_loaner_open(tracker: Tracker) -> bool:
    """"No TX-class loaner; a smaller RX, or our shuttle?" asked in this booking's last few
    texts and the ride still unsaid: "ok the rx is fine then" answers it, questions between."""
    return not tracker.get_slot("transport") and \
        asked_lately(tracker, "utter_no_loaner_of_line_told_smaller", OPEN_FOR_TEXTS)


async def loaner_line_asked(tracker: Tracker) -> str | None:
    """The loaner model an owner asks for ("an rx is fine", "can the loaner be an nx?") once a
    loaner is the ride or the text asks for one; None when the text names no model of the
    fleet, or names the car being booked without a word of the loaner."""
    text = tracker.latest_message.get("text") or ""
    if not text or text.startswith("/") or tracker.get_slot("requested_slot") == "vehicle":
        return None
    # "ok an es is fine" to which loaner the owner would get: of the loaner too
    of_the_loaner = bool(re.search(r"\b(loaner|rental|courtesy car)", text, re.IGNORECASE)) or \
        bool(LOANERS_TOLD & {*previous_reply(tracker), *reply_before_this_text(tracker)}) or \
        smaller_loaner_open(tracker) or \
        await wished_not_owned(tracker, text) or (
            tracker.get_slot("transport") == "loaner" and await line_not_owned(tracker, text))
    if not of_the_loaner and (tracker.get_slot("transport") != "loaner" or
                              tracker.get_slot("requested_slot") != "confirm_booking"):
        return None
    line = await in_session(lambda s: fleet.line_asked(s, text))
    if line is None or line == tracker.get_slot("loaner_line"):
        return None
    # the car being booked as it stood: "an rx is fine" fills the car slot with "rx" too
    car = str(slot_before_this_turn(tracker, "vehicle") or "").upper()
    if not of_the_loaner and re.search(rf"\b{line}\b", car) and \
            not tracker.get_slot("loaner_line"):
        # "the rx is fine" of the rx being booked (not once another loaner was asked for: "any
        # chance i could get the LS instead", then "fine rx works" is the loaner's line again)
        return None
    if slot_before_this_turn(tracker, "vehicle") or \
            not re.search(r"\b(loaner|rental|courtesy car)", text, re.IGNORECASE):
        return line
    # the text that starts the booking, with a loaner in it: the car it names is the one booked
    named = [str(e.get("value")) for e in tracker.latest_message.get("entities", [])
             if e.get("entity") == "vehicle"]
    car = " ".join([str(tracker.get_slot("vehicle") or ""), *named]).upper()
    if re.search(rf"\b{line}\b", car) and not re.search(
            rf"\b{line}(?:\s?\d{{3}}\w*)? (?:loaner|rental)|\b(?:loaner|rental)\W+(?:\w+\W+){{0,4}}"
            rf"{line}\b", text, re.IGNORECASE):
        return None  # "the LS detailed fri + a loaner": the car booked, not the loaner's line
    return line


# A car asked to have, not to bring in: "can i get an rx when the lx comes in".
CAR_WISHED = re.compile(r"\b(?:can|could|may) (?:i|we) (?:get|have|drive|take|borrow) (?:a|an) "
                        r"([a-z]{2})\b(?! (?:\w+ )?(?:in|serviced|looked|checked|fixed|done|"
                        r"washed|detailed)\b)", re.IGNORECASE)


async def line_not_owned(tracker: Tracker, text: str) -> bool:
    """Whether the text names a model line of the fleet that the owner has no car of."""
    owner_id = owner_id_of(tracker)
    if owner_id is None:
        return False

    def work(session) -> bool:
        line = fleet.line_asked(session, text)
        return line is not None and line not in {
            car.model_line.upper() for car in cars_of(session, owner_id)}

    return await in_session(work)


async def wished_not_owned(tracker: Tracker, text: str) -> bool:
    """Whether the text asks to have a car of a line the owner has none of: the loaner."""
    owner_id = owner_id_of(tracker)
    if owner_id is None or not (wished := CAR_WISHED.search(text)):
        return False
    lines = await in_session(lambda s: {car.model_line.upper() for car in cars_of(s, owner_id)})
    return wished.group(1).upper() not in lines


# The loaners the owner would get, just told.
# How many texts back a question of the ride may still be answered, questions between.
OPEN_FOR_TEXTS = 3
LOANERS_TOLD = {"utter_loaner_fleet", "utter_loaner_for_car", "utter_loaner_for_car_smaller",
                "utter_no_loaner_of_line_smaller", "utter_no_loaner_of_line_told_smaller"}
# Said in a booking, these ask how the owner will get around: the question stays a question.
RIDE_ASKED = {"utter_ask_transport", "utter_no_loaner_free", "utter_no_loaner_free_but_later",
              "utter_loaner_just_taken", "utter_no_loaner_of_line",
              "utter_no_loaner_of_line_smaller"}


# A ride talked about: "if i book w a loaner what car would i get", "do you have a shuttle".
RIDE_TALK = re.compile(r"\b(?:loaner|loner|rental|courtesy car|shuttle|ride|lift|pick ?up|"
                       r"drop me|drive me|take me)\b")
RIDE_TALK_TEXTS = 4  # the owner's latest texts looked at for it


def ride_talked_about(tracker: Tracker) -> bool:
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    # (not a ride turned down: "my gf is following me there so i dont need a ride")
    return any(RIDE_TALK.search(NO_RIDE.sub(" ", text.lower()))
               for text in texts[-RIDE_TALK_TEXTS:])


async def wait_offered(tracker: Tracker) -> bool:
    """Whether the summary offers the wait in the lounge instead of asking the ride: one car,
    its time agreed, no ride chosen, asked for or talked about, and work short enough to wait
    for."""
    if tracker.get_slot("transport") or not tracker.get_slot("appointment_time") or \
            not tracker.get_slot("services") or beside(tracker) or \
            RIDE_ASKED & responses_in_booking(tracker) or ride_talked_about(tracker):
        return False
    codes = list(tracker.get_slot("services") or [])
    return await in_session(lambda session: lounge_wait(session, codes)) is not None


async def joinable(tracker: Tracker) -> VisitAhead | None:
    """The visit already booked for the car being booked, once the car and the work are known,
    unless the owner asked for another day."""
    owner_id, vehicle_id = owner_id_of(tracker), tracker.get_slot("vehicle_id")
    if owner_id is None or not vehicle_id or not tracker.get_slot("services"):
        return None
    value = tracker.get_slot("appointment_time") or time_said_in_booking(tracker)
    said = as_datetime(str(value)) or value if value else None
    offered = [datetime.fromisoformat(s) for s in tracker.get_slot("offered_slots") or []]
    return await in_session(lambda s: visit_to_join(s, owner_id, int(vehicle_id), said,
                                                    local_now(s), offered))


async def car_to_choose(tracker: Tracker) -> bool:
    """Whether the car is still to be chosen among the owner's several, with nothing this
    text said of it."""
    owner_id = owner_id_of(tracker)
    if owner_id is None or tracker.get_slot("vehicle_id") or tracker.get_slot("cars_beside") \
            or "vehicle" in tracker.slots_to_validate():
        return False
    return len(await in_session(lambda s: cars_of(s, owner_id))) > 1


async def say_work_added(dispatcher: CollectingDispatcher, tracker: Tracker,
                         added: list[tuple[str, str]]) -> None:
    """The work just added to the booking, said back; a recall's fix by its name, and free."""
    vehicle_id = tracker.get_slot("vehicle_id")

    def open_recall(session) -> tuple[str, recalls.OpenRecall] | None:
        car = session.get(Vehicle, int(vehicle_id))
        found = recalls.on_car(session, car.label, car.vin) if car is not None else None
        return (car.label, found.recalls[0]) if found is not None and found.recalls else None

    recall = await in_session(open_recall) \
        if vehicle_id is not None and any(c == "recall_repair" for c, _ in added) else None
    if recall is not None:
        car, fix = recall
        dispatcher.utter_message(response="utter_recall_joins_booking", car=car,
                                 campaign=fix.campaign, title=fix.title)
    rest = [n for c, n in added if recall is None or c != "recall_repair"]
    if rest:
        dispatcher.utter_message(response="utter_work_added", work=joined(rest))


def work_set_this_turn(tracker: Tracker, read: list[str]) -> list[str] | None:
    """The work an action set since the owner's text (the booking a report began), other than
    what the form read from the text."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return None
        if event.get("event") == "slot" and event.get("name") == "services" and \
                event.get("value") and list(event["value"]) != list(read):
            return list(event["value"])
    return None


class ActionAskJoinVisit(Action):
    """The car is coming in already: add the work to that visit, or is it that visit?"""

    def name(self) -> str:
        return "action_ask_join_visit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        ahead = await joinable(tracker)
        if ahead is None:
            return []
        codes = tracker.get_slot("services") or []

        def work(session) -> tuple[list[str], str | None, datetime]:
            added = [x for x in services.resolve(session, codes)[0]
                     if x.code not in ahead.service_codes]
            return [x.name.lower() for x in added], services.estimate(added), local_now(session)

        adding, estimate, now = await in_session(work)
        said = {"car": ahead.car, "when": when_text(ahead.starts_at, now), "code": ahead.code,
                "services": joined([name.lower() for name in ahead.services])}
        if adding:
            # what the work adds to the bill is said before the yes that adds it (and the
            # visit, unless the reply to this text has just told of it)
            told = any(ahead.code in text for text in texts_for_this_text(tracker))
            values = {"adding": joined(adding),
                      "estimate": estimate or say("utter_price_no_charge"), **said}
            dispatcher.utter_message(response="utter_ask_join_visit_told" if told else
                                     short_if_long(tracker, "utter_ask_join_visit", **values),
                                     **values)
        else:
            # (asked again after an answer in between, short when the answer leaves no room)
            dispatcher.utter_message(
                response=short_if_long(tracker, "utter_ask_keep_visit", **said), **said)
        return [SlotSet("visit_to_join", ahead.appointment_id)]


# Responses said before the next question that do not say the time agreed.
NOT_THE_TIME = {"utter_car_switched", "utter_no_loaner_of_line", "utter_no_loaner_of_line_smaller"}
# The booking's summary, in full or asked again short.
SUMMARIES = ("utter_confirm_booking", "utter_confirm_booking_wait",
             "utter_confirm_booking_smaller_loaner", "utter_confirm_booking_again",
             "utter_confirm_booking_wait_again", "utter_confirm_booking_brief",
             "utter_confirm_booking_wait_brief")
CASE_NOTED = "utter_case_"  # a problem report's case, filed or noted


class ActionAskTransport(Action):
    """How will you get around, saying first the time just agreed in words ("mon jan 4 at 8
    works"): the owner sees it was heard, not only at the summary. Which car asks so too."""

    def name(self) -> str:
        return "action_ask_transport"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        await say_time_agreed(dispatcher, tracker)
        if not NO_LOANER_OF_LINE & set(said_in_reply(tracker)):
            # ("no loaner in your UX's class... which would you like?" asked it)
            dispatcher.utter_message(response="utter_ask_transport")
        return []


async def say_time_agreed(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The time just agreed in words ("morning, 9 if you have it"), before the next question."""
    start = as_datetime(str(tracker.get_slot("appointment_time") or ""))
    text = tracker.latest_message.get("text") or ""
    # said already this turn, or said in words not named here; a case noted first is not it
    # ("ok can u look at it tmrw morning, 8ish" mid-report: "Noted on case..." then the time)
    if start is None or text.startswith("/") or \
            {n for n in said_in_reply(tracker) if not str(n).startswith(CASE_NOTED)} - NOT_THE_TIME:
        return
    said = said_this_turn(tracker)
    if "appointment_time" in said and (others := beside(tracker)) and SLOT in said:
        # "both cars need oil changes... sat around 9": the cars read, said back with the time
        now = await in_session(local_now)
        dispatcher.utter_message(response="utter_car_and_time_agreed", when=when_text(start, now),
                                 car=joined([tracker.get_slot("vehicle"),
                                             *(car.car for car in others)]))
    elif "appointment_time" in said:
        now = await in_session(local_now)
        dispatcher.utter_message(response="utter_time_agreed", when=when_text(start, now))
    elif "vehicle_id" in said and slot_before_this_turn(tracker, "requested_slot") == "vehicle":
        # "the es" to which car, the time agreed before: both, said back together
        now = await in_session(local_now)
        dispatcher.utter_message(response="utter_car_and_time_agreed",
                                 car=tracker.get_slot("vehicle"), when=when_text(start, now))


class ActionAskGuestName(Action):
    """A guest's name, saying first the time just agreed ("530" to the times offered)."""

    def name(self) -> str:
        return "action_ask_guest_name"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        await say_time_agreed(dispatcher, tracker)
        if "utter_ask_guest_name_again" in said_in_reply(tracker):
            return []
        # the work and the car understood, said back ("I can set that up: brake inspection
        # for your 2015 IS 250."), when both are known and no time was agreed yet
        codes, car = tracker.get_slot("services"), tracker.get_slot("vehicle")
        if codes and isinstance(car, str) and not tracker.get_slot("appointment_time"):
            names = await in_session(lambda s: [item.name.lower() for item in
                                                services.resolve(s, list(codes))[0]])
            if names:
                dispatcher.utter_message(response="utter_ask_guest_name_for_work", work=say(
                    "utter_work_for_car", services=joined(names), car=car))
                return []
        dispatcher.utter_message(response="utter_ask_guest_name")
        return []


class ActionAskVehicle(Action):
    def name(self) -> str:
        return "action_ask_vehicle"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        if owner_id is None:
            dispatcher.utter_message(response="utter_which_guest_car")
            return []
        cars = await in_session(lambda s: [v.label for v in cars_of(s, owner_id)])
        await say_time_agreed(dispatcher, tracker)
        dispatcher.utter_message(response="utter_which_car", buttons=car_buttons(cars))
        return []


class ActionAskAppointmentTime(Action):
    """Asks when, offering the next openings right away so one tap or number books."""

    def name(self) -> str:
        return "action_ask_appointment_time"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        offered = tracker.get_slot("offered_slots")
        if offered and "offered_slots" in said_this_turn(tracker) and \
                bot_spoke_this_turn(tracker):
            return []  # the offer was just made, with the reason: don't ask twice
        if offered and any(str(r).startswith("utter_offer_") for r in said_for_this_text(tracker)):
            return []  # made for an earlier part of the same text ("...tues? id need a loaner")
        codes = tracker.get_slot("services") or []
        if offered:
            def again(session) -> tuple[list[datetime], datetime]:
                return [datetime.fromisoformat(s) for s in offered], local_now(session)

            slots, now = await in_session(again)
            dispatcher.utter_message(response="utter_which_time_works",
                                     options=numbered([when_text(s, now) for s in slots]),
                                     buttons=offer_buttons(slots, now))
            return []

        def work(session) -> tuple[list[datetime], datetime, list[str]]:
            now = local_now(session)
            names = [item.name.lower() for item in services.resolve(session, codes)[0]]
            return openings(session, codes, now), now, names

        slots, now, names = await in_session(work)
        # the work and the car understood, named before the times ("Synthetic oil change for
        # your 2021 RX 350: when would you like to come in?"), when nothing else answers the
        # text: beside another answer it would not fit a text
        car = tracker.get_slot("vehicle")
        named = say("utter_work_for_car", services=joined(names), car=car) if names and \
            isinstance(car, str) and not tracker.get_slot("cars_beside") and \
            not texts_for_this_text(tracker) else ""
        response = "utter_when_next_openings"
        if named and len(named) <= WORK_NAMED_UP_TO:
            response += "_for_work"
        dispatcher.utter_message(response=response, work=named[:1].upper() + named[1:],
                                 options=numbered([when_text(s, now) for s in slots]),
                                 buttons=offer_buttons(slots, now))
        return [SlotSet("offered_slots", [s.isoformat() for s in slots])]


def words(summary: Summary, now: datetime) -> dict[str, Any]:
    """A booking's variables in the responses that say it."""
    ride = say("utter_ride_loaner_model", model=summary.loaner_line) \
        if summary.transport == "loaner" and summary.loaner_line else ride_text(summary.transport)
    return {"services": joined([name.lower() for name in summary.services]),
            "car": summary.car, "when": when_text(summary.start, now), "transport": ride}


class ActionAskConfirmBooking(Action):
    def name(self) -> str:
        return "action_ask_confirm_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if bot_spoke_this_turn(tracker) and WHAT_TO_CHANGE in said_in_reply(tracker):
            return []  # "what should I change?" was just asked: its answer comes first
        vehicle_id = tracker.get_slot("vehicle_id")

        others = beside(tracker)
        summarised = last_reply_was(tracker, SUMMARIES) or (
            (before := reply_before_this_text(tracker)) and before[-1] in SUMMARIES)
        if bot_spoke_this_turn(tracker) and not others and summarised \
                and not said_this_turn(tracker) & CHANGEABLE:
            # a question answered beside the summary just said: its yes, asked again short
            dispatcher.utter_message(response="utter_confirm_booking_again" if
                                     tracker.get_slot("transport") else
                                     "utter_confirm_booking_wait_again")
            return []
        codes = tracker.get_slot("services") or []
        asked = str(tracker.get_slot("appointment_time") or "")
        read: list[EventType] = []
        if as_datetime(asked) is None:
            # a time the form has not read ("10am." beside a question): read now, or asked
            found = await check_time(dispatcher, tracker, asked, services=codes)
            read = [SlotSet(slot, value) for slot, value in found.items()]
            if not found.get("appointment_time"):
                return [*read, SlotSet("appointment_time", None),
                        SlotSet("requested_slot", "appointment_time")]
            asked = found["appointment_time"]
        start = datetime.fromisoformat(asked)

        def work(session) -> dict[str, Any]:
            found = summarize(
                session, codes, int(vehicle_id) if vehicle_id else None,
                tracker.get_slot("vehicle"), start, tracker.get_slot("transport"),
                tracker.get_slot("loaner_line"))
            estimate = estimate_together(session, [priced_work(
                session, int(vehicle_id) if vehicle_id else None, codes, start)] +
                [car.services for car in others])
            return {**words(found, local_now(session)),
                    "estimate": estimate or say("utter_price_no_charge"),
                    "loaner": found.smaller_loaner, "not_free": found.line_not_free,
                    "beyond": found.line_beyond,
                    "minutes": found.wait_minutes,
                    "work": work_of(session, found, others)}

        said = await in_session(work)
        first = 0
        if said["not_free"]:
            dispatcher.utter_message(response="utter_loaner_model_not_free",
                                     model=said["not_free"])
            first = len(say("utter_loaner_model_not_free", model=said["not_free"])) + 1
        elif said["beyond"]:
            dispatcher.utter_message(response="utter_loaner_model_beyond",
                                     model=said["beyond"], car=said["car"])
            first = len(say("utter_loaner_model_beyond", model=said["beyond"],
                            car=said["car"])) + 1
        # A loaner below the owner's line is said before the yes that agrees to it.
        response = "utter_confirm_booking_smaller_loaner" if said["loaner"] \
            else "utter_confirm_booking_wait" if said["minutes"] is not None and not others \
            else "utter_confirm_booking"
        response = short_if_long(tracker, response + ("_cars" if others else ""), first,
                                 **said)
        dispatcher.utter_message(response=response, **said)
        return read


def work_of(session, first: Summary, others: list[CarWork]) -> str:
    """"synthetic oil change for your 2018 LS 500 and tire rotation for your 2023 RZ 450e"."""
    return work_words([(first.services, first.car)] + [
        ([item.name for item in services.resolve(session, car.services)[0]], car.car)
        for car in others])


def work_words(each: list[tuple[list[str], str | None]]) -> str:
    return joined([say("utter_work_for_car", services=joined([n.lower() for n in names]),
                       car=car) for names, car in each])


def booking_request(tracker: Tracker) -> BookingRequest:
    vehicle_id = tracker.get_slot("vehicle_id")
    owner_id, proven = owner_id_of(tracker), sender_mobile(tracker)
    return BookingRequest(
        owner_id=owner_id, vehicle_id=int(vehicle_id) if vehicle_id else None,
        vehicle=tracker.get_slot("vehicle"), services=tracker.get_slot("services") or [],
        start=datetime.fromisoformat(tracker.get_slot("appointment_time")),
        transport=tracker.get_slot("transport"), guest_name=tracker.get_slot("guest_name"),
        texted_from=proven,
        gave_mobile=to_e164(tracker.get_slot("guest_mobile"))
        if owner_id is None and not proven else None,
        conversation_id=tracker.sender_id, notes=opening_words(tracker),
        loaner_line=tracker.get_slot("loaner_line"))


class ActionBookAppointment(Action):
    """Writes the booking the owner confirmed, or offers the alternatives if it is gone."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        joining = tracker.get_slot("visit_to_join")
        if tracker.get_slot("join_visit") is True and owner_id is not None and not joining and \
                (ahead := await joinable(tracker)):
            joining = ahead.appointment_id  # added as asked, with no question whether to
        if tracker.get_slot("join_visit") is True and joining and owner_id is not None:
            return await join_visit(dispatcher, tracker, owner_id, int(joining))
        if not tracker.get_slot("confirm_booking"):
            dispatcher.utter_message(response="utter_booking_not_confirmed")
            return reset_booking()
        request = booking_request(tracker)
        others = beside(tracker)
        # Booked with no summary said: the confirmation carries its estimate instead.
        unseen = not summary_seen(tracker)

        def work(session) -> tuple[Booked | BookedTogether | Retry, datetime, str, str,
                                   str | None]:
            dealership = get_dealership(session)
            now = local_now(session)
            written = book_together(session, request, others, now) if others \
                else book(session, request, now)
            estimate = (estimate_together(session, [priced_work(
                session, request.vehicle_id, request.services, request.start)] +
                [car.services for car in others]) or say("utter_price_no_charge")) \
                if unseen else None
            return written, now, dealership.name, display(dealership.service_phone), estimate

        result, now, dealership, phone, estimate = await in_session(work)
        if isinstance(result, BookedTogether):
            return booked_together(dispatcher, result, now, estimate)
        if isinstance(result, Retry):
            if result.slot == "appointment_time":
                dispatcher.utter_message(response="utter_time_just_taken",
                                         when=when_text(result.start, now))
            else:
                dispatcher.utter_message(response="utter_loaner_just_taken")
            return [SlotSet(result.slot, None), SlotSet("confirm_booking", None),
                    FollowupAction("booking_form")]
        said = {**words(result.summary, now), "code": result.code, "loaner": result.loaner}
        web_guest = result.web_guest_mobile
        if web_guest:
            # The same words whether or not the number is on file (nothing here looked).
            said |= {"mobile": display(web_guest), "service_phone": phone}
        said["estimate"] = estimate
        response = "utter_booked" + ("_web_guest" if web_guest else "_estimate" if estimate
                                     else "") + ("_with_loaner" if result.loaner else "")
        dispatcher.utter_message(response=short_if_long(tracker, response, **said), **said)
        if web_guest:
            # The confirmation promised to a web guest, after the reply (consent first).
            in_background(outbound.send, web_guest, confirmation_text(said, dealership),
                          purpose="confirmation")
        if request.owner_id is None and request.texted_from is None:
            # A web guest's booking (on a guest record) does not make the chat theirs: that
            # takes a texted code.
            return reset_booking()
        return reset_booking() + [SlotSet("owner_id", result.owner_id),
                                  SlotSet("is_guest", False), SlotSet(BOOKED_CODE, result.code)]


def booked_together(dispatcher: CollectingDispatcher, result: BookedTogether, now: datetime,
                    estimate: str | None = None) -> list[EventType]:
    first = result.first
    each = [(first.summary, first.code)] + result.beside
    work = work_words([(summary.services, summary.car) for summary, _ in each])
    said = {**words(first.summary, now), "work": work, "loaner": first.loaner,
            "codes": joined([code for _, code in each]), "estimate": estimate}
    dispatcher.utter_message(response="utter_booked_cars" + ("_estimate" if estimate else "")
                             + ("_with_loaner" if first.loaner else ""), **said)
    return reset_booking()


async def join_visit(dispatcher: CollectingDispatcher, tracker: Tracker, owner_id: int,
                     visit_id: int) -> list[EventType]:
    """Adds the work to the visit booked already; past closing, a visit of its own is booked."""
    codes = tracker.get_slot("services") or []
    others = beside(tracker)

    def work(session) -> tuple[Joined | PastClosing, datetime,
                               list[tuple[Summary, str]] | Retry]:
        now = local_now(session)
        found = add_services(session, owner_id, visit_id, codes)
        # ("...and can u do an oil change on my es same time": the other car booked beside it)
        also = book_beside_visit(session, owner_id, visit_id, others, now, tracker.sender_id) \
            if others and not isinstance(found, PastClosing) else []
        return found, now, also

    found, now, also = await in_session(work)
    if isinstance(found, PastClosing):
        dispatcher.utter_message(response="utter_join_past_closing",
                                 closes=f"{found.closes:%-I:%M %p}")
        return [SlotSet("join_visit", False), FollowupAction("booking_form")]
    said = {"car": found.car, "when": when_text(found.starts_at, now), "code": found.code}
    if not found.added:
        dispatcher.utter_message(response="utter_visit_kept", **said)
    else:
        # (work that costs nothing leaves the estimate as it was: not said again)
        # (the visit named by the answer before, to the same text: "that visit", briefly)
        brief = "_brief" if any(found.code in text for text in texts_for_this_text(tracker)) \
            else ""
        dispatcher.utter_message(
            response="utter_added_to_visit" + brief,
            added=joined([n.lower() for n in found.added]),
            estimate_now=say("utter_estimate_now", estimate=found.estimate or say(
                "utter_price_no_charge")) if found.added_estimate else "",
            added_estimate=found.added_estimate or say("utter_price_no_charge"),
            added_codes=",".join(codes), **said)
        if HOW_LONG.search(whole_text(tracker)) and found.minutes:
            # "...to my appt tmrw? how long will i be there then": the whole visit's length
            dispatcher.utter_message(response="utter_visit_length",
                                     duration=duration_text(found.minutes))
    if isinstance(also, Retry):
        dispatcher.utter_message(response="utter_car_beside_not_booked", when=said["when"],
                                 cars=joined([car.car for car in others]))
    for summary, code in [] if isinstance(also, Retry) else also:
        # (a car in that day already has the work joined to its own visit, at its own time)
        dispatcher.utter_message(response="utter_booked_beside" if summary.start ==
                                 found.starts_at else "utter_booked_beside_then", code=code,
                                 **words(summary, now))
    return reset_booking() + [SlotSet(BOOKED_CODE, found.code)]


def confirmation_text(said: dict[str, Any], dealership: str) -> str:
    """The text a web guest is sent: what was booked, and who to call to change it."""
    response = "utter_guest_confirmation_text" + ("_with_loaner" if said.get("loaner") else "")
    return say(response, **said, dealership_name=dealership)


def opening_words(tracker: Tracker) -> str | None:
    """The message that opened this booking, when it says more than a request does ("pulling
    to the right lately... anything Friday afternoon?"): the advisor reads it on the visit."""
    opening, last = None, None
    for event in tracker.events:
        if event.get("event") == "user":
            # (the whole text, when it was read in parts)
            last = (event.get("metadata") or {}).get("whole_text") or event.get("text")
        elif event.get("event") == "active_loop" and event.get("name") == "booking_form":
            opening = last
    words = " ".join((opening or "").split())
    return words[:500] if len(words.split()) > OPENING_WORDS and not words.startswith("/") \
        else None


def open_question_answered_yes_or_no(tracker: Tracker) -> bool:
    """A bare yes or no to "how will you get around" or "what would you like done": no answer,
    and calling the booking off takes more than that."""
    return tracker.get_slot("requested_slot") not in (None, "confirm_booking") and \
        bare_yes_or_no(tracker.latest_message.get("text") or "")


ASK_AGAIN = "utter_book_it_right"


# Said after the summary in the same reply, asking nothing: the summary is still the question.
ASKING_NOTHING = {"utter_text_hours_saved"}


def summary_seen(tracker: Tracker) -> bool:
    """Whether the booking's summary was said since the form began asking."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == "booking_form":
            return False
        if event.get("event") == "bot" and \
                (event.get("metadata") or {}).get("utter_action") in SUMMARIES:
            return True
    return False


def summary_last_asked(tracker: Tracker) -> bool:
    """Whether the reply to the owner's previous text (all its parts) ended on the booking's
    summary, with nothing after it that asks ("...Book it?" then "Got it: reminders only after
    9 AM")."""
    said = [str(name or "") for name in reply_to_whole_text_before(tracker)]
    for name in reversed(said):  # the last said first
        if name in SUMMARIES:
            return True
        if name not in ASKING_NOTHING:
            return False
    return False


class ActionAskAgain(Action):
    """A yes to a question that is not yes-or-no ("how will you get around?"): asked again.
    A yes to the summary, with only news said after it, is its yes."""

    def name(self) -> str:
        return "action_ask_again"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("requested_slot") == "confirm_booking" and \
                summary_last_asked(tracker):
            # (no ride chosen: the wait the summary offered, as its own yes would)
            ride = [] if tracker.get_slot("transport") else [SlotSet("transport", "wait")]
            return [SlotSet("confirm_booking", True), *ride, FollowupAction("booking_form")]
        dispatcher.utter_message(response=ASK_AGAIN)
        return []


def reading_the_text(tracker: Tracker) -> bool:
    """Whether the form reads the owner's latest text (not back after a question was answered:
    then nothing but the form itself has run since the text)."""
    since = list(itertools.takewhile(lambda e: e.get("event") != "user", reversed(tracker.events)))
    return all(e.get("event") != "action" or e.get("name") == tracker.active_loop.get("name")
               for e in since) and not any(e.get("event") == "action_execution_rejected"
                                           for e in since)


# "book it" said as the time is picked: the booking asked for, in so many words.
BOOK_IT = re.compile(r"\b(?:book|lock|reserve|grab|snag)\s+(?:it|that|that one|it in|me in)\b",
                     re.IGNORECASE)
# Said with the ride asked for ("nah i'll just wait, go ahead"): the ride, and the yes to it.
GO_AHEAD = re.compile(r"\b(?:go ahead|lock it in|book (?:it|me)|do it)\b", re.IGNORECASE)
NOT_BOOKED = re.compile(r"\b(?:don'?t|dont|do not|not yet|before you|before u|wait (?:before|"
                        r"till|until|a sec|a min|no))\b|^\W*wait\b", re.IGNORECASE)


# A yes beside the time picked ("10 is good. yes", "9ish is fine. yes go ahead"): the booking
# agreed, not only the time.
YES_BESIDE = re.compile(r"(?:^|[.!,;]\s*|\s)(?:yes|yep|yeah|yup|yes+ please|yes pls)"
                        r"(?:\s+(?:please|pls|plz|go ahead|book it|do it|lock it in))?\W*$|"
                        r"\b(?:go ahead|lock it in)\b", re.IGNORECASE)


def time_and_yes(tracker: Tracker) -> bool:
    """Whether the text picks a time and says yes to the booking beside it."""
    message = tracker.latest_message
    text = message.get("text") or ""
    timed = any(e.get("entity") == "when" for e in message.get("entities", [])) or \
        bool(re.search(r"\d|\bnoon\b", text))  # ("9ish is fine. yes go ahead")
    return timed and bool(YES_BESIDE.search(text)) and \
        not re.match(r"^\W*(?:yes|yep|yeah|yup)\b", text, re.IGNORECASE)


# The booking called off at its summary, not a "no" that asks what to change.
CALLED_OFF = re.compile(r"^\W*(?:(?:no|nah|ok|okay|actually|hmm|um)\W+)*(?:never ?mind|nvm|"
                        r"forget (?:it|that|about it)|scratch that|stop|don'?t book (?:it|that))\b")
# Said anywhere at the summary, the booking is called off ("stop, forget the appointment, i
# changed my mind. maybe next month"): a day said beside it is no new time.
MIND_CHANGED = re.compile(r"\b(changed my mind|forget (the|this|that|my) (appointment|appt|booking|"
                          r"visit|whole thing)|(don'?t|do not|dont) (want|need) (it|to book|the "
                          r"(appointment|appt|visit)) (anymore|after all|now))\b", re.IGNORECASE)
# "no, another visit", "no, a separate appointment": the visit's own, not adding the work.
OTHER_VISIT = re.compile(r"\b(another|other|separate|different|new|its own) (visit|appointment|"
                         r"appt|day|time|booking)\b|\bseparately\b", re.IGNORECASE)


class ActionStopBooking(Action):
    def name(self) -> str:
        return "action_stop_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if intent_of(tracker) == "deny" and tracker.get_slot("requested_slot") == "join_visit" \
                and (text.startswith("/") or bare_yes_or_no(text) or OTHER_VISIT.search(text)):
            # "no" to adding the work to the visit booked already: a visit of its own
            return [SlotSet("join_visit", False), FollowupAction("booking_form")]
        if intent_of(tracker) == "deny" and open_question_answered_yes_or_no(tracker) and \
                not asked_once_more(tracker, ASK_AGAIN):  # a second "no" does stop it
            # "no" to "how will you get around?": the question again, not the booking gone
            dispatcher.utter_message(response=ASK_AGAIN)
            return [FollowupAction("booking_form")]
        if intent_of(tracker) == "deny" and \
                tracker.get_slot("requested_slot") == "appointment_time" and \
                NOT_ON_DAY.search(text.lower()):
            # "not thurs obviously" as the time is asked: a day ruled out, not a no to it all;
            # read with the rest of the text ("can u fix it this week? not thurs obviously")
            found = await check_time(dispatcher, tracker, whole_text(tracker),
                                     services=tracker.get_slot("services") or [])
            return [SlotSet("offered_slots", None), SlotSet("appointment_time", None),
                    *[SlotSet(slot, value) for slot, value in found.items()],
                    FollowupAction("booking_form")]
        dispatcher.utter_message(response="utter_booking_stopped")
        return reset_booking()
