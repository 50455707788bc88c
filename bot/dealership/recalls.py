"""Open recalls, the use case: on the VIN an owner sends, or on the owner's cars (the one the
message names, or all), and the one car whose free fix to offer to book. Conversation-free: the
caller chooses the words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.dealership import ownership, vehicles
from bot.dealership.owners import cars_of

# Words of a question that name no recall.
PLAIN = {"what", "about", "recall", "recalls", "letter", "that", "this", "there", "with",
         "have", "does", "mine", "open", "still", "also", "from", "they", "sent", "mail"}


@dataclass(frozen=True)
class RecallRequest:
    owner_id: int | None
    vin: str | None = None  # a VIN sent: its car's recalls, whoever's it is
    cars_named: list[str] = field(default_factory=list)  # the car the message names, if any


@dataclass(frozen=True)
class OpenRecall:
    campaign: str
    title: str
    remedy: str
    description: str = ""  # what can happen until it is fixed


@dataclass(frozen=True)
class CarRecalls:
    car: str | None  # the owner's car's label; None: a car known only by the VIN sent
    vin: str | None
    recalls: list[OpenRecall]  # the safety risks first
    safety: bool  # any of them a safety risk
    done: list[OpenRecall] = field(default_factory=list)  # recalls already remedied


@dataclass(frozen=True)
class Recalls:
    cars: list[CarRecalls]
    fix_car: int | None  # the owner's one car with open recalls, to offer the fix for


def on_car(session: Session, car: str | None, vin: str | None) -> CarRecalls:
    found = ownership.open_recalls(session, vin) if vin else []
    done = ownership.remedied_recalls(session, vin) if vin else []
    return CarRecalls(car, vin, [OpenRecall(r.campaign, r.title, r.remedy, r.description or "")
                                 for r in found],
                      any(r.safety_risk for r in found),
                      [OpenRecall(r.campaign, r.title, r.remedy) for r in done])


def done_named(found: Recalls, text: str) -> list[tuple[str | None, OpenRecall]]:
    """The recalls already remedied that a question names by a word of their title or their
    campaign ("what about the wiper one i got a letter about"), with their car."""
    said = {singular(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 4} - PLAIN
    return [(car.car, recall) for car in found.cars for recall in car.done
            if said & {singular(w) for w in re.findall(r"[a-z0-9]+", f"{recall.title} "
                                                                     f"{recall.campaign}".lower())}]


# Trouble of now told beside a recall asked about: "my wipers just quit, is this that recall?"
TROUBLE_NOW = re.compile(r"\b(quit|stopped|stop working|not working|isn'?t working|won'?t work|"
                         r"wont work|doesn'?t work|broke|broken|failed|came (off|loose|apart)|"
                         r"fell off|acting up|keeps?|still)\b")


def trouble_told(text: str) -> bool:
    return bool(TROUBLE_NOW.search(text.lower()))


def singular(word: str) -> str:
    """"wipers" as "wiper": a title names one, an owner often several."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


# Words of a recall's title that say nothing of the part it fixes.
NOT_A_PART = {"second", "first", "third", "fully", "update", "software", "some", "vehicles",
              "front", "rear", "side", "left", "right", "driver", "passenger", "may", "might",
              "could", "fail", "properly", "correctly", "inadvertently"}


def told_of(session: Session, vin: str | None, text: str) -> OpenRecall | None:
    """The open recall on the car `vin` whose title names a part the trouble told of names too
    ("the back seat in my gx slid forward" and "Second-row seat latch may not fully lock"):
    maybe the trouble is what the recall fixes."""
    said = {singular(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4} - PLAIN
    for recall in on_car(session, None, vin).recalls if vin else []:
        title = {singular(w) for w in re.findall(r"[a-z]+", recall.title.lower()) if len(w) >= 4}
        if said & (title - NOT_A_PART - PLAIN):
            return recall
    return None


def open_named(session: Session, owner_id: int, text: str) -> bool:
    """Whether `text` names an open recall of the owner's cars by what it fixes, in two words
    of its title or more ("can u also do that charging timer update thing")."""
    said = {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 4} - PLAIN
    if len(said) < 2:
        return False
    for car in cars_of(session, owner_id):
        for recall in ownership.open_recalls(session, car.vin):
            title = {w for w in re.findall(r"[a-z0-9]+", recall.title.lower()) if len(w) >= 4}
            if len(said & title) >= 2:
                return True
    return False


def find_recalls(session: Session, request: RecallRequest) -> Recalls:
    owner_id, vin = request.owner_id, request.vin
    if vin is not None:
        car = ownership.car_by_vin(session, vin)
        # Only the owner's own car is named; anyone else's is known by its VIN alone.
        mine = car if car is not None and owner_id is not None and car.owner_id == owner_id \
            else None
        found = on_car(session, mine.label if mine else None, vin)
        return Recalls([found], mine.id if mine and found.recalls else None)
    cars = vehicles.named_or_all(cars_of(session, owner_id) if owner_id is not None else [],
                                 request.cars_named)
    lines = [on_car(session, car.label, car.vin) for car in cars]
    due = [car.id for car, found in zip(cars, lines, strict=True) if found.recalls]
    return Recalls(lines, due[0] if len(due) == 1 else None)
