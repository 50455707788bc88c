"""Ownership questions, the use case: what the dealership answers on a topic, and for warranty,
maintenance and lease the facts of the owner's own cars, for prices the service menu's; and the
visit an answer leads to. Conversation-free: typed facts out, the caller chooses the words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.dealership import (
    appointments,
    fleet,
    knowledge,
    ownership,
    scheduling,
    services,
    vehicles,
)
from bot.dealership.dates import WEEKDAY_NAMES, WEEKDAYS, days_named
from bot.dealership.models import Loaner, Service, Vehicle
from bot.dealership.owners import cars_of
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership

# Topics answered from the owner's own cars (the rest from the dealership's knowledge rows).
CAR_TOPICS = {"maintenance_schedule", "warranty", "lease_end", "roadside_assistance"}
# What a maintenance visit does, asked: "whats included in that one", "what do u do at it".
WHAT_IS_DONE = re.compile(r"\bwhat(?:'?s| is| all is| all)? included\b|"
                          r"\bwhat (?:all )?(?:do|does|did|would|will) (?:you|u|y'?all|ya|they|it|"
                          r"that|this|the \w+(?: \w+)?)(?: guys)? (?:do|check|cover|include|come "
                          r"with|involve)\b|\bwhat(?:'?s| is) (?:in|involved in) (?:it|that|them|"
                          r"this|the \w+)\b|\bwhat(?:'?s| is| all is)? in (?:it|that|them)\b", re.I)
# What to have with you, asked: "what do i need to bring", "any paperwork".
BRING_ASKED = re.compile(r"\b(bring(?! (?:it|her|him|the \w+|that) back\b)|need to have|documents?|"
                         r"paperwork|papers)\b", re.I)
# A fee for cancelling or moving a visit, asked: "is there a fee if i cancel?".
CHANGE_FEE_ASKED = re.compile(r"\b(?:fee|charge|penalty|cost|pay)\b.{0,40}\b(?:cancel\w*|"
                              r"resched\w*|mov(?:e|ing) (?:it|my|the)|no.?show)|\b(?:cancel\w*|"
                              r"resched\w*|no.?show)\b.{0,40}\b(?:fee|charge|penalty)\b|"
                              r"\bcancel\w*\b.{0,40}\b(?:fee|charge|penalty|cost|pay)\b|"
                              r"\b(?:fee|charge|penalty)s? if i (?:do|cancel|don'?t)", re.I)
# What a driver must have, asked ("what do i need to bring", "do i need my insurance card"); not
# the car brought in ("if i bring the ls in wed, what loaner do i get").
TO_HAVE_ASKED = re.compile(r"\bwhat (do|should|will|would|must) (i|we) (need to |have to )?"
                           r"(bring|have)\b|\bbring (anything|with me)\b|"
                           r"\b(documents?|paperwork|papers|licen[cs]e|insurance card|"
                           r"proof of insurance)\b", re.I)
# The kind of car the loaner is, asked: "if i get a loaner can it be a hybrid like my rx?".
KIND_ASKED = re.compile(r"\b(be|get|give me) (a|an) (hybrid|suv|sedan|ev|electric|plug-?in|"
                        r"[a-z]{2} ?\d{3}h?|[a-z]{2})\b|\blike (mine|my \w+)\b|"
                        r"\bsame (kind|type|model|one)\b", re.I)
# The size of the loaners asked about: "whats the biggest loaner", "any with a third row".
SIZE_ASKED = re.compile(r"\b(biggest|largest|smallest|bigger|larger|roomiest|third row|3rd row|"
                        r"seats? (7|seven|6|six)|(7|seven|6|six)[- ]seat\w*|room for|fit (\d|"
                        r"three|four|five|six|seven) (kids|people|car seats))\b", re.I)
# A person's age said or asked about ("hes 19", "how old do you have to be").
# A driver's age said: "he's 20", "my son (19)", "she is only 18".
AGE_SAID = re.compile(r"\b(?:he'?s|she'?s|they'?re|i'?m|im|is|am|are|only|just|son|daughter|"
                      r"kid|nephew|niece|grandson|granddaughter)\W{1,3}(?:only |just )?"
                      r"(1[0-9]|20)\b(?! ?(?:am|pm|min|mins|minutes|miles|mi|k)\b)", re.I)
LOANER_AGE = 21  # the youngest a loaner's driver may be, as the loaner policy says


def too_young_to_drive(text: str) -> bool:
    """Whether a text says the loaner's driver is younger than loaner drivers must be."""
    return any(int(age) < LOANER_AGE for age in AGE_SAID.findall(text))


AGE_ASKED = re.compile(r"\b(he'?s|she'?s|they'?re|i'?m|im|is|am|are|only|just) (1[0-9]|20)\b|"
                       # "my son (19) is gonna take the loaner"
                       r"\b(son|daughter|kid|nephew|niece|grandson|granddaughter|boy|girl)\W{1,3}"
                       r"(1[0-9]|20)\b|"
                       r"\b(years? old|yrs? old|how old|old enough|teen(ager)?s?|underage|age)\b",
                       re.I)

# What it takes to get one, asked: "what do i need to get a loaner", "any requirements".
TERMS_ASKED = re.compile(r"\bwhat (do|does|would|will) (i|we|you|one|someone) (need|require)"
                         r"( to (get|borrow|take|have|rent|use)| for)\b|\brequire(d|ments?)\b|"
                         r"\bwhat'?s needed\b|\bwhat is needed\b|\bqualify\b", re.I)


# What one may do with it, asked: "if i get a loaner can i take it to san antonio", "do i have
# to fill up the gas".
RULES_ASKED = re.compile(r"\bif (i|we) (get|take|have|borrow|end up with|use) (a|the|one of "
                         r"(your|ur|the)) loaners?\b.{0,30}\b(can|may|could|do|does|am|is|will|"
                         r"would)\b|\b(do|would|will|should|must) (i|we) (have to |need to |got to "
                         r"|gotta )?(fill|refuel|put gas|gas it|top it)|\b((full|same) (tank|fuel)"
                         r"|mileage|how (far|many miles)|rules?|polic(y|ies)|restrictions?|fine "
                         r"print)\b", re.I)


def loaner_terms_asked(text: str) -> bool:
    """Whether a text about a loaner asks what it takes to have one (what to bring, who may
    drive it, how old) or what one may do with it, not for one."""
    return any(rule.search(text) for rule in (TO_HAVE_ASKED, AGE_ASKED, TERMS_ASKED,
                                              RULES_ASKED))


@dataclass(frozen=True)
class Question:
    topic: str | None  # `ownership/<topic>`; None: the topic selector chose none
    owner_id: int | None
    services: list[str] = field(default_factory=list)  # the work a price question names
    cars_named: list[str] = field(default_factory=list)  # the car it names ("my lx"), if any
    text: str = ""  # the question as asked: the work it names when no entity said it
    context: list[str] = field(default_factory=list)  # the work offered or being booked


@dataclass(frozen=True)
class General:
    """The dealership's own answer on the topic; None: an advisor answers, at `service_phone`."""

    answer: str | None
    service_phone: str


@dataclass(frozen=True)
class Price:
    name: str
    description: str | None
    estimate: str | None  # "$89-129"; None: no charge
    most_if_work: int | None  # a free check that may lead to work costing up to this
    code: str = ""  # the menu's code for it


@dataclass(frozen=True)
class Prices:
    """What the menu says the work asked about costs; `offer`: the one service to book."""

    items: list[Price]
    offer: str | None


@dataclass(frozen=True)
class Quoted:
    """Nothing asked about is on the menu (pads, tires, labor): an advisor quotes it."""

    menu: list[Price]
    service_phone: str


@dataclass(frozen=True)
class Durations:
    """How long the work asked about takes (minutes each, and together)."""

    items: list[tuple[str, int]]  # (name, minutes)

    @property
    def total(self) -> int:
        return sum(minutes for _, minutes in self.items)


@dataclass(frozen=True)
class CarWarranty:
    car: str
    mileage: int | None
    coverages: list[ownership.CoverageStatus]  # none: nothing that can be stated


@dataclass(frozen=True)
class Warranty:
    cars: list[CarWarranty]


@dataclass(frozen=True)
class CarMaintenance:
    car: str
    due: ownership.MaintenanceDue


@dataclass(frozen=True)
class Maintenance:
    cars: list[CarMaintenance]
    offer_car: int | None  # the one car due now, to offer a visit for
    every_miles: int = 5000  # the dealership's interval, for "how often"
    every_months: int = 6
    free_months: int = 0  # maintenance free on a new car this long, or this far
    free_miles: int = 0


@dataclass(frozen=True)
class CarLease:
    car: str
    lease: ownership.LeaseEnd


@dataclass(frozen=True)
class Leases:
    cars: list[CarLease]  # none: no lease on file
    general: General  # what the dealership says about a lease's end, said after


@dataclass(frozen=True)
class Roadside:
    """Roadside assistance: what the dealership says of it, then for each of the owner's cars
    (the ones named, or all) the coverage it comes with, in force or ended."""

    general: General
    cars: list[tuple[str, ownership.CoverageStatus]]


@dataclass(frozen=True)
class Fleet:
    """The loaner fleet's models, and for each of the owner's cars (the ones named, or all)
    the loaner it is held for: its own line or the next one up, else a smaller one, else none."""

    models: list[str]  # "ES 350", newest lines first as the ladder goes up
    for_cars: list[tuple[str, str | None, bool]]  # (car, loaner model or none, a step down)
    # The loaners held for the owner's visits ahead: (the visit's start, the loaner).
    held: list[tuple[datetime, Loaner]] = field(default_factory=list)


@dataclass(frozen=True)
class Hours:
    """The hours, and what they are on the days a question names: closed for a holiday, closed
    that weekday every week, or open from one time to another."""

    general: General
    closed: list[tuple[date, str]]
    open_on: list[tuple[date, time, time]] = field(default_factory=list)
    closed_weekly: list[date] = field(default_factory=list)


# How far ahead a holiday asked about is named beside the hours, and a day's hours said.
HOLIDAYS_AHEAD = 21
DAYS_AHEAD = 60


def by_holidays(text: str, holidays: dict[date, str], today: date) -> set[date]:
    """The days a text names by a holiday, each the holiday's next: "thanksgiving", "christmas
    eve", "the friday after thanksgiving", "the day after christmas"."""
    said, found, seen = text.lower(), set(), set()
    for day, name in sorted(holidays.items()):
        word = re.sub(r"\s+day$", "", name.lower())
        # (each holiday's next one only; its eve counts from the eve)
        if day < today or word not in said or word in seen:
            continue
        seen.add(word)
        if re.search(rf"\b{word}'?s? eve\b", said):
            found.add(day - timedelta(1))
        elif m := re.search(rf"\b(day|{WEEKDAY_NAMES}) after {word}\b", said):
            after = day + timedelta(1)
            if m.group(1) != "day":
                after += timedelta((WEEKDAYS[m.group(1)] - after.weekday()) % 7)
            found.add(after)
        else:
            found.add(day)
    return {day for day in found if day >= today}

OwnershipAnswer = (General | Prices | Quoted | Durations | Warranty | Maintenance | Leases | Fleet
                   | Roadside | Hours)


def price(service: Service) -> Price:
    most = service.price_max if service.price_min == 0 and service.price_max > 0 else None
    return Price(service.name, service.description, services.estimate([service]), most,
                 service.code)


# Parts and labour: repairs an advisor quotes, whatever menu item their words share ("pads").
PARTS = re.compile(r"\b(pads?|rotors?|tires?|parts?|labou?r|struts?|shocks?|belts?|hoses?)\b",
                   re.IGNORECASE)


def asked_work(session: Session, question: Question, now: datetime) -> list[Service]:
    """The work a question is about: named by the entity extractor, in its words, or else the
    work just offered or being booked, or else the owner's next visit's ("how long will that
    all take?" once it is booked)."""
    if question.services:
        return services.resolve(session, question.services)[0]
    if found := services.mentioned(session, question.text):
        return found
    if question.context:
        return services.resolve(session, question.context)[0]
    ahead = appointments.upcoming(session, question.owner_id, now) if question.owner_id else []
    return list(ahead[0].services) if ahead else []


def named_at(name: str, text: str) -> int:
    """Where in `text` a menu item is first named by a word of its own ("alignment" for
    "Four-wheel alignment"), so several are answered in the order asked."""
    said = text.lower()
    places = [said.find(word[:5]) for word in re.findall(r"[a-z]{3,}", name.lower())
              if word not in ("inspection", "change", "service", "replacement")]
    return min((p for p in places if p >= 0), default=len(said))


def prices(session: Session, asked: list[str], phone: str, text: str = "",
           context: list[str] | None = None) -> Prices | Quoted:
    """The menu's prices for the work asked about: named by the entity extractor, or else in
    the question's words ("how much does an alignment run?"), or else the work just offered
    or being booked ("how much is that?")."""
    if asked:
        found = services.resolve(session, asked)[0]
        # "how much is an oil change and how much for an alignment": the extractor may name
        # one of them; the words name the rest
        more = [s for s in services.mentioned(session, text) if s not in found]
        found = sorted(found + more, key=lambda s: named_at(s.name, text)) if more else found
    elif PARTS.search(text):
        found = []
    else:
        found = services.mentioned(session, text) or \
            (services.resolve(session, context)[0] if context else [])
    if found:
        return Prices([price(s) for s in found], found[0].code if len(found) == 1 else None)
    return Quoted([price(s) for s in services.menu(session)], phone)


def maintenance(session: Session, cars: list[Vehicle], now: datetime) -> Maintenance:
    due = [CarMaintenance(car.label, ownership.maintenance_due(session, car, now.date()))
           for car in cars]
    due_now = [car.id for car, found in zip(cars, due, strict=True) if found.due.overdue]
    dealership = get_dealership(session)
    return Maintenance(due, due_now[0] if len(due_now) == 1 else None,
                       dealership.maintenance_miles, dealership.maintenance_months,
                       dealership.complimentary_months, dealership.complimentary_miles)


def loaners_held(session: Session, owner_id: int | None, now: datetime
                 ) -> list[tuple[datetime, Loaner]]:
    """The loaners reserved for the owner's visits ahead, the soonest first."""
    if owner_id is None:
        return []
    held = []
    for visit in appointments.upcoming(session, owner_id, now):
        reservation = appointments.loaner_of(session, visit)
        if reservation is not None:
            held.append((visit.starts_at, reservation.loaner))
    return held


def loaner_fleet(session: Session, question: Question, now: datetime) -> Fleet:
    cars = fleet.active(session)
    ladder = [str(x).upper() for x in get_dealership(session).loaner_ladder or []]
    lines = sorted({car.model_line for car in cars},
                   key=lambda line: ladder.index(line) if line in ladder else len(ladder))
    models = [next(c.model for c in cars if c.model_line == line) for line in lines]
    owned = vehicles.named_or_all(cars_of(session, question.owner_id), question.cars_named) \
        if question.owner_id is not None else []
    for_cars = []
    for car in owned:
        best = min((loaner for loaner in cars
                    if fleet.within_reach(loaner.model_line, car.model_line, ladder)),
                   key=lambda loaner: fleet.preference(loaner, car.model_line, ladder),
                   default=None)
        if best is None:  # nothing of its line, the next one up or smaller: a UX
            for_cars.append((car.label, None, False))
            continue
        down = car.model_line in ladder and best.model_line in ladder and \
            ladder.index(best.model_line) < ladder.index(car.model_line)
        for_cars.append((car.label, best.model, down))
    return Fleet(models, for_cars, loaners_held(session, question.owner_id, now))


def free_for_the_car(session: Session, question: Question, found: Prices, today: date
                     ) -> Prices:
    """Scheduled maintenance priced for the owner's car still in its complimentary maintenance
    ("how much will the tx's first service be?"): no charge. The car is the one named, or the
    owner's only car."""
    if question.owner_id is None or not any(
            item.code == services.MAINTENANCE for item in found.items):
        return found
    cars = cars_of(session, question.owner_id)
    named = [car for said in question.cars_named for car in vehicles.match(cars, said)]
    car = named[0] if len({c.id for c in named}) == 1 else cars[0] if len(cars) == 1 else None
    if car is None or not ownership.complimentary_on(session, car, today):
        return found
    return replace(found, items=[replace(item, estimate=None, most_if_work=None)
                                 if item.code == services.MAINTENANCE else item
                                 for item in found.items])


def answer(session: Session, question: Question, now: datetime) -> OwnershipAnswer:
    topic, today = question.topic, now.date()
    phone = display(get_dealership(session).service_phone)
    general = General(knowledge.answer(session, topic) if topic else None, phone)
    if CHANGE_FEE_ASKED.search(question.text) and \
            (changing := knowledge.answer(session, "changing_a_visit")):
        # "might have to cancel tmrw's appt, is there a fee if i do?": not the menu's prices
        return General(changing, phone)
    if topic == "pricing":
        found = prices(session, question.services, phone, question.text, question.context)
        if isinstance(found, Prices):
            found = free_for_the_car(session, question, found, today)
        if isinstance(found, Prices) and found.offer and question.owner_id is not None and any(
                found.offer in {s.code for s in visit.services}
                for visit in appointments.upcoming(session, question.owner_id, now)):
            return replace(found, offer=None)  # on a visit booked already: no offer to book it
        return found
    if topic == "hours":
        # "are yall open thurs or fri this week?" in Thanksgiving week: that it is closed then
        shop = scheduling.Shop.load(session)
        # (a holiday named as such: "will you be open on thanksgiving?", "christmas eve", "the
        # friday after thanksgiving")
        named = by_holidays(question.text, shop.holidays, today) or \
            days_named(question.text, today)
        named = {day for day in named if (day - today).days <= DAYS_AHEAD}
        closed = sorted((day, shop.holidays[day]) for day in named
                        if day in shop.holidays and (day - today).days <= HOLIDAYS_AHEAD)
        weekly = sorted(day for day in named if day not in shop.holidays and
                        day.weekday() not in shop.hours)
        open_on = sorted((day, *shop.hours[day.weekday()]) for day in named
                         if day not in shop.holidays and day.weekday() in shop.hours)
        return Hours(general, closed, open_on[:2], weekly[:1]) \
            if closed or weekly or open_on else general
    if topic == "service_time":
        work = asked_work(session, question, now)
        return Durations([(s.name, s.duration_minutes) for s in work]) if work else general
    if topic == "loaner_fleet" and not KIND_ASKED.search(question.text) and (
            AGE_ASKED.search(question.text) or
            TO_HAVE_ASKED.search(question.text) or RULES_ASKED.search(question.text)):
        # "do yall give loaners? my son is 19 and hed drive it": who may drive one, and what
        # to bring, are the loaner policy's
        return General(knowledge.answer(session, "loaner_policy"), phone)
    if topic == "loaner_fleet" or topic == "loaner_policy" and SIZE_ASKED.search(question.text):
        # ("whats the biggest loaner u guys have?": the cars, not the rules)
        return loaner_fleet(session, question, now)
    if topic not in CAR_TOPICS or question.owner_id is None or \
            topic == "maintenance_schedule" and WHAT_IS_DONE.search(question.text):
        return general  # ("whats included in that one": what a visit does, not when it's due)
    cars = vehicles.named_or_all(cars_of(session, question.owner_id), question.cars_named)
    if topic == "warranty":
        return Warranty([CarWarranty(car.label, car.mileage,
                                     ownership.coverages(session, car, today)) for car in cars])
    if topic == "roadside_assistance":
        return Roadside(general, [(car.label, coverage) for car in cars
                                  for coverage in ownership.coverages(session, car, today)
                                  if coverage.includes_roadside])
    if topic == "lease_end":
        leases = [CarLease(car.label, lease) for car in cars
                  if (lease := ownership.lease_end(car, today)) is not None]
        return Leases(leases, general)
    return maintenance(session, cars, now)
