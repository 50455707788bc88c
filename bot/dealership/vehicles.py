"""Which car an owner means: "the GX", "my rx350", "es".  Guests' cars by their model."""

from __future__ import annotations

import re

from bot.dealership.models import Vehicle


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9+]", "", text.lower())


def match(vehicles: list[Vehicle], text: str) -> list[Vehicle]:
    """The owner's vehicles that `text` names: by model ("rx 350"), line ("rx") or year."""
    said = _compact(text)
    if not said:
        return []
    by_model = [v for v in vehicles if _compact(v.model) in said or said in _compact(v.model)]
    if by_model:
        exact = [v for v in by_model if _compact(v.model) == said]
        return exact or by_model
    words = set(re.findall(r"[a-z]+|\d{4}", text.lower()))
    return [v for v in vehicles if v.model_line.lower() in words or str(v.year) in words] or \
        by_age(vehicles, text)


# "the old one", "the newer car": of two cars or more, the one of the oldest or newest year.
_AGE = re.compile(r"\b(?:the|my|our)\s+(old|older|oldest|new|newer|newest)"
                  r"(?:\s+(?:one|car|suv|vehicle|sedan|truck))?\b")


def by_age(vehicles: list[Vehicle], text: str) -> list[Vehicle]:
    """The owner's car a text points at by its age ("the old one lol"), when one alone is the
    oldest (or newest); [] otherwise."""
    said = _AGE.search(text.lower())
    if said is None or len(vehicles) < 2:
        return []
    years = sorted(v.year for v in vehicles if v.year)
    if not years:
        return []
    year = years[0] if said.group(1).startswith("old") else years[-1]
    found = [v for v in vehicles if v.year == year]
    return found if len(found) == 1 else []


# "the other car": of two, the one not just talked about.
OTHER_CAR = re.compile(r"\b(?:the|my|our)\s+other\s+(?:car|one|vehicle|suv)\b", re.IGNORECASE)


def other_than(vehicles: list[Vehicle], text: str, talked_about: str) -> list[Vehicle]:
    """"the other car" of two, the one not just talked about (`talked_about`: the reply that
    named one of them); [] otherwise."""
    if len(vehicles) != 2 or not OTHER_CAR.search(text):
        return []
    named = [v for v in vehicles if v.label.lower() in talked_about.lower()]
    return [v for v in vehicles if v not in named] if len(named) == 1 else []


# "my lx", "the 2021 rx 350", "our gx": a car named after a word that points at one. A bare
# two-letter line alone is not enough ("is" is a word before it is a Lexus).
_POINTED = re.compile(
    r"\b(?:my|the|an?|our|his|her|their|wife'?s|husband'?s|son'?s|daughter'?s)\s+"
    r"(?:(?:old|new|other|older|newer)\s+)?"  # "the old es"
    # (not a word of two letters: "give it a go", "a ok")
    r"(?!(?:go|no|ok|hi|so|do|up|me|us|to|in|on|at|it|or|as|by|be|we|he|an|am|if|of)\b)"
    r"((?:(?:19|20)\d\d\s+)?[a-z]{2}(?:\s?\d{3}[a-z+]*)?)(?!\w)")


# "...checked saturday 2021 NX 300h": a car named by its year and line, pointed at or not ("is"
# only with its number: "2026 is fine" is a date).
_YEAR_LINE = re.compile(
    r"\b((?:19|20)\d\d\s+(?:lexus\s+)?(?:is\s?\d{3}[a-z+]*|"
    r"(?!(?:go|no|ok|hi|so|do|up|me|us|to|in|on|at|it|or|as|by|be|we|he|an|am|if|of|is)\b)"
    r"[a-z]{2}(?:\s?\d{3}[a-z+]*)?))(?!\w)")


# The model lines a text may name a car by ("is that seat recall on the gx still open").
LINES = frozenset({"ux", "is", "es", "nx", "rz", "rx", "tx", "gx", "lc", "lx", "ls", "gs", "rc",
                   "ct", "hs", "lm", "sc"})


def named_in(text: str) -> str | None:
    """The car a whole message points at ("...came on yesterday on my lx" -> "lx"), if any."""
    found = _POINTED.search(text.lower()) or _YEAR_LINE.search(text.lower())
    return found.group(1) if found else None


def all_named_in(text: str) -> list[str]:
    """Every car a message points at, in order: "is it for the es or the gx?" -> es, gx."""
    said = text.lower()
    found = sorted([*_POINTED.finditer(said), *_YEAR_LINE.finditer(said)],
                   key=lambda m: m.start())
    return list(dict.fromkeys(m.group(1) for m in found))


# "its for my tesla model 3", "a 2015 honda civic": a car of another make named as the answer
# to "which car?", which the models read as outside the dealership's work. Not a person ("for my
# wife") and only in a short text, so a sentence about something else is not taken for a car.
_OTHER_CAR = re.compile(
    r"^(?:(?:(?:it'?s|its|it is|is|for|the one for|on|that'?s|thats)\s+)+(?:my|a|an|the|our)|"
    r"my|our)\s+"
    r"((?:(?:19|20)\d\d\s+)?[a-z][a-z-]+(?:\s+[a-z0-9-]+){0,2})\s*[.!]*$")
_PEOPLE = re.compile(r"\b(wife|husband|son|daughter|mom|mother|dad|father|friend|boss|kid|"
                     r"kids|family|partner|girlfriend|boyfriend|neighbou?r|self|mistake|bad)\b")


# Makes the dealership does not sell, named in a text: "its for my ferrari, rotation tmrw".
_OTHER_MAKE = re.compile(
    r"\b(?:my|our|the|a|an)\s+((?:(?:19|20)\d\d\s+)?(?:acura|audi|bmw|buick|cadillac|chevy|"
    r"chevrolet|chrysler|dodge|ferrari|fiat|ford|genesis|gmc|honda|hyundai|infiniti|jaguar|jeep|"
    r"kia|lamborghini|land rover|range rover|lincoln|maserati|mazda|mercedes(?:-benz)?|benz|"
    r"mitsubishi|nissan|porsche|rivian|subaru|tesla|toyota|volkswagen|vw|volvo)"
    r"(?:\s+(?!(?:for|and|but|or|to|on|at|in|is|was|this|next|tire|tires|oil|today|tonight|"
    r"tomorrow|tmrw|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|\w+day|actually|instead|though|"
    r"lol|pls|please|now|too|also|then|not|sorry|needs?|has|have|had|makes?|making|keeps?|"
    r"won'?t|wont|just|got|gets?|should|can|could|will|would|did|does|do|with|that|which|"
    r"the|a|an|my|it|its|needing|wants?|broke|died)\b)[a-z0-9-]+){0,2})\b",
    re.IGNORECASE)


def other_make(text: str) -> str | None:
    """A car of a make the dealership does not sell, named anywhere in the text ("its for my
    ferrari, tire rotation tmrw" -> "ferrari")."""
    found = _OTHER_MAKE.search(text)
    return found.group(1).strip() if found else None


def other_car(text: str) -> str | None:
    """The car a short answer names when it is none the models know ("its for my tesla model 3"
    -> "tesla model 3"), if it reads as one."""
    found = _OTHER_CAR.match(text.lower().strip())
    if not found or _PEOPLE.search(found.group(1)):
        return None
    return found.group(1)


CORRECTION = re.compile(r"\b(no wait|wait no|actually|i mean|i meant(?: to say)?|meant to say|"
                        r"scratch that|my bad|sorry|oops|whoops|wrong car)\b[,.!]*")


def corrected(text: str) -> str | None:
    """What follows the owner's last correction of themselves, up to the end of its clause
    ("the ES. no wait sorry its the GX, my wife has the ES" -> "its the GX"); None without one."""
    found = list(CORRECTION.finditer(text.lower()))
    if not found:
        return None
    rest = text[found[-1].end():].strip()
    # "not the gx, the es" / "make it the es not the gx": the car refused is left out
    rest = re.sub(r"^(?:not|no)\s+(?:the|my)\s+\w+\s*[,;]?\s*", "", rest, flags=re.IGNORECASE)
    clause = re.split(r"[,.;!?]", rest, maxsplit=1)[0].strip()
    clause = re.split(r"\s+(?:not|instead of|rather than)\s+(?:the|my)\b", clause,
                      maxsplit=1, flags=re.IGNORECASE)[0].strip()
    return clause or None


# Another car named only as a reference: "same time as the LX", "like the gx last time".
REFERENCE = re.compile(r"\b(?:(?:at )?the same (?:time|day|hour|slot)(?: as)?|same time as|"
                       r"right after|right before|along ?side|together with|like|as|than|"
                       # a car refused: "the es, not the gx"
                       r"not|instead of|rather than) "
                       r"(?:the|my|our)\s+[a-z]{2}\b(?:\s?\d{3}[a-z+]*)?(?:'?s)?",
                       re.IGNORECASE)


# A car wished for as the loaner, not one to book: "can i get a loaner? an LS would be sweet".
LOANER_WISHED = re.compile(r"\b(?:loaners?|courtesy car|rental)\b\W{0,3}(?:\w+\W+){0,3}?(?:a|an)\s+"
                           r"[a-z]{2}(?:\s?\d{3}[a-z+]*)?\b|"
                           r"\b(?:a|an)\s+[a-z]{2}(?:\s?\d{3}[a-z+]*)?\s+(?:loaner|would be|'d be|"
                           r"is fine)\b", re.IGNORECASE)


# A car put off for now, not the one to book: "rotation sat at 10. gx another time".
PUT_OFF = re.compile(r"\b(?:the |my )?[a-z]{2}(?:\s?\d{3}[a-z+]*)?(?:'?s \w+)?\s+(?:can wait|"
                     r"(?:some )?(?:other|another) (?:time|day|week|month)|next time|"
                     r"(?:some ?time|maybe) later|not (?:now|yet|this time))\b", re.IGNORECASE)


def without_references(text: str) -> str | None:
    """The text without the cars it names only as a reference ("oil change on my ES tmrw, same
    time as the LX" -> "oil change on my ES tmrw,"), as the loaner wished for or as put off for
    now; None when it names none."""
    rest = PUT_OFF.sub(" ", LOANER_WISHED.sub(" ", REFERENCE.sub(" ", text)))
    return rest if rest != text else None


def guest_model(text: str, lines: list[str]) -> str | None:
    """A model named by a guest ("an rx350" -> "RX 350"; "my nx" -> "NX"), if it is one we know."""
    for token in re.findall(r"\b[a-z]{2}\s?\d{3}[a-z+]*|\b[a-z]{2}\b", text.lower()):
        m = re.fullmatch(r"([a-z]{2})\s?(\d{3}[a-z+]*)?", token)
        if m and m.group(1).upper() in lines:
            return f"{m.group(1).upper()} {m.group(2)}" if m.group(2) else m.group(1).upper()
    return None


def guest_year(text: str, model: str) -> int | None:
    """The model year a guest says right before the model ("a 2019 rx 350" -> 2019); not a
    year elsewhere in the message ("on 12/3/2026")."""
    line = re.escape(model.split()[0].lower())
    found = re.search(rf"\b((?:19|20)\d\d)\s+{line}", text.lower())
    return int(found.group(1)) if found else None


def split_label(label: str) -> tuple[int | None, str]:
    """"2019 RX 350" -> (2019, "RX 350"); "RX 350" -> (None, "RX 350")."""
    found = re.fullmatch(r"((?:19|20)\d\d)\s+(.+)", label.strip())
    return (int(found.group(1)), found.group(2)) if found else (None, label.strip())


def named_or_all(cars: list[Vehicle], said: list[str]) -> list[Vehicle]:
    """The cars `said` names ("my gx", "the es or the gx"), or all of them."""
    found = [car for text in said for car in match(cars, text)]
    return list({id(car): car for car in found}.values()) or cars
