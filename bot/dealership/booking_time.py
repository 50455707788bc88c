"""Reading the time an owner asks for against the times offered and the calendar: the use case
behind booking's and moving's "when?". Conversation-free: the caller says what was asked and
what was offered, and gets back what to do, never words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from bot.dealership import scheduling, services, vehicles
from bot.dealership.dates import (
    AGREED,
    CLASH,
    FIRST_THING_ENDS,
    OPENING,
    SAME_TIME,
    When,
    best_reading,
    normalise,
    on_offered_day,
    other_day_named,
    parse_when,
    pick_offered,
    ruled_out,
    taken_back,
)

DEFAULT_MINUTES = 60  # when a time is asked before the service is known


@dataclass(frozen=True)
class TimeRequest:
    text: str  # what answers "when": a phrase, a pick from the offers, or a button's ISO time
    message: str = ""  # the whole message, where the date reader may find the day
    offered: list[datetime] = field(default_factory=list)
    agreed: bool = False  # the owner said yes (to the offers)
    services: list[str] = field(default_factory=list)  # menu codes: how long the visit takes
    minutes: int | None = None  # how long, when known already (moving an appointment)
    same_day: datetime | None = None  # a time said without a day is on this one's day
    said_else: bool = False  # the message answered another of the form's questions
    # what the owner texted earlier in this booking, oldest first: a window of the day said
    # there ("tmrw after 3") holds for a day said later without one ("fri then")
    earlier: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chosen:
    """The time is open."""

    start: datetime


@dataclass(frozen=True)
class NotRead:
    """No time in the answer; `quiet` when the answer said something else the form keeps."""

    quiet: bool


@dataclass(frozen=True)
class Offer:
    """The time cannot be had (`problem`, with its `detail` and the end of its range, `until`:
    see scheduling.Offer): the nearest open `times`, if any."""

    times: list[datetime]
    problem: str | None
    detail: str | None
    until: str | None = None


TimeAnswer = Chosen | NotRead | Offer


def as_datetime(text: str) -> datetime | None:
    """A time chosen with a button (its payload carries the ISO time)."""
    try:
        chosen = datetime.fromisoformat(text)
    except ValueError:
        return None
    return chosen if chosen.tzinfo else None


def openings(session: Session, codes: list[str], now: datetime) -> list[datetime]:
    """The next open times for a visit for the services `codes` (an hour when none is known
    yet): offered before the owner names a time."""
    minutes = services.duration_minutes(services.resolve(session, codes)[0]) or DEFAULT_MINUTES
    return list(scheduling.open_slots(session, None, minutes, now).slots)


NEXT_WEEK = re.compile(r"\b(?:next|following) week\b", re.IGNORECASE)


def same_time(text: str, when: When | None, visit: datetime, earlier: tuple[str, ...] = ()
              ) -> When | None:
    """"same time" is the time of the visit being changed (or the time agreed before): "wed
    then, same time" is Wednesday at its hour; "same time next week" is a week later, to the
    minute. A day said alone after "same time" was said (`earlier`) is at that hour too ("...to
    thurs, same time", closed then, "fri then")."""
    if not SAME_TIME.search(text):
        if when is not None and when.has_day and when.at is None and not when.earliest and \
                not when.latest and any(SAME_TIME.search(e) for e in earlier):
            return replace(when, at=visit.time())
        return when
    if NEXT_WEEK.search(text):
        day = (visit + timedelta(days=7)).date()
        return When(first_day=day, last_day=day, at=visit.time())
    if when is None or not when.has_day or when.at is not None:
        return when
    return replace(when, at=visit.time(), earliest=None, latest=None)


def window_said(texts: tuple[str, ...], now: datetime) -> When | None:
    """The last window of the day ("after 3", "mornings") said in `texts` without an exact
    time."""
    for text in reversed(texts):
        when = parse_when(text, now)
        if when is not None and when.at is None and (when.earliest or when.latest):
            return when
    return None


def on_day_said(value: str, earlier: str, now: datetime) -> str:
    """A time said without a day ("8:30") on the day said before it in the booking ("friday
    morning"), as words the date reader reads; `value` as it is otherwise."""
    when, before = parse_when(value, now), parse_when(earlier, now)
    if before is None or not before.has_day or (when is not None and when.has_day):
        return value
    if when is None:
        # ("9 would be fine" after "friday morning": a bare hour, a time beside the day)
        joined = parse_when(f"{earlier} {value}", now)
        return f"{earlier} {value}" if joined is not None and joined.at is not None else value
    return f"{earlier} {value}"


# Openings asked for, mid-booking: "what do u have sat morning", "anything open fri?".
OPENINGS_ASKED = re.compile(r"\bwhat (?:do|does|would|will|can) (?:you|u|y'?all|ya|you guys|"
                            r"u guys) (?:have|got|do)\b|\b(?:anything|any openings?|any slots?|"
                            r"any times?|any spots?|room) (?:open|available|free|left)?\b|"
                            r"\bwhat(?:'?s| is) (?:open|available|free)\b|\bhow about\b",
                            re.I)


# A text that opens by taking what was offered ("perfect ill just wait for it" to the times
# offered after "whats the earliest saturday"): a yes to them, however the rest reads.
# "ok book it" alone to the times offered: one of them, the nearest what was asked.
BOOK_IT_ALONE = re.compile(r"^\W*(?:(?:ok|okay|k|kk|alright|fine|then|so|yes|yep|yeah|cool|"
                           r"great|perfect|awesome|sure|sounds good|that works)\W+)*"
                           # ("ok ill wait. book it": the ride said on the way)
                           r"(?:(?:i'?ll|ill|i will) (?:just )?wait(?: there)?\W+)?(?:just |"
                           r"go ahead and |pls |please )?(?:book (?:it|that|one|me in)|lock it in)"
                           r"\W*(?:pls|please|thx|thanks)?\W*$", re.IGNORECASE)
# What a sentence before "book it" may not say for the times offered to stand.
NOT_AS_OFFERED = re.compile(r"\b(?:no|not|nah|don'?t|dont|wait|other|another|different|"
                            r"instead|later|earlier)\b", re.IGNORECASE)


def booked_as_offered(text: str) -> bool:
    """"ok book it" to the times offered, alone or after a sentence that takes none of them back
    ("just the light for now. yes book it")."""
    *before, last = re.split(r"(?<=[.!;])\s+", text.strip())
    said = " ".join(before)
    return bool(BOOK_IT_ALONE.match(text)) or bool(before) and bool(BOOK_IT_ALONE.match(last)) \
        and not NOT_AS_OFFERED.search(said) and not vehicles.named_in(said)


# What takes an agreement back, said after it: "great thanks but wait", "perfect, question".
HEDGES = re.compile(r"\b(?:but|wait|actually|hold on|hang on|except|though|question)\b|\?",
                    re.IGNORECASE)
AGREES = re.compile(r"^\W*(?:yes|yep|yeah|yup|perfect|sounds good|that works|works for me|"
                    r"that'?s fine|great)\b(?!\W*(?:but|except|though|question|\?))|"
                    + BOOK_IT_ALONE.pattern, re.IGNORECASE)


def agreed_to_offer(text: str) -> bool:
    """A yes to the times offered: "perfect", or "ok book it" after a sentence that takes none of
    them back."""
    return bool(AGREES.match(text)) or booked_as_offered(text)


def said_before(earlier: tuple[str, ...], offered: list[datetime], now: datetime
                ) -> datetime | None:
    """The time offered at the hour the owner said last before the offer, if one is."""
    for text in reversed(earlier):
        when = parse_when(text, now)
        if when is not None and when.at is not None:
            return next((t for t in offered if t.time() == when.at), None)
    return None


def agreed_to(earlier: tuple[str, ...], offered: list[datetime], now: datetime
              ) -> tuple[datetime | None, When | None]:
    """"yes" to the times offered: the one at the hour said before ("sat morning? like 9"),
    else the first, nearest what was asked; an hour said before that none of them is ("noon
    works" then "yes") is that hour on their day, to be read as asked."""
    if chosen := said_before(earlier, offered, now):
        return chosen, None
    for text in reversed(earlier):
        when = parse_when(text, now)
        if when is not None and when.at is not None:
            day = offered[0].date()
            return None, When(first_day=day, last_day=day, at=when.at)
    return offered[0], None


def keeps_window(when: When | None, text: str, earlier: tuple[str, ...], now: datetime
                 ) -> When | None:
    """A day said alone ("ugh ok fri then", "fri then same time") keeps the window of the day
    said before it in the booking."""
    if when is None or not when.has_day or when.at is not None or when.earliest or \
            when.latest or when.asap or OPENING.search(text.lower()):
        return when
    if (window := window_said(earlier, now)) is None:
        return when
    return replace(when, earliest=window.earliest, latest=window.latest)


# A weekday said on its own, not "this tues" or "next tues" or a date.
BARE_WEEKDAY = re.compile(r"(?<!\bthis )(?<!\bnext )(?<!\bcoming )\b(?:mon|tues?|wed|weds|thu|"
                          r"thurs?|fri|sat)(?:day|nesday|rsday|urday)?\b(?!\s*\d)")
# Days in a span asked before, such as "next week", that a weekday said later falls within.
SPAN_DAYS = 4


def in_span_said(when: When | None, text: str, earlier: tuple[str, ...], now: datetime
                 ) -> When | None:
    """"tues works" after "sometime next week": the Tuesday of the week asked for, not the
    coming one."""
    if when is None or when.first_day is None or when.first_day != when.last_day or \
            not BARE_WEEKDAY.search(text.lower()):
        return when
    for said in reversed(earlier):
        span = parse_when(said, now)
        if span is None or span.first_day is None or span.last_day is None or \
                (span.last_day - span.first_day).days < SPAN_DAYS:
            continue
        day = when.first_day
        while day < span.first_day:
            day += timedelta(days=7)
        return replace(when, first_day=day, last_day=day) if day <= span.last_day else when
    return when


def within(when: When | None, offered: list[datetime]) -> bool:
    """Whether `when` is a span of days, no time of day, that holds every time offered."""
    return when is not None and bool(offered) and when.first_day is not None and \
        when.last_day is not None and when.first_day < when.last_day and when.at is None and \
        not when.earliest and not when.latest and not when.asap and \
        all(when.first_day <= o.date() <= when.last_day for o in offered)


def visit_minutes(session: Session, request: TimeRequest) -> int:
    """How long the visit asked for takes: as given, or its work's, or the default."""
    if request.minutes is not None:
        return request.minutes
    if request.services:
        return services.duration_minutes(services.resolve(session, request.services)[0])
    return DEFAULT_MINUTES


def hour_said(number: str, message: str) -> bool:
    """Whether a bare number the extractor took is said as an hour in the whole message ("make
    it 1", "like 1"), read as "at 1"."""
    return bool(re.fullmatch(r"\d{1,2}", number.strip())) and bool(message) and \
        re.search(rf"\bat {number.strip()}\b", normalise(message)) is not None


def read_time(session: Session, request: TimeRequest, now: datetime) -> TimeAnswer:
    text, offered = request.text.strip(), request.offered
    duration = visit_minutes(session, request)
    # The whole message first: the extractor may cut "first thing, like 7:30" to "first".
    # (a time taken back is no pick: "fri then like 8? actually no wait wed is better, 8am"
    # picks from what was said after it, and nothing of the times offered on another day)
    said = (taken_back(request.message) or request.message) if request.message else ""
    chosen = as_datetime(text) or (pick_offered(said, offered, now.date())
                                   if said and not (said != request.message and other_day_named(
                                       request.message, offered, now.date())) else None)
    if not chosen and not (request.message and other_day_named(request.message, offered,
                                                                now.date())) and \
            not hour_said(text, request.message):
        # (the extractor's "7am" of "wed 7am then" is no pick of friday's 7am; nor is its "1"
        # of "actually make it 1" the first offered: an hour)
        chosen = pick_offered(text, offered, now.date())
    bare_yes = bool(AGREED.fullmatch(re.sub(r"[^\w' ]+", "", text.lower()).strip()))
    if chosen is not None and offered and chosen == offered[0] and bare_yes:
        # a bare "yes" to them: as any yes, the hour said before counts ("noon works", "yes")
        chosen = None
    when = None if chosen else on_offered_day(
        text, best_reading(text, request.message, now),
        offered or ([request.same_day] if request.same_day else []), offers_made=bool(offered))
    if not chosen:
        when = in_span_said(when, " ".join((text, request.message)), request.earlier, now)
        when = ruled_out(when, request.message)  # ("sometime next week? not monday tho")
    if chosen is None and within(when, offered):
        # "the wife has the gx this week": a span the times offered fit in asks nothing new
        return NotRead(quiet=True)
    if not chosen and request.same_day is not None:
        when = same_time(" ".join((text, request.message)), when, request.same_day,
                         request.earlier)
    if not chosen:
        when = keeps_window(when, " ".join((text, request.message)), request.earlier, now)
    if chosen is None and when is None and booked_as_offered(text) and offered:
        # (never an hour said before that none of them is: the owner picked from these)
        chosen = said_before(request.earlier, offered, now) or offered[0]
    elif chosen is None and when is None and (request.agreed or bare_yes) and offered:
        chosen, when = agreed_to(request.earlier, offered, now)
    if chosen is not None:
        if scheduling.slot_is_open(session, chosen, duration, now):
            return Chosen(chosen)
        offer = scheduling.open_slots(session, None, duration, now)
        offer.problem = "taken"
    else:
        if when is None:
            # "with a loaner": kept, and the time is asked again; so is "gotta be at work by
            # 10", another engagement's time, which is no time not caught
            return NotRead(quiet=request.said_else or bool(
                CLASH.search(" ".join((text, request.message)).lower())))
        offer = scheduling.open_slots(session, when, duration, now)
        if offer.exact is not None:
            return Chosen(offer.exact)
        if when.asap and offered and offer.slots and offer.slots[0] == offered[0]:
            return Chosen(offered[0])  # "asap" to the earliest times, offered already
        if OPENING.search(" ".join((text, request.message)).lower()) and when.first_day and \
                when.first_day == when.last_day and offer.slots and \
                offer.slots[0].date() == when.first_day and \
                offer.slots[0].time() < FIRST_THING_ENDS:
            return Chosen(offer.slots[0])  # "first thing monday": that day's first opening
    return Offer(list(offer.slots), offer.problem, offer.detail, offer.until)


# A clause that asks rather than tells: "wait how long does it take", "is the recall free".
_ASKS = re.compile(r"^\W*(?:(?:wait|oh|and|also|btw|but|so|hey|ok|okay|um|hmm)\W+)*"
                   r"(?:how|what|whats|what's|when|where|which|who|why|is|are|do|does|did|can|"
                   r"could|will|would|should|any)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"(?<=[?.!])\s+|\s*[,;\n]\s*|\s+(?=(?:wait|oh|also|btw|but)\b)",
                     re.IGNORECASE)


def time_beside_question(text: str) -> bool:
    """Whether a text that asks something also says a time in a clause of its own ("like 2ish?
    wait how long does it take"): that clause answers the time asked."""
    now = datetime.now(timezone.utc)  # (only whether a time is said, not which)
    for clause in _CLAUSE.split(text):
        if clause.strip() and not _ASKS.search(clause):
            said = parse_when(clause, now)
            if said is not None and (said.at is not None or said.first_day is not None):
                return True
    return False


def question_beside(text: str) -> bool:
    """Whether a text both tells (a time, a pick: "9?") and asks ("oh wait is the recall part
    free") in clauses of its own; "what about 9?" only asks."""
    said = [c for c in _CLAUSE.split(text) if c.strip()]
    asking = [bool(_ASKS.search(c)) for c in said]
    return any(asking) and not all(asking)
