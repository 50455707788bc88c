"""The dealership's departments (sales, finance, the collision center, parts, and service
itself): what each handles, when it is open and how to reach it (`about`), and a request that
one of them reach out to the owner (`reach_out`: a ticket for that team in the staff queue).

The use cases the actions call: conversation-free, typed facts in and out; the caller chooses
the words. Nothing is written unless the owner asked for the team to reach out.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.handoff import open_ticket
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership

# The departments owners can ask about, by code: the data file names these (and only these),
# and the assistant's understanding knows a topic for each but service (everything else).
SALES, FINANCE, COLLISION, PARTS, SERVICE = "sales", "finance", "collision", "parts", "service"
KNOWN = (SALES, FINANCE, COLLISION, PARTS, SERVICE)
# How far ahead the next opening is looked for.
LOOK_AHEAD_DAYS = 14
# A question about a team just talked about, in the third person ("are they open saturday",
# "what are their hours"): "you" would be the service department the owner is texting.
ABOUT_THEM = re.compile(r"\b(they|they'?re|theyre|their|them|those guys|that (team|department|"
                        r"dept|office))\b", re.I)


ABOUT_YOU = re.compile(r"\b(you|u|ya|y'?all|you guys|u guys|your|ur)\b", re.I)
# What is asked after a team right after its answer: "whats the number to call", "open sat?".
AFTER_TEAM = re.compile(r"\b(number|phone|call|hours|open|close[sd]?|closing|opening)\b|"
                        r"\bwho (fixes|repairs|handles|does|can (fix|repair|help with))\b|"
                        # "til what time today", "and on saturday?": their hours, asked short
                        r"\b(til+|until|till) what time\b|\buntil when\b|"
                        r"^\W*(and|what about|how about|ok and)( on)? (sat(urday)?|sun(day)?|"
                        r"mon(day)?|tue(s|sday)?|wed(nesday)?|thu(rs|rsday)?|fri(day)?|today|"
                        r"tomorrow|tmrw|the weekend|weekends)\W*$", re.I)
# Lease matters that are the finance team's, not a date to read out: "can i extend it".
FINANCE_MATTERS = re.compile(r"\b(extend\w*|extension|buy ?-?out|buy(ing)? (it|her|the (lease|"
                             r"car)) out|pay ?off|payments?|"
                             r"refinanc\w*|end it early|early (return|termination|out)|"
                             r"transfer (it|the lease))\b", re.I)


def about_them(text: str) -> bool:
    """The text asks about a third party, not the dealership it is texting."""
    return bool(ABOUT_THEM.search(text))


# A team asked to get in touch: "can they text me a price on the mats", "have them call me".
CONTACT_ASKED = re.compile(r"\b(can|could|will|would|have|let|ask|get)\b.{0,25}\b(they|them|"
                           r"someone|somebody|one of them|someone there|someone from there)\b"
                           r"(?: \w+)? (text|call|email|e-mail|reach out|contact|get back|"
                           r"get in touch|send)\b", re.I)


def contact_asked(text: str) -> bool:
    """The text asks the team talked about to get in touch with the owner."""
    return bool(CONTACT_ASKED.search(text)) and not contact_declined(text)


# Contact turned down: "No need to have them reach out, I will call them", "dont have anyone
# call me".
CONTACT_DECLINED = re.compile(
    r"\b(?:no need (?:to|for)|(?:don'?t|dont|do not) (?:need|have|want) (?:them|anyone|someone|"
    r"somebody|you|u|anybody) (?:to )?|(?:i'?ll|ill|i will|i can) (?:just )?(?:call|reach out to|"
    r"contact|text|email) (?:them|myself|her|him)\b|no (?:call|calls|contact) (?:needed|"
    r"necessary))", re.I)


def contact_declined(text: str) -> bool:
    """The text turns down being contacted: the owner will reach the team themselves."""
    return bool(CONTACT_DECLINED.search(text))


def asks_after_team(text: str) -> bool:
    """The text asks a team's hours or number (read so only right after that team's answer),
    not "are you open saturday" (the dealership texting)."""
    return bool(AFTER_TEAM.search(text)) and not ABOUT_YOU.search(text)


# Each team's own words, and roadside's: "whats the roadside number again" right after the
# collision center's answer asks roadside's number, not theirs.
TEAM_WORDS = {SALES: r"sales\w*", FINANCE: r"financ\w*|leasing office",
              PARTS: r"parts (?:department|dept|counter|desk)",
              COLLISION: r"collision|body ?shop", SERVICE: r"service (?:desk|department|dept)",
              "roadside": r"roadside|tow(?:ing|truck)?"}


def names_another(text: str, code: str) -> bool:
    """Whether the text names another team than `code` (or roadside) by its words."""
    return any(re.search(rf"\b(?:{words})\b", text, re.I)
               for team, words in TEAM_WORDS.items() if team != code)


def for_finance(text: str) -> bool:
    """The text asks about a lease in ways only the finance team can settle."""
    return bool(FINANCE_MATTERS.search(text))


LEASE = re.compile(r"\bleas(e|ed|ing)\b", re.I)


def lease_for_finance(text: str) -> bool:
    """The text names a lease and asks what only the finance team settles ("my lease is up
    soon, can I extend it? who do I talk to")."""
    return bool(LEASE.search(text)) and for_finance(text)


@dataclass(frozen=True)
class Opening:
    """A department's next opening hours: today's while it has not closed yet."""

    day: date
    opens: time
    closes: time
    open_now: bool


@dataclass(frozen=True)
class DepartmentInfo:
    code: str
    name: str  # "Collision Center"
    phone: str  # as a message writes it: "(512) 555-0113"
    handles: str  # what it does for owners, one line
    opening: Opening | None  # None: no opening hours in the next two weeks
    # The hours on the day asked about ("is parts open saturday?"): (opens, closes), or None
    # when it is closed that day; absent when no day was asked about.
    on_day: tuple[date, tuple[time, time] | None] | None = None


@dataclass(frozen=True)
class DepartmentQuestion:
    department: str  # a code of KNOWN
    day: date | None = None  # the day asked about, if any


@dataclass(frozen=True)
class ReachOutRequest:
    conversation_id: str
    channel: str
    owner_id: int | None
    department: str  # a code of KNOWN
    asked: str  # the owner's own words: the question answered, or the request itself


@dataclass(frozen=True)
class ReachingOut:
    ticket: int
    department: DepartmentInfo


def next_opening(hours: dict[int, tuple[time, time]], holidays: Collection[date],
                 local: datetime) -> Opening | None:
    """The opening hours that come next at `local` (the dealership's time): today's until
    closing time, then the next day open (holidays close every department)."""
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        span = hours.get(day.weekday())
        if span is None or day in holidays:
            continue
        opens, closes = span
        if offset == 0 and local.time() >= closes:
            continue
        return Opening(day, opens, closes, open_now=offset == 0 and opens <= local.time())
    return None


def department(session: Session, code: str) -> m.Department | None:
    """The department of `code` while the data file names it."""
    row = session.get(m.Department, code)
    return row if row is not None and row.active else None


def names(session: Session) -> dict[str, str]:
    """Every department's name by code (those no longer in the data file too: old tickets)."""
    return {code: name for code, name in
            session.execute(select(m.Department.code, m.Department.name)).all()}


def about(session: Session, question: DepartmentQuestion, now: datetime) -> DepartmentInfo | None:
    """What the department handles, how to reach it and when it is next open; None when the
    dealership names no such department."""
    row = department(session, question.department)
    if row is None:
        return None
    local = now.astimezone(ZoneInfo(get_dealership(session).time_zone))
    holidays = set(session.execute(select(m.Holiday.day)).scalars())
    hours = {h.weekday: (h.opens, h.closes) for h in row.hours}
    asked = question.day
    on_day = None if asked is None else \
        (asked, None if asked in holidays else hours.get(asked.weekday()))
    return DepartmentInfo(row.code, row.name, display(row.phone), row.handles,
                          next_opening(hours, holidays, local), on_day)


def reach_out(session: Session, request: ReachOutRequest, now: datetime) -> ReachingOut | None:
    """A ticket in the staff queue asking the department to reach out to the owner (the
    conversation's live ticket for that department, if it has one); None when the dealership
    names no such department, and then nothing is written."""
    info = about(session, DepartmentQuestion(request.department), now)
    if info is None:
        return None
    words = " ".join(request.asked.split())
    quoted = f': "{words[:120]}{"..." if len(words) > 120 else ""}"' if words else ""
    ticket = open_ticket(
        session, conversation_id=request.conversation_id, channel=request.channel,
        owner_id=request.owner_id, reason=words or f"Asked for {info.name} to reach out",
        summary=f"Asked for {info.name} to reach out{quoted}",
        department=None if info.code == SERVICE else info.code)
    return ReachingOut(ticket.id, info)
