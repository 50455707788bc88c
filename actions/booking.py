"""Booking service: the booking form, its questions, and writing the appointment.

The form asks only for what is missing (which car only when there is more than one); every
answer is checked against the dealership here, and the rules live in bot.dealership.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.background import in_background
from actions.cannot_help import ActionCannotHelp
from actions.common import (
    bot_spoke_this_turn,
    car_buttons,
    in_session,
    said_last_turn,
    said_this_turn,
)
from actions.phrases import TRANSPORT, numbered, problem_text, when_text
from bot.channels import outbound
from bot.dealership import appointments, knowledge, scheduling, services, vehicles
from bot.dealership.dates import best_reading, on_offered_day, parse_when, pick_offered
from bot.dealership.models import Owner, Vehicle
from bot.dealership.owners import register_guest, register_web_guest
from bot.dealership.phones import InvalidPhoneNumber, display, to_e164
from bot.dealership.profile import get_dealership, local_now
from bot.dealership.replies import bare_yes_or_no, ride_named
from bot.dealership.web_sessions import is_web

BOOKING_SLOTS = ("guest_name", "guest_mobile", "vehicle", "vehicle_id", "services",
                 "appointment_time", "offered_slots", "transport", "confirm_booking")
DEFAULT_MINUTES = 60  # when a time is asked before the service is known
OPENING_WORDS = 12  # longer than "oil change for my rx tmrw at 9, ill need a loaner"
# Intents whose message may open a booking and say its day.
BOOKING_STARTS = {"book_service", "request_loaner", "inform"}


def reset_booking(keep: set[str] = frozenset()) -> list[EventType]:
    return [SlotSet(slot, None) for slot in BOOKING_SLOTS if slot not in keep]


def offer_buttons(slots: list[datetime], now: datetime) -> list[dict[str, str]]:
    return [{"title": when_text(s, now),
             "payload": '/inform{"when": "' + s.isoformat() + '"}'} for s in slots]


NOT_IN_NAMES = {"what", "where", "when", "how", "why", "who", "which", "do", "does", "did",
                "can", "could", "is", "are", "you", "your", "u", "ur", "r", "open", "hours",
                "pay", "the", "a", "an", "my", "i", "me", "not", "no", "yes", "cancel", "stop"}


def looks_like_name(text: str) -> bool:
    """One to four plain words, none of them a question's: "Lena Park", "o'neil", "Mary-Jo"."""
    words = text.strip().split()
    return (1 <= len(words) <= 4 and "?" not in text
            and all(re.fullmatch(r"[A-Za-z][A-Za-z'.-]*", w) for w in words)
            and not {w.lower() for w in words} & NOT_IN_NAMES)


def owner_id_of(tracker: Tracker) -> int | None:
    value = tracker.get_slot("owner_id")
    return int(value) if value is not None else None


def sender_mobile(tracker: Tracker) -> str | None:
    """The texter's number; a web chat has none it can be trusted with."""
    if is_web(tracker.sender_id):
        return None
    try:
        return to_e164(tracker.sender_id)
    except InvalidPhoneNumber:
        return None


class ActionStartBooking(Action):
    """Starts a booking: forgets an earlier, unfinished one but keeps what this message said."""

    def name(self) -> str:
        return "action_start_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return reset_booking(keep=said_this_turn(tracker)) + await only_car(tracker)


async def only_car(tracker: Tracker) -> list[EventType]:
    """The owner's car when there is just one: the form need not ask which."""
    owner_id = owner_id_of(tracker)
    if owner_id is None:
        return []
    cars = await in_session(lambda s: [(v.id, v.label) for v in s.get(Owner, owner_id).vehicles])
    if len(cars) != 1:
        return []
    return [SlotSet("vehicle", cars[0][1]), SlotSet("vehicle_id", cars[0][0])]


class ActionInformUnprompted(Action):
    """An answer with no question pending: a day, a service or a ride starts a booking;
    anything else was not understood."""

    def name(self) -> str:
        return "action_inform_unprompted"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        said = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
        if said & {"when", "service", "transport", "vehicle"}:
            events = await ActionStartBooking().run(dispatcher, tracker, domain)
            return [*events, FollowupAction("booking_form")]
        return await ActionCannotHelp().run(dispatcher, tracker, domain)


class ValidateBookingForm(FormValidationAction):
    def name(self) -> str:
        return "validate_booking_form"

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

        tracker.slots_to_validate = in_form_order  # type: ignore[method-assign]
        return await super().get_validation_events(dispatcher, tracker, domain)

    async def extract_guest_name(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: dict[str, Any]) -> dict[str, Any]:
        """A name answered to the name question, even when the intent classifier read it as
        something else ("Lena Park" as a question about where we are)."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") == "guest_name" and looks_like_name(text) and \
                tracker.get_slot("guest_name") is None:
            return {"guest_name": text}
        return {}

    async def extract_transport(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: dict[str, Any]) -> dict[str, Any]:
        """The ride an answer to "how will you get around" names in words the entity extractor
        missed; nothing when it names none, or more than one ("no loaner, i'll wait")."""
        message = tracker.latest_message
        text = message.get("text") or ""
        if tracker.get_slot("requested_slot") != "transport" or text.startswith("/") or \
                any(e.get("entity") == "transport" for e in message.get("entities", [])):
            return {}
        named = ride_named(text)
        return {"transport": named} if named else {}

    async def extract_appointment_time(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: dict[str, Any]) -> dict[str, Any]:
        """The day in the message that started the booking, or that answered which car or what
        work ("asap please" to what to do), when the entity extractor missed it ("rx in for a
        tire rotation thurs?"): the date reader reads the whole message."""
        message = tracker.latest_message
        text = message.get("text") or ""
        if tracker.get_slot("requested_slot") not in (None, "vehicle", "services") or \
                tracker.get_slot("appointment_time") or \
                not text or text.startswith("/") or \
                {e.get("entity") for e in message.get("entities", [])} & {"when", "option"}:
            return {}
        if message.get("intent", {}).get("name") not in BOOKING_STARTS:
            return {}
        when = await in_session(lambda s: parse_when(text, local_now(s)))
        return {"appointment_time": text} if when is not None else {}

    async def validate_guest_name(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        name = " ".join(str(value or "").split())
        if name.startswith("/"):
            return {"guest_name": None}  # a button's payload: its entities fill their own slots
        offered = [datetime.fromisoformat(s) for s in tracker.get_slot("offered_slots") or []]
        if chosen := pick_offered(name, offered):  # "2": the time offered beside the question
            return {"guest_name": None, "appointment_time": chosen.isoformat(),
                    "offered_slots": None}
        for lead in ("it's ", "its ", "it is ", "this is ", "i'm ", "im ", "my name is ",
                     "name is ", "under "):
            if name.lower().startswith(lead):
                name = name[len(lead):]
        if not 2 <= len(name) <= 60 or any(ch.isdigit() for ch in name) or "?" in name:
            dispatcher.utter_message(text="Sorry, what name should I put it under?")
            return {"guest_name": None}
        return {"guest_name": name.title()}

    async def validate_guest_mobile(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        try:
            return {"guest_mobile": to_e164(str(value))}
        except InvalidPhoneNumber:
            dispatcher.utter_message(
                text="That doesn't look like a mobile number (for example 512-555-0123).")
            return {"guest_mobile": None}

    async def validate_vehicle(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        text = str(value or "")
        message = tracker.latest_message.get("text") or ""
        # The entity extractor may cut "a 2020 rx 350" to "350": the whole message is read too.
        readings = [text] + ([message] if message and message != text else [])
        named = any(e.get("entity") == "vehicle"
                    for e in tracker.latest_message.get("entities", []))
        said_else = set(tracker.slots_to_validate()) - {"vehicle"}
        owner_id = owner_id_of(tracker)
        if owner_id is None:
            lines = await in_session(lambda s: get_dealership(s).loaner_ladder or [])
            model = next(filter(None, (vehicles.guest_model(t, lines) for t in readings)), None)
            if model is None and (named or not said_else):
                dispatcher.utter_message(
                    text="Which model is it? For example RX 350, ES or NX 450h+.")
            # The year said with it ("a 2019 rx 350") is kept: the slot holds the car's label.
            year = model and next(filter(None, (vehicles.guest_year(t, model)
                                                for t in readings)), None)
            return {"vehicle": f"{year} {model}" if year else model, "vehicle_id": None}

        def work(session) -> tuple[list[tuple[int, str]], list[str]]:
            cars = session.get(Owner, owner_id).vehicles
            found = next(filter(None, (vehicles.match(cars, t) for t in readings)), [])
            return [(v.id, v.label) for v in found], [v.label for v in cars]

        found, all_cars = await in_session(work)
        if len(found) == 1:
            return {"vehicle": found[0][1], "vehicle_id": found[0][0]}
        if not found and (named or not said_else):
            # a car named that is not theirs; not "tmrw at 8", which is kept and asked again
            dispatcher.utter_message(
                text=f"I don't see a {text} on your account. I have: {', '.join(all_cars)}.")
        return {"vehicle": None, "vehicle_id": None}

    async def validate_services(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        asked = value if isinstance(value, list) else [str(value or "")]
        def work(session) -> tuple[list[str], list[str]]:
            found, unknown = services.resolve(session, asked)
            return [x.code for x in found], unknown

        found, unknown = await in_session(work)
        if found:
            return {"services": found}
        if set(tracker.slots_to_validate()) - {"services"}:
            # The answer said something else the form asks ("asap", "with a loaner"): that is
            # kept, and the question comes again without the menu.
            return {"services": None}
        names = await in_session(lambda s: [x.name.lower() for x in services.menu(s)])
        dispatcher.utter_message(
            text=f"I couldn't match \"{', '.join(unknown)[:60]}\" to our service menu. We do: "
                 f"{', '.join(names)}. Which would you like?")
        return {"services": None}

    async def validate_appointment_time(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: dict[str, Any]
                                        ) -> dict[str, Any]:
        codes = tracker.get_slot("services") or []
        return await check_time(dispatcher, tracker, str(value or ""), lambda s: (
            services.duration_minutes(services.resolve(s, codes)[0]) if codes
            else DEFAULT_MINUTES))

    async def validate_transport(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        if value == "waitlist" and not tracker.get_slot("appointment_time"):
            return {"transport": "loaner"}  # the time comes first; a loaner may be free then
        if value != "loaner" or not tracker.get_slot("appointment_time"):
            return {"transport": value}
        start = datetime.fromisoformat(tracker.get_slot("appointment_time"))
        codes = tracker.get_slot("services") or []
        line = vehicles.split_label(str(tracker.get_slot("vehicle") or ""))[1].split(" ")[0]

        def work(session) -> tuple[bool, datetime | None, datetime]:
            minutes = services.duration_minutes(services.resolve(session, codes)[0])
            now = local_now(session)
            if appointments.loaner_for_line(session, line, start, minutes) is not None:
                return True, None, now
            return False, appointments.nearest_loaner_slot(session, line, start, minutes,
                                                           now), now

        free, later, now = await in_session(work)
        if free:
            return {"transport": "loaner"}
        buttons = [{"title": "Shuttle", "payload": '/inform{"transport": "shuttle"}'},
                   {"title": "Pickup and delivery",
                    "payload": '/inform{"transport": "pickup_delivery"}'},
                   {"title": "Loaner waitlist", "payload": '/inform{"transport": "waitlist"}'}]
        another = ""
        if later:
            another = f" Or I can move you to {when_text(later, now)}, when a loaner is free."
            buttons.append({"title": f"Move to {when_text(later, now)}",
                            "payload": '/inform{"when": "' + later.isoformat()
                                       + '", "transport": "loaner"}'})
        dispatcher.utter_message(
            text="All our loaners are spoken for then, sorry. I can book our shuttle or pickup "
                 "and delivery, or our shuttle plus a spot on the loaner waitlist (we'll text "
                 f"you if a car frees up).{another}", buttons=buttons)
        return {"transport": None}


async def check_time(dispatcher: CollectingDispatcher, tracker: Tracker, text: str,
                     minutes_of, same_day: datetime | None = None) -> dict[str, Any]:
    """Reads a requested time (a phrase, a pick from the offers, or a button's ISO time). A time
    said without a day is on the offered times' day, or else on `same_day`'s.

    Returns the slots to set: `appointment_time` when that time is open; otherwise it says why
    and offers up to three nearest open times (`offered_slots`), as a numbered list and buttons.
    """
    text = text.strip()
    offered = [datetime.fromisoformat(s) for s in tracker.get_slot("offered_slots") or []]
    message = tracker.latest_message.get("text") or ""
    agreed = tracker.latest_message.get("intent", {}).get("name") == "affirm"
    in_form = (tracker.active_loop or {}).get("name") == "booking_form"
    said_else = set(tracker.slots_to_validate()) - {"appointment_time"} if in_form else set()

    def work(session) -> dict[str, Any]:
        now = local_now(session)
        duration = minutes_of(session)
        chosen = _as_datetime(text) or pick_offered(text, offered, now.date())
        when = None if chosen else on_offered_day(text, best_reading(text, message, now),
                                                  offered or ([same_day] if same_day else []))
        if chosen is None and when is None and agreed and offered:
            if len(offered) > 1:  # "yes" to three times: which one? (the form asks itself)
                return {"appointment_time": None} if in_form else {
                    "appointment_time": None, "_buttons": offer_buttons(offered, now),
                    "_say": f"Which one works? {numbered([when_text(s, now) for s in offered])}"}
            chosen = offered[0]
        if chosen is not None:
            if scheduling.slot_is_open(session, chosen, duration, now):
                return {"appointment_time": chosen.isoformat(), "offered_slots": None}
            offer = scheduling.open_slots(session, None, duration, now)
            offer.problem = "taken"
        else:
            if when is None and said_else:
                return {"appointment_time": None}  # "with a loaner": kept; the time is asked again
            if when is None:
                return {"appointment_time": None, "_say": (
                    "Sorry, I didn't catch the day and time. You can say things like "
                    "\"tomorrow at 9\", \"next Tuesday afternoon\" or \"asap\".")}
            offer = scheduling.open_slots(session, when, duration, now)
            if offer.exact is not None:
                return {"appointment_time": offer.exact.isoformat(), "offered_slots": None}
            if when.asap and offered and offer.slots and offer.slots[0] == offered[0]:
                # "asap" to the earliest times, offered already: the first of them
                return {"appointment_time": offered[0].isoformat(), "offered_slots": None}
        lead = problem_text(offer.problem, offer.detail)
        if not offer.slots:
            return {"appointment_time": None, "_say": f"{lead} I don't have any openings "
                    "in the next few weeks. A service advisor can help you directly."}
        options = [when_text(s, now) for s in offer.slots]
        return {"appointment_time": None,
                "offered_slots": [s.isoformat() for s in offer.slots],
                "_say": f"{lead} I can do: {numbered(options)}. Which works?".strip(),
                "_buttons": offer_buttons(offer.slots, now)}

    result = await in_session(work)
    say, buttons = result.pop("_say", None), result.pop("_buttons", None)
    if say:
        dispatcher.utter_message(text=say, buttons=buttons or [])
    return result


def _as_datetime(text: str) -> datetime | None:
    """A time chosen with a button (its payload carries the ISO time)."""
    try:
        chosen = datetime.fromisoformat(text)
    except ValueError:
        return None
    return chosen if chosen.tzinfo else None


class ActionAskVehicle(Action):
    def name(self) -> str:
        return "action_ask_vehicle"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        if owner_id is None:
            dispatcher.utter_message(text="What car are we seeing? For example a 2021 RX 350.")
            return []
        cars = await in_session(lambda s: [v.label for v in s.get(Owner, owner_id).vehicles])
        dispatcher.utter_message(
            text="Which car is it for?",
            buttons=car_buttons(cars))
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
        codes = tracker.get_slot("services") or []
        if offered:
            def again(session) -> tuple[list[datetime], datetime]:
                return [datetime.fromisoformat(s) for s in offered], local_now(session)

            slots, now = await in_session(again)
            dispatcher.utter_message(
                text=f"Which time works? {numbered([when_text(s, now) for s in slots])}",
                buttons=offer_buttons(slots, now))
            return []

        def work(session) -> tuple[list[datetime], datetime]:
            now = local_now(session)
            minutes = services.duration_minutes(services.resolve(session, codes)[0]) or 60
            return scheduling.open_slots(session, None, minutes, now).slots, now

        slots, now = await in_session(work)
        options = numbered([when_text(s, now) for s in slots])
        dispatcher.utter_message(
            text=f"When would you like to come in? The next openings are {options}. "
                 "Or tell me a day and time.", buttons=offer_buttons(slots, now))
        return [SlotSet("offered_slots", [s.isoformat() for s in slots])]


def summary(session, tracker: Tracker) -> tuple[str, str]:
    """("oil change for your 2021 RX 350 on Tue Nov 24 at 9:00 AM, ...", estimate)."""
    found, _ = services.resolve(session, tracker.get_slot("services") or [])
    start = datetime.fromisoformat(tracker.get_slot("appointment_time"))
    now = local_now(session)
    what = " and ".join(s.name.lower() for s in found)
    transport = TRANSPORT.get(tracker.get_slot("transport"), "")
    vehicle_id = tracker.get_slot("vehicle_id")
    car = (session.get(Vehicle, int(vehicle_id)).label if vehicle_id
           else tracker.get_slot("vehicle"))
    return f"{what} for your {car}, {when_text(start, now)}, {transport}", \
        services.estimate(found)


class ActionAskConfirmBooking(Action):
    def name(self) -> str:
        return "action_ask_confirm_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        what, estimate = await in_session(lambda s: summary(s, tracker))
        dispatcher.utter_message(
            text=f"Here's what I have: {what}. Estimate {estimate} (final price after "
                 "inspection). Shall I book it?",
            buttons=[{"title": "Yes, book it", "payload": "/affirm"},
                     {"title": "No", "payload": "/deny"}])
        return []


class ActionBookAppointment(Action):
    """Writes the booking the owner confirmed, or offers the alternatives if it is gone."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if not tracker.get_slot("confirm_booking"):
            dispatcher.utter_message(response="utter_booking_not_confirmed")
            return reset_booking()
        result = await in_session(lambda s: _write_booking(s, tracker))
        if "retry" in result:
            dispatcher.utter_message(text=result["say"])
            return [SlotSet(slot, None) for slot in result["retry"]] + [
                SlotSet("confirm_booking", None), FollowupAction("booking_form")]
        dispatcher.utter_message(text=result["say"])
        if result.get("then"):
            dispatcher.utter_message(text=result["then"])
        if result.get("text"):
            # The confirmation promised to a web guest, after the reply (consent first).
            in_background(outbound.send, *result["text"], purpose="confirmation")
        if owner_id_of(tracker) is None and sender_mobile(tracker) is None:
            # A web guest's booking (on a guest record) does not make the chat theirs: that
            # takes a texted code.
            return reset_booking()
        return reset_booking() + [SlotSet("owner_id", result["owner_id"]),
                                  SlotSet("is_guest", False)]


def opening_words(tracker: Tracker) -> str | None:
    """The message that opened this booking, when it says more than a request does ("pulling
    to the right lately... anything Friday afternoon?"): the advisor reads it on the visit."""
    opening, last = None, None
    for event in tracker.events:
        if event.get("event") == "user":
            last = event.get("text")
        elif event.get("event") == "active_loop" and event.get("name") == "booking_form":
            opening = last
    words = " ".join((opening or "").split())
    return words[:500] if len(words.split()) > OPENING_WORDS and not words.startswith("/") \
        else None


def _write_booking(session, tracker: Tracker) -> dict[str, Any]:
    now = local_now(session)
    owner_id, vehicle_id = owner_id_of(tracker), tracker.get_slot("vehicle_id")
    proven, gave = sender_mobile(tracker), None
    if owner_id is None:
        year, model = vehicles.split_label(tracker.get_slot("vehicle"))
        guest = {"name": tracker.get_slot("guest_name"), "model": model, "year": year,
                 "make": get_dealership(session).brand}
        if proven:  # texted from this number: it is theirs
            owner, car = register_guest(session, mobile=proven, **guest)
        else:
            # A number typed into a web chat proves nothing: the booking goes on a guest
            # record for staff, never on the account that number may belong to.
            gave = to_e164(tracker.get_slot("guest_mobile"))
            owner, car = register_web_guest(session, conversation_id=tracker.sender_id,
                                            gave=gave, **guest)
        owner_id, vehicle_id = owner.id, car.id
    start = datetime.fromisoformat(tracker.get_slot("appointment_time"))
    what, _ = summary(session, tracker)
    try:
        booking = appointments.make_booking(
            session, owner_id=owner_id, vehicle_id=int(vehicle_id),
            service_codes=tracker.get_slot("services"), start=start,
            transport=tracker.get_slot("transport"), now=now)
    except scheduling.SlotTaken:
        return {"retry": ["appointment_time"],
                "say": f"Sorry, {when_text(start, now)} was just taken by someone else."}
    except appointments.NoLoanerFree:
        return {"retry": ["transport"],
                "say": "Sorry, the last loaner for that day was just reserved. How else can "
                       "you get around: wait, shuttle, or pickup and delivery?"}
    if opening := opening_words(tracker):
        booking.appointment.notes = f"In the owner's words: {opening}"
    loaner = ""
    if booking.loaner is not None:
        car = booking.loaner.loaner
        loaner = f" Your loaner will be a {car.year} {car.model}."
    code = booking.appointment.code
    terms = knowledge.answer(session, "loaner_policy") if booking.loaner is not None else None
    if gave is None:
        say = (f"You're booked: {what}.{loaner} Confirmation code {code}. "
               "Text me anytime to change or cancel.")
        return {"owner_id": owner_id, "say": say, "then": terms}
    # The same words whether or not the number is on file (nothing here looked).
    dealership = get_dealership(session)
    phone = display(dealership.service_phone)
    say = (f"You're booked: {what}.{loaner} Confirmation code {code}. I'm texting the details "
           f"to {display(gave)}. To change or cancel, call us at {phone}.")
    text = (f"{dealership.name}: you're booked: {what}.{loaner} Confirmation code {code}. "
            f"To change or cancel, call {phone}.")
    return {"owner_id": owner_id, "say": say, "then": terms, "text": (gave, text)}


ASK_AGAIN = "Just so I book it right:"


def open_question_answered_yes_or_no(tracker: Tracker) -> bool:
    """A bare yes or no to "how will you get around" or "what would you like done": no answer,
    and calling the booking off takes more than that."""
    return tracker.get_slot("requested_slot") not in (None, "confirm_booking") and \
        bare_yes_or_no(tracker.latest_message.get("text") or "")


class ActionAskAgain(Action):
    """A yes to a question that is not yes-or-no ("how will you get around?"): asked again."""

    def name(self) -> str:
        return "action_ask_again"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=ASK_AGAIN)
        return []


class ActionStopBooking(Action):
    def name(self) -> str:
        return "action_stop_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if tracker.latest_message.get("intent", {}).get("name") == "deny" and \
                open_question_answered_yes_or_no(tracker) and \
                ASK_AGAIN not in said_last_turn(tracker):  # a second "no" does stop it
            # "no" to "how will you get around?": the question again, not the booking gone
            dispatcher.utter_message(text=ASK_AGAIN)
            return [FollowupAction("booking_form")]
        dispatcher.utter_message(response="utter_booking_stopped")
        return reset_booking()
