"""When the shop can take a car: open slots from service hours, holidays, duration and capacity.

Every rule takes `now` (aware) and works in the dealership's time zone. The database keeps the
capacity itself (one start per service lane and slot); `book` turns its refusal into `SlotTaken`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.codes import new_code
from bot.dealership.dates import When
from bot.dealership.profile import get_dealership

# The earliest a slot can be booked: an advisor needs a moment to see it coming.
LEAD_TIME = timedelta(hours=1)
# How far ahead slots are offered, and how far around an impossible request alternatives are.
HORIZON_DAYS = 60
NEAREST_DAYS = 7


class SlotTaken(Exception):
    """The slot filled up (another owner was faster): offer the alternatives instead."""


@dataclass(frozen=True)
class Shop:
    """The facts slot-finding needs, read once per request."""

    zone: ZoneInfo
    slot: timedelta
    hours: dict[int, tuple[time, time]]
    holidays: dict[date, str]
    lanes: int

    @classmethod
    def load(cls, session: Session) -> Shop:
        dealership = get_dealership(session)
        return cls(
            zone=ZoneInfo(dealership.time_zone),
            slot=timedelta(minutes=dealership.slot_minutes),
            hours={h.weekday: (h.opens, h.closes)
                   for h in session.execute(select(m.ServiceHours)).scalars()},
            holidays={h.day: h.name for h in session.execute(select(m.Holiday)).scalars()},
            lanes=session.execute(select(func.count()).select_from(m.ServiceLane)
                                  .where(m.ServiceLane.active.is_(True))).scalar_one(),
        )

    def closed_because(self, day: date) -> str | None:
        """Why the shop is closed on `day`: the holiday ("Thanksgiving Day") or the weekday it is
        closed every week ("Sunday"); None when open."""
        if day in self.holidays:
            return self.holidays[day]
        if day.weekday() not in self.hours:
            return f"{day:%A}"
        return None

    def starts(self, day: date, duration: timedelta) -> Iterator[datetime]:
        """Every slot start on `day` at which a job of `duration` ends by closing time."""
        if self.closed_because(day):
            return
        opens, closes = self.hours[day.weekday()]
        start = datetime.combine(day, opens, self.zone)
        end_of_day = datetime.combine(day, closes, self.zone)
        while start + duration <= end_of_day:
            yield start
            start += self.slot


@dataclass
class Offer:
    """What to tell the owner about a requested time."""

    slots: list[datetime] = field(default_factory=list)  # up to three, nearest first by time
    exact: datetime | None = None  # the time asked for, when it is free
    # no_such_date, past, closed (a holiday), closed_weekly, after_hours, full, taken, too_far
    problem: str | None = None
    # the holiday or weekday that is closed, the opening time, the (first) day that is full, the
    # last day bookable
    detail: str | None = None
    until: str | None = None  # the closing time, the last of the days that are full


# Why a time cannot be had: the problem, its detail and the end of its range (Offer's fields).
Why = tuple[str, str | None, str | None]


def taken_counts(session: Session, start: datetime, end: datetime) -> Counter:
    rows = session.execute(
        select(m.Appointment.starts_at).where(
            m.Appointment.starts_at >= start, m.Appointment.starts_at < end,
            m.Appointment.status != "cancelled",
        )
    ).scalars()
    return Counter(rows)


@dataclass(frozen=True)
class _Book:
    """The appointment book as one request reads it: the free starts from today to the horizon."""

    shop: Shop
    duration: timedelta
    earliest_start: datetime
    today: date
    horizon: date
    taken: Counter

    @classmethod
    def read(cls, session: Session, duration_minutes: int, now: datetime) -> _Book:
        shop = Shop.load(session)
        now = now.astimezone(shop.zone)
        today = now.date()
        horizon = today + timedelta(days=HORIZON_DAYS)
        taken = taken_counts(session, datetime.combine(today, time(0), shop.zone),
                             datetime.combine(horizon, time(0), shop.zone))
        return cls(shop=shop, duration=timedelta(minutes=max(duration_minutes, 1)),
                   earliest_start=now + LEAD_TIME, today=today, horizon=horizon, taken=taken)

    def free(self, day: date) -> list[datetime]:
        return [s for s in self.shop.starts(day, self.duration)
                if s >= self.earliest_start and self.taken[s] < self.shop.lanes]

    def days(self, first: date, last: date) -> Iterator[date]:
        """The days from `first` to `last` that are within the book."""
        day = max(first, self.today)
        while day <= min(last, self.horizon):
            yield day
            day += timedelta(days=1)

    def first_open(self, limit: int) -> list[datetime]:
        return _first(self.free, self.days(self.today, self.horizon), limit)


def open_slots(session: Session, when: When | None, duration_minutes: int, now: datetime,
               limit: int = 3) -> Offer:
    """Up to `limit` open slots nearest to `when`, and why `when` itself is impossible if it is."""
    book = _Book.read(session, duration_minutes, now)
    if when is None or when.asap:
        return Offer(slots=book.first_open(limit))
    if when.no_such_date:
        return Offer(slots=book.first_open(limit), problem="no_such_date")
    first = when.first_day or book.today
    last = when.last_day or (first if when.first_day else book.horizon)
    if first > book.horizon:
        return _beyond_the_book(book, limit)
    if when.at is not None:
        return _at_the_time(book, when, when.at, first, last, limit)
    return _in_the_window(book, when, first, last, limit)


def _beyond_the_book(book: _Book, limit: int) -> Offer:
    """Say how far ahead the book goes, and offer its last open times."""
    latest = [s for d in reversed(list(book.days(book.today, book.horizon)))
              for s in reversed(book.free(d))]
    return Offer(slots=sorted(latest[:limit]), problem="too_far",
                 detail=f"{book.horizon:%b} {book.horizon.day}")


def _in_window(book: _Book, when: When, first: date, last: date) -> list[datetime]:
    return [s for d in book.days(first, last) for s in book.free(d) if _fits(s, when)]


def _at_the_time(book: _Book, when: When, at: time, first: date, last: date,
                 limit: int) -> Offer:
    """A time asked for ("tue at 9"): it if it is free, else why not; and the nearest times."""
    zone = book.shop.zone
    # The first day of the range on which that time is free; else the first day, to say why.
    target = next((t for d in book.days(first, last)
                   if (t := datetime.combine(d, at, zone)) in book.free(d)),
                  datetime.combine(first, at, zone))
    offer = Offer()
    if target in _in_window(book, when, first, last):
        offer.exact = target
    else:
        offer.problem, offer.detail, offer.until = _why_not(
            book.shop, target, book.earliest_start, book.duration, book.taken)
    candidates = [s for d in book.days(target.date() - timedelta(days=NEAREST_DAYS),
                                       target.date() + timedelta(days=NEAREST_DAYS))
                  for s in book.free(d)]
    nearest = sorted(candidates, key=lambda s: _nearness(s, target))
    offer.slots = sorted(([target] if offer.exact else []) +
                         [s for s in nearest if s != target][: limit - bool(offer.exact)])
    return offer


def _in_the_window(book: _Book, when: When, first: date, last: date, limit: int) -> Offer:
    """Days, maybe a part of the day ("next week mornings"): its first open times, else why not
    and the first open times after it."""
    if in_window := _in_window(book, when, first, last):
        return Offer(slots=in_window[:limit])
    offer = Offer()
    if last < book.today:
        offer.problem = "past"
    elif first == last and (closed := _closed(book.shop, first)):
        offer.problem, offer.detail, offer.until = closed
    else:
        offer.problem, offer.detail, offer.until = _full(first, last)
    after = [s for d in book.days(first, book.horizon) for s in book.free(d)
             if s.date() > last or _fits(s, when)]
    # the part of the day asked for holds on the days after ("thu after 3", closed: fri after 3)
    offer.slots = ([s for s in after if _fits(s, when)] or after)[:limit] or \
        book.first_open(limit)
    return offer


def _first(free: Callable[[date], list[datetime]], days: Iterator[date],
           limit: int) -> list[datetime]:
    found: list[datetime] = []
    for day in days:
        found += free(day)[: limit - len(found)]
        if len(found) >= limit:
            break
    return found


def _nearness(start: datetime, target: datetime) -> tuple[int, float, datetime]:
    """Nearest day first, then nearest time of day: for Sunday at 10, Saturday or Monday at 10."""
    minutes = abs((start.hour * 60 + start.minute) - (target.hour * 60 + target.minute))
    return abs((start.date() - target.date()).days), minutes, start


def _fits(start: datetime, when: When) -> bool:
    clock = start.time()
    return ((when.earliest is None or clock >= when.earliest)
            and (when.latest is None or clock < when.latest))


def _why_not(shop: Shop, target: datetime, earliest_start: datetime, duration: timedelta,
             taken: Counter) -> Why:
    if target < earliest_start:
        return "past", None, None
    if closed := _closed(shop, target.date()):
        return closed
    if target not in set(shop.starts(target.date(), duration)):
        opens, closes = shop.hours[target.weekday()]
        return "after_hours", f"{opens:%-I:%M %p}", f"{closes:%-I:%M %p}"
    free_that_day = [s for s in shop.starts(target.date(), duration)
                     if s >= earliest_start and taken[s] < shop.lanes]
    return ("taken", None, None) if free_that_day else ("full", f"{target:%A}", None)


def _closed(shop: Shop, day: date) -> Why | None:
    """Closed on `day` for a holiday ("closed", its name), or as every week ("closed_weekly",
    the weekday); None when open."""
    if (reason := shop.closed_because(day)) is None:
        return None
    return ("closed" if day in shop.holidays else "closed_weekly"), reason, None


def _full(first: date, last: date) -> Why:
    """The days from `first` to `last` are full: "Wednesday", or "Fri Nov 27" until "Sat Nov 28"."""
    if first == last:
        return "full", f"{first:%A}", None
    return "full", f"{first:%a %b %-d}", f"{last:%a %b %-d}"


def slot_is_open(session: Session, start: datetime, duration_minutes: int, now: datetime) -> bool:
    shop = Shop.load(session)
    start = start.astimezone(shop.zone)
    if start < now + LEAD_TIME:
        return False
    if start not in set(shop.starts(start.date(), timedelta(minutes=duration_minutes))):
        return False
    return taken_counts(session, start, start + timedelta(seconds=1))[start] < shop.lanes


def book(session: Session, *, owner_id: int, vehicle_id: int, service_codes: list[str],
         start: datetime, transport: str, now: datetime, notes: str | None = None
         ) -> m.Appointment:
    """Writes an appointment in a free lane of `start`; SlotTaken when the slot is not open.

    Each lane is tried in its own savepoint: when another writer takes the same lane at the same
    moment, the database refuses one of the two, and that one tries the next lane.
    """
    services = list(session.execute(
        select(m.Service).where(m.Service.code.in_(service_codes))).scalars())
    if len(services) != len(set(service_codes)):
        raise ValueError(f"unknown service in {service_codes}")
    duration = sum(s.duration_minutes for s in services)
    if not slot_is_open(session, start, duration, now):
        raise SlotTaken(start)
    lanes = session.execute(select(m.ServiceLane.id).where(m.ServiceLane.active.is_(True))
                            .order_by(m.ServiceLane.number)).scalars().all()
    for lane_id in lanes:
        appointment = m.Appointment(
            code=new_code(), owner_id=owner_id, vehicle_id=vehicle_id, lane_id=lane_id,
            starts_at=start, ends_at=start + timedelta(minutes=duration), status="scheduled",
            transport=transport, notes=notes, services=services,
        )
        try:
            with session.begin_nested():
                session.add(appointment)
        except IntegrityError:
            continue
        return appointment
    raise SlotTaken(start)
