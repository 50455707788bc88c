"""Ownership questions (the retrieval intent `ownership/<topic>`) and recalls.

The topic comes from the topic selector; the answer from the dealership's knowledge rows, or,
for warranty, maintenance and lease, from the owner's own cars, and for prices from the service
menu. A car-specific answer that leads
to a visit offers to book it: a "yes" then starts the booking with the service filled in.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.asked_before import books_the_visit_asked_about
from actions.common import (
    aside_done,
    book_offered,
    book_visit,
    booked_lately,
    cars_said,
    in_session,
    move_asked_again,
    offer_visit,
    owner_id_of,
    previous_reply,
    recall_risk_asked,
    said_for_this_text,
    said_this_text,
    say_ok,
    slot_before_this_turn,
    start_booking,
    texts_for_this_text,
    whole_text,
    work_just_added,
)
from actions.departments import ActionAnswerDepartment, clock_time, team_followed_up
from actions.phrases import duration_text, when_text
from actions.recalls import COST, HOW_LONG, fix_asked_about
from bot.dealership import ownership, reports, vehicles
from bot.dealership.dates import WEEKDAY_NAMES, parse_when
from bot.dealership.departments import FINANCE, for_finance
from bot.dealership.joining import visit_named
from bot.dealership.owners import cars_of
from bot.dealership.ownership_questions import (
    AGE_ASKED,
    BRING_ASKED,
    WHAT_IS_DONE,
    Durations,
    Fleet,
    General,
    Hours,
    Leases,
    Maintenance,
    OwnershipAnswer,
    Price,
    Prices,
    Question,
    Quoted,
    Roadside,
    Warranty,
    answer,
    loaner_terms_asked,
)
from bot.dealership.problems import phones
from bot.dealership.profile import local_now
from bot.dealership.replies import joins_visit_asked, rides_compared
from bot.dealership.triage import category_rule, triage
from bot.dealership.vehicles import match
from bot.dealership.visits import work_of_visit
from bot.wording import fits, joined, say

# The whole answer asked for, however long: "the full loaner policy", "all of it".
WHOLE_ASKED = re.compile(r"\b(?:full|whole|entire|complete) (?:policy|thing|answer|list|rules|"
                         r"version|details)\b|\ball of it\b|\bin full\b", re.IGNORECASE)
# What is said: a named response and its variables.
Say = tuple[str, dict[str, Any]]


def terms_asked(tracker: Tracker) -> bool:
    """A loaner asked about, not asked for: "what must i bring to borrow a loaner car?", read
    as a request for one, which names no work and no day."""
    message = tracker.latest_message
    said = {e.get("entity") for e in message.get("entities", [])}
    return (message.get("intent") or {}).get("name") == "request_loaner" and \
        not tracker.active_loop.get("name") and not {"service", "when"} & said and \
        loaner_terms_asked(message.get("text") or "")


def asked_topic(tracker: Tracker) -> str | None:
    """The topic asked about; for a follow-up not read as a question of its own ("ok and
    saturday?", bot/policies/follow_ups.py), the topic of the question it follows."""
    message = tracker.latest_message
    if (message.get("intent") or {}).get("name") != "ownership" and not terms_asked(tracker):
        earlier = [e for e in tracker.events if e.get("event") == "user"][-2:-1]
        if earlier and DAY_ASKED.search(message.get("text") or "") and \
                "hours" in topics_of_text(tracker, earlier[0]):
            # "what about the friday after thanksgiving" after "open sundays? need my car
            # looked at": the hours, whatever the text's other part asked
            return "hours"
        message = (earlier[0].get("parse_data") or {}) if earlier else message
    topic = topic_of(message)
    # (a topic of its own asked that way stays it: "what about roadside, do i still have that?")
    if topic in (None, "pricing") and WHAT_ABOUT.search(message.get("text") or "") and \
            WARRANTY_TOLD & set(previous_reply(tracker)):
        # "what about the rest of the car, like the engine?" right after a warranty answer
        return "warranty"
    if topic == "maintenance_schedule" and MILES_OF_IT.search(message.get("text") or "") and \
            LOANERS_TOLD & set(previous_reply(tracker)):
        # "and how many miles can i drive it" right after the loaners were told of: the loaner's
        return "loaner_policy"
    if topic == "pricing" and loaner_cost_asked(message, previous_reply(tracker)):
        # "is it free? my husband would drive it mostly" right after a loaner was spoken of
        return "loaner_policy"
    if topic == "pricing" and "utter_maintenance_complimentary" in previous_reply(tracker) and \
            cost_of_it(message):
        # "ok lets do early dec then. is it free?" right after the maintenance due was said to
        # be complimentary: that it is (the menu's price would not be what this owner pays)
        return "maintenance_schedule"
    return topic


# A cost asked ("is it free?", "is there a fee for that"), and words that name the work it is
# of: asked of "it", no work named, it is of what was just spoken of.
COST_OF_IT = re.compile(r"\b(free|cost\w*|charge\w*|pay|fee|price)\b", re.IGNORECASE)
WORK_WORDS = re.compile(r"\b(oil|rotat|brake|align|inspect|maint|diagnos|batter|detail|recall|"
                        r"service|visit|repair|fix|tire|cancel|move)\w*", re.IGNORECASE)


def cost_of_it(message: dict[str, Any]) -> bool:
    """Whether a price question asks the cost of something it names no work of ("is it free?")."""
    text = str(message.get("text") or "")
    return not any(e.get("entity") == "service" for e in message.get("entities") or []) and \
        bool(COST_OF_IT.search(text)) and not WORK_WORDS.search(text)


def loaner_cost_asked(message: dict[str, Any], replied: list[str | None]) -> bool:
    """Whether a price question is of the loaner: it says "loaner", or asks the cost of "it"
    right after a loaner was spoken of, and names no work."""
    if not cost_of_it(message):
        return False
    return bool(re.search(r"\bloaners?\b", str(message.get("text") or ""), re.IGNORECASE)) or \
        any("loaner" in (r or "") for r in replied)


WARRANTY_TOLD = {"utter_warranty", "utter_warranty_runs", "utter_warranty_partly",
                 "utter_warranty_ended", "utter_coverage_asked_runs",
                 "utter_coverage_asked_ended"}
# A follow-up that names another part of the same subject: "what about the engine?".
WHAT_ABOUT = re.compile(r"^\W*(?:and |ok |so )?(?:what|how) about\b|^\W*and (?:the|my) \w+\?",
                        re.IGNORECASE)
LOANERS_TOLD = {"utter_loaner_fleet", "utter_loaner_for_car", "utter_loaner_for_car_smaller",
                "utter_ownership/loaner_fleet", "utter_ownership/loaner_policy"}
# Miles asked of "it", no car named: of whatever was just spoken of.
MILES_OF_IT = re.compile(r"\b(how (many|much) (miles|mileage)|how far)\b.{0,30}\b(it|that|one)\b",
                         re.IGNORECASE)


def topic_of(message: dict[str, Any]) -> str | None:
    selected = message.get("response_selector", {}).get("ownership", {})
    key = selected.get("response", {}).get("intent_response_key") or ""
    return key.split("/", 1)[1] if "/" in key else None


# A day named in a follow-up: "and saturday?", "what about christmas eve", "the day after".
DAY_ASKED = re.compile(rf"\b({WEEKDAY_NAMES})s?\b|\b(today|tomorrow|"
                       r"tmrw|thanksgiving|christmas|new year'?s|holidays?|eve|day after|weekends?)"
                       r"\b", re.IGNORECASE)


def topics_of_text(tracker: Tracker, last: dict[str, Any]) -> set[str]:
    """The topics of every part of the text whose last part is `last`."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    found: set[str] = set()
    for event in reversed(users[:users.index(last) + 1]):
        if topic := topic_of(event.get("parse_data") or {}):
            found.add(topic)
        if int((event.get("metadata") or {}).get("part") or 1) <= 1:
            break
    return found


def day(value) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def miles(value: int) -> str:
    return say("utter_miles", miles=f"{value:,}")


def about(mileage: int | None) -> str:
    """" (about 31,000 mi now)" after the car's name, when its mileage is known."""
    return f" {say('utter_mileage_now', miles=miles(mileage))}" if mileage else ""


def coverage_text(coverage: ownership.CoverageStatus) -> str:
    """"Basic runs to Feb 27, 2027 or 50,000 mi, whichever comes first", "Basic ended ..."."""
    words = {"name": coverage.name, "ends_on": day(coverage.ends_on),
             "ends_at": miles(coverage.ends_at_miles)}
    if coverage.active:
        return say("utter_coverage_runs", **words)
    if coverage.ended_by == "date":
        return say("utter_coverage_ended_on", **words)
    return say("utter_coverage_ended_at", **words)


# What a coverage covers, asked: "what does that one cover", "is the engine covered?".
WHAT_COVERED = re.compile(r"\bwhat(?:'?s| is| does| do)?\b.{0,25}\bcover(?:s|ed|age)?\b|"
                          r"\bcover(?:s|ed)? what\b", re.IGNORECASE)


def covers_lines(found: Warranty, asked: str) -> list[Say]:
    """What each coverage asked about covers: the one named ("what does powertrain cover"),
    or else those still in force on the owner's cars."""
    said = asked.lower()
    every = [c for car in found.cars for c in car.coverages]
    named = [c for c in every if c.name.lower() in said]
    chosen = named or [c for c in every if c.active]
    return [("utter_coverage_covers", {"name": c.name, "covers": c.covers})
            for c in {c.name: c for c in chosen if c.covers}.values()]


# Words that name no coverage but the rest of the car, which the broadest coverage (the data's
# first) answers: "what about everything else, like if the ac breaks".
REST_OF_CAR = re.compile(r"\b(?:everything else|anything else|rest of (?:the|my) (?:car|suv)|other "
                         r"(?:stuff|things|parts)|bumper[- ]to[- ]bumper|a/?c|air ?con\w*|heater|"
                         r"screen|radio|stereo|electronics?|sunroof|windows?|seats?|door|locks?|"
                         r"navigation|nav|infotainment|suspension|steer(?:ing)?)\b", re.IGNORECASE)
# Words of a coverage's own description that point at it ("is the engine covered?").
NAMED_PARTS = re.compile(r"\b(engine|transmission|transaxle|drive ?train|hybrid)\b", re.IGNORECASE)


def coverage_asked(found: Warranty, asked: str) -> list[tuple[str, ownership.CoverageStatus]]:
    """The coverage a question points at, on each car it applies to: by its name ("is the
    hybrid battery still under warranty"), a part its description names ("the engine"), or the
    rest of the car (the broadest, listed first)."""
    said = asked.lower()
    every = [(car.car, c) for car in found.cars for c in car.coverages]
    named = [(car, c) for car, c in every if c.name.lower() in said]
    if not named and (part := NAMED_PARTS.search(said)):
        named = [(car, c) for car, c in every if part.group(1) in c.covers.lower()]
    if not named and REST_OF_CAR.search(said):
        named = [(car.car, car.coverages[0]) for car in found.cars if car.coverages]
    return named


def coverage_asked_lines(found: Warranty, asked: str) -> list[Say]:
    return [("utter_coverage_asked_runs" if c.active else "utter_coverage_asked_ended",
             {"car": car, "coverage": coverage_text(c)}) for car, c in coverage_asked(found, asked)]


def warranty_lines(found: Warranty, brief: bool = False, asked: str = "") -> list[Say]:
    """Each car's coverages; `brief` (mid-form, or one of several answers) without the note on
    how they end. Asked what they cover, what each in force (or the one named) covers, after.
    Asked of one coverage, or a part of the car, that coverage alone: whether it still runs."""
    if asked and WHAT_COVERED.search(asked) and (covers := covers_lines(found, asked)):
        return covers
    if asked and not asked_whole(asked) and (one := coverage_asked_lines(found, asked)):
        return one
    lines: list[Say] = []
    for car in found.cars:
        if not car.coverages:
            lines.append(("utter_warranty_unknown", {"car": car.car}))
            continue
        running = [coverage.active for coverage in car.coverages]
        name = "utter_warranty" if brief else "utter_warranty_runs" if all(running) else \
            "utter_warranty_partly" if any(running) else "utter_warranty_ended"
        lines.append((name, {"car": car.car, "mileage": about(car.mileage),
                             "coverages": "; ".join(map(coverage_text, car.coverages))}))
    return lines


# The warranty asked of as a whole in a sentence of its own, beside one coverage or not: "is my
# ux still under warranty? what about the hybrid battery" wants all of it told.
WHOLE_WARRANTY = re.compile(r"\b(?:still )?(?:under|in|on|have|got) "
                            r"(?:(?:the|my|a|any|its|it'?s) )?(?:factory )?warrant(?:y|ee|ies)\b|"
                            r"\bstill covered\b|"
                            r"\bwarranty (?:still )?(?:good|valid|active|over|up|expired|left)\b",
                            re.IGNORECASE)


def asked_whole(asked: str) -> bool:
    """Whether a sentence of the question asks of the warranty as a whole, naming no coverage
    or part of it."""
    return any(WHOLE_WARRANTY.search(sentence) and not NAMED_PARTS.search(sentence) and
               not re.search(r"\b(?:battery|basic|powertrain|corrosion|emissions?|roadside)\b",
                             sentence, re.IGNORECASE)
               for sentence in re.split(r"[.?!;\n]+|\b(?:also|and|what about|how about)\b",
                                        asked))


def roadside_lines(found: Roadside) -> list[Say]:
    """Whether each car still has roadside assistance: until its coverage ends, or no more."""
    return [("utter_roadside_until" if coverage.active else "utter_roadside_ended",
             {"car": car, "coverage": coverage.name, "ends_on": day(coverage.ends_on),
              "ends_at": miles(coverage.ends_at_miles)}) for car, coverage in found.cars]


# The schedule's interval asked for: "how often do i bring it in", "every how many miles".
HOW_OFTEN = re.compile(r"\bhow (?:often|frequently)\b|\bevery how\b|\binterval|"
                       r"\bhow (?:many|long) (?:miles |months )?(?:between|apart)\b")


def maintenance_lines(found: Maintenance) -> list[Say]:
    lines: list[Say] = []
    for car in found.cars:
        due = car.due
        words = {"car": car.car, "mileage": about(due.mileage), "due_on": day(due.due_on),
                 "due_miles": miles(due.due_at_miles)}
        lines.append(("utter_maintenance_due_now" if due.overdue else
                      "utter_maintenance_due_next", words))
        if due.complimentary:
            # ("is it free?" about a new car's first visits: it is)
            lines.append(("utter_maintenance_complimentary", {
                "car": car.car, "months": found.free_months, "miles": miles(found.free_miles)}))
    return lines


def price(item: Price) -> str:
    """One item's price as an owner asks it: "$89-129", "no charge", or, for a free check that
    may lead to work, "free, or up to $389 if work is needed"."""
    if item.most_if_work:
        return say("utter_price_free_unless_work", most=f"${item.most_if_work}")
    return item.estimate or say("utter_price_no_charge")


def pricing_lines(found: Prices | Quoted, brief: bool = False) -> list[Say]:
    """What the menu says the work asked about costs; for anything not on the menu (pads,
    tires, labor), who quotes it. `brief`: the prices alone, without what each includes."""
    if isinstance(found, Quoted):
        items = [f"{item.name.lower()} {price(item)}" for item in found.menu]
        words = {"service_phone": found.service_phone, "menu": "; ".join(items)}
        if fits("utter_repairs_quoted", **words):
            return [("utter_repairs_quoted", words)]
        while len(items) > 1 and not fits("utter_repairs_quoted_some", **words):
            items.pop()  # the menu's first items (its everyday work), so the answer fits a text
            words["menu"] = "; ".join(items)
        return [("utter_repairs_quoted_some", words)]
    if brief:
        return [("utter_service_prices_brief", {"prices": joined(
            [f"{item.name.lower()} {price(item)}" for item in found.items])})]
    lines: list[Say] = [("utter_service_price", {
        "service": item.name, "price": price(item), "description": item.description})
        for item in found.items]
    lines[-1] = ("utter_service_price_estimate", lines[-1][1])
    return lines


def lease_lines(found: Leases) -> list[Say]:
    lines: list[Say] = []
    for car in found.cars:
        lease = car.lease
        words = {"car": car.car, "ends_on": day(lease.ends_on), "days": lease.days_left}
        lines.append(("utter_lease_ended" if lease.days_left < 0 else "utter_lease_ends", words))
    return lines or [("utter_no_lease_on_file", {})]


# Words that say nothing of which sentence answers (every answer here is about a car).
PLAIN = frozenset(re.findall(r"\S+", """
    the and our are you your with for can there any how what does when where which who will
    would could should have has need get got its it's this that from about into one per just
    only also please car cars vehicle lexus anywhere anything anyone anybody somewhere something
    everywhere everything"""))


CLUE = 2
NAMING = 6  # letters of a word that names a thing ("shuttle", "insurance")


def stem(word: str) -> str:
    """A word as compared with another: "mileage", "miles" and "mile" read the same, "older"
    as "old"."""
    for ending in ("age", "ies", "es", "er", "ing", "ed", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


# Words owners use for what an answer says in others: "gas it up" is the fuel level.
SAME_AS = {"gas": "fuel", "gasoline": "fuel", "tank": "fuel", "refuel": "fuel", "mpg": "fuel",
           "fill": "fuel", "full": "fuel", "free": "complimentary", "charge": "complimentary",
           "miles": "mile", "smoking": "smoke", "pets": "pet", "dog": "pet", "cat": "pet",
           "teen": "old", "son": "driver", "daughter": "driver", "kid": "driver",
           # (short, but a thing's name: "do u at least wash it when it comes in")
           "wash": "wash", "washed": "wash", "carwash": "wash"}


def stems(text: str) -> set[str]:
    return {stem(SAME_AS.get(w, w)) for w in re.findall(r"[a-z0-9']+", text.lower())
            if len(w) >= 3 and w not in PLAIN}


# The questions of a text asked one after another: "is the loaner free? any mileage limit?".
QUESTION_ENDS = re.compile(r"\?+\s*|[.;]\s+")


def first_sentence(text: str, asked: str = "", topic: str = "") -> str:
    """One sentence of a dealership's answer: the one that shares the most words with what was
    asked, the topic's own words aside ("is there a mileage limit on the loaner?" gets
    "...there's a 100 mile/day limit."), else its first fact ("Our service department is open
    Mon-Fri 7am-7pm and Sat 8am-5pm."). Several questions asked one after another get the
    sentence of each, in the order asked."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip())
    # "Waiting with us? The lounge has...": the first sentence that says something
    facts = [s for s in sentences if not s.endswith("?")] or sentences[:1]
    pieces = [p for p in QUESTION_ENDS.split(asked) if p.strip()]
    if len(pieces) > 1:
        picked = list(dict.fromkeys(b for p in pieces if (b := best_fact(facts, p, topic))))
        if len(picked) > 1:
            return " ".join(picked)
    best = best_fact(facts, asked, topic) or facts[0]
    if topic in LEADS_FIRST and best != facts[0]:
        # "do i need to bring anything": what everyone brings, then what was asked of it
        return f"{facts[0]} {best}"
    return best


# Topics whose first fact answers everyone: it leads whichever sentence is picked.
LEADS_FIRST = {"what_to_bring"}


def best_fact(facts: list[str], asked: str, topic: str) -> str | None:
    """The sentence of `facts` that answers `asked`, or None when none shares a clue with it."""
    words = stems(asked) - stems(topic.replace("_", " "))
    if AGE_ASKED.search(asked):  # "my son is 19, can he drive it?": who may drive, how old
        words |= {"old", "driver"}
    if BRING_ASKED.search(asked) or NEEDED_ASKED.search(asked):
        # "what do i need to bring for the loaner", "what do i need for the loaner?"
        words |= stems("bring license insurance")
    # One shared word is no clue ("what time do you close?" is not "We're closed Sundays"),
    # unless it is a long one, a thing's name ("how far does your shuttle go?").
    long = {stem(SAME_AS.get(w, w)) for w in re.findall(r"[a-z']+", asked.lower())
            if len(w) >= NAMING or w in SAME_AS}
    best = max(facts, key=lambda s: (len(words & stems(s)), len(words & stems(s) & long)))
    shared = words & stems(best)
    return best if len(shared) >= CLUE or shared & long else None


# "what do i need" beside a loaner asked about: what the loaner needs.
NEEDED_ASKED = re.compile(r"\bwhat (?:do|would|will|should) (?:i|we) (?:need|have to have)\b|"
                          r"\bwhat(?:'?s| is) (?:needed|required)\b|"
                          # "do i need anything for the loaner", "whats the catch"
                          r"\b(?:do|will|would) (?:i|we|she|he|they) need (?:anything|any\w*)\b|"
                          r"\b(?:any|what'?s the|whats the) (?:catch|requirements?|rules?)\b",
                          re.IGNORECASE)
LOANER_SAID = re.compile(r"\bloaners?\b", re.IGNORECASE)


def said_of_it_beside(part: str, whole: str) -> bool:
    """Whether another clause of the text says what the question is about ("my son is 19. can
    he drive the loaner?": who would drive; "do u give loaners? what do i need": for one)."""
    return any(clue.search(whole) and not clue.search(part) for clue in (AGE_ASKED, BRING_ASKED)) \
        or bool(NEEDED_ASKED.search(part) and LOANER_SAID.search(whole) and
                not LOANER_SAID.search(part))


def general_line(found: General, brief: bool = False, asked: str = "", topic: str = "") -> Say:
    if found.answer is not None:
        return "utter_knowledge", {"answer": first_sentence(found.answer, asked, topic) if brief
                                   else found.answer}
    return "utter_ask_an_advisor", {"service_phone": found.service_phone}


def lines_of(found: OwnershipAnswer, brief: bool = False, asked: str = "",
             topic: str = "", now: datetime | None = None) -> list[Say]:
    """What to say: named responses and their variables; `brief` when the answer is one of
    several in a text, which must still fit an SMS (the sentence that answers `asked`)."""
    if isinstance(found, Prices | Quoted):
        # ("what all do u guys do in the detail": what it includes, said with its price)
        included = isinstance(found, Prices) and len(found.items) == 1 and \
            bool(WHAT_IS_DONE.search(asked))
        return pricing_lines(found, brief and not included)
    if isinstance(found, Fleet) and found.held and now is not None:
        # "what car is the loaner?" once one is reserved: that car, for each visit ahead
        return [("utter_loaner_held" if loaner.color else "utter_loaner_held_no_color",
                 {"when": when_text(start, now), "loaner": f"{loaner.year} {loaner.model}",
                  "color": (loaner.color or "").lower()}) for start, loaner in found.held]
    if isinstance(found, Fleet):
        models = joined([", ".join(found.models[:-1]), found.models[-1]]
                        if len(found.models) > 2 else found.models)
        lines: list[Say] = [("utter_loaner_fleet", {"models": models})]
        lines += [("utter_no_loaner_for_car" if loaner is None else
                   "utter_loaner_for_car_smaller" if down else "utter_loaner_for_car",
                   {"car": car, "loaner": loaner or ""}) for car, loaner, down in found.for_cars]
        # brief (mid-booking, or one of several answers): the owner's own cars' loaners
        return lines[1:] if brief and len(lines) > 1 else lines
    if isinstance(found, Durations):
        return [("utter_service_time_brief" if brief else "utter_service_time",
                 {"work": joined([name.lower() for name, _ in found.items]),
                                        "time": duration_text(found.total)})]
    if isinstance(found, Warranty):
        return warranty_lines(found, brief, asked)
    if isinstance(found, Maintenance):
        if HOW_OFTEN.search(asked.lower()):  # the interval first, then each car's next visit
            return [("utter_maintenance_interval", {"miles": f"{found.every_miles:,}",
                                                    "months": found.every_months}),
                    *maintenance_lines(found)]
        return maintenance_lines(found)
    if isinstance(found, Leases):
        return [*lease_lines(found), general_line(found.general, brief, asked, topic)]
    if isinstance(found, Hours):
        return hours_lines(found, brief, asked, topic)
    if isinstance(found, Roadside):
        # the owner's own cars say whether it is included: the general answer's first fact
        return [general_line(found.general, brief or bool(found.cars), "" if found.cars
                             else asked, topic), *roadside_lines(found)]
    return [general_line(found, brief, asked, topic)]


def hours_lines(found: Hours, brief: bool, asked: str, topic: str) -> list[Say]:
    """The hours on the days asked about ("open the friday after thanksgiving?"): closed for a
    holiday, closed that weekday (with the week's hours), or open from one time to another."""
    def named(day: date) -> str:
        return f"{day:%a %b} {day.day}"

    lines: list[Say] = [("utter_closed_on_holiday", {"day": named(day), "holiday": name})
                        for day, name in found.closed]
    lines += [("utter_service_closed_weekly", {"weekday": f"{day:%A}"})
              for day in found.closed_weekly]
    lines += [("utter_service_open_on", {"day": named(day), "opens": clock_time(opens),
                                         "closes": clock_time(closes)})
              for day, opens, closes in found.open_on]
    if found.open_on:
        return lines
    # closed on the day asked: when it is open instead
    return [*lines, general_line(found.general, True, "open", topic)]


async def car_in_trouble(tracker: Tracker) -> list[str]:
    """The car of the trouble just reported: "do i get roadside on this one?" is about it."""
    if not tracker.get_slot("situation"):
        return []
    car = await in_session(lambda s: reports.car_of_latest_case(s, tracker.sender_id,
                                                                 local_now(s)))
    return [car] if car else []


def reported_work(tracker: Tracker) -> str | None:
    """The work for the trouble just reported ("is the test free?" after a battery that keeps
    dying): what a question names no work of is about."""
    rule = category_rule(str(tracker.get_slot("situation") or ""))
    return rule.service if rule is not None else None


def asked_with_its_work(tracker: Tracker) -> str:
    """The question as asked; for one part of a text that names no work itself ("...can u test
    the battery? what does a new one cost"), the whole text, whose work it is about."""
    message = tracker.latest_message
    part = str(message.get("text") or "")
    whole = str((message.get("metadata") or {}).get("whole_text") or part)
    named = any(e.get("entity") == "service" for e in message.get("entities", []))
    # (the hours of a day: the day this part names, not the visit's day the text also named)
    return part if named or DAY_ASKED.search(part) else whole


# The changes put to the owner to say yes to, by the responses that ask them.
CHANGES_ASKED = {"utter_confirm_cancel": "cancel", "utter_confirm_move": "reschedule",
                 "utter_confirm_move_without_loaner": "reschedule"}


def of_the_change_asked(tracker: Tracker, text: str) -> str:
    """The question, with the change it is about when it asks a fee of a cancel or move just
    put to the owner ("...is there a fee for that" to "Cancel your ...?")."""
    if not COST_OF_IT.search(text) or any(
            e.get("entity") == "service" for e in tracker.latest_message.get("entities", [])):
        return text
    change = next((CHANGES_ASKED[r] for r in previous_reply(tracker) if r in CHANGES_ASKED), None)
    return f"{text} (fee if i {change})" if change else text


# Words of a time gone by: "my last one was nov 2", "got it done 3 weeks ago".
GONE_BY = re.compile(r"\b(last|was|were|ago|yesterday|did|had|got|since)\b", re.I)


async def visit_day_in(text: str) -> bool:
    """Whether `text` names a day or time still ahead ("wed at noon works"), not one gone by
    ("my last oil change was in may")."""
    if not text or text.startswith("/") or GONE_BY.search(text):
        return False

    def ahead(session: Session) -> bool:
        now = local_now(session)
        when = parse_when(text, now)
        return when is not None and (when.last_day is None or when.last_day >= now.date())

    return await in_session(ahead)


def previous_text(tracker: Tracker) -> str:
    """The owner's text before the latest one."""
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return texts[-2] if len(texts) > 1 else ""


def car_pointed_at(session: Session, owner_id: int, texts: list[str]) -> int | None:
    """The owner's one car the latest of `texts` to name one points at."""
    cars = cars_of(session, owner_id)
    for text in texts:
        if (named := vehicles.named_in(text)) and len(found := match(cars, named)) == 1:
            return found[0].id
    return None


# A question of how long asked beside one of how much, and the other way round: the answer's
# kind, the words that ask the other half, and its topic.
OTHER_HALF = {"Durations": (COST, "pricing"), "Prices": (HOW_LONG, "service_time")}
LOANER_WORD = re.compile(r"\b(?:loaner|loner|rental|courtesy car)\b", re.IGNORECASE)


async def other_half(dispatcher: CollectingDispatcher, question: Question,
                     found: OwnershipAnswer, asked: str, now: datetime) -> None:
    """"how long does that take and how much": after the time, the price (or the other way
    round), the classifier having read one topic for both."""
    other = OTHER_HALF.get(type(found).__name__)
    if other is None or not other[0].search(asked):
        return
    topic = other[1]
    # "is the loaner free? and how long will u have my car": the loaner's cost, not the work's
    of_the_loaner = next((piece for piece in re.split(r"\?+|\band\b", asked)
                          if other[0].search(piece) and LOANER_WORD.search(piece)), None)
    if topic == "pricing" and of_the_loaner:
        topic, asked = "loaner_policy", of_the_loaner

    def half(session: Session) -> OwnershipAnswer:
        return answer(session, replace(question, topic=topic), now)

    found_too = await in_session(half)
    if type(found_too) is type(found) or isinstance(found_too, General) and \
            topic != "loaner_policy":
        return
    for response, words in lines_of(found_too, brief=True, asked=asked, now=now, topic=topic):
        dispatcher.utter_message(response=response, **words)


# Damage, which no warranty covers: "is the ding covered by my warranty lol".
DAMAGE = re.compile(r"\b(?:dings?|dinged|dents?|dented|scratch(?:es|ed)?|scrapes?|scraped|"
                    r"hail|fender bender|accident|crash(?:ed)?(?! sensor)|collision|"
                    r"vandali[sz]ed|keyed|rear ?ended|hit (?:my|the) car|door ding)\b",
                    re.IGNORECASE)


# The maintenance due, told: "what does that usually run" asks the price of it.
MAINTENANCE_TOLD = {"utter_maintenance_due_next", "utter_maintenance_due_now"}


def maintenance_told(tracker: Tracker) -> str | None:
    """"scheduled_maintenance" when this text's reply so far, or the reply before it, told when
    the maintenance is due; None otherwise."""
    told = MAINTENANCE_TOLD & {*said_for_this_text(tracker), *previous_reply(tracker)}
    return "scheduled_maintenance" if told else None


class ActionAnswerOwnership(Action):
    def name(self) -> str:
        return "action_answer_ownership"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        events = [*await self.answer(dispatcher, tracker), *aside_done(tracker)]
        if rides_compared(tracker.latest_message.get("text") or ""):
            # "what's the difference between your shuttle and a loaner?": asked about, none
            # of them chosen
            events.append(SlotSet("transport", slot_before_this_turn(tracker, "transport")))
        if not any(event.get("name") == "offered_service" and event.get("value")
                   for event in events):
            # ("how much longer would the visit be then?" to "Move it to ...?": still asked)
            await move_asked_again(dispatcher, tracker)
        return events

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker
                     ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if (offered := await of_what_was_offered(dispatcher, tracker)) is not None:
            return offered
        if asked_topic(tracker) == "roadside_assistance" and triage(text).first and \
                "?" not in text and not tracker.active_loop.get("name"):
            # "locked my keys in the gx": trouble to help with now, not a question about roadside
            return [FollowupAction("action_report_issue")]
        if team := team_followed_up(tracker):
            # "are they open saturday", "whats their number" after the sales team was talked
            # about: that team's hours and number, not the service department's
            return await ActionAnswerDepartment().answer(dispatcher, tracker, team)
        question = Question(
            asked_topic(tracker), owner_id_of(tracker),
            services=[str(e["value"]) for e in tracker.latest_message.get("entities", [])
                      if e.get("entity") == "service"],
            cars_named=cars_said(tracker) or await car_in_trouble(tracker),
            text=of_the_change_asked(tracker, asked_with_its_work(tracker)),
            context=[str(x) for x in [tracker.get_slot("offered_service"),
                                      *(tracker.get_slot("services") or []),
                                      reported_work(tracker), *work_just_added(tracker),
                                      maintenance_told(tracker)] if x])
        in_form = tracker.active_loop.get("name") is not None
        def work(session: Session) -> tuple[OwnershipAnswer, datetime]:
            now = local_now(session)
            return answer(session, question, now), now

        found, now = await in_session(work)
        several = int((tracker.latest_message.get("metadata") or {}).get("parts") or 1) > 1
        # One of several answers in a text, or a question asked mid-booking: the short form,
        # so the booking's next question still fits the same text.
        # ...unless the whole of it is asked for ("send me the full loaner policy").
        brief = (several or in_form) and not WHOLE_ASKED.search(text)
        # the whole text says what is asked ("my son is 19. can he drive the loaner?"); one of
        # several requests says it alone ("book an oil change friday and what time do you
        # close saturday": not the line about booking)
        whole = whole_text(tracker)
        asked = text if several and not said_of_it_beside(text, whole) else whole
        finance = isinstance(found, Leases) and not several and for_finance(asked)
        brief = brief or finance  # the finance team's line follows: the whole fits a text
        if isinstance(found, Warranty) and DAMAGE.search(asked):
            # "is the ding covered by my warranty": damage is no defect; who mends it
            numbers = await in_session(phones)
            dispatcher.utter_message(response="utter_warranty_not_damage",
                                     collision_phone=numbers["collision_phone"])
            return offer_visit(None, None)
        already = texts_for_this_text(tracker)
        for response, words in lines_of(found, brief=brief, asked=asked, now=now,
                                        topic=question.topic or ""):
            if say(response, **words) not in already:  # two questions, one answer: said once
                dispatcher.utter_message(response=response, **words)
        await other_half(dispatcher, question, found, asked, now)
        # (one of several requests offers nothing: the text's own booking, if any, asks next)
        if isinstance(found, Prices) and found.offer and not in_form and not several:
            owner_id = owner_id_of(tracker)
            ahead = await in_session(lambda s: visit_named(s, owner_id, asked, local_now(s))) \
                if owner_id is not None else None
            if ahead is not None:  # "...also detail the lx tmrw while its there? how much"
                dispatcher.utter_message(response="utter_offer_to_add_it", car=ahead.car,
                                         when=when_text(ahead.starts_at, now))
                return offer_visit(found.offer, ahead.vehicle_id, join=ahead.appointment_id)
            dispatcher.utter_message(response="utter_offer_to_book_it")
            # the car the question or the one before pointed at ("how much for brakes on my
            # es?" then "ok whats the brake inspection cost then")
            car = await in_session(lambda s: car_pointed_at(
                s, owner_id, [asked, previous_text(tracker)])) if owner_id is not None else None
            if car is None and tracker.get_slot("offered_service") == found.offer:
                # "how much does that usually run" of the visit offered for a car: that car
                car = tracker.get_slot("offered_vehicle_id")
            return offer_visit(found.offer, car)
        if finance:
            # "when does my lease end and can i extend it": the date, then who settles it
            return await ActionAnswerDepartment().answer(dispatcher, tracker, FINANCE)
        if isinstance(found, Maintenance) and found.offer_car and not in_form:
            if (tracker.latest_message.get("metadata") or {}).get("then") != "book_service":
                # (not when the visit asked for in the same text comes next: it books this)
                dispatcher.utter_message(response="utter_offer_maintenance_visit")
            return offer_visit("scheduled_maintenance", found.offer_car)
        pending = tracker.get_slot("offered_service")
        if pending and isinstance(found, Prices | Quoted | Durations | Fleet) and \
                (not question.services or pending in question.services):
            return []  # about the visit offered ("how much is that?"): a "yes" still books it
        return offer_visit(None, None)


async def of_what_was_offered(dispatcher: CollectingDispatcher, tracker: Tracker
                              ) -> list[EventType] | None:
    """A question about the visit or recall just offered, or the visit just booked, answered
    as such; None otherwise."""
    text = tracker.latest_message.get("text") or ""
    if await of_the_visit_booked(dispatcher, tracker):
        return []
    if tracker.get_slot("offered_visit_id") and tracker.get_slot("offered_service") and \
            joins_visit_asked(text):
        # "can they do it tmrw when im in for the tires?" to "add it to that visit?": yes
        return await book_offered(tracker, said_this_text(tracker) - {"services"})
    if (risk := await recall_risk_asked(dispatcher, tracker)) is not None:
        return risk  # "are my kids ok sitting back there till its fixed?"
    # "how long does that fix take and is it free", the recalls just told
    return await fix_asked_about(dispatcher, tracker)


class ActionBookOffered(Action):
    """A "yes" to an offered visit: the booking starts with the service and car filled in."""

    def name(self) -> str:
        return "action_book_offered"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        service = tracker.get_slot("offered_service")
        clear = offer_visit(None, None)
        if not service and await books_the_visit_asked_about(tracker):
            # "great, 9am then with that loaner" after "what loaner do i get if i bring the ls
            # in wed": nothing was offered, but the visit asked about is wanted
            return [*clear, *await start_booking(tracker), FollowupAction("booking_form")]
        if not service:
            say_ok(dispatcher, tracker)
            return clear
        # "sure, saturday at 9?": what the yes also said is kept; else a day the question
        # said ("first service on my tx, is it free? wed at noon works", then "yes")
        asked = previous_text(tracker)
        return await book_visit(tracker, service, tracker.get_slot("offered_vehicle_id"),
                                tracker.get_slot("offered_visit_id"),
                                said_this_text(tracker) - {"services"},
                                day_words=asked if await visit_day_in(asked) else None)


# Of the whole visit, not one service: "how long will it all take", "what's the total".
ALL_OF_IT = re.compile(r"\b(it all|all of it|everything|the whole|altogether|all together|in total|"
                       r"total|both|all that|the visit|the appointment|the appt)\b", re.IGNORECASE)


async def of_the_visit_booked(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Right after a visit was booked or work added to it, how long all of it takes or what it
    all costs ("how long will it all take? i'm waiting there"): said for that visit."""
    text = tracker.latest_message.get("text") or ""
    owner_id, code = owner_id_of(tracker), booked_lately(tracker)
    how_long, cost = HOW_LONG.search(text), COST.search(text)
    if owner_id is None or code is None or not (how_long or cost) or not ALL_OF_IT.search(text):
        return False
    found = await in_session(lambda s: work_of_visit(s, owner_id, code))
    work = joined([name.lower() for name in found.services])
    if how_long:
        dispatcher.utter_message(
            response="utter_visit_takes" + ("_wait" if found.wait_ok else ""), services=work,
            time=duration_text(found.minutes))
    if cost:
        dispatcher.utter_message(response="utter_visit_estimate", services=work,
                                 estimate=found.estimate or say("utter_price_no_charge"))
    return True
