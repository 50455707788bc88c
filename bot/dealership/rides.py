"""Changing how the owner gets around during a visit already booked, the use case: a loaner
instead of the shuttle (reserved when one is free then), or no loaner after all (released, so
another owner can have it). Conversation-free; the caller asks for a yes first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.dealership import appointments, fleet
from bot.dealership import models as m
from bot.dealership.replies import RIDES

# "can i swap the shuttle for a loaner", "a loaner instead of the shuttle", "nvm on the loaner"
_CHANGE = re.compile(r"(?<!oil )\b(swap|switch|change|instead|rather than|trade|scratch)\b")
# A visit booked, pointed at: "tomorrow's appointment", "my visit", "the booking".
_BOOKED = re.compile(r"\b(appointment|appt|visit|booking|reservation)\b|"
                     # "can i get a loaner for that instead", right after the visit was told
                     r"\b(for|on|with) (that|it|this|that one|this one) instead\b")
# (not "drop off 8am, will need a loaner": the car dropped off, the loaner wanted)
_DROP_LOANER = re.compile(r"\b(nvm|never ?mind|don'?t need|no longer need|won'?t need|cancel|"
                          r"drop(?![- ](?:(?:it|her|him|the \w+|my \w+) )?off)|skip|release|"
                          r"no need for)\b(?:(?!\b(?:need|want|get)\b).){0,20}"
                          r"\b(the |a |my |that )?(loaner|rental)\b")


# A ride called off, and the ride named outright in its place: "scratch the loaner, just have
# the shuttle take me home" (not "nvm on the loaner, my sister can drop me off").
_DROPPED = re.compile(r"\b(?:scratch|forget|nix|ditch|skip|drop|cancel|nvm|never ?mind|"
                      r"no need for|don'?t need|don'?t want|no more|"
                      r"rather not(?:\s+(?:mess|deal|bother|do|have|get|take|use|drive))?"
                      r"(?:\s+(?:with|w/?|around with))?)\s+(?:on\s+|about\s+)?"
                      r"(?:the\s+|a\s+|my\s+|that\s+)?(\w+)")
_NAMED_OUTRIGHT = {"loaner": r"loaner|loner|rental", "shuttle": r"shuttle",
                   "pickup_delivery": r"pick ?-?up|delivery|valet",
                   "wait": r"wait|lounge|hang out|stay there"}
# The ride given up for another: "hang out there instead of taking the shuttle", "id rather
# wait there than take a loaner".
_INSTEAD_OF = re.compile(r"\b(?:instead of|rather\b[^.?!]{0,30}?\bthan)\s+"
                         r"(?:(?:take|taking|use|using|get|getting|ride|riding|do|doing|"
                         r"deal with|bother with|mess with) )?"
                         r"(?:the |a |my |that )?(\w+)")
# "can u switch that to the shuttle": one ride named, as what a visit's ride becomes.
_SWITCH_TO = re.compile(r"\b(?:switch|swap|change)\b.{0,20}\b(?:to|for)\b")


def instead(said: str) -> str | None:
    """The one ride named outright beside a ride called off, if any."""
    given_up = [*_DROPPED.finditer(said), *_INSTEAD_OF.finditer(said)]
    dropped = {ride for found in given_up
               for ride, words in _NAMED_OUTRIGHT.items() if re.match(words, found.group(1))}
    others = [ride for ride, words in _NAMED_OUTRIGHT.items()
              if ride not in dropped and re.search(rf"\b(?:{words})", said)]
    return others[0] if dropped and len(others) == 1 else None


# A loaner asked about a visit booked: "does my appt tmrw come with a loaner?", "do i get a
# loaner tmrw or am i waiting there?" (not "do you give loaners", which names no visit).
_ASKS_LOANER = re.compile(r"\b(?:does|do|will|would|is|am|are)\b[^.?!]{0,40}\b(?:come with|comes "
                          r"with|include|includes|get|getting|have|has)\b[^.?!]{0,12}"
                          r"\b(?:loaner|rental)\b|\bis there (?:a |any )?(?:loaner|rental)\b")
_SOON = re.compile(r"\b(?:tmrw|tomorrow|tmr|tmrws|tomorrow'?s|today'?s?)\b")


def loaner_asked(text: str) -> bool:
    """Whether a text asks if a visit booked comes with a loaner."""
    said = text.lower()
    return bool(_ASKS_LOANER.search(said) and (_BOOKED.search(said) or _SOON.search(said)))


# "can i get one instead?", "yes i'd like that one": the loaner offered, taken in words, and
# what such a text is read as.
TAKEN_AS = {"request_loaner", "reschedule_appointment", "book_service", "inform", "nlu_fallback"}
_TAKES = re.compile(r"\b(?:get|take|want|like|need|yes|yeah|please|pls|sure|switch|swap|change|"
                    r"go with|do|make it|put me|give me)\b.{0,25}\b(?:one|loaner|it|that)\b|"
                    r"\b(?:loaner|it|that)\b.{0,12}\b(?:pls|please|then|works|is fine)\b")


_TURNED_DOWN = re.compile(r"^\W*(?:no|nope|nah)\b|\b(?:don'?t|do not|dont|won'?t|wont|never)\b")


def takes_loaner_offered(text: str) -> bool:
    """Whether a text answering a loaner offered for a visit booked takes it in words."""
    said = text.lower()
    return bool(_TAKES.search(said)) and not _TURNED_DOWN.search(said) and \
        wanted_ride(said) in (None, "loaner")


# A ride wanted in place of the visit's: "can i get a loaner instead", "i'd prefer a loaner".
_WANTED = re.compile(r"\b(loaner|loner|rental|shuttle)s? instead\b|"
                     r"\bprefer (?:a |the |to (?:get|take|have) (?:a |the )?)?"
                     r"(loaner|loner|rental|shuttle)\b")


# A question about a ride, not a change to it: "if i get a loaner instead what do i need".
_ASKS_ABOUT = re.compile(r"\b(?:what|how|if|whether|which)\b")


def wanted_ride(text: str) -> str | None:
    """The ride a text asks to change to on a visit booked: "loaner", "no_loaner", another
    ride; None when it does not ask to change one."""
    said = text.lower()
    if ride := instead(said):
        return ride
    if _DROP_LOANER.search(said):
        return "no_loaner"
    if (wanted := _WANTED.search(said)) and not _ASKS_ABOUT.search(said):
        return "shuttle" if "shuttle" in wanted.group(0) else "loaner"
    if not _CHANGE.search(said):
        return "loaner" if loaner_asked(said) else None
    named = [ride for ride, words in RIDES.items() if ride != "waitlist"
             and re.search(rf"\b(?:{words})", said)]
    if not named or (len(named) < 2 and not _BOOKED.search(said) and
                     not _SWITCH_TO.search(said)):
        return None  # "can you pick it up instead of me driving in?": a question, not a change
    # "swap the shuttle for a loaner", "a loaner instead of the shuttle": the ride wanted is
    # the one after "for"/"to", or the one before "instead of".
    after = re.search(r"\b(?:for|to|with)\s+(?:a |an |the )?(\w+(?: \w+)?)", said)
    for ride in named:
        if after and re.match(rf"(?:{RIDES[ride]})", after.group(1)):
            return ride
    before = re.search(r"(\w+)\s+(?:instead of|rather than)", said)
    for ride in named:
        if before and re.search(rf"(?:{RIDES[ride]})", before.group(1)):
            return ride
    return named[0]


@dataclass(frozen=True)
class RideChange:
    appointment: m.Appointment
    ride: str  # "loaner", "no_loaner", or the ride wanted
    loaner: m.Loaner | None = None  # the car a loaner would be, when one is free
    no_loaner_free: bool = False


def plan(session: Session, appointment: m.Appointment, ride: str) -> RideChange:
    """What the change would be: for a loaner, the car free for the visit (or none)."""
    if ride != "loaner":
        return RideChange(appointment, ride)
    if reservation := appointments.loaner_of(session, appointment):
        return RideChange(appointment, ride, reservation.loaner)
    start, end = fleet.loaner_period(session, appointment.starts_at, appointment.ends_at)
    free = fleet.free_loaners(session, start, end, appointment.vehicle.model_line)
    return RideChange(appointment, ride, free[0] if free else None, no_loaner_free=not free)


def loaner_line(session: Session, appointment: m.Appointment, asked: str | None) -> str:
    """The line to lend for the visit: the one the owner asked for when it may be lent for
    their car (a smaller one they chose: "an es is easier to park"), else their car's."""
    own = appointment.vehicle.model_line
    return asked if asked and fleet.lendable(session, asked, own) else own


def change(session: Session, owner_id: int, code: str, ride: str,
           line: str | None = None) -> RideChange:
    """Makes the change: reserves a loaner (none free: nothing changes), or releases it; a
    loaner of `line` when the owner named one."""
    appointment = appointments.by_code(session, owner_id, code)
    if ride == "loaner":
        held = appointments.loaner_of(session, appointment)
        if held and (not line or held.loaner.model_line.upper() == line.upper()):
            return RideChange(appointment, ride, held.loaner)
        start, end = fleet.loaner_period(session, appointment.starts_at, appointment.ends_at)
        lent = loaner_line(session, appointment, line)
        if held and not any(car.model_line.upper() == str(line).upper()
                            for car in fleet.free_loaners(session, start, end, lent)):
            # another line asked for than the one held, and none of it free: the one held
            return RideChange(appointment, ride, held.loaner)
        reservation = fleet.reserve(session, owner_id=owner_id, line=lent, start=start,
                                    end=end, appointment_id=appointment.id)
        if held and reservation is not None:  # the line asked for: the one held goes back
            held.status = "cancelled"
        if reservation is None:
            return RideChange(appointment, ride, no_loaner_free=True)
        appointment.transport = "loaner"
        if entry := fleet.waitlist_entry(session, appointment):
            entry.status = "cancelled"
        session.flush()
        return RideChange(appointment, ride, reservation.loaner)
    if reservation := appointments.loaner_of(session, appointment):
        reservation.status = "cancelled"
    if entry := fleet.waitlist_entry(session, appointment):
        entry.status = "cancelled"
    if ride in m.TRANSPORTS and ride != "loaner":
        appointment.transport = ride
    elif appointment.transport == "loaner":
        appointment.transport = "wait"  # their own way: no ride of ours to arrange
    session.flush()
    return RideChange(appointment, ride)
