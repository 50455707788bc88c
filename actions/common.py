"""What several actions share: database work off the event loop, who is texting, the booking's
slots, reading a time asked for, handing over to a person, photos, recalls, appointments, and
asking once more before giving up. Action modules import from here, never from each other."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from sqlalchemy.orm import Session

from actions.asked_before import from_cancelled, from_question
from actions.phrases import numbered, problem_text, ride_text, when_text
from bot import clock
from bot.dealership import appointments, db, reports, services, vehicles, web_sessions
from bot.dealership.booking import CarFound, WhichCar, which_car
from bot.dealership.booking_time import (
    AGREES,
    Chosen,
    NotRead,
    Offer,
    TimeRequest,
    as_datetime,
    read_time,
)
from bot.dealership.consent_words import text_hours
from bot.dealership.dates import parse_when
from bot.dealership.handoff import HandedOver, HandoffRequest, hand_over, live_ticket
from bot.dealership.joining import VisitAhead, visit_ahead, visit_named
from bot.dealership.models import Appointment
from bot.dealership.owners import car_label, cars_of, find_owner_by_mobile, owner_by_id
from bot.dealership.ownership import car_by_vin
from bot.dealership.phones import InvalidPhoneNumber, display, to_e164
from bot.dealership.problems import Photos, ProblemReport, add_photos
from bot.dealership.problems import report as report_problem
from bot.dealership.profile import get_dealership, local_now
from bot.dealership.recalls import (
    CarRecalls,
    RecallRequest,
    Recalls,
    done_named,
    find_recalls,
    trouble_told,
)
from bot.dealership.replies import asks_to_book, joins_visit_asked
from bot.dealership.services import resolve as resolve_services
from bot.dealership.triage import category_rule, triage
from bot.dealership.visits import CarStatus, Visit, booked, car_status, visit_of
from bot.wording import (
    A_TEXT,
    CHOICE_LINE,
    REPLY_LINE,
    joined,
    responses,
    say,
    texted_length,
)

T = TypeVar("T")


async def in_session(work: Callable[[Session], T]) -> T:
    """Runs `work(session)` off the action server's event loop (`db.in_session`)."""
    return await db.in_session(work)


@dataclass(frozen=True)
class Caller:
    """Who a conversation is with, as the slots keep it."""

    owner_id: int | None
    owner_name: str | None
    dealership_name: str
    service_phone: str

    def slots(self) -> dict[str, Any]:
        return {
            "owner_id": self.owner_id,
            "owner_name": self.owner_name,
            "is_guest": self.owner_id is None,
            "dealership_name": self.dealership_name,
            "service_phone": self.service_phone,
        }


def identify(conversation_id: str) -> Callable[[Session], Caller]:
    """The caller behind a conversation id: on SMS and REST it is the phone number; a web chat
    is a guest's until the visitor proved an owner's mobile number with a texted code."""

    def work(session: Session) -> Caller:
        dealership = get_dealership(session)
        if web_sessions.is_web(conversation_id):
            owner_id = web_sessions.verified_owner_id(session, conversation_id,
                                                      clock.real_now())
            owner = owner_by_id(session, owner_id) if owner_id is not None else None
        else:
            owner = find_owner_by_mobile(session, conversation_id)
        return Caller(
            owner_id=owner.id if owner else None,
            owner_name=owner.first_name if owner else None,
            dealership_name=dealership.name,
            service_phone=display(dealership.service_phone),
        )

    return work


def said_this_turn(tracker) -> set[str]:
    """Slots set since the owner's latest message (by entities it carried)."""
    names: set[str] = set()
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "slot":
            names.add(event["name"])
    return names


def whole_text(tracker: Tracker) -> str:
    """The owner's whole text, when the latest message is one of several requests in it."""
    message = tracker.latest_message
    return str((message.get("metadata") or {}).get("whole_text") or message.get("text") or "")


def said_this_text(tracker) -> set[str]:
    """Slots set since the owner's latest text: a text read as several requests is several
    turns ("oil change on the gx sat at 9, and i need a loaner"), and what its first part said
    is still what the owner said."""
    names: set[str] = set()
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if int((event.get("metadata") or {}).get("part") or 1) <= 1:
                break
        elif event.get("event") == "slot":
            names.add(event["name"])
    return names


def slot_before_this_turn(tracker, slot: str) -> Any:
    """The value `slot` had before the owner's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def said_in_reply(tracker) -> list[str | None]:
    """The responses, by name, said since the owner's latest message."""
    said = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            said.append((event.get("metadata") or {}).get("utter_action"))
    return said


def said_for_this_text(tracker) -> list[str | None]:
    """The responses, by name, said since the owner's latest text began: for a text read as
    several requests, what the earlier parts' answers said too."""
    said = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if int((event.get("metadata") or {}).get("part") or 1) <= 1:
                break
        elif event.get("event") == "bot":
            said.append((event.get("metadata") or {}).get("utter_action"))
    return said


def told_length(tracker) -> int:
    """About how long the reply to the owner's latest text is so far, as texted (for a text
    read as several requests, the earlier parts' answers too): what is said next fits beside
    it, or is said short."""
    length = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if int((event.get("metadata") or {}).get("part") or 1) <= 1:
                break
        elif event.get("event") == "bot":
            titles = [str(b.get("title", "")) for b in
                      (event.get("data") or {}).get("buttons") or []]
            length += len(event.get("text") or "") + 1 + (
                sum(CHOICE_LINE + len(t) for t in titles) + REPLY_LINE if titles else 0)
    return length


def short_if_long(tracker, response: str, said_first: int = 0, **values: Any) -> str:
    """`response`, or its short form (`<response>_brief`) when beside what the reply holds
    already (and `said_first` characters this action says before it) it would not fit a
    text."""
    brief = f"{response}_brief"
    if brief not in responses():
        return response
    room = A_TEXT - told_length(tracker) - said_first
    return response if texted_length(response, **values) <= room else brief


def reply_before_this_text(tracker) -> list[str | None]:
    """The responses, by name, that answered the owner's text before the latest one (for a
    text read as several requests, the one before its first part)."""
    said: list[str | None] = []
    began = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if began:
                break
            began = int((event.get("metadata") or {}).get("part") or 1) <= 1
        elif event.get("event") == "bot" and began:
            said.append((event.get("metadata") or {}).get("utter_action"))
    return said[::-1]


def reported_this_text(tracker) -> bool:
    """Whether the trouble the owner's latest text tells was reported already (its case filed)."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_report_issue":
            return True
        if event.get("event") == "user" and \
                int((event.get("metadata") or {}).get("part") or 1) <= 1:
            return False
    return False


def texts_for_this_text(tracker) -> set[str]:
    """What was texted back since the owner's latest text began, word for word."""
    said = set()
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if int((event.get("metadata") or {}).get("part") or 1) <= 1:
                break
        elif event.get("event") == "bot":
            said.add(str(event.get("text") or ""))
    return said


def bot_spoke_this_turn(tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot":
            return True
    return False


def more_to_come(tracker: Tracker) -> bool:
    """Whether the owner's text goes on with requests after the part being answered ("cool.
    also who do i talk to about trading it in")."""
    metadata = tracker.latest_message.get("metadata") or {}
    return int(metadata.get("part") or 1) < int(metadata.get("parts") or 1)


def say_ok(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """"Okay. Anything else?" to a yes or no that nothing waited for; nothing when the text goes
    on to ask something else (the answer to that is the reply)."""
    if not more_to_come(tracker):
        dispatcher.utter_message(response="utter_ok")


def aside(tracker: Tracker) -> bool:
    """The part of a text that asks a question beside the answer to a form's question ("ill just
    wait. is there wifi"): answered first, and read by no form."""
    return bool((tracker.latest_message.get("metadata") or {}).get("aside"))


class FormValidation(FormValidationAction, ABC):
    """A form's validation, which reads nothing from a question asked beside its answer: the
    form passes it over (a rule answers it), and reads the rest of the text next."""

    @abstractmethod
    def name(self) -> str:
        """Abstract, so the action server registers only the forms' own validations."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if aside(tracker) and tracker.get_slot("requested_slot"):
            # (a form the question itself starts, "can u fix it this week?" mid-report, asks
            # its own first question: with nothing returned Rasa would ask the domain's first)
            return []
        return await super().run(dispatcher, tracker, domain)


def aside_done(tracker: Tracker) -> list[EventType]:
    """A question asked beside the answer to a form's question, once answered, ends its part of
    the text: the rest answers the form, which then asks what comes next, so its question is not
    asked again in between."""
    loop = tracker.active_loop.get("name")
    if aside(tracker) and loop:
        # The form, passed over for the question, is taken up again (no longer rejected), so
        # it reads the rest of the text as its answer.
        return [ActiveLoop(loop), FollowupAction("action_listen")]
    return []


def media_urls(tracker) -> list[str]:
    """Photos sent with the latest message (the SMS channel passes them as metadata)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            urls = (event.get("metadata") or {}).get("media_urls") or []
            return [str(u) for u in urls if isinstance(u, str)][:10]
    return []


def car_buttons(labels: list[str]) -> list[dict[str, str]]:
    """One button per car of the owner's: a tap names it as if typed."""
    return [{"title": car, "payload": '/inform{"vehicle": "' + car + '"}'} for car in labels]


def ask_to_verify(dispatcher, tracker, then: str, response: str) -> list[dict[str, Any]] | None:
    """On the website a guest sees nothing of an owner's until they prove the mobile number:
    says so (`response`) and starts verifying, to run `then` afterwards. None on other
    channels."""
    if not web_sessions.is_web(tracker.sender_id):
        return None
    dispatcher.utter_message(response=response)
    return [SlotSet("verify_then", then), FollowupAction("action_start_verification")]


def owner_id_of(tracker: Tracker) -> int | None:
    value = tracker.get_slot("owner_id")
    return int(value) if value is not None else None


def sender_mobile(tracker: Tracker) -> str | None:
    """The texter's number; a web chat has none it can be trusted with."""
    if web_sessions.is_web(tracker.sender_id):
        return None
    try:
        return to_e164(tracker.sender_id)
    except InvalidPhoneNumber:
        return None


def intent_of(tracker: Tracker) -> str | None:
    return tracker.latest_message.get("intent", {}).get("name")


# ---- the booking's slots: a booking starts from several places (a request, a yes to an offer,
# a message that names a day and a service)

BOOKING_SLOTS = ("guest_name", "guest_mobile", "vehicle", "vehicle_id", "services",
                 "appointment_time", "offered_slots", "transport", "confirm_booking",
                 "join_visit", "visit_to_join", "loaner_line", "cars_beside")


# The visit just booked, kept for a correction right after its confirmation.
BOOKED_CODE = "booked_code"


def corrects_booking(tracker: Tracker) -> str | None:
    """The code of the visit the owner just booked, when the latest text corrects its time
    right after the confirmation ("omg wait sorry i meant monday not sat, same time")."""
    code = tracker.get_slot(BOOKED_CODE)
    text = tracker.latest_message.get("text") or ""
    said = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
    booked_just_now = any(str(r or "").startswith("utter_booked") for r in previous_reply(tracker))
    return code if code and booked_just_now and "when" in said and (
        vehicles.CORRECTION.search(text.lower()) or CHANGED_AFTER.match(text)) else None


# A change said to the confirmation just sent: "no make it 2pm", "can we do 3 instead".
CHANGED_AFTER = re.compile(r"\W*(no+|nah|nope|hmm|oh|ok|okay)?\W*(make it|change (it|that)( to)?|"
                           r"move (it|that)( to)?|switch (it|that)( to)?|can (we|you|u) (do|make "
                           r"it|move it|change it)|(let'?s|lets) (do|say|make it)|do)\b|"
                           r"\W*(no+|nah|nope)\b", re.IGNORECASE)


def move_just_booked(tracker: Tracker) -> list[EventType]:
    """The move of the visit just booked, when the text corrects its time; nothing otherwise."""
    code = corrects_booking(tracker)
    return [SlotSet("change_code", code), SlotSet("offered_slots", None),
            FollowupAction("action_ask_reschedule")] if code else []


def reset_booking(keep: Collection[str] = frozenset()) -> list[EventType]:
    return [SlotSet(slot, None) for slot in BOOKING_SLOTS if slot not in keep]


async def only_car(tracker: Tracker) -> list[EventType]:
    """The owner's car when there is just one: the form need not ask which. A guest's, when
    their text names a Lexus model ("my 2015 is 250 brakes are squeaking")."""
    owner_id = owner_id_of(tracker)
    if owner_id is None:
        return await guest_car_named(tracker)
    cars = await in_session(lambda s: [(v.id, v.label) for v in cars_of(s, owner_id)])
    if len(cars) != 1:
        return []
    return [SlotSet("vehicle", cars[0][1]), SlotSet("vehicle_id", cars[0][0])]


async def guest_car_named(tracker: Tracker) -> list[EventType]:
    """The car a guest's whole text names by its model, with its year when said ("2015 IS
    250"); nothing when it names none."""
    text = whole_text(tracker)

    def work(session) -> str | None:
        lines = [str(x).upper() for x in get_dealership(session).loaner_ladder or []]
        named = vehicles.named_in(text)
        model = vehicles.guest_model(named, lines) if named else None
        if model is None:
            return None
        year = vehicles.guest_year(text, model)
        return f"{year} {model}" if year else model

    label = await in_session(work)
    return [SlotSet("vehicle", label), SlotSet("vehicle_id", None)] if label else []


async def car_not_theirs(dispatcher: CollectingDispatcher, tracker: Tracker,
                         events: list[EventType]) -> list[EventType]:
    """A booking's `events`, when the text names a car of a make not on the owner's account
    ("its for my ferrari, rotation tmrw"): said so, and which car is asked, not filled in."""
    text = str((tracker.latest_message.get("metadata") or {}).get("whole_text") or
               tracker.latest_message.get("text") or "")
    owner_id = owner_id_of(tracker)
    if owner_id is None or (car := vehicles.other_make(text)) is None or cars_said(tracker) or \
            vehicles.named_in(text) is not None:
        return events
    cars = await in_session(lambda s: [v.label for v in cars_of(s, owner_id)])
    if any(car.lower() in label.lower() for label in cars):
        return events
    dispatcher.utter_message(response="utter_car_not_on_account", car=car.title(),
                             cars=", ".join(cars))
    return [e for e in events
            if not (e.get("event") == "slot" and e.get("name") in ("vehicle", "vehicle_id"))]


async def start_booking(tracker: Tracker) -> list[EventType]:
    """Forgets an earlier, unfinished booking but keeps what this message said. With a visit
    offered ("want me to book a diagnosis for it?") and no other work named, "ok let's do it wed
    at 8" books that visit; work named for the offered car keeps the car. Work is named in
    words the entity extractor may miss ("add an oil change onto my rotation tmrw")."""
    said = said_this_text(tracker)
    text = tracker.latest_message.get("text") or ""
    named: list[EventType] = []
    if "services" not in said and text and not text.startswith("/"):
        codes = await in_session(lambda s: [x.code for x in services.mentioned(s, text)])
        if not codes and not tracker.get_slot("offered_service") and \
                (work := trouble_just_told(tracker) or maintenance_just_told(tracker)
                 or (offered_lately(tracker) if "appointment_time" in said and
                     not ALSO.search(text) and not ADD_WORD.search(text) else None)):
            # "ugh. ok can u look at it tmrw morning?" after the wipers quit; "ok lets do early
            # dec then" after the maintenance due was told
            codes = [work]
        if codes:
            said, named = said | {"services"}, [SlotSet("services", codes)]
    # what a question just answered said of the visit ("if i bring the ls in wed...")
    return await _start_booking(tracker, said, text) + named + \
        await from_question(tracker, said) + await from_cancelled(tracker, said)


# How many of the owner's texts back trouble told is still what a visit asked is for, and how
# long ago its case may have been written.
TROUBLE_TEXTS_BACK = 3
TROUBLE_LATELY = timedelta(hours=2)


def events_of_last_texts(tracker: Tracker, texts: int) -> Iterator[dict[str, Any]]:
    """The events since the owner's `texts`-th text back (that text and the latest one
    included), the latest first; the texts themselves are not yielded."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > texts:
                return
        else:
            yield event


def trouble_just_told(tracker: Tracker) -> str | None:
    """The work for the trouble the owner told a text or two ago, whose first reply asked
    nothing (a visit asked next is to look at it); None when none was told lately, or its
    team is not the service department's."""
    for event in events_of_last_texts(tracker, TROUBLE_TEXTS_BACK):
        if event.get("event") == "slot" and event.get("name") == "situation":
            rule = category_rule(str(event.get("value") or ""))
            return rule.service if rule is not None and rule.situation.offer and \
                not rule.situation.team else None
    return None


# Work asked to be added, which names work of its own ("can u add a car wash").
ADD_WORD = re.compile(r"\b(?:add|throw in|include|also do)\b", re.IGNORECASE)
# How many of the owner's texts back a visit offered is still what a visit asked is for.
OFFERED_TEXTS_BACK = 4


def offered_lately(tracker: Tracker) -> str | None:
    """The work of the visit offered a few texts ago, set aside since ("hmm nvm let me check w
    work first"), when the owner comes back with a time for it ("ok im back lol. 1230 tmrw
    works"); None when none was offered lately."""
    for event in events_of_last_texts(tracker, OFFERED_TEXTS_BACK):
        if event.get("event") == "slot" and event.get("name") == "offered_service" and \
                event.get("value"):
            return str(event["value"])
    return None


# The answers that tell when a car's maintenance is due.
MAINTENANCE_TOLD = {"utter_maintenance_due_now", "utter_maintenance_due_next",
                    "utter_maintenance_complimentary"}
MAINTENANCE = "scheduled_maintenance"


def maintenance_just_told(tracker: Tracker) -> str | None:
    """The maintenance visit, when the owner was told a text or two ago when it is due (a visit
    asked next, naming no work, is that one); None otherwise."""
    for event in events_of_last_texts(tracker, TROUBLE_TEXTS_BACK):
        if event.get("event") == "bot" and \
                (event.get("metadata") or {}).get("utter_action") in MAINTENANCE_TOLD:
            return MAINTENANCE
    return None


# Work asked as more: "but can they check the battery too", "also an alignment".
ALSO = re.compile(r"\b(?:too|also|as well|while (?:it'?s|its|you'?re|ur|they'?re) (?:there|in)|"
                  r"while you have it)\b", re.IGNORECASE)
VISIT_CODE = re.compile(r"\(code ([A-Z0-9]{6})\)")


def codes_told_lately(tracker: Tracker) -> list[str]:
    """The visits (by code) the replies to the owner's last two texts named."""
    return [code for event in events_of_last_texts(tracker, 2) if event.get("event") == "bot"
            for code in VISIT_CODE.findall(str(event.get("text") or ""))]


def visit_spoken_of(session: Session, owner_id: int, codes: list[str], now: datetime
                    ) -> VisitAhead | None:
    """The one visit ahead just spoken of ("...keep 1:30. but can they check the battery
    too"), which work asked as more is for."""
    booked = [a for a in appointments.upcoming(session, owner_id, now) if a.code in set(codes)]
    if len({a.id for a in booked}) != 1:
        return None
    return visit_ahead(session, owner_id, booked[0].vehicle_id, now)


async def _start_booking(tracker: Tracker, said: set[str], text: str) -> list[EventType]:
    owner_id = owner_id_of(tracker)
    if owner_id is not None and "services" in said:
        # (not "a tire rotation on the other car too": that car's own visit)
        spoken_of = [] if "vehicle" in said or cars_said(tracker) or not ALSO.search(text) or \
            vehicles.OTHER_CAR.search(text) else codes_told_lately(tracker)

        def work(session: Session) -> VisitAhead | None:
            now = local_now(session)
            return visit_named(session, owner_id, text, now) or \
                visit_spoken_of(session, owner_id, spoken_of, now)

        if (ahead := await in_session(work)) is not None:
            # "add a tire rotation to tomorrow's visit": that visit's car, which is coming in
            # (whether to add it is asked first, with the visit named: a change needs a yes)
            return reset_booking(keep=said) + offer_visit(None, None) + [
                SlotSet("vehicle", ahead.car), SlotSet("vehicle_id", ahead.vehicle_id)]
    if tracker.get_slot("offered_service") and "services" not in said:
        return await book_offered(tracker, keep=said)
    events = reset_booking(keep=said) + offer_visit(None, None)
    vehicle_id = tracker.get_slot("offered_vehicle_id")
    if vehicle_id is not None and tracker.get_slot("offered_service") and \
            "vehicle" not in said and not cars_said(tracker):
        label = await offered_car(int(vehicle_id))
        return events + [SlotSet("vehicle", label), SlotSet("vehicle_id", vehicle_id)]
    if "vehicle" not in said and not cars_said(tracker) and \
            (trouble := await car_in_trouble(tracker)):
        return events + trouble  # "they can tow it to u. can u put a new tire on tmrw?"
    return events + await only_car(tracker)


async def car_in_trouble(tracker: Tracker) -> list[EventType]:
    """The car of the trouble the owner told a text or two ago (the case written up in this
    conversation): a visit asked next is for it."""
    told = any(event.get("event") == "slot" and event.get("name") == "situation" and
               event.get("value") for event in events_of_last_texts(tracker, TROUBLE_TEXTS_BACK))
    if not told:
        return []

    def work(session: Session) -> tuple[int, str] | None:
        case = reports.latest_case(session, tracker.sender_id, local_now(session),
                                   within=TROUBLE_LATELY)
        return (case.vehicle_id, car_label(session, case.vehicle_id)) \
            if case is not None and case.vehicle_id else None

    found = await in_session(work)
    return [SlotSet("vehicle", found[1]), SlotSet("vehicle_id", found[0])] if found else []


def offer_visit(service: str | None, vehicle_id: int | None, join: int | None = None
                ) -> list[EventType]:
    """The visit a "yes" books next (none: a "yes" books nothing); `join`: the visit booked
    already that the work is added to."""
    return [SlotSet("offered_service", service), SlotSet("offered_vehicle_id", vehicle_id),
            SlotSet("offered_visit_id", join)]


async def offered_car(vehicle_id: int) -> str | None:
    return await in_session(lambda s: car_label(s, vehicle_id))


async def book_offered(tracker: Tracker, keep: Collection[str] = frozenset()
                       ) -> list[EventType]:
    """The booking of the visit just offered, its service and car filled in (and whatever of
    `keep` the owner's text said: "wed at 8am, i'll wait" to "want me to book it?")."""
    return await book_visit(tracker, tracker.get_slot("offered_service"),
                            tracker.get_slot("offered_vehicle_id"),
                            tracker.get_slot("offered_visit_id"), keep)


async def book_visit(tracker: Tracker, service: str | list[str], vehicle_id: Any,
                     joining: Any, keep: Collection[str] = frozenset(), days_said: bool = True,
                     day_words: str | None = None) -> list[EventType]:
    """The booking of `service` (or several) on the car `vehicle_id` (None: the form asks
    which), joining the visit `joining` if any, with whatever of `keep` the owner's text said;
    `days_said`: a day the text names is the visit's (not in a report: "came on this
    morning"), or only in `day_words` (where a report asks for the visit)."""
    work = [service] if isinstance(service, str) else service
    events = reset_booking(keep) + offer_visit(None, None) + [SlotSet("services", work)]
    when = [e["value"] for e in tracker.latest_message.get("entities", [])
            if e.get("entity") == "when" and days_said]
    text = tracker.latest_message.get("text") or ""
    if not when and days_said and text and not text.startswith("/") and \
            await in_session(lambda s: parse_when(text, local_now(s))) is not None:
        when = [text]  # a day the extractor missed, read from the whole text
    if not when and day_words and \
            await in_session(lambda s: parse_when(day_words, local_now(s))) is not None:
        when = [day_words]  # "...pulls right. can u do an alignment? whats the earliest tmrw"
    if when and "appointment_time" not in keep:
        events.append(SlotSet("appointment_time", when[0]))  # "sure, saturday at 9?"
    if joining:
        events += [SlotSet("visit_to_join", joining), SlotSet("join_visit", True)]
    if vehicle_id is not None:
        label = await offered_car(int(vehicle_id))
        events += [SlotSet("vehicle", label), SlotSet("vehicle_id", vehicle_id)]
    else:
        events += await only_car(tracker)
    return [*events, FollowupAction("booking_form")]


def cars_said(tracker: Tracker) -> list[str]:
    """The car the message names ("my gx"): the extracted entities, or a car pointed at."""
    text = tracker.latest_message.get("text") or ""
    # (not a car only compared to or wished for as the loaner: "an LS would be sweet")
    aside = [m.span() for m in vehicles.LOANER_WISHED.finditer(text)]
    said = [e["value"] for e in tracker.latest_message.get("entities", [])
            if e.get("entity") == "vehicle" and not any(
                start <= int(e.get("start", -1)) < end for start, end in aside)]
    said = said or [vehicles.named_in(text)]
    return [str(text) for text in said if text]


def cars_asked_of(tracker: Tracker) -> list[str]:
    """Every car a question names, the extractor's and those it missed: "is it for the es or
    the gx?" asks of both."""
    said = cars_said(tracker)
    lines = {str(car).split()[-1][:2].lower() for car in said}
    return said + [car for car in vehicles.all_named_in(tracker.latest_message.get("text") or "")
                   if car.split()[-1][:2] not in lines and car.split()[-1][:2] in vehicles.LINES]


# The actions a booking begins with: what was texted before them is of something else.
BOOKING_BEGINS = {"action_start_booking", "action_book_offered", "action_book_for_problem"}
# The action that asks a move's new time, on each text of it.
MOVE_ASKS = {"action_ask_reschedule"}


def time_said_in_booking(tracker: Tracker, before_this_text: bool = False) -> str | None:
    """The last time the owner said in this booking that was not read yet ("this week" before
    being asked whether the work joins a visit): an answer kept, not asked for again;
    `before_this_text`: said in an earlier text."""
    said = times_said_in_booking(tracker, before_this_text)
    return said[0] if said else None


def times_said_in_booking(tracker: Tracker, before_this_text: bool = False) -> list[str]:
    """Every time the owner said in this booking that was not read yet, the latest first
    ("Nine o'clock would be fine." to which car, after "friday morning")."""
    began, earlier, said = False, not before_this_text, []
    for event in reversed(tracker.events):
        if not earlier:
            earlier = event.get("event") == "user"
            continue
        if event.get("event") == "action" and event.get("name") in BOOKING_BEGINS:
            began = True  # the text that began it said it too ("oil change pls, fri at noon")
        elif event.get("event") == "user" and began:
            break
        if event.get("event") == "slot" and event.get("name") == "appointment_time" and \
                event.get("value") and as_datetime(str(event["value"])) is None:
            said.append(str(event["value"]))
    return said


# ---- a time asked for, read against the offers (booking, and moving an appointment)

def offer_buttons(slots: list[datetime], now: datetime) -> list[dict[str, str]]:
    return [{"title": when_text(s, now),
             "payload": '/inform{"when": "' + s.isoformat() + '"}'} for s in slots]


# Questions whose times are of something else: "my lease is up next month" is no visit's time.
OTHER_TIMES = {"ownership/lease_end", "ownership/warranty", "ownership/maintenance_schedule",
               "ownership/recall", "department/finance", "department/sales"}


def of_another_time(event: dict[str, Any]) -> bool:
    """A text read as a question about something with times of its own (a lease, a warranty)."""
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return (intent.get("full_retrieval_intent_name") or intent.get("name")) in OTHER_TIMES


def said_in_booking(tracker: Tracker) -> tuple[str, ...]:
    """What the owner texted before the latest message, since the text the booking began with
    (oldest first; timing wishes about texts left out)."""
    texts: list[str] = []
    latest, began = True, False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if not latest and (text := event.get("text") or "") and not text.startswith("/") \
                    and text_hours(text) is None and not of_another_time(event):
                texts.append(text)
            if began:
                break  # the text the booking began with is the first of it
            latest = False
        elif event.get("event") == "action" and event.get("name") in BOOKING_BEGINS:
            if latest:
                return ()  # it began with the latest message
            began = True
    return tuple(reversed(texts))


def said_in_move(tracker: Tracker) -> tuple[str, ...]:
    """What the owner texted before the latest message while the same move was asked about
    ("...sometime next week? i get off at 5", then "thurs"), oldest first."""
    texts: list[str] = []
    latest, moving = True, False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if not latest:
                if not moving:
                    break
                if (text := event.get("text") or "") and not text.startswith("/") and \
                        text_hours(text) is None:
                    texts.append(text)
            latest, moving = False, False
        elif event.get("event") == "action" and event.get("name") in MOVE_ASKS:
            moving = True
    return tuple(reversed(texts))


def responses_in_booking(tracker: Tracker) -> set[str]:
    """The responses, by name, said since the booking began."""
    said: set[str] = set()
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            said.add(str((event.get("metadata") or {}).get("utter_action")))
        elif event.get("event") == "action" and event.get("name") in BOOKING_BEGINS:
            break
    return said


# The work named before the times offered, when it is this short (an SMS must hold the reason
# a time is not open, the times and the question beside it).
WORK_NAMED_UP_TO = 70


# How sure a reading of "yes" must be to take the times offered: "oof thats more than i
# thought." is read as a yes at 0.50, and no time was agreed.
SURE_YES = 0.7


def yes_surely(tracker: Tracker) -> bool:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") == "affirm" and float(intent.get("confidence") or 0) >= SURE_YES


async def check_time(dispatcher: CollectingDispatcher, tracker: Tracker, text: str, *,
                     services: list[str] | None = None, minutes: int | None = None,
                     same_day: datetime | None = None, car: str | None = None
                     ) -> dict[str, Any]:
    """Reads a requested time (a phrase, a pick from the offers, or a button's ISO time). A time
    said without a day is on the offered times' day, or else on `same_day`'s.

    Returns the slots to set: `appointment_time` when that time is open; otherwise it says why
    and offers up to three nearest open times (`offered_slots`), as a numbered list and buttons.
    """
    in_form = (tracker.active_loop or {}).get("name") == "booking_form"
    request = TimeRequest(
        text=text, message=tracker.latest_message.get("text") or "",
        offered=[datetime.fromisoformat(s) for s in tracker.get_slot("offered_slots") or []],
        agreed=yes_surely(tracker) or bool(
            AGREES.match(tracker.latest_message.get("text") or "")),
        services=list(services or []), minutes=minutes,
        same_day=same_day,
        said_else=bool(set(tracker.slots_to_validate()) - {"appointment_time"}) if in_form
        else False, earlier=said_in_booking(tracker) if in_form else said_in_move(tracker))

    def work(session: Session):
        now = local_now(session)
        names = [item.name.lower() for item in resolve_services(session, request.services)[0]]
        return read_time(session, request, now), now, names

    answer, now, names = await in_session(work)
    if isinstance(answer, Chosen):
        return {"appointment_time": answer.start.isoformat(), "offered_slots": None}
    if isinstance(answer, NotRead):
        # (not when this text was answered already: "can the shuttle take me to work?")
        if not answer.quiet and not texts_for_this_text(tracker):
            dispatcher.utter_message(response="utter_time_not_caught")
        return {"appointment_time": None}
    assert isinstance(answer, Offer)
    reason = problem_text(answer.problem, answer.detail, answer.until)
    if not answer.times:
        dispatcher.utter_message(response="utter_no_openings", reason=reason)
        return {"appointment_time": None}
    car = car or (tracker.get_slot("vehicle") if in_form else None)
    # In a booking, the times are offered for the work named ("Interior & exterior detailing
    # for your 2023 RX 500h: I can do..."): the owner sees what was understood.
    named = say("utter_work_for_car", services=joined(names), car=car) if names and \
        isinstance(car, str) and not tracker.get_slot("cars_beside") else ""
    response = "utter_offer_times" if reason else "utter_offer_any_times"
    if named and len(named) <= WORK_NAMED_UP_TO:
        response += "_for_work"
    dispatcher.utter_message(response=response, reason=reason, work=named[:1].upper() + named[1:],
                             options=numbered([when_text(s, now) for s in answer.times]),
                             buttons=offer_buttons(answer.times, now))
    return {"appointment_time": None, "offered_slots": [s.isoformat() for s in answer.times]}


# ---- "ask once more, then give up": the one way a question is repeated. A reply the owner
# gives that answers nothing gets the question once more; if the reply to the owner's previous
# message was that repeat already, the conversation goes on without the answer.

def _previous_reply_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The bot's messages that answered the owner's previous message, in order."""
    users, said = 0, []
    for event in reversed(tracker.events):
        users += event.get("event") == "user"
        if users == 2:
            break
        if users == 1 and event.get("event") == "bot":
            said.append(event)
    return said[::-1]


def reply_to_whole_text_before(tracker: Tracker) -> list[str | None]:
    """The responses, by name, that answered the owner's text before the latest one, every part
    of it ("Done: I've added..." to its first part, as well as what its second got)."""
    texts, said = 0, []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            texts += int((event.get("metadata") or {}).get("part") or 1) <= 1
            if texts == 2:
                break
        elif texts == 1 and event.get("event") == "bot":
            said.append((event.get("metadata") or {}).get("utter_action"))
    return said[::-1]


def owner_text_before(tracker: Tracker) -> str:
    """The owner's text before the latest one (a text read as several requests counts once)."""
    for event in _user_texts_before(tracker):
        return str((event.get("metadata") or {}).get("whole_text") or event.get("text") or "")
    return ""


def _user_texts_before(tracker: Tracker) -> Iterator[dict[str, Any]]:
    began = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        first_part = int((event.get("metadata") or {}).get("part") or 1) <= 1
        if began:
            yield event
            return
        began = first_part


# What the owner reads once a visit is booked or work added to one.
BOOKED_SAID = {"utter_booked", "utter_booked_with_loaner", "utter_booked_estimate",
               "utter_booked_estimate_with_loaner", "utter_booked_estimate_brief",
               "utter_booked_estimate_with_loaner_brief", "utter_added_to_visit",
               "utter_added_to_visit_brief", "utter_booked_already", "utter_added_already"}


def just_added(tracker: Tracker) -> bool:
    """Whether the reply before the latest text added work to a visit (in full or short)."""
    return any(str(r or "").startswith("utter_added_to_visit")
               for r in [*previous_reply(tracker), *reply_to_whole_text_before(tracker)])


def work_just_added(tracker: Tracker) -> list[str]:
    """The menu codes of the work the reply before the latest text added to a visit ("how much
    extra is that" asks of it)."""
    for event in _previous_reply_events(tracker):
        metadata = event.get("metadata") or {}
        if str(metadata.get("utter_action") or "").startswith("utter_added_to_visit"):
            return [c for c in str(metadata.get("added_codes") or "").split(",") if c]
    return []


def booked_lately(tracker: Tracker) -> str | None:
    """The code of the visit booked (or added to) in the last two replies, if any."""
    users, code = 0, tracker.get_slot(BOOKED_CODE)
    for event in reversed(tracker.events):
        users += event.get("event") == "user"
        if users > 2:
            return None
        if event.get("event") == "bot" and \
                (event.get("metadata") or {}).get("utter_action") in BOOKED_SAID:
            return str(code) if code else None
    return None


def codes_just_booked(tracker: Tracker) -> str | None:
    """The confirmation code (or codes, for several cars) the previous reply booked, if it
    booked anything."""
    for event in _previous_reply_events(tracker):
        metadata = event.get("metadata") or {}
        if str(metadata.get("utter_action") or "").startswith("utter_booked"):
            return metadata.get("codes") or metadata.get("code") or None
    return None


def previous_reply(tracker: Tracker) -> list[str | None]:
    """The responses the bot answered the owner's previous message with, by name, in order
    (None for a message that was not a named response)."""
    return [(e.get("metadata") or {}).get("utter_action") for e in _previous_reply_events(tracker)]


def previous_reply_text(tracker: Tracker) -> str:
    """What the bot answered the owner's previous message with, its texts joined."""
    return " ".join(str(e.get("text") or "") for e in _previous_reply_events(tracker))


def asked_lately(tracker: Tracker, response: str, texts: int = 2) -> bool:
    """Whether a response whose name starts with `response` answered one of the owner's last
    `texts` texts before the latest one (a question asked, then another answered since)."""
    return any(event.get("event") == "bot" and str(
        (event.get("metadata") or {}).get("utter_action") or "").startswith(response)
        for event in events_of_last_texts(tracker, texts))


def move_pending(tracker: Tracker) -> bool:
    """Whether "move it to ...?" was asked lately and is still to be answered ("wait what time
    do you close" answered in between, then "ok yes 9 works")."""
    return bool(tracker.get_slot("change_code")) and \
        as_datetime(str(tracker.get_slot("appointment_time") or "")) is not None and \
        asked_lately(tracker, "utter_confirm_move") and \
        not any(str(r or "").startswith(("utter_moved", "utter_kept")) for r in
                previous_reply(tracker))


def asked_once_more(tracker: Tracker, response: str) -> bool:
    """Whether the question (`response`) was already asked again in the previous reply."""
    return response in previous_reply(tracker)


def last_reply_was(tracker: Tracker, responses: tuple[str, ...]) -> bool:
    """Whether the bot's previous reply ended with one of `responses` (an apology, say)."""
    reply = previous_reply(tracker)
    return bool(reply) and reply[-1] in responses


# ---- handing over to a person

# Why the assistant hands over, by what the owner just said, as the queue shows it.
WHY = {
    "request_human": "Asked for a person",
    "complain": "Upset",
    "nlu_fallback": "Not understood twice",
}
# What the owner was in the middle of.
DOING = {
    "booking_form": "booking service",
    "problem_form": "reporting a problem",
    "verify_form": "verifying their number",
}
# How the reply opens, by why it hands over, and where the advisor replies (on the website or
# by text): the responses that say it.
SORRY = {"complain": "utter_sorry_upset", "nlu_fallback": "utter_sorry_not_understood"}
WHERE = {True: "utter_reply_in_chat", False: "utter_reply_by_text"}


def queue_summary(tracker: Tracker, why: str) -> str:
    """One line for the queue: why, during what, and the owner's own words."""
    text = " ".join((tracker.latest_message.get("text") or "").split())
    doing = DOING.get((tracker.active_loop or {}).get("name") or "")
    services = tracker.get_slot("services") or []
    if doing == "booking service" and services:
        doing += f" ({', '.join(services)})"
    words = f': "{text[:120]}{"..." if len(text) > 120 else ""}"' if text else ""
    return f"{why}{f' while {doing}' if doing else ''}{words}"


async def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> None:
    """Opens (or finds) the conversation's ticket and tells the owner who replies and when."""
    owner_id = tracker.get_slot("owner_id")
    why = WHY.get(intent, "Asked for a person")

    request = HandoffRequest(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "rest",
        owner_id=int(owner_id) if owner_id is not None else None,
        reason=tracker.latest_message.get("text") or why.lower(),
        summary=queue_summary(tracker, why))

    def work(session: Session) -> tuple[HandedOver, datetime]:
        now = local_now(session)
        return hand_over(session, request, now), now

    handed, now = await in_session(work)
    ticket, opens = handed.ticket, when_text(handed.opens, now) if handed.opens else None
    words = {"sorry": f"{say(SORRY[intent])} " if intent in SORRY else "",
             "here": say(WHERE[web_sessions.is_web(tracker.sender_id)]),
             "service_phone": tracker.get_slot("service_phone"), "ticket": ticket}
    if opens:
        dispatcher.utter_message(response="utter_handed_off_closed", opens=opens, **words)
    else:
        dispatcher.utter_message(response="utter_handed_off", **words)


# ---- photos, which belong to the owner's latest problem report

async def file_photos(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Adds the latest message's photos to the conversation's recent case; False if none came."""
    urls = media_urls(tracker)
    if not urls:
        return False

    photos = Photos(tracker.sender_id, urls)
    reference = await in_session(lambda s: add_photos(s, photos, local_now(s)))
    if reference:
        dispatcher.utter_message(response="utter_photo_added", reference=reference)
    else:
        dispatcher.utter_message(response="utter_photo_without_case")
    return True


# ---- recalls (asked for, or a VIN sent on its own)

VIN = re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b")
# A remedy longer than this is left for an advisor to explain: with the offer, it overflows a text.
LONG_REMEDY = 100


def said_vin(tracker: Tracker) -> str | None:
    """A VIN in the message: the extracted entity, or any 17-character VIN-shaped word."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "vin":
            return str(entity.get("value")).upper().replace(" ", "")
    found = VIN.search((tracker.latest_message.get("text") or "").upper())
    return found.group(0) if found else None


# "is the recall something i need to worry about?": whether it is a safety recall is the answer.
WORRIED = re.compile(r"\b(worr(y|ied)|safe(ty)?|danger(ous)?|serious|urgent|risk(y)?)\b",
                     re.IGNORECASE)


def say_recalls(dispatcher: CollectingDispatcher, found: CarRecalls, brief: bool = False,
                worried: bool = False) -> None:
    car = found.car or say("utter_car_by_vin", vin_end=(found.vin or "")[-6:])
    if not found.recalls:
        dispatcher.utter_message(response="utter_no_open_recalls", car=car)
        return
    item = "utter_recall_item_brief" if brief else "utter_recall_item"
    items = "; ".join(say(item, campaign=r.campaign, title=r.title, remedy=r.remedy)
                      for r in found.recalls[:2])
    count = (say("utter_recall_count_one") if len(found.recalls) == 1
             else say("utter_recall_count", count=len(found.recalls)))
    dispatcher.utter_message(
        response="utter_open_recalls_safety" if found.safety else
        "utter_open_recalls_not_safety" if worried else "utter_open_recalls",
        car=car, count=count, items=items)


# Asked of a recall while a booking is under way: its fix joins the work ("can u do both").
RECALL_TOO = re.compile(r"\b(do|fix|add|include|get|take care of)\b.*\b(both|too|also|as well|"
                        r"while|it|that|same time|together)\b", re.IGNORECASE)


async def car_kept(tracker: Tracker) -> list[EventType]:
    """The car a question asked back names while the booking asks which car ("the gx. isnt
    there a recall on it too?"): the question is answered, and the car is the answer."""
    owner_id = owner_id_of(tracker)
    if (tracker.active_loop or {}).get("name") != "booking_form" or owner_id is None or \
            tracker.get_slot("requested_slot") != "vehicle" or tracker.get_slot("vehicle_id"):
        return []
    request = WhichCar(owner_id, cars_said(tracker))
    found = await in_session(lambda s: which_car(s, request)) if request.readings else None
    if not isinstance(found, CarFound):
        return []
    return [SlotSet("vehicle", found.label), SlotSet("vehicle_id", found.vehicle_id)]


def fix_joins(tracker: Tracker, found: Recalls, text: str, kept: list[EventType]) -> bool:
    """Whether a recall asked about mid-booking joins the work: asked for with it ("can u do
    both"), on the car being booked (or just named as it)."""
    being_booked = tracker.get_slot("vehicle_id")
    return (tracker.active_loop or {}).get("name") == "booking_form" and \
        found.fix_car is not None and bool(RECALL_TOO.search(text)) and \
        (int(being_booked) == found.fix_car if being_booked else bool(kept)) and \
        "recall_repair" not in (tracker.get_slot("services") or [])


def other_day_asked(ahead: VisitAhead | None, text: str, now: datetime) -> bool:
    """The text asks to book on a day other than the visit booked ("can i book the recall for
    the nx fri at 2pm"): a visit that day, not the work folded into the one booked."""
    said = parse_when(text, now) if ahead is not None and asks_to_book(text) else None
    return ahead is not None and said is not None and said.has_day and \
        said.first_day != ahead.starts_at.date()


# Asked right after the recalls were told, whether it is safe meanwhile: "are my kids ok sitting
# back there till its fixed?", "is it safe to drive until then?"
RISK_ASKED = re.compile(r"\b(?:is it|is that|are (?:they|we|my \w+|the \w+)|am i|is (?:my|the) \w+|"
                        r"will (?:it|they|we|my \w+) be|would (?:it|they) be)\s+(?:still )?(?:ok|"
                        r"okay|safe|fine|dangerous|risky|alright|all right)\b|\bsafe (?:to|for)\b|"
                        r"\bshould i (?:be )?(?:worr|concern)", re.IGNORECASE)


async def recall_risk_asked(dispatcher: CollectingDispatcher, tracker: Tracker
                            ) -> list[EventType] | None:
    """Whether it is safe until the fix, asked right after the recalls were told: what can
    happen, as the recall says, and the offer of the free fix again; None otherwise."""
    text = tracker.latest_message.get("text") or ""
    owner_id = owner_id_of(tracker)
    if owner_id is None or tracker.active_loop.get("name") or not RISK_ASKED.search(text) or \
            not any("recall" in str(r or "") for r in previous_reply(tracker)):
        return None
    found = await in_session(lambda s: find_recalls(s, RecallRequest(owner_id, None,
                                                                      cars_said(tracker))))
    car = next((c for c in found.cars if c.recalls and c.recalls[0].description), None)
    if car is None or found.fix_car is None:
        return None
    dispatcher.utter_message(response="utter_recall_risk_safety" if car.safety
                             else "utter_recall_risk", car=car.car or "",
                             # the risk, its last sentence: the reply still fits a text
                             description=re.split(r"(?<=[.!?])\s+",
                                                  car.recalls[0].description.strip())[-1])
    dispatcher.utter_message(response="utter_offer_recall_repair")
    # (the visit it was offered to join stays offered)
    join = tracker.get_slot("offered_visit_id") \
        if tracker.get_slot("offered_service") == "recall_repair" else None
    return offer_visit("recall_repair", found.fix_car, join)


async def check_recalls(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The open recalls on the VIN sent, or on the owner's cars, and an offer to book the fix."""
    vin, owner_id = said_vin(tracker), owner_id_of(tracker)
    typed = re.search(r"\b[a-z0-9]{11,20}\b", tracker.latest_message.get("text") or "",
                      re.IGNORECASE)
    if vin is None and owner_id is None:
        if typed and re.search(r"\d", typed.group(0)) and len(typed.group(0)) != 17:
            dispatcher.utter_message(response="utter_not_a_vin")
        else:
            dispatcher.utter_message(response="utter_vin_hint")
        return []
    request = RecallRequest(owner_id, vin, [] if vin is not None else cars_asked_of(tracker))
    found = await in_session(lambda s: find_recalls(s, request))
    # Mid-booking or mid-move, the recall is answered and the open question comes next.
    in_form = bool((tracker.active_loop or {}).get("name")) or \
        tracker.get_slot("change_code") is not None
    ahead, now = None, None
    if found.fix_car is not None and owner_id is not None and not in_form:
        # What is booked already comes first: the fix booked, or a visit it may join.
        fix_car = found.fix_car

        def work(session: Session) -> tuple[VisitAhead | None, datetime]:
            now = local_now(session)
            return visit_ahead(session, owner_id, fix_car, now), now

        ahead, now = await in_session(work)
    text = tracker.latest_message.get("text") or ""
    ahead = ahead if now is None or not other_day_asked(ahead, text, now) else None
    # (the text it was part of may name what the recall fixes: "my wipers stopped. wasnt there
    # a recall for that??")
    done = done_named(found, " ".join(
        (text, str((tracker.latest_message.get("metadata") or {}).get("whole_text") or ""))))
    # (briefly, after another answer to this text: the trouble's first reply)
    done_said = "utter_recall_done_brief" if said_for_this_text(tracker) else "utter_recall_done"
    for label, recall in done:
        # "what about the wiper one i got a letter about": that one was done already
        dispatcher.utter_message(response=done_said, car=label or "",
                                 campaign=recall.campaign, title=recall.title)
    if done and not any(car.recalls for car in found.cars):
        vin = next((car.vin for car in found.cars if car.done), None)
        if owner_id is not None and vin and not in_form and trouble_told(text) and \
                not reported_this_text(tracker):
            # the fix was done and the trouble is back: a fresh look, offered
            car = await in_session(lambda s: car_by_vin(s, vin))
            whole = str((tracker.latest_message.get("metadata") or {}).get("whole_text") or text)
            request = ProblemReport(
                text=whole, owner_id=owner_id, conversation_id=tracker.sender_id,
                channel=tracker.get_latest_input_channel() or "rest",
                car_named=car.label if car else None)
            # trouble of now told: a case, as any report of it would be
            case = await in_session(lambda s: report_problem(s, request))
            dispatcher.utter_message(response="utter_recall_done_look_offered",
                                     reference=case.reference)
            return offer_visit(triage(text).service, car.id if car else None)
        return offer_visit(None, None)
    if ahead is None and not in_form and found.fix_car is not None and asks_to_book(text):
        # "book the gx for the seat latch recall": the recall by its name, then the booking
        recalled = next(car for car in found.cars if car.recalls)
        dispatcher.utter_message(response="utter_recall_to_book", car=recalled.car,
                                 campaign=recalled.recalls[0].campaign,
                                 title=recalled.recalls[0].title)
        # (with the other work the text asks for: "...and get an oil change on it too?")
        also = await in_session(lambda s: [item.code for item in services.mentioned(s, text)
                                           if item.code != "recall_repair"])
        return await book_visit(tracker, ["recall_repair", *also], found.fix_car, None,
                                keep=said_this_text(tracker) - {"services"})
    kept = await car_kept(tracker) if in_form else []
    joins = in_form and fix_joins(tracker, found, text, kept)
    visit_next = (tracker.latest_message.get("metadata") or {}).get("then") == "book_service"
    some_open = any(car.recalls for car in found.cars)
    for car in found.cars:
        if some_open and not car.recalls:
            continue  # the car with a recall is what matters; "none on the other" is noise
        if visit_next and car.recalls:
            # "need a rotation on the gx mon. also is there any recall on it?": the recall by
            # its name, and that its fix can join the visit whose times come next
            dispatcher.utter_message(
                response="utter_recall_can_join_visit_safety" if car.safety
                else "utter_recall_can_join_visit", car=car.car,
                campaign=car.recalls[0].campaign, title=car.recalls[0].title)
            continue
        if joins and car.recalls:
            # "can u do both": the fix joins the work, said by its name
            dispatcher.utter_message(response="utter_recall_joins_booking", car=car.car,
                                     campaign=car.recalls[0].campaign,
                                     title=car.recalls[0].title)
            continue
        # Beside a visit booked, mid-booking, or with a long remedy, the recall by its name:
        # the whole remedy and an offer would not fit a text.
        say_recalls(dispatcher, car, brief=ahead is not None or in_form or len(found.cars) > 1
                    or sum(len(r.remedy or "") for r in car.recalls) > LONG_REMEDY,
                    worried=bool(WORRIED.search(text)))
    if not any(car.recalls for car in found.cars):
        return offer_visit(None, None) + kept
    if in_form:
        # asked mid-booking: the booking's question comes next, not another offer
        asked = list(tracker.get_slot("services") or [])
        return kept + ([SlotSet("services", [*asked, "recall_repair"])] if joins else [])
    return await fix_added_as_asked(tracker, found, ahead, visit_next) or \
        offer_fix(dispatcher, found, ahead, now, visit_next)


async def fix_added_as_asked(tracker: Tracker, found: Recalls, ahead: VisitAhead | None,
                             visit_next: bool) -> list[EventType]:
    """The fix added to the visit booked already when the text asks for it there ("since the
    nx is in tmrw anyway can u do that charging recall thing too"): nothing to say yes to."""
    if ahead is None or found.fix_car is None or visit_next or \
            "recall_repair" in ahead.service_codes or \
            not joins_visit_asked(tracker.latest_message.get("text") or ""):
        return []
    return await book_visit(tracker, "recall_repair", found.fix_car, ahead.appointment_id,
                            days_said=False)


def offer_fix(dispatcher: CollectingDispatcher, found: Recalls, ahead: VisitAhead | None,
              now: datetime | None, visit_next: bool) -> list[EventType]:
    """After an open recall is told: the visit it may join, or the visit to book for it."""
    if ahead is not None and now is not None:
        said = {"car": ahead.car, "when": when_text(ahead.starts_at, now),
                "code": ahead.code, "services": joined([n.lower() for n in ahead.services])}
        if "recall_repair" in ahead.service_codes:
            dispatcher.utter_message(response="utter_recall_fix_booked", **said)
            return offer_visit(None, None)
        if not visit_next:
            # (the visit asked for beside it, next in the text, takes the offer up: asked
            # here too, the reply would ask what it then says is done)
            dispatcher.utter_message(response="utter_offer_recall_on_visit", **said)
        return offer_visit("recall_repair", found.fix_car, join=ahead.appointment_id)
    if visit_next:
        # the visit asked for beside it comes next (and says so when the fix joins one booked);
        # naming no work of its own ("...recall on the gx. can u do it wed?"), it is the fix's
        return offer_visit("recall_repair", found.fix_car)
    dispatcher.utter_message(response="utter_offer_recall_repair")
    return offer_visit("recall_repair", found.fix_car)


# ---- an owner's appointments (asked for, or answered right after verifying)

def say_visit(visit: Visit, now: datetime) -> str:
    """"oil change for your 2021 RX 350 tomorrow at 9:00 AM (code ABC123)"."""
    return say("utter_appointment_summary", services=joined([s.lower() for s in visit.services]),
               car=visit.car, when=when_text(visit.starts_at, now), code=visit.code)


def describe(appointment: Appointment, now: datetime) -> str:
    return say_visit(visit_of(appointment), now)


async def tell_appointments(dispatcher: CollectingDispatcher, owner_id: int,
                            offer: bool = True) -> None:
    def work(session: Session) -> tuple[list[Visit], datetime]:
        now = local_now(session)
        return booked(session, owner_id, now), now

    visits, now = await in_session(work)
    said = [say_visit(v, now) for v in visits]
    if not said:
        dispatcher.utter_message(response="utter_nothing_booked" if offer
                                 else "utter_nothing_booked_yet")
    elif len(said) == 1:
        # one visit: how they get around too ("and i can just wait there, right?")
        ride = ride_text(visits[0].transport)
        dispatcher.utter_message(response="utter_booked_for",
                                 appointment=f"{said[0]}, {ride}" if ride else said[0])
    else:
        dispatcher.utter_message(response="utter_booked_list", appointments="; ".join(said[:3]))


# Where the car is, by the visit's status: the response that says it.
CAR_STATUS = {
    "checked_in": "utter_car_checked_in",
    "in_progress": "utter_car_in_progress",
    "ready_for_pickup": "utter_car_ready",
    "completed": "utter_car_completed",
    "cancelled": "utter_car_cancelled",
}


async def tell_service_status(dispatcher: CollectingDispatcher, owner_id: int,
                              tracker: Tracker) -> None:
    def work(session: Session) -> tuple[CarStatus | None, datetime, bool]:
        now = local_now(session)
        return car_status(session, owner_id, now), now, \
            live_ticket(session, tracker.sender_id) is not None

    visit, now, with_staff = await in_session(work)
    if visit is None and with_staff:
        # "any update? did the gx make it there" after a tow asked for: staff have it
        dispatcher.utter_message(response="utter_car_not_here_staff_have_it",
                                 service_phone=tracker.get_slot("service_phone"))
    elif visit is None:
        dispatcher.utter_message(response="utter_car_not_here")
    elif visit.status == "scheduled":
        dispatcher.utter_message(response="utter_car_booked", car=visit.car,
                                 when=when_text(visit.starts_at, now))
    else:
        dispatcher.utter_message(response=CAR_STATUS[visit.status], car=visit.car)


# A move put to the owner and not answered yet, asked again once a question asked in between
# is answered ("still shuttle right?" to "Move it to Wed at 2?"): its yes still makes it.
MOVE_QUESTIONS = ("utter_confirm_move", "utter_confirm_move_without_loaner",
                  "utter_move_still_asked")


async def move_asked_again(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Asks again whether to make the move the owner's latest text left unanswered."""
    start = as_datetime(str(tracker.get_slot("appointment_time") or ""))
    if not tracker.get_slot("change_code") or start is None or tracker.active_loop.get("name"):
        return
    came = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if came:
                return
            came = True
        elif came and event.get("event") == "bot":
            if (event.get("metadata") or {}).get("utter_action") not in MOVE_QUESTIONS:
                return
            break
    else:
        return
    now = await in_session(local_now)
    dispatcher.utter_message(response="utter_move_still_asked", when=when_text(start, now))
