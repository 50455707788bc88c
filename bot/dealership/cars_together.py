"""Several of an owner's cars in one booking ("can you take both my cars sat morning? ls needs an
oil change, rz a tire rotation"): which cars, and the work named for each. They come in
together, at one time and with one ride; each gets a visit of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.dealership import appointments, services
from bot.dealership.models import Vehicle
from bot.dealership.owners import cars_of
from bot.dealership.vehicles import LOANER_WISHED


@dataclass(frozen=True)
class CarWork:
    vehicle_id: int
    car: str  # the car's label ("2023 RZ 450e")
    services: list[str]  # menu codes

    def as_slot(self) -> dict[str, object]:
        return {"vehicle_id": self.vehicle_id, "car": self.car, "services": self.services}

    @classmethod
    def from_slot(cls, value: dict[str, object]) -> CarWork:
        return cls(int(str(value["vehicle_id"])), str(value["car"]),
                   [str(code) for code in value.get("services") or []])  # type: ignore[attr-defined]


# Every car of the owner's, without naming them: "both my cars", "both of them", "the two cars".
ALL_CARS = re.compile(
    r"\bboth\s+(?:of\s+)?(?:(?:my|our|the|these|those)\s+)?"
    r"(?:cars|vehicles|lexus(?:es)?|of (?:them|em))\b"
    r"|\b(?:all|each)\s+(?:of\s+)?(?:my|our|the)\s+(?:cars|vehicles)\b"
    r"|\b(?:the|my|our)\s+(?:two|2)\s+(?:cars|vehicles)\b")
# "both" said alone, in answer to "which car?"
BOTH_ALONE = re.compile(r"\W*(both|both of them|both please|all|all of them|the two|each)\W*")
# A car joined to a booking under way: "oh and the rz...", "the rz too", "also my gx".
ADDED = re.compile(r"\b(and|also|too|as well|plus|both|second|other|another|same time|"
                   r"while (it'?s|you'?re|ur|u r)|at once|together)\b")
# A car named instead of the one being booked: "actually do the gx instead".
SWITCHED = re.compile(r"\b(instead|actually|rather|not the|switch|wrong car|i meant|i mean|"
                      r"scratch that|no wait|wait no|change (it|that) to)\b")
# Work named only to point at the booking under way: "same time as my oil change".
POINTING_BACK = re.compile(
    r"\b(?:same (?:time|day|slot)|together|along|at once)\s+(?:as|with)\s+"
    r"(?:my|the|our|his|her|that)\b[^,.;!?]*")
# A car named to point at its visit, not to bring it: "shuttle like the lx", "same as my rx".
# So is a car said to be in already: "the lx is already in at 130", "my rx is coming in tmrw".
REFERENCE = re.compile(r"\b(?:like|than|as)\s+(?:my|the|our|his|her)\s+\w+(?:\s?\d{3}\w*)?|"
                       r"\b(?:my|the|our|his|her)\s+\w+(?:\s?\d{3}\w*)?(?:\s+is|'s)\s+"
                       r"(?:already|coming in|booked|in there|there)\b")
# Lines that are everyday words too: named only in capitals or after a word that points.
EVERYDAY_WORDS = {"is"}
POINTERS = r"(?:my|the|our|his|her|their|wife'?s|husband'?s|son'?s|daughter'?s|other|old|new)"


def _mentions(car: Vehicle, text: str) -> list[int]:
    """Where in `text` the car is named: its line ("rz"), or its model ("rz 450e")."""
    line = re.escape(car.model_line.lower())
    found = []
    for hit in re.finditer(rf"(?<![\w-]){line}(?:\s?\d{{3}}\w*)?(?![\w-])", text, re.IGNORECASE):
        word = text[hit.start():hit.start() + len(car.model_line)]
        if car.model_line.lower() in EVERYDAY_WORDS and not word.isupper() and \
                not re.search(rf"\b{POINTERS}\s+$", text[:hit.start()].lower()):
            continue
        found.append(hit.start())
    return found


def _named(cars: list[Vehicle], text: str) -> list[tuple[int, Vehicle]]:
    """The cars `text` names, each at its first mention, in the order they are named; a car
    named twice by line is not counted when two cars share the line, nor one only pointed at
    ("like the lx")."""
    text = POINTING_BACK.sub(_blank, LOANER_WISHED.sub(_blank, REFERENCE.sub(_blank, text)))
    lines = [car.model_line.lower() for car in cars]
    named = []
    for car in cars:
        if lines.count(car.model_line.lower()) > 1:
            continue  # "the rx" of two RXs names neither: which one is asked
        if at := _mentions(car, text):
            named.append((at[0], car))
    return sorted(named, key=lambda pair: pair[0])


def cars_named(cars: list[Vehicle], text: str) -> list[Vehicle]:
    """The cars of `cars` a text names, in the order named ("my ls appointment": the LS)."""
    return [car for _, car in _named(cars, text)]


def _blank(found: re.Match[str]) -> str:
    return " " * len(found.group(0))  # what follows keeps its place


def _work(session: Session, text: str) -> list[str]:
    return [item.code for item in services.mentioned(session, POINTING_BACK.sub(" ", text))]


# Work said before the car it is for: "an oil change on the old es", "a rotation for the gx".
ON_CAR = re.compile(rf"\b(?:on|for|in|to)\s+(?:{POINTERS}\s+)*$", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[,;.!?]|\b(?:and|also|plus|then)\b", re.IGNORECASE)


def _begins(text: str, start: int, at: int) -> int:
    """Where what is said for the car named at `at` begins: at its name, or, when its work is
    said before it ("and a tire rotation on the gx"), at that clause."""
    before = text[start:at]
    if not ON_CAR.search(before):
        return at
    return start + max((hit.end() for hit in CLAUSE_BREAK.finditer(before)), default=0)


def _split(session: Session, text: str, named: list[tuple[int, Vehicle]],
           cars: list[Vehicle]) -> list[CarWork]:
    """The work for each car: what is said for it, from its name (or the clause before it that
    names work "on the es") to the next car's; a car with none of its own takes what was said
    before any car was named, else the car's before it."""
    begins = [_begins(text, named[index - 1][0] if index else 0, at)
              for index, (at, _) in enumerate(named)]
    shared = _work(session, text[:begins[0]]) if named else _work(session, text)
    own: dict[int, list[str]] = {}
    for index, (_, car) in enumerate(named):
        end = begins[index + 1] if index + 1 < len(named) else len(text)
        own[car.id] = _work(session, text[begins[index]:end])
    result: list[CarWork] = []
    for car in cars:
        work = own.get(car.id) or shared or (result[-1].services if result else [])
        result.append(CarWork(car.id, car.label, list(work)))
    return result


def work_by_car(session: Session, owner_id: int, text: str) -> list[CarWork]:
    """The owner's cars a booking's message names, when it names more than one ("both my
    cars", "the ls and the rz"), each with the work named for it; [] otherwise."""
    cars = cars_of(session, owner_id)
    if len(cars) < 2:
        return []
    named, lowered = _named(cars, text), text.lower()
    if SWITCHED.search(lowered):
        return []  # "the es. no wait, the gx": one car, corrected
    if len(named) >= 2 and ADDED.search(lowered):
        return _split(session, text, named, [car for _, car in named])
    if ALL_CARS.search(lowered):
        # The named ones first, in the order named; then the rest as the account lists them.
        order = [car for _, car in named] + [car for car in cars
                                             if car.id not in {c.id for _, c in named}]
        return _split(session, text, named, order)
    return []


def both_answered(session: Session, owner_id: int, text: str, codes: list[str]
                  ) -> list[CarWork]:
    """"both" in answer to "which car is it for?": every car of the owner's, each for the work
    asked already; [] for any other answer."""
    cars = cars_of(session, owner_id)
    if len(cars) < 2 or not (BOTH_ALONE.fullmatch(text.lower()) or
                             ALL_CARS.search(text.lower())):
        return []
    return [CarWork(car.id, car.label, list(codes)) for car in cars]


def car_added(session: Session, owner_id: int, text: str, booking_vehicle_id: int,
              codes: list[str], beside: list[CarWork]) -> CarWork | None:
    """Another of the owner's cars joined to the booking under way ("oh and the rz needs a tire
    rotation, same time as my oil change"), with the work named for it (the booking's own work
    when none is: "the rz too"); None when the text names no other car, or switches to it
    ("actually do the gx instead")."""
    lowered = text.lower()
    if not ADDED.search(lowered) or SWITCHED.search(lowered):
        return None
    cars = [car for car in cars_of(session, owner_id)
            if car.id != booking_vehicle_id and car.id not in {c.vehicle_id for c in beside}]
    named = _named(cars, text)
    if len(named) != 1:
        return None
    at, car = named[0]
    work = _work(session, text[at:]) or _work(session, text) or list(codes)
    return CarWork(car.id, car.label, work)


# A time asked as another visit's: "same time", "same slot as the lx", "together with the rx".
SAME_TIME = re.compile(r"\bsame (time|slot)\b|\b(together|along) with (my|the|our)\b"
                       r"|\bwhen (my|the|our) \w+ (is|comes) in\b")


def same_time_as(session: Session, owner_id: int, text: str, vehicle_id: int | None,
                 now: datetime) -> datetime | None:
    """The time of the visit booked already that a booking asks to come in with ("put the es
    in then too, same time, shuttle like the lx"): another car's visit the text names, or the
    only one; None when it asks no such thing, or which visit is unclear."""
    if not SAME_TIME.search(text.lower()):
        return None
    cars = {car.id: car for car in cars_of(session, owner_id)}
    booked = [visit for visit in appointments.upcoming(session, owner_id, now)
              if visit.vehicle_id != vehicle_id and visit.vehicle_id in cars]
    named = [visit for visit in booked if _mentions(cars[visit.vehicle_id], text)]
    pick = named or booked
    return pick[0].starts_at if len({visit.starts_at for visit in pick}) == 1 else None
