"""Loaner cars: which one an owner gets, and reserving it without ever double-booking.

The best loaner is of the line the owner drives or the next one up the dealership's ladder,
newest first; never further up (a UX is lent no ES: those are for the ES owners and the IS
owners). A smaller one is lent only when the owner agrees to it. The database refuses
overlapping reservations of one car; `reserve` turns a lost race into trying the next car.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.profile import get_dealership

LIVE = ("reserved", "out")


def loaner_period(session: Session, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """A loaner goes out when the car comes in and is due back at closing on the day it is done
    (the next open day's closing when the work ends after hours)."""
    zone = ZoneInfo(get_dealership(session).time_zone)
    hours = {h.weekday: h.closes for h in session.execute(select(m.ServiceHours)).scalars()}
    day: date = end.astimezone(zone).date()
    for _ in range(8):
        if day.weekday() in hours:
            closes = datetime.combine(day, hours[day.weekday()], zone)
            if closes >= end:
                return start, closes
        day += timedelta(days=1)
    raise ValueError("the dealership has no service hours")


def preference(loaner: m.Loaner, line: str, ladder: list[str]) -> tuple:
    """Sort key: same line, then the lines above (nearest first), then below; newest first."""
    if loaner.model_line == line or line not in ladder or loaner.model_line not in ladder:
        step = 0 if loaner.model_line == line else len(ladder) * 2
    else:
        gap = ladder.index(loaner.model_line) - ladder.index(line)
        step = gap if gap > 0 else len(ladder) - gap  # any upgrade beats any downgrade
    return step, -loaner.year, loaner.mileage or 0, loaner.id


def within_reach(model_line: str, line: str, ladder: list[str]) -> bool:
    """Whether a loaner of `model_line` may be lent for a car of `line`: the same line, the
    next one up the ladder, or one below (agreed first); a line off the ladder is not ranked."""
    model_line, line = model_line.upper(), line.upper()
    if model_line == line or line not in ladder or model_line not in ladder:
        return True
    return ladder.index(model_line) <= ladder.index(line) + 1


def lendable(session: Session, model_line: str, line: str) -> bool:
    """Whether the dealership lends a loaner of `model_line` for a car of `line`."""
    ladder = [str(x).upper() for x in get_dealership(session).loaner_ladder or []]
    return within_reach(model_line, line, ladder)


def lent_for(session: Session, line: str) -> tuple[bool, m.Loaner | None]:
    """Whether the fleet holds a loaner of `line` or the next one up at all (busy or not),
    and if not, the best smaller one it holds (lent only when the owner agrees): a UX has
    neither, a GX a smaller one."""
    ladder = [str(x).upper() for x in get_dealership(session).loaner_ladder or []]
    line = line.upper()
    cars = [car for car in active(session) if within_reach(car.model_line, line, ladder)]
    below = [car for car in cars if car.model_line.upper() in ladder and line in ladder and
             ladder.index(car.model_line.upper()) < ladder.index(line)]
    if len(below) < len(cars):
        return True, None
    return False, min(below, key=lambda car: preference(car, line, ladder), default=None)


def active(session: Session) -> list[m.Loaner]:
    """The loaners in service."""
    return list(session.execute(select(m.Loaner).where(m.Loaner.active.is_(True))
                                .order_by(m.Loaner.id)).scalars())


def free_loaners(session: Session, start: datetime, end: datetime, line: str) -> list[m.Loaner]:
    """Active loaners with no live reservation overlapping [start, end), best first for `line`."""
    busy = select(m.LoanerReservation.loaner_id).where(
        m.LoanerReservation.status.in_(LIVE),
        m.LoanerReservation.starts_at < end, m.LoanerReservation.ends_at > start,
    )
    cars = session.execute(
        select(m.Loaner).where(m.Loaner.active.is_(True), m.Loaner.id.not_in(busy))
    ).scalars().all()
    ladder = [str(x).upper() for x in get_dealership(session).loaner_ladder or []]
    return sorted((car for car in cars if within_reach(car.model_line, line, ladder)),
                  key=lambda car: preference(car, line.upper(), ladder))


# "not one of the ES sedans", "no ES": a line refused, not asked for.
_REFUSED = r"\b(?:not|no|don'?t want|rather not)\b[^.,;!?]{0,25}"


def line_asked(session: Session, text: str) -> str | None:
    """The model line of loaner a text asks for ("an rx is fine" -> "RX"), when the fleet has
    one in service; None when it names none, or several."""
    lines = {car.model_line.upper() for car in active(session)}
    said = {w.upper() for w in re.findall(r"\b([a-z]{2})(?:\s?\d{3}\w*)?\b", text.lower())}
    # (a line named refused is not asked for: "an nx? not one of the ES sedans pls")
    said -= {w.upper() for w in re.findall(_REFUSED + r"\b([a-z]{2})(?:\s?\d{3}\w*)?\b",
                                           text.lower())}
    asked = said & lines
    return asked.pop() if len(asked) == 1 else None


def smaller_loaner(session: Session, line: str, start: datetime, end: datetime
                   ) -> m.Loaner | None:
    """The loaner a booking for a car of `line` would get over [start, end), when it is of a
    line below the owner's on the dealership's ladder: the owner must hear it and agree."""
    cars = free_loaners(session, start, end, line)
    if not cars:
        return None
    ladder = [str(x).upper() for x in get_dealership(session).loaner_ladder or []]
    best, line = cars[0], line.upper()
    if best.model_line == line or line not in ladder or best.model_line not in ladder:
        return None
    return best if ladder.index(best.model_line) < ladder.index(line) else None


def reserve(session: Session, *, owner_id: int, line: str, start: datetime, end: datetime,
            appointment_id: int | None = None) -> m.LoanerReservation | None:
    """Reserves the best free loaner for [start, end); None when every car is taken."""
    for car in free_loaners(session, start, end, line):
        reservation = m.LoanerReservation(
            loaner_id=car.id, owner_id=owner_id, appointment_id=appointment_id,
            starts_at=start, ends_at=end, status="reserved",
        )
        try:
            with session.begin_nested():
                session.add(reservation)
        except IntegrityError:
            continue  # another owner took this car a moment ago
        reservation.loaner = car
        return reservation
    return None


def join_waitlist(session: Session, appointment: m.Appointment) -> m.LoanerWaitlist:
    """Puts an appointment that found no loaner on the waitlist for its loaner period."""
    start, end = loaner_period(session, appointment.starts_at, appointment.ends_at)
    entry = m.LoanerWaitlist(owner_id=appointment.owner_id, appointment_id=appointment.id,
                             model_line=appointment.vehicle.model_line, starts_at=start,
                             ends_at=end, status="waiting")
    session.add(entry)
    session.flush()
    return entry


def waitlist_entry(session: Session, appointment: m.Appointment) -> m.LoanerWaitlist | None:
    return session.execute(
        select(m.LoanerWaitlist).where(m.LoanerWaitlist.appointment_id == appointment.id,
                                       m.LoanerWaitlist.status.in_(("waiting", "offered")))
    ).scalar_one_or_none()


def waiting(session: Session) -> list[m.LoanerWaitlist]:
    """The waitlist in the order owners joined it, for staff to call when a car comes back."""
    return list(session.execute(
        select(m.LoanerWaitlist).where(m.LoanerWaitlist.status == "waiting")
        .order_by(m.LoanerWaitlist.created_at, m.LoanerWaitlist.id)).scalars())
