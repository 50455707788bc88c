"""Moving and cancelling an owner's own appointments, always after a yes to a clear question."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.asked_before import rebooks
from actions.booking import ASKED_IN, GO_AHEAD, HEDGED
from actions.common import (
    BOOKED_CODE,
    CHANGED_AFTER,
    ask_to_verify,
    asked_lately,
    check_time,
    describe,
    in_session,
    intent_of,
    last_reply_was,
    offer_buttons,
    previous_reply,
    slot_before_this_turn,
    start_booking,
)
from actions.phrases import numbered, ride_text, when_text
from bot.dealership import appointments, changes, vehicles
from bot.dealership.booking_time import as_datetime
from bot.dealership.cars_together import cars_named
from bot.dealership.changes import PickRequest
from bot.dealership.dates import (
    SAME_TIME,
    clash_named,
    parse_when,
    pick_offered,
    shift_asked,
)
from bot.dealership.owners import cars_of
from bot.dealership.profile import local_now
from bot.dealership.replies import asks_to_book, kept_as_is, moves_asked, running_late
from bot.dealership.scheduling import open_slots

# The day that says which visit ("tomorrow's appointment"), not when to move it to.
VISIT_DAY = re.compile(r"\b((?:today|tomorrow|tmrw|tomorow|\w+day)'?s) (?:appointment|appt|visit|"
                       r"booking|service)\b|"
                       # "my LX service on Wednesday to Friday": the visit's day, then the new one
                       r"\b(?:appointment|appt|visit|booking|service|change|rotation|inspection|"
                       r"maintenance|alignment|detail|detailing|repair|recall|fix|check|test)"
                       r"\s+(?:on|for)\s+"
                       r"((?:today|tomorrow|tmrw|\w+day))\b(?=.*\b(?:to|till|until|for)\s+"
                       r"(?:this\s+|next\s+)?\w+day\b)", re.IGNORECASE)
CHANGE_SLOTS = ("change_code", "offered_appointments", "appointment_time", "offered_slots")
# The visit kept as it is, said with its own time: "nvm, keep it tmrw at 9".
KEEP_IT = re.compile(r"\b(?:keep|leave|stay|stick with|as is|never ?mind|nvm|forget it)\b",
                     re.IGNORECASE)


def work_named(tracker: Tracker) -> bool:
    return any(e.get("entity") == "service"
               for e in tracker.latest_message.get("entities") or [])


def work_asked_for(tracker: Tracker) -> bool:
    """The text names work, or asks for a visit: what a booking starts from."""
    return work_named(tracker) or asks_to_book(tracker.latest_message.get("text") or "")


def fresh(tracker: Tracker) -> bool:
    """A new request to cancel or move: what an earlier one picked is forgotten (not the answer
    to "move it, or cancel it?", which is of the visit it named)."""
    return intent_of(tracker) in ("cancel_appointment", "reschedule_appointment") and not (
        tracker.get_slot("change_code") and asked_lately(tracker, "utter_move_or_cancel", 1))


async def which(dispatcher: CollectingDispatcher, tracker: Tracker, change: str, session_work):
    """Finds which appointment the owner means (asking if there are several), to `change`
    ("cancel" or "move"): (appointment, events) or (None, events) after saying what is needed."""
    owner_id = tracker.get_slot("owner_id")
    if owner_id is None:
        then = "action_ask_cancel" if change == "cancel" else "action_ask_reschedule"
        if asked := ask_to_verify(dispatcher, tracker, then, "utter_verify_for_appointments"):
            return None, asked
        if not fresh(tracker) and (work_asked_for(tracker) or await rebooks(tracker)):
            # "whatever just book me a new one tues at 10 for an oil change" after "I don't
            # have appointments under this number": a booking, not the move again
            return None, [*[SlotSet(s, None) for s in CHANGE_SLOTS], *await start_booking(tracker),
                          FollowupAction("booking_form")]
        if "utter_not_an_owner" in previous_reply(tracker):
            # the visit told of again ("its under maria lopez, thursday at 10"): who can find it
            dispatcher.utter_message(response="utter_not_an_owner_again",
                                     service_phone=tracker.get_slot("service_phone"))
        else:
            dispatcher.utter_message(response="utter_not_an_owner")
        return None, []
    is_fresh = fresh(tracker)
    code = None if is_fresh else tracker.get_slot("change_code")
    offered = [] if is_fresh else tracker.get_slot("offered_appointments") or []
    text = tracker.latest_message.get("text") or ""

    request = PickRequest(int(owner_id), text, code, offered)

    def work(session):
        now = local_now(session)
        picked = changes.pick(session, request, now)
        chosen, booked = picked.chosen, picked.booked
        listing = [describe(a, now) for a in booked]
        extra = session_work(session, chosen, now) if chosen is not None else None
        return chosen, booked, listing, extra, picked.car_without

    if change == "move" and work_named(tracker) and not moves_asked(text):
        # "can i get a brake chek tmrw after 4?? ...cant do earlier": work asked for, read
        # as a move for the constraint beside it
        return None, [*[SlotSet(s, None) for s in CHANGE_SLOTS], *await start_booking(tracker),
                      FollowupAction("booking_form")]
    chosen, booked, listing, extra, car_without = await in_session(work)
    if not booked:
        forgotten = [SlotSet(s, None) for s in CHANGE_SLOTS]
        # (the yes to "Want me to book a visit?", or a time said to it: "ok sat at 9 then")
        text = tracker.latest_message.get("text") or ""
        timed = any(e.get("entity") == "when" for e in tracker.latest_message.get("entities", [])) \
            or (not text.startswith("/") and
                await in_session(lambda s: parse_when(text, local_now(s))) is not None)
        if work_asked_for(tracker) or await rebooks(tracker) or (
                (intent_of(tracker) == "affirm" or timed) and
                last_reply_was(tracker, (f"utter_nothing_to_{change}",))) or (
                change == "move" and timed and not moves_asked(text) and
                not CANNOT_MAKE.search(text)):
            # ("i cant make it fri" with nothing booked: nothing to move, said so)
            # "can i get a brake chek tmrw after 4?? ...cant do earlier" or "can i come fri"
            # read as a move with nothing booked, or the yes to "Want me to book a visit?": a
            # booking (said so when a move was asked in so many words: "can u move my oil
            # change to fri")
            if moves_asked(text) and \
                    not await rebooks(tracker):
                dispatcher.utter_message(response="utter_nothing_booked_new_visit")
            return None, [*forgotten, *await start_booking(tracker),
                          FollowupAction("booking_form")]
        dispatcher.utter_message(response=f"utter_nothing_to_{change}")
        return None, forgotten
    if car_without:
        # "move my ls appointment" with only the RZ booked: what is booked, and which one
        dispatcher.utter_message(response=f"utter_car_has_nothing_to_{change}", car=car_without,
                                 appointments=numbered(listing))
        return None, [SlotSet("offered_appointments", [a.code for a in booked][:3])]
    if chosen is None:
        dispatcher.utter_message(response=f"utter_which_to_{change}",
                                 appointments=numbered(listing))
        return None, [SlotSet("offered_appointments", [a.code for a in booked][:3])]
    return (chosen, extra), [SlotSet("change_code", chosen.code),
                             SlotSet("offered_appointments", None)]


async def ask_cancel(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    picking = bool(tracker.get_slot("offered_appointments")) and not fresh(tracker)
    found, events = await which(dispatcher, tracker, "cancel",
                                lambda s, a, now: describe(a, now))
    if found and picking and CANCEL_SAID.search(tracker.latest_message.get("text") or ""):
        # "oh right the lx, my bad. yeah cancel it" to which visit to cancel: the cancel was
        # asked for, and the visit is picked with it again; asked a third time it would nag
        chosen, _ = found
        return await cancel_now(dispatcher, tracker, chosen.code)
    if found:
        _, text = found
        dispatcher.utter_message(response="utter_confirm_cancel", appointment=text)
    return events


# The cancel said in so many words, not taken back ("don't cancel it").
CANCEL_SAID = re.compile(r"(?<!don't )(?<!dont )(?<!not )\bcancel\b(?! (?:the other|that other))",
                         re.IGNORECASE)


# "yep cancel it" to "Cancel your ...?": the yes, in words read as a cancel of its own.
CANCEL_IT = re.compile(r"^\W*(?:(?:yes|yep|yeah|ya|yup|sure|ok(?:ay)?|please|pls|then|alright|"
                       r"fine|so)\W+)*"
                       r"(?:go ahead and |just )?cancel (?:it|that|that one|this one)\b",
                       re.IGNORECASE)
# A yes said with the cancel asked again: "yes pls cancel", "go ahead and cancel the lx one".
YES_WORDS = re.compile(r"\b(?:yes|yep|yeah|ya|yup|sure|ok(?:ay)?|please|pls|go ahead|just|"
                       r"do it)\b", re.IGNORECASE)


async def cancel_said_again(tracker: Tracker) -> bool:
    """"yes pls cancel" or "yeah just cancel the lx one" to "Cancel your ...?": the cancel
    asked for again with a yes, naming no other visit than the one asked about, is the yes."""
    code, owner_id = tracker.get_slot("change_code"), tracker.get_slot("owner_id")
    text = tracker.latest_message.get("text") or ""
    if not code or owner_id is None or not asked_lately(tracker, "utter_confirm_cancel"):
        return False
    if CANCEL_IT.match(text):
        return True
    if intent_of(tracker) != "cancel_appointment" or not YES_WORDS.search(text) or \
            kept_as_is(text):
        return False

    def named(session) -> str | None:
        chosen = changes.pick(session, PickRequest(int(owner_id), text, None, []),
                              local_now(session)).chosen
        return None if chosen is None else chosen.code

    return await in_session(named) in (None, code)


class ActionAskCancel(Action):
    def name(self) -> str:
        return "action_ask_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        # (asked lately: "wait is there a fee for that" may be answered in between)
        if await cancel_said_again(tracker):
            return await ActionCancelAppointment().run(dispatcher, tracker, domain)
        return await ask_cancel(dispatcher, tracker)


class ActionCancelAppointment(Action):
    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id, code = tracker.get_slot("owner_id"), tracker.get_slot("change_code")
        if owner_id is None or code is None:
            return await ask_cancel(dispatcher, tracker)
        if kept_as_is(tracker.latest_message.get("text") or ""):
            return kept(dispatcher)
        return await cancel_now(dispatcher, tracker, code)


async def cancel_now(dispatcher: CollectingDispatcher, tracker: Tracker, code: str
                     ) -> list[EventType]:
    """Cancels the owner's visit `code` and says so (or why not); the change's slots cleared."""
    owner_id = int(tracker.get_slot("owner_id"))

    def work(session) -> str:
        return describe(changes.cancel(session, owner_id, code), local_now(session))

    try:
        text = await in_session(work)
    except (appointments.NotYours, ValueError):
        dispatcher.utter_message(response="utter_cannot_cancel",
                                 service_phone=tracker.get_slot("service_phone"))
    else:
        dispatcher.utter_message(response="utter_cancelled", appointment=text)
    return [SlotSet(s, None) for s in CHANGE_SLOTS]


def kept(dispatcher: CollectingDispatcher) -> list[EventType]:
    """"ok never mind, keep it" to a change asked to be confirmed: nothing changes."""
    dispatcher.utter_message(response="utter_kept")
    return [SlotSet(s, None) for s in CHANGE_SLOTS]


async def late_noted(dispatcher: CollectingDispatcher, tracker: Tracker, said: str) -> bool:
    """Running late told (not a move asked): noted on the visit of today or tomorrow, and said
    so; False when there is none."""
    owner_id = int(tracker.get_slot("owner_id"))

    def note(session) -> str | None:
        now = local_now(session)
        late = appointments.note_running_late(session, owner_id, now, said)
        if late is None:
            return None
        starts = late.starts_at.astimezone(now.tzinfo)
        # (tomorrow's, by its day: "your Tue 1:30 PM appointment")
        return f"{starts:%-I:%M %p}" if starts.date() == now.date() else \
            f"{starts:%a %-I:%M %p}"

    if at := await in_session(note):
        dispatcher.utter_message(response="utter_running_late_noted", at=at)
        return True
    return False


async def ask_reschedule(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    said = tracker.latest_message.get("text") or ""
    if fresh(tracker) and tracker.get_slot("owner_id") is not None and running_late(said) and \
            await late_noted(dispatcher, tracker, said):
        return [SlotSet(s, None) for s in CHANGE_SLOTS]
    found, events = await which(dispatcher, tracker, "move", lambda s, a, now: (
        describe(a, now), int((a.ends_at - a.starts_at).total_seconds() // 60),
        a.starts_at.astimezone(now.tzinfo)))
    if not found:
        return events
    (appointment, (text, minutes, starts_at)) = found
    if fresh(tracker) and cannot_make_it(said, starts_at, await in_session(local_now)):
        # "i cant make it tmrw anymore :(": no move asked for, nor a time; moved or cancelled?
        dispatcher.utter_message(response="utter_move_or_cancel", appointment=text)
        return [*events, SlotSet("appointment_time", None)]
    asked = tracker.get_slot("appointment_time")
    whose = VISIT_DAY.search(said)
    which_visit = bool(asked and as_datetime(asked) is None and whose and
                       re.sub(r"'?s$", "", asked.strip().lower()) in
                       (whose.group(1) or whose.group(2)).lower())
    if which_visit:
        asked = None  # "can i move tomorrow's appointment": which visit, not the new time
    asked = await time_said(tracker, said, starts_at) or asked
    offered = [datetime.fromisoformat(s) for s in tracker.get_slot("offered_slots") or []]
    if not offered and (shift := shift_asked(said)) is not None:
        asked = (starts_at + shift).isoformat()  # "push tmrw back an hour": from its own time
    elif not offered and not (asked and as_datetime(asked)) and \
            await time_in_whole(VISIT_DAY.sub(" ", said),
                                day_will_do=which_visit or bool(TO_DAY.search(said.lower()))):
        # "something came up tmrw, can we do later that day? like 4": the extractor found a
        # day at most; the whole text says the time. "Can I move tomorrow's appointment to
        # Saturday?": the day the extractor found was the visit's; the other is the new one.
        asked = VISIT_DAY.sub(" ", said)
    if not (asked and as_datetime(asked)) and offered and \
            (picked := pick_offered(said, offered)) is not None:
        asked = picked.isoformat()
    if not asked and offered and intent_of(tracker) in {"affirm", "inform"}:
        asked = said  # "yes" or "9 is fine" to the times offered: read against them
    if not asked:
        return events + await ask_when(dispatcher, text, minutes)
    # "2pm instead": on the appointment's day, unless other times were offered since
    checked = CollectingDispatcher()
    result = await check_time(checked, tracker, asked, minutes=minutes,
                              same_day=day_proposed(tracker) or starts_at)
    if fresh(tracker) and not result.get("appointment_time") and not offered:
        # other times offered for the move asked: which visit moves is said first ("whats my
        # appt time tmrw? and can u do monday after lunch instead")
        dispatcher.utter_message(response="utter_moving_this", appointment=text)
    dispatcher.messages.extend(checked.messages)
    if result.get("appointment_time") and \
            datetime.fromisoformat(result["appointment_time"]) == starts_at:
        return await same_time_asked(dispatcher, tracker, text, minutes, events)
    events += [SlotSet(k, v) for k, v in result.items()]
    if result.get("appointment_time"):
        events += await confirm_move(dispatcher, tracker, appointment, text, minutes,
                                     datetime.fromisoformat(result["appointment_time"]),
                                     picked_plainly(said, bool(offered)))
    return events


# "i cant make it tmrw", "something came up, won't be able to come friday": the visit missed.
CANNOT_MAKE = re.compile(r"\b(?:can'?t|cant|cannot|won'?t|wont|not gonna|unable to|not able to|"
                         r"won'?t be able to|wont be able to)\s+(?:be able to\s+)?"
                         r"(?:make it|make|come|come in|get there|do it|do|keep|bring it)\b",
                         re.IGNORECASE)
# What asks for a move or a new time outright: then the move's question comes, not this one.
NEW_TIME_ASKED = re.compile(r"\b(?:push|move|resched\w*|shift|bump|change|instead|rather|"
                            r"another|different|other|later|earlier|next|cancel)\b|\d",
                            re.IGNORECASE)


def cannot_make_it(said: str, starts_at: datetime, now: datetime) -> bool:
    """A visit the owner cannot make, with no move asked for and no day but its own named."""
    if not CANNOT_MAKE.search(said) or NEW_TIME_ASKED.search(CANNOT_MAKE.sub(" ", said)):
        return False
    when = parse_when(said, now)
    return when is None or (when.at is None and when.first_day == when.last_day ==
                            starts_at.astimezone(now.tzinfo).date())


async def confirm_move(dispatcher: CollectingDispatcher, tracker: Tracker, appointment: Any,
                       text: str, minutes: int, new: datetime, plainly: bool
                       ) -> list[EventType]:
    """"Move it to ...?", or the move made at once when the time was given `plainly` ("oh
    right lol. friday 9 then, go ahead" to the times offered) and no loaner is lost by it."""
    owner_id, code = tracker.get_slot("owner_id"), appointment.code

    def loaner_lost(session) -> tuple[str, bool]:
        now = local_now(session)
        return when_text(new, now), changes.loaner_lost_by_moving(session, appointment, new,
                                                                  minutes)

    new_text, lost = await in_session(loaner_lost)
    if not lost and plainly and owner_id is not None:
        return await make_move(dispatcher, tracker, int(owner_id), code, new)
    dispatcher.utter_message(
        response="utter_confirm_move_without_loaner" if lost else "utter_confirm_move",
        appointment=text, when=new_text)
    return []


def picked_plainly(said: str, offered: bool) -> bool:
    """Whether the text gives the new time as a decision, nothing to confirm: in answer to the
    times offered, or with a go-ahead, asking and hedging nothing ("fri then, 9 again?" asks
    for 9; "is 9 open?" asks whether it is)."""
    return (offered or bool(GO_AHEAD.search(said))) and bool(NAMES_A_TIME.search(said)) and \
        not ASKED_IN.search(said) and not HEDGED.search(said) and not said.startswith("/")


# A text that names the time it picks ("fri at 8 then", "the 7:30", "2", "same time"), not a
# bare yes ("omg right.") that the times offered would read as their first.
NAMES_A_TIME = re.compile(r"\d|\b(?:mon|tue|wed|thu|fri|sat|sun)\w*|\b(?:today|tomorrow|tmrw|noon|"
                          r"morning|afternoon|evening|same time|first|second|third|last one|"
                          r"earliest|latest)\b", re.IGNORECASE)


async def same_time_asked(dispatcher: CollectingDispatcher, tracker: Tracker, text: str,
                          minutes: int, events: list[EventType]) -> list[EventType]:
    """A move asked to the time the visit `text` has already."""
    said = tracker.latest_message.get("text") or ""
    if not fresh(tracker) or KEEP_IT.search(said):
        # "hmm actually nvm, keep it tmrw at 9" to the times offered for a move: no move
        dispatcher.utter_message(response="utter_kept_as_booked", appointment=text)
        return [SlotSet(s, None) for s in CHANGE_SLOTS]
    # the time it is booked for already: no move to confirm, the time is asked again (said
    # so unless that time is the one being left: "hey cant make tmrw 9am anymore")
    if not CANT_MAKE.search(said):
        dispatcher.utter_message(response="utter_move_same_time")
    return events + [SlotSet("appointment_time", None)] + await ask_when(dispatcher, None,
                                                                         minutes)


# The time booked, named as the one the owner cannot make.
CANT_MAKE = re.compile(r"\b(?:can'?t|cannot|can not|won'?t|wont|not gonna|not going to|unable to)"
                       r" (?:make|do|come|get there|be there)\b", re.IGNORECASE)


# The day a move is to: "move my appt to fri".
TO_DAY = re.compile(r"\b(?:to|till|until|til|for)\s+(?:this\s+|next\s+)?(?:today|tomorrow|tmrw|"
                    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat)(?:day|nesday|rsday|urday)?)\b")
# The words that name one day: each is read on its own.
DAY_WORDS = re.compile(r"\b(?:today|tomorrow|tmrw|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|"
                       r"sun)(?:day|nesday|rsday|urday)?)\b")


WEEKDAYS = re.compile(r"\b(mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?:day|nesday|urday|s)?\b")
WEEKDAY_NUMBER = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                  "fri": 4, "sat": 5, "sun": 6}
NOT_THAT = re.compile(r"\b(not|instead|rather|other|another|different|no|nah|can'?t|cant)\b")


def agrees_to_day(said: str, proposed: datetime) -> bool:
    """"tues is perfect" to a move proposed for a Tuesday: the day named is the one proposed,
    and nothing else is said of when."""
    said = said.lower()
    days = {WEEKDAY_NUMBER[d] for d in WEEKDAYS.findall(said)}
    return days == {proposed.weekday()} and not re.search(r"\d|\bnext\b|\bthis\b", said) \
        and not NOT_THAT.search(said) and not SAME_TIME.search(said)


async def time_said(tracker: Tracker, said: str, starts_at: datetime) -> str | None:
    """The new time a move's text says beyond what the extractor read: the day proposed named
    back ("tues is perfect" to "move it to Tue Dec 1 at 9?"), or as `said_otherwise` reads it."""
    if (proposed := day_proposed(tracker)) and agrees_to_day(said, proposed):
        return proposed.isoformat()
    if otherwise := await said_otherwise(said, starts_at, tracker.get_slot("offered_slots")):
        return otherwise
    if proposed is not None and \
            as_datetime(str(tracker.get_slot("appointment_time") or "")) == proposed:
        # "afternoon, like 3?" to "Move it to Fri at 9?" (no time the extractor read): Friday
        # at 3
        return await other_time_said(said, proposed)
    if tracker.get_slot("change_code") and not said.startswith("/") and not any(
            e.get("entity") == "when" for e in tracker.latest_message.get("entities", [])):
        # "ugh right. fri then, 9 again?" to the times offered, the extractor having read no
        # time in it: the day and hour the words say
        rest = VISIT_DAY.sub(" ", said)
        when = await in_session(lambda s: parse_when(rest, local_now(s)))
        return rest if when is not None and when.first_day is not None else None
    return None


def day_proposed(tracker: Tracker) -> datetime | None:
    """The new time a move was just proposed for ("Move it to Fri at 9?"): a time said alone
    after it ("actually make it 8") is on its day."""
    if not tracker.get_slot("change_code"):
        return None
    return as_datetime(str(slot_before_this_turn(tracker, "appointment_time") or ""))


async def said_otherwise(said: str, starts_at: datetime, offered: list[str] | None = None
                         ) -> str | None:
    """The new time a move's text says in ways the extractor does not read: "wed same time
    then" (that day, at the visit's own time; "same time is fine" to times offered on one other
    day: that day), "i have a call at 10. 2pm instead?" (not 10)."""
    if SAME_TIME.search(said.lower()):
        day = await one_day_said(VISIT_DAY.sub(" ", said), starts_at.date())
        days = {datetime.fromisoformat(o).date() for o in offered or []}
        if day is None and len(days) == 1 and starts_at.date() not in days:
            day = days.pop()
        if day is not None:
            return f"{day:%a %b} {day.day} at {starts_at:%-I:%M %p}"
    if clash_named(said) and await in_session(
            lambda s: parse_when(VISIT_DAY.sub(" ", said), local_now(s))) is not None:
        return VISIT_DAY.sub(" ", said)  # "the earliest tmrw? 9 is bad now": not 9
    return None


async def other_time_said(text: str, proposed: datetime) -> str | None:
    """A reply to "Move it to ...?" that names another hour ("7 works"): the words to read it
    from, on the day proposed unless it names one."""
    if not re.search(r"\d|noon", text) or pick_offered(text, [proposed]) is not None:
        return None
    words = f"at {text}" if text[:1].isdigit() else text
    at = await in_session(lambda s: parse_when(words, local_now(s)))
    if at is None or at.at is None or at.at == proposed.time():
        return None
    return words if at.has_day else f"{proposed:%a %b} {proposed.day} {words}"


async def same_day_said(text: str, proposed: datetime) -> bool:
    """Whether a text names no day but the one `proposed` ("yes 2pm wed", "yes 2")."""
    def same(session) -> bool:
        now = local_now(session)
        read = parse_when(text, now)
        return read is None or read.first_day is None or \
            read.first_day == read.last_day == proposed.astimezone(now.tzinfo).date()

    return await in_session(same)


async def one_day_said(text: str, visit_day: date) -> date | None:
    """The day other than the visit's that a text names without a time of day ("wed same time
    then", "cancel friday and book monday instead same time": monday)."""
    def days(session) -> list[date]:
        now = local_now(session)
        read = [parse_when(part, now) for part in [*DAY_WORDS.findall(text.lower()), text]]
        return [w.first_day for w in read if w is not None and w.first_day and
                w.first_day == w.last_day and not w.at and w.first_day != visit_day]

    found = await in_session(days)
    return found[0] if found else None


async def time_in_whole(text: str, day_will_do: bool = False) -> bool:
    """Whether a text says a time of day (not only a day, unless `day_will_do`) when read
    whole."""
    when = await in_session(lambda s: parse_when(text, local_now(s)))
    return when is not None and bool(when.at or when.earliest or when.latest or
                                     (day_will_do and when.has_day))


async def ask_when(dispatcher: CollectingDispatcher, text: str | None, minutes: int
                   ) -> list[EventType]:
    """Asks when to move the appointment `text` says (None: the one whose new time was just
    taken), offering the next openings."""
    def work(session):
        now = local_now(session)
        return open_slots(session, None, minutes, now).slots, now

    slots, now = await in_session(work)
    options, buttons = numbered([when_text(s, now) for s in slots]), offer_buttons(slots, now)
    if text:
        dispatcher.utter_message(response="utter_when_to_move", appointment=text,
                                 options=options, buttons=buttons)
    else:
        dispatcher.utter_message(response="utter_when_to_move_again", options=options,
                                 buttons=buttons)
    return [SlotSet("offered_slots", [s.isoformat() for s in slots])]


class ActionAskReschedule(Action):
    def name(self) -> str:
        return "action_ask_reschedule"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return await ask_reschedule(dispatcher, tracker)


class ActionRescheduleAppointment(Action):
    def name(self) -> str:
        return "action_reschedule_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id, code = tracker.get_slot("owner_id"), tracker.get_slot("change_code")
        new = as_datetime(tracker.get_slot("appointment_time") or "")
        put = as_datetime(str(slot_before_this_turn(tracker, "appointment_time") or ""))
        said = tracker.latest_message.get("text") or ""
        if new is None and put is not None and code is not None and \
                await other_time_said(said, put) is None and \
                await same_day_said(said, put):
            new = put  # "yes 2pm wed" to "Move it to Wed at 2:00 PM?": the time put, said back
        moved = tracker.get_slot(BOOKED_CODE)
        if code is None and moved and owner_id is not None and \
                any(str(r or "").startswith("utter_moved") for r in previous_reply(tracker)):
            # "yes" right after a move made as soon as its time was picked: it is moved
            said = await in_session(lambda s: describe(
                appointments.by_code(s, int(owner_id), str(moved)), local_now(s)))
            dispatcher.utter_message(response="utter_moved_already", appointment=said)
            return []
        if owner_id is None or code is None or new is None:
            # ("ugh right. fri then", read as a yes to the times offered): the move's question
            # asks it, so that the yes to it comes back here
            return [FollowupAction("action_ask_reschedule")] if code is not None \
                else await ask_reschedule(dispatcher, tracker)
        if kept_as_is(said):
            return kept(dispatcher)
        if not said.startswith("/") and (other := await other_time_said(said, new)):
            # "7 works" to "Move it to 9:30?": not a yes to 9:30, but the time wanted
            return [SlotSet("appointment_time", other), FollowupAction("action_ask_reschedule")]
        return await make_move(dispatcher, tracker, int(owner_id), str(code), new)


async def make_move(dispatcher: CollectingDispatcher, tracker: Tracker, owner_id: int, code: str,
                    new: datetime) -> list[EventType]:
    """Moves the visit `code` to `new` and says so (or why not); the move's slots cleared."""
    def work(session) -> tuple[str, dict[str, str]]:
        now = local_now(session)
        moved = changes.move(session, owner_id, code, new, now)
        words = {"appointment": describe(moved.appointment, now)}
        if moved.loaner is not None:
            car = moved.loaner.loaner
            return "utter_moved_with_loaner", {**words, "loaner": f"{car.year} {car.model}"}
        if moved.loaner_lost:
            return "utter_moved_loaner_lost", words
        # the ride kept with it ("330 works, and yeah still need the shuttle")
        ride = ride_text(moved.appointment.transport)
        return "utter_moved", {"appointment": f"{words['appointment']}, {ride}" if ride
                               else words["appointment"]}

    try:
        response, words = await in_session(work)
    except appointments.SlotTaken:
        dispatcher.utter_message(response="utter_move_time_taken")
        return [SlotSet("appointment_time", None)] + await ask_when(dispatcher, None, 60)
    except (appointments.NotYours, ValueError):
        response, words = "utter_cannot_move", {
            "service_phone": tracker.get_slot("service_phone")}
    dispatcher.utter_message(response=response, **words)
    return [SlotSet(s, None) for s in CHANGE_SLOTS] + (
        [SlotSet(BOOKED_CODE, code)] if response != "utter_cannot_move" else [])


async def car_corrected(dispatcher: CollectingDispatcher, tracker: Tracker
                        ) -> list[EventType] | None:
    """"Apologies, I meant the RZ, not the LS." right after a visit was booked: that visit put
    on the car meant, as said (or why not); None when the text corrects no car."""
    code, owner_id = tracker.get_slot(BOOKED_CODE), tracker.get_slot("owner_id")
    text = tracker.latest_message.get("text") or ""
    if not code or owner_id is None or not (
            vehicles.CORRECTION.search(text.lower()) or CHANGED_AFTER.match(text)) or \
            not any(str(r or "").startswith("utter_booked") for r in previous_reply(tracker)):
        return None
    said = vehicles.corrected(text) or text

    def work(session: Session) -> tuple[str, dict[str, str]] | None:
        now = local_now(session)
        try:
            booked = appointments.by_code(session, int(owner_id), str(code))
        except appointments.NotYours:
            return None  # (cancelled since, or not theirs)
        meant = [car for car in cars_named(cars_of(session, int(owner_id)), said)
                 if car.id != booked.vehicle_id]
        if len(meant) != 1:
            return None
        try:
            moved = changes.switch_car(session, int(owner_id), str(code), meant[0].id, now)
        except changes.CarBusy as busy:
            return "utter_car_in_that_day", {"car": meant[0].label, "code": busy.code}
        return "utter_visit_car_switched", {"appointment": describe(moved, now)}

    found = await in_session(work)
    if found is None:
        return None
    response, words = found
    dispatcher.utter_message(response=response, **words)
    return []
