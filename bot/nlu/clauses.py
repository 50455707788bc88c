"""Reading a text that asks several things: which parts of it are requests of their own, and in
what order to handle them.

"what time do you close and can i get a loaner tmrw" is two requests; "oil change and tire
rotation", "my brakes squeal and the abs light is on" and "hi, can i book for tuesday" are one.
A text is cut into clauses (sentences, commas, and parts joined by "and", "also", "plus",
"btw"...), each clause is read on its own, and the clauses read surely enough as requests are
grouped by the one flow that serves them: a booking serves a loaner asked for with it, a problem
report serves a visit to look at it, a change serves a look at what is booked. Only when two or
more groups are left is the text handled as several requests, and then:

- a safety matter first (the triage table says which problems are), then the questions; any
  other request that asks something back waits,
- otherwise the questions first, in the order asked (each is answered and done), then the one
  request that asks something back (a problem report before a booking, a move, a person),
- an opt-out last: once a number has opted out, nothing more is texted to it.

A further request that asks something back waits (`Plan.left_over`, and the owner is told),
since a conversation can hold only one open question. Answers ("for my rx", "tuesday at 3")
go with the request beside them; greetings, thanks and words not read surely are left out.
"cancel friday and book monday instead" is one request: a move to Monday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bot.dealership.triage import asked_back, asks_for_visit, triage
from bot.dealership.vehicles import LINES, named_in

# Where a text is cut: the end of a sentence or a line, a comma, or a word that joins two
# requests. Commas and "and" join services and symptoms too ("oil, rotation and a wash"): what
# they join is grouped again below by what each part asks for.
CUT = re.compile(
    r"(?<=[.?!])\s+|\s*\n+\s*|\s*;\s*|\s*,\s*"
    r"|\s+(?=(?:and|also|plus|btw|oh and|and also|then|&)\s)"
    # "how much for an oil change n do yall have wifi": "n" for "and", before a question
    r"|\s+(?=n\s+(?:do|does|is|are|can|could|will|what|whats|how|when|where|any)\b)"
    # "hey what's my IS due for?": the greeting a clause of its own, not read with the question
    r"|(?:(?<=^hey)|(?<=^hi)|(?<=^hello)|(?<=^yo)|(?<=^hey there)|(?<=^hi there)"
    r"|(?<=^good morning)|(?<=^morning))(?!\s+there\b)\s+(?=[a-z])",
    re.IGNORECASE)
JOINER = re.compile(r"^(?:(?:oh and|and also|and|also|plus|btw|then|&|n(?= ))(?:[\s,]+|$))+",
                    re.IGNORECASE)

# A text of more clauses than this is read whole: owners ask two or three things at once, and a
# long story (or a pasted page) read clause by clause would cost a parse a clause.
MAX_CLAUSES = 6
# A clause read with less confidence than this is no request of its own: a few words read on
# their own are read less surely than a whole text, and a wrong split answers what was not
# asked. Measured (scripts/two_requests_eval.py): at 0.5, 0.8% of the held-out texts of one
# request were read as several, at 0.7 0.2%, at 0.85 none, with 76%, 70% and 66% of the texts
# of several requests read whole and right.
SURE = 0.7
# A clause that asks for a visit in so many words ("can u do both wed") is one at this.
LIKELY = 0.5
# Requests answered and done (a department asked to reach out is done once it is asked).
QUESTIONS = {"ownership", "department", "contact_department", "check_appointment",
             "check_service_status", "check_recall", "bot_challenge"}
# What changes a visit booked, beside a look at it.
CHANGES = {"reschedule_appointment", "cancel_appointment"}
# What a text telling of trouble with the car in words of its own is misread as.
TROUBLE_MISREAD = {"complain", "nlu_fallback", "out_of_scope"}
# An opt-out is handled last: once a number has opted out, nothing more is texted to it.
LAST = "opt_out"
# The flow that serves each request; requests of one flow are one request.
FLOWS = {
    "book_service": "booking",
    "request_loaner": "booking",
    "report_issue": "report",
    "share_media": "report",
    "reschedule_appointment": "change",
    "cancel_appointment": "change",
    "check_appointment": "change",
    "request_human": "person",
    "complain": "person",
    "opt_out": LAST,
    "change_ride": "ride",  # (no intent of the model's: a clause whose words change the ride)
}
# A short question about what the clause before it named: "do i still have that?", "is it
# free?", "how long does that take?" (no request of its own).
POINTING = re.compile(r"^(?:and |so |but |ok )?(?:do|does|did|is|are|was|can|will|would|how|"
                      r"any|anything)\b"
                      r".*\b(?:that|it|this|those|them)(?: one| ones)?"
                      # "is that free", "is it covered": what the clause before named, judged
                      r"(?: (?:free|covered|included|extra|safe|ok|okay|normal|bad|serious|"
                      r"legit|real|expensive|worth it|necessary|needed|required))?\b[^a-z]*\??$")
POINTING_WORDS = 7
# A question about what was just named: "how long does that take?", "is it covered?".
OF_IT = re.compile(r"\b(?:that|it|this|those|them|extra|(?:how much|what) more|the total|"
                   r"in all|altogether|all together)\b", re.IGNORECASE)
# What is turned down, not asked for: "id rather not mess w a loaner".
REFUSED = re.compile(r"\b(?:rather not|don'?t (?:need|want)|no need for|not interested in|"
                     r"no thanks)\b", re.IGNORECASE)
# "Regarding my appointment tomorrow, could I have a loaner instead?": what the rest is about,
# no request of its own (read alone, a look at what is booked).
SUBJECT = re.compile(r"^(?:regarding|about|re:?|concerning|as for|as to|on|with) (?:my|the|our|"
                     r"tomorrow'?s|tmrw'?s|today'?s|\w+day'?s) (?:\w+ )?(?:appointment|appt|"
                     r"visit|booking|reservation|service)(?: (?:tomorrow|tmrw|today|on \w+|"
                     r"\w+day|next week))?\W*$", re.IGNORECASE)
# "cancel my rotation, not the texts": what the clause before did not mean, no request of its
# own (read alone, "not the texts" is an opt-out).
NOT_THIS = re.compile(r"^(?:but |and |just |i mean |i meant )?(?:not|no not) (?!sure\b)"
                      r"(?:the |my |about |about the |your |for )?\w+(?: \w+)?\W*$",
                      re.IGNORECASE)
# What the owner will do later, told after a request: "pls cancel my appt tmrw, ill reschedule
# after the holiday" asks for the cancel alone.
LATER = re.compile(r"^(?:and |but |then |so )?(?:i'?ll|ill|i will|we'?ll|will) (?:just )?"
                   r"(?:reschedule|rebook|re-book|book (?:again|another|it)|set (?:up )?another|"
                   r"call|text|reach out|let (?:you|u) know|come back|get back)\b"
                   r"(?!.*\b(?:now|today|tmrw|tomorrow|for|on|at)\b\s*\d)", re.IGNORECASE)
# A recall asked to be done is work for a visit, not a question: "can you do the charging recall
# and an oil change on my nx friday" is one booking.
RECALL_WORK = re.compile(
    r"\b(?:(?:can|could|would|will|pls|please) (?:you|u|ya|y'?all) (?:\w+ )?"
    r"|i(?:'d| would)? (?:like|want|need) (?:to |you to )?|let'?s )"
    r"(?:do|fix|get|take care of|handle|add)\b[^.?!]*\brecall"
    r"|\b(?:book|schedule)\b[^.?!]*\brecall"
    # "want to get the gx recall done wed"
    r"|\b(?:get|have) (?:the |my |that |this )?(?:\w+ ){0,2}recall (?:\w+ )?(?:done|fixed|"
    r"taken care of|handled|repaired)\b", re.IGNORECASE)
# A problem report takes the booking asked for with it ("it grinds, can i bring it in").
ABSORBS = {"report": {"booking"}, "person": {"booking", "change", "report"}}
FIRST = "report"
# A yes or a no (or a short answer that names something: "the gx.") before a request answers
# what was asked last: it is handled first, on its own, when it is short and ends where a
# sentence or a comma does ("yes that works. do you have wifi"), not when it leads into the
# request ("please go ahead and cancel it").
ANSWERS = {"affirm", "deny"}
ANSWER_WORDS = 4
ANSWER_ENDS = re.compile(r"[.,!?;\n]")
# A day asked for in words read as an answer ("could i do wed first thing", "how about fri
# at 9?"): beside a question, a visit asked for.
DAY_ASKED = re.compile(r"^(?:so |ok |and |then |if so,? |if (?:yes|it is|its|it'?s due),? )?"
                       r"(?:(?:could|can|may) (?:i|we|u|you) "
                       r"(?:do|come|bring|get|book|swing|drop)|how about|what about|is there "
                       r"(?:anything|room|a spot|an opening)|"
                       # "anything open wed morning?", "do u have any openings fri"
                       r"(?:do (?:you|u|y'?all) have |you have |u have |got )?any(?:thing| "
                       r"openings?| slots?| spots?| times?)? ?(?:open|available|free)?)\b",
                       re.IGNORECASE)
# Questions whose first words say what they ask, read so: a clause read as that question less
# surely than SURE ("how much for a full detail on the LS" beside "how long does it take") is
# one still, when read at LIKELY or more.
SAID_BY_ITS_WORDS = {
    "ownership/pricing": re.compile(r"^(?:and |so |also |ok |oh )?(?:how much|what(?:'?s| is| does"
                                    r"| would)? (?:it |that |the )?(?:cost|price|run)|"
                                    r"(?:price|cost) (?:of|for|on))\b", re.IGNORECASE),
    "ownership/service_time": re.compile(r"^(?:and |so |also |ok |oh )?how long\b",
                                         re.IGNORECASE),
}
# A change of ride for a visit booked, read as nothing surely: "for tmrw ill just hang out
# there instead of taking the shuttle" (a request of its own beside a question).
RIDE_CHANGED = re.compile(r"\binstead of (?:the |a |taking the |getting a |using the )?(?:shuttle|"
                          r"loaner|waiting|ride|rental)\b|\b(?:swap|switch|change) (?:out )?"
                          r"(?:the |my )?(?:shuttle|loaner|ride|rental)\b|\b(?:no longer|don'?t|"
                          r"dont) need (?:the |a )?(?:shuttle|loaner|ride|rental)\b",
                          re.IGNORECASE)
RIDE_FLOW = "change_ride"
# What a tow asked for in a clause read as nothing surely is: the roadside question (in trouble
# told lately, the situation's own answer takes it).
TOW_ASKED_AS = "ownership/roadside_assistance"
# A time or a day in words nothing was read from ("9ish.", "10 then"): an answer still.
# A ride said in words the entity extractor has no example of ("can i just hang out there while
# u do it"): an answer to the form beside a question.
RIDE_IN_IT = re.compile(r"\b(?:hang(?:ing)? out|hang around|stay there|chill there)\b", re.I)
TIME_IN_IT = re.compile(r"\d|\bnoon\b|\b(?:today|tonight|tomorrow|tmrw|mon|tues?|wed|thu|"
                        r"thurs|fri|sat)\b", re.IGNORECASE)
# ...not a count of months, miles or years ("its only like 5 months old", "at 45k")
COUNT = re.compile(r"\d+(?:,\d{3})*\s*(?:k\b|months?|mos?\b|years?|yrs?|miles?|mi\b)",
                   re.IGNORECASE)
# A day named: "wed", "tmrw", "next week".
A_DAY = re.compile(r"\b(?:today|tonight|tomorrow|tmrw|tmr|mon|tues?|wed|weds|thu|thurs|fri|sat|"
                   r"sun|\w+day|next week|this week|thanksgiving|christmas|xmas|new year'?s)\b",
                   re.IGNORECASE)
# What an availability question may be read as, beside an answer: the hours ("anything open").
AVAILABILITY_AS = {"inform", "ownership/hours"}
# Another time instead of the one booked: "can u do monday after lunch instead".
INSTEAD = re.compile(r"\b(?:instead|rather)\b", re.IGNORECASE)
# "wait ugh cancel friday": a cancel of a day, however unsurely the clause was read.
CANCEL_WORD = re.compile(r"\bcancel\b", re.IGNORECASE)
# Questions a form in progress answers and then goes on ("ill just wait. is there wifi"), when
# their clause reads as a question: "tire rotation" alone may read as a price question, and
# mid-booking it is the work asked for.
ASIDES = {"ownership", "department"}
# ...and, at the summary, a question about a visit booked ("yes do it. oh and is the lx still
# on for tmrw?"): answered, and the yes still heard
SUMMARY_ASIDES = ASIDES | {"check_appointment"}
ASKS = re.compile(r"\?\s*$|^(?:and |so |but |ok |oh |also )?(?:is|are|do|does|did|can|could|will|"
                  r"would|how|what|whats|what's|when|where|wheres|where's|who|which|any|anything|"
                  r"u|you)\b", re.IGNORECASE)
# Clauses that answer nothing a form asks: left out beside a question.
NOTHING_ASKED = {"greet", "thank"}
# Clauses not read as anything: beside a question, they answer nothing either.
UNREAD = {"nlu_fallback", "out_of_scope"}
# What, after a cancel, asks for the new time of a move (a clause read unsurely, "book
# wednesday at 11 instead", too: the move is asked before anything changes).
NEW_TIME = {"book_service", "reschedule_appointment", "inform", "nlu_fallback"}


@dataclass(frozen=True)
class Reading:
    """One clause as the model read it."""

    text: str
    start: int
    intent: str  # the intent, or "ownership/<topic>"
    entities: list[dict[str, Any]] = field(default_factory=list)
    confidence: float = 1.0

    @property
    def base(self) -> str:
        return self.intent.split("/")[0]

    @property
    def request(self) -> bool:
        return (self.base in QUESTIONS or self.base in FLOWS) and self.confidence >= SURE

    @property
    def group(self) -> str:
        """The flow that serves it; each question of its own ("ownership/hours")."""
        if self.base == "check_recall" and RECALL_WORK.search(self.text):
            return FLOWS["book_service"]
        return FLOWS.get(self.base, self.intent)


@dataclass(frozen=True)
class Part:
    """A request to handle as a turn: its words, and, when the whole text is read as one
    request other than the model's reading, that reading."""

    text: str
    intent: str | None = None
    entities: list[dict[str, Any]] | None = None
    aside: bool = False  # a question answered while a form waits for the rest of the text


@dataclass(frozen=True)
class Plan:
    """The requests to handle, in order; `left_over` is where to say that a further request
    waits for after this one (the index of the part it goes before, or `len(parts)`: last),
    and `waiting` the requests that wait, each as (the flow that serves it, its words)."""

    parts: list[Part]
    left_over: int | None = None
    waiting: tuple[tuple[str, str], ...] = ()


# A detail no entity holds, said of the request before it: "push it to friday, same time?".
SAME_AS = re.compile(r"\bsame (time|hour|slot|day|place)\b", re.IGNORECASE)
# "same time?" after a request: a detail of it, not a move of its own.
ONLY_SAME = re.compile(r"^(?:and |ok |so |at |on |for |like )?(?:the )?same (?:time|day|hour|slot)"
                       r"(?: as (?:that|it|the other|before|his|hers|mine|the \w+))?"
                       r"(?: (?:pls|please|too|then|ok))?\W*$", re.IGNORECASE)
# A question that asks nothing without the clause before it: "what are my options?".
OF_WHAT_WAS_SAID = re.compile(r"(?:so |ok |and )?(?:(?:i'?m |im )?not sure |i don'?t know |idk )?"
                              r"(?:what(?: are|'?re| r|s|'s| is) (?:my|the) (?:options|"
                              r"choices)|what (?:should|"
                              r"do|can) i do(?: now| about it)?|what do (?:you|u) (?:recommend|"
                              r"suggest)|any (?:advice|ideas|suggestions)|"
                              # "whats the deal with loaners, anything i should know?"
                              r"(?:is there )?anything (?:else )?i (?:should|need to|ought to) "
                              r"know(?: about (?:it|that|them))?|what should i know|"
                              # "thinking of trading my ux, who do i talk to": about the trade
                              r"who (?:do|should|can) i (?:talk|speak) (?:to|with)|"
                              r"who (?:to|i should|i need to) (?:talk|speak) (?:to|with)|"
                              r"who (?:do|should) i (?:call|ask|text)|"
                              r"who (?:to|i should) (?:call|ask|text)|"
                              r"who handles (?:that|it|this))(?: about (?:that|it|this))?"
                              r"\W*$", re.IGNORECASE)


# A clause that names the first of two things compared: "between your shuttle" (and a loaner).
BETWEEN = re.compile(r"\b(?:between|both)\b(?:(?!\b(?:and|&)\b)[^.?!,;])*$", re.IGNORECASE)


def clauses(text: str) -> list[tuple[int, str]]:
    """The clauses of a text with where each starts, joining words left out."""
    found: list[tuple[int, str]] = []
    position = 0
    for piece in CUT.split(text):
        start = text.find(piece, position) if piece else position
        position = start + len(piece)
        joiner = JOINER.match(piece)
        if joiner:
            start, piece = start + joiner.end(), piece[joiner.end():]
        kept = piece.lstrip()
        start += len(piece) - len(kept)
        if found and (OF_WHAT_WAS_SAID.match(kept) or (
                joiner and BETWEEN.search(found[-1][1]))):
            # "my lease is up next month, what are my options?", "what's the difference
            # between your shuttle and a loaner car?": one question
            before_start, _ = found.pop()
            kept = text[before_start:start + len(kept)]
            start = before_start
        if kept.strip(" ,.?!"):
            found.append((start, kept.rstrip()))
    return found


def _groups(readings: list[Reading]) -> dict[str, list[Reading]]:
    """Requests by the flow that serves them, in the order first said."""
    groups: dict[str, list[Reading]] = {}
    for reading in readings:
        if reading.request:
            groups.setdefault(reading.group, []).append(reading)
    for taker, taken in ABSORBS.items():
        if taker in groups:
            for name in list(groups):
                if name in taken:
                    groups[taker].extend(groups.pop(name))
    return groups


def _move(text: str, readings: list[Reading]) -> Part | None:
    """"cancel friday and book monday instead": a cancel followed by a new time asked for is a
    move, to the time of the later part."""
    cancel = next((i for i, r in enumerate(readings) if r.base == "cancel_appointment" or (
        CANCEL_WORD.search(r.text) and any(e.get("entity") == "when" for e in r.entities))),
        None)
    if cancel is None:
        return None
    after = next((r for r in readings[cancel + 1:] if r.base in NEW_TIME
                  and any(e.get("entity") == "when" for e in r.entities)
                  and not LATER.match(r.text)), None)  # ("...ill reschedule after the holiday")
    if after is None:
        return None
    entities = [{**e, "start": e["start"] + after.start, "end": e["end"] + after.start}
                for e in after.entities]
    return Part(text, intent="reschedule_appointment", entities=entities)


# A word that says the owner heard, not that they agree: before a question, no yes.
WEAK_YES = re.compile(r"^\W*(ok(ay)?|k+|cool|great|nice|awesome|alright|all right|got it|gotcha|"
                      r"sweet|thanks|thx|ty|hmm+|oh|ah|i see)( (ok|okay|cool|thanks|thx))*\W*$",
                      re.IGNORECASE)


def _answer_first(text: str, readings: list[Reading]) -> Plan | None:
    """"yes that works. do you have wifi": the yes first (it answers the question asked last,
    and would be lost beside a request), then the rest as any text."""
    answer, rest = readings[0] if readings else None, readings[1:]
    # "the gx. isnt there a recall on it?": a car named in answer to "which car?" (a service
    # named before a question about it, "the multipoint inspection, is that extra?", is asked
    # about, whole); not one that follows on ("and the rz, still under warranty?": the car
    # the question is of)
    named = answer is not None and not text[:answer.start].strip() and \
        answer.base == "inform" and any(
        e.get("entity") == "vehicle" for e in answer.entities) and all(
        r.base in QUESTIONS for r in rest if r.request)
    if answer is None or not (answer.base in ANSWERS or named) \
            or answer.confidence < SURE \
            or len(answer.text.split()) > ANSWER_WORDS or not any(r.request for r in rest) \
            or not ANSWER_ENDS.search(text[answer.start + len(answer.text) - 1:rest[0].start]):
        return None
    if answer.base == "affirm" and WEAK_YES.match(answer.text) and \
            all(r.base in QUESTIONS for r in rest if r.request):
        # "cool. do i need to bring anything for the loaner?" to "shall i book it?": heard, not
        # agreed; the question is answered and what was asked is asked again
        return Plan([Part(text[rest[0].start:])])
    after = plan(text, rest)
    if after is None and answer.base == "affirm" and all(
            r.group == FLOWS["book_service"] for r in rest if r.request):
        # "ugh ok. can you get the gx in for it wed morning": the yes is this booking's
        return Plan([Part(text[rest[0].start:])])
    if after is None:
        return Plan([Part(answer.text), Part(text[rest[0].start:])])
    left_over = None if after.left_over is None else after.left_over + 1
    return Plan([Part(answer.text), *after.parts], left_over, after.waiting)


def urgent_trouble(reading: Reading) -> bool:
    """"my brakes failed.": trouble that is not routine, in a clause read as nothing surely."""
    if reading.base not in TROUBLE_MISREAD | {"inform"} or reading.request:
        return False
    found = triage(reading.text)
    return found.first is not None and found.severity != "routine"


def asked_in_its_words(reading: Reading) -> bool:
    """A question its first words say, read as it a little unsurely ("how much for a detail")."""
    cue = SAID_BY_ITS_WORDS.get(reading.intent)
    return cue is not None and LIKELY <= reading.confidence < SURE and \
        bool(cue.match(reading.text.strip()))


def ride_changed(reading: Reading) -> bool:
    """A change of ride said in a clause read as nothing surely (a request of its own; the
    clause is read again as it is handled, and its words send it to the change of ride)."""
    return not reading.request and bool(RIDE_CHANGED.search(reading.text))


def day_asked(reading: Reading) -> bool:
    """"could i do wed first thing": a visit asked for, read as an answer."""
    # "can u do both wed.": a visit asked for in so many words, however unsurely read
    sure = reading.confidence >= (LIKELY if reading.intent == "book_service" else SURE)
    when = any(e.get("entity") == "when" for e in reading.entities)
    # ("can i bring it in wed after lunch", read as nothing: the day found says it)
    return (reading.intent in AVAILABILITY_AS | {"book_service"} and sure or
            reading.intent in UNREAD) and \
        (when or bool(A_DAY.search(reading.text))) and bool(DAY_ASKED.search(reading.text))


def work_and_day(reading: Reading) -> bool:
    """"tire rotation on the is wed at 2, ill wait": the work and the day, said with nothing
    asked, are a visit asked for."""
    return reading.base == "inform" and {"service", "when"} <= {
        e.get("entity") for e in reading.entities}


def other_day_asked(reading: Reading) -> bool:
    """"can u do monday after lunch instead": a move asked for, in words not read."""
    return reading.base in ("nlu_fallback", "inform", "reschedule_appointment", "book_service") \
        and any(e.get("entity") == "when" for e in reading.entities) and \
        bool(INSTEAD.search(reading.text))


# What happened, told: "just got new tires this morning", "had it in last week".
TOLD = re.compile(r"\b(?:just|got|had|was|were|did|went|took|yesterday|this morning|last)\b",
                  re.IGNORECASE)


def time_told(reading: Reading) -> bool:
    """"drop at 7", "can drop it at 8" beside a visit asked for: its time, told, not the hours
    (or anything else) asked."""
    return reading.intent == "ownership/hours" and not ASKS.search(reading.text) and \
        any(e.get("entity") == "when" for e in reading.entities) or \
        reading.base in ASIDES and "?" not in reading.text and bool(DROP_AT.search(reading.text))


# The car left at a time: "can drop it at 8", "ill bring her by around 7:30".
DROP_AT = re.compile(r"^\W*(?:(?:i|we)(?:'ll| will)?|ill|i can|can|could|gonna|will)?\s*"
                     r"(?:drop(?:ping)?|bring(?:ing)?|leave|leaving|drop(?:ping)? off)\b"
                     r"(?: \w+){0,2} (?:at|around|by|about|before|after|like) \d", re.IGNORECASE)


def visit_time_told(reading: Reading) -> bool:
    """"dropping it at 8", "can drop them around 9" (no request of its own): when the car
    comes, which is the visit's time."""
    return not reading.request and bool(DROP_AT.search(reading.text)) and \
        not COUNT.search(reading.text)


def tow_asked(reading: Reading) -> bool:
    """"ok pls have it towed to u" beside a loaner asked for: a question of its own (the tow),
    however the clause was read (a booking, or nothing surely), when it asks for no visit."""
    return reading.base not in QUESTIONS and "tow" in asked_back(reading.text) and \
        not asks_for_visit(reading.text)


def told_not_asked(reading: Reading) -> bool:
    """A clause of a story of trouble read as a question that asks nothing ("just got new
    tires at a tire shop this morning"): part of the story."""
    return reading.base in ASIDES and not ASKS.search(reading.text) and \
        bool(TOLD.search(reading.text))


# What happened, told in the past: "picked up my car yesterday", "got service booked wed for
# the es", "bought a used is 300". Read alone, such a clause looks like a question about it.
# So is what is about to happen: "turning in my lease next month", "moving to dallas in
# january".
TELLS = re.compile(r"\b(?:got|had|was|were|did|went|took|bought|picked|dropped|brought|came|"
                   r"left|said|told|booked)\b|\byesterday\b|\blast (?:week|time|month|night|"
                   r"visit)\b|\b(?:turning (?:it )?in|returning|trading (?:it )?in|selling|"
                   r"hand(?:ing)? (?:it |the \w+ )?back|giv(?:e|ing) (?:it |the \w+ )?back|"
                   r"moving|going to|gonna|planning|plan to|about to|getting ready to)\b",
                   re.IGNORECASE)
# ...unless it says what the owner wants to know: "was wondering about my warranty".
WONDERS = re.compile(r"\b(?:wonder\w*|know|question|curious|ask\w*|check|find out|see if|"
                     r"let me|tell me|confirm|remind)\b", re.IGNORECASE)


def tells_not_asks(reading: Reading, after: Reading | None) -> bool:
    """"picked up my car yesterday" beside other requests: what happened, told as the setting
    of what is asked, no question of its own (unless the clause after it asks about it: "got a
    recall letter, is it legit?")."""
    return reading.base in QUESTIONS and not ASKS.search(reading.text) and \
        bool(TELLS.search(reading.text)) and not WONDERS.search(reading.text) and \
        not (after is not None and points_back(after))


def points_back(reading: Reading) -> bool:
    """"do i still have that?" after "what about roadside": a short question about what the
    clause before named, no request of its own."""
    words = reading.text.lower().split()
    return len(words) <= POINTING_WORDS and not reading.entities and \
        bool(POINTING.search(reading.text.lower()))


def _one_request(text: str, readings: list[Reading], whole: Reading) -> Plan | None:
    """A text whose clauses read as several requests that is one, read whole."""
    if any(r.base == "reschedule_appointment" for r in readings) and \
            any(day_asked(r) for r in readings):
        # "anything open wed morning? might have to move my rotation": the day asked is where
        # to move it
        return Plan([Part(text, intent="reschedule_appointment", entities=whole.entities)])
    found = triage(text)
    if whole.base in TROUBLE_MISREAD and \
            not any(r.base == "report_issue" and r.request for r in readings) and \
            found.first and found.situation != "routine":
        # (not routine trouble's advice, "how much is a brake inspection? if its under 100
        # just add it": the price asked, and the work)
        # "someone backed into my rx yesterday, bumper dented, nobody hurt. where do i take
        # it" (read whole as a complaint): trouble that has its own first instruction, told in
        # clauses none of which reads as it; that instruction answers the questions beside it
        return Plan([Part(text, intent="report_issue", entities=whole.entities)])
    if recall_to_do(readings, whole):
        return Plan([Part(text, intent=whole.intent, entities=whole.entities)])
    return None


# The work a recall just named, asked to be done: "can u do it tmrw while its in".
DO_IT = re.compile(r"\b(?:do|fix|take care of|handle|get) (?:it|that|this|them)\b", re.IGNORECASE)


def recall_to_do(readings: list[Reading], whole: Reading) -> bool:
    """"got a letter about a recall on my nx. can u do it tmrw?": the recall, read whole (its
    answer offers the visit, or to add it to one booked)."""
    recall = next((i for i, r in enumerate(readings) if r.base == "check_recall"), None)
    # (the ask may read as a question of its own: "can they do it tmrw when im in for tires?"
    # reads as the pickup service's)
    return whole.base == "check_recall" and recall is not None and any(
        DO_IT.search(r.text) and (r.base == "book_service" or ASKS.search(r.text))
        for r in readings[recall + 1:])


# A clause that only names a car, by its year and line: "2021 NX 300h", "its a 2019 rx 350".
A_CAR = re.compile(r"^(?:(?:it'?s|its|it is|my|a|an|the|for|on)\s+)*(?:(?:19|20)\d\d\s+)"
                   r"(?:lexus\s+)?[a-z]{2}(?:\s?\d{3}[a-z+]*)?\W*$", re.IGNORECASE)


def names_a_car(reading: Reading) -> bool:
    """Whether a clause that is no request only names a car (an answer the visit needs)."""
    return not reading.request and (bool(A_CAR.match(reading.text)) or (
        [e.get("entity") for e in reading.entities] == ["vehicle"] and
        len(reading.text.split()) <= 4))


def question_then_visit(readings: list[Reading], members: list[Reading], whole: Reading
                        ) -> str | None:
    """"i think its due for its first service? could i do wed first thing": the question the
    whole text reads as (or its other clause does, however the whole reads), then the visit
    asked for beside it; the question's intent, or None."""
    if not members or len(members) >= len(readings) or not all(
            r.base == "book_service" and (DAY_ASKED.search(r.text) or {"service", "when"} <= {
                e.get("entity") for e in r.entities}) for r in members):
        # (the work and its day named: "can yall pick up my nx from my house wed for an oil
        # change and bring it back after?")
        return None
    # (the whole read as the question even unsurely: "my is is due for the 45k service
    # right? can i bring it in wed after lunch")
    if whole.base in QUESTIONS and whole.confidence >= LIKELY:
        return whole.intent
    others = [r for r in readings if r not in members]
    if len(others) == 1 and others[0].base in QUESTIONS and others[0].confidence >= LIKELY \
            and others[0].start < members[0].start:
        return others[0].intent
    return None


def asked_of_it(readings: list[Reading], lead: Reading, whole: Reading) -> bool:
    """"what about if i need a tow, is that free": a question asked about what the first clause
    named is that clause's question, not the price the whole text reads as."""
    return lead.base in QUESTIONS and whole.intent != lead.intent and \
        any(i and points_back(r) for i, r in enumerate(readings))


def _one_flow(text: str, readings: list[Reading], groups: dict[str, list[Reading]],
              whole: Reading) -> Plan | None:
    """A text whose clauses serve one flow: read as that request (or None: read whole)."""
    ((name, members),) = groups.items()
    if asked := question_then_visit(readings, members, whole):
        # (a clause that only names the car goes with the visit: "need my brakes checked
        # saturday, 2021 NX 300h")
        visit = [r for r in readings if r in members or names_a_car(r)]
        return Plan([_joined([r for r in readings if r not in visit], asked),
                     _joined(visit, "book_service")])
    change = next((r for r in members if r.base in CHANGES), None)
    if name == FLOWS["reschedule_appointment"] and change is not None and \
            (whole.base == "check_appointment" or not whole.request):
        # "whats my appt time tmrw? and can u do monday after lunch instead", "is my lx
        # still on for tmrw? need to move it, same time friday": the move (whose question
        # says the visit's time), not the look alone; its day may be in a clause after it
        later = [r for r in readings if r.start > change.start and not r.request]
        return Plan([Part(text, intent=change.intent, entities=[
            {**e, "start": e["start"] + r.start, "end": e["end"] + r.start}
            for r in [change, *later] for e in r.entities if "start" in e]
            or whole.entities)])
    lead = next((r for r in members if r.group == name), members[0])
    if asked_of_it(readings, lead, whole):
        return Plan([Part(" ".join(r.text for r in members))])
    if not whole.request:
        # "hey there! how much is a detail": the greeting outweighed the question. A clause
        # that says something goes with it: "tire rotation for the tx monday at 11, with a
        # loaner please" keeps its service, car and day.
        # ("do u guys do pickup? id rather not mess w a loaner": the loaner refused is not)
        # ("can i bring it in wed morning, like 7:30": a time nothing was read from goes too)
        said = [r for r in readings if r in members or (
            (r.entities or TIME_IN_IT.search(r.text)) and not r.request and
            not REFUSED.search(r.text))]
        # (a greeting or a thanks beside them says nothing: "hey", "what's my IS due for?",
        # "it's at like 45k" keeps every clause that says something)
        saying = [r for r in readings if r.base not in NOTHING_ASKED or r in said]
        if len(said) == len(saying) and (whole.base in UNREAD or whole.base in NOTHING_ASKED
                                         and len(said) > 1) and \
                len(members) == 1 and lead.base in QUESTIONS:
            # "does that add a lot of time? i was gonna wait": every clause kept, so read
            # together they would be read as nothing again; the one question is what it asks
            return Plan([Part(" ".join(r.text for r in said), intent=lead.intent,
                              entities=[])])
        if len(said) == len(readings) and len(members) == 1 and \
                lead.intent == "ownership/pricing" and all(
                    {e.get("entity") for e in r.entities} <= {"service", "vehicle"}
                    for r in said if r is not lead):
            # "how much for an alignment and a brake inspection on the gx": the price of each
            # work named, not a booking read unsurely nor trouble with the brakes
            return Plan([Part(text, intent=lead.intent, entities=[])])
        return Plan([Part(" ".join(r.text for r in said))])
    if name == FLOWS["book_service"] and whole.base == "check_recall" and \
            any(r.base == "check_recall" for r in members):
        # the recall to do, and other work with it: a booking, whatever the whole reads as
        return Plan([Part(text, intent="book_service", entities=whole.entities)])
    if name in ABSORBS and whole.group != name and whole.group in ABSORBS[name]:
        # "battery died, can i get a loaner": a report (that offers the visit) read whole
        # as the visit alone.
        return Plan([Part(text, intent=lead.intent, entities=whole.entities)])
    return None




def points_at_a_car(text: str) -> bool:
    """Whether the text points at a car of its own ("on the gx"), not at the visit's work (the
    extractor can miss it in a clause read alone)."""
    named = named_in(text)
    return bool(named) and named.split()[-1][:2] in LINES


def asked_of_the_visit(readings: list[Reading], whole: Reading | None = None) -> Plan | None:
    """"want a detail on the is sat morning. how long does that take? ill need a ride": a short
    question about the work of the visit just asked for is answered of that work, then the
    visit is booked, every other clause with it (each is asked; neither is lost). The work and
    the day may be read only in the whole text ("My ES needs the 75k service, friday 7am drop
    off. Do I need a loaner for that or is it quick?")."""
    visit = next((r for r in readings if (r.base == "book_service" and r.confidence >= LIKELY
                                          or work_and_day(r))
                  and any(e.get("entity") == "service" for e in r.entities)), None)
    if visit is None and whole is not None and {"service", "when"} <= {
            e.get("entity") for e in whole.entities if "start" in e}:
        return _asked_of_the_whole_visit(readings, whole)
    if visit is None:
        return _asked_of_work_in_words(readings)
    asked = next((r for r in readings if r.start > visit.start and r.base in QUESTIONS
                  and r.confidence >= SURE and not r.entities and OF_IT.search(r.text)
                  and not time_told(r) and not points_at_a_car(r.text)), None)
    if asked is None or any(r.request and r.base not in ("book_service", "request_loaner")
                            for r in readings if r is not asked):
        return None
    rest = [r for r in readings if r is not asked]
    entities, offset = [], 0
    for reading in rest:
        entities += [{**e, "start": e["start"] + offset, "end": e["end"] + offset}
                     for e in reading.entities if "start" in e]
        offset += len(reading.text) + 1
    of_it = [{"entity": e["entity"], "value": e.get("value")} for e in visit.entities
             if e.get("entity") in ("service", "vehicle")]
    return Plan([Part(asked.text, intent=asked.intent, entities=of_it),
                 Part(" ".join(r.text for r in rest), intent="book_service", entities=entities)])


def _asked_of_work_in_words(readings: list[Reading]) -> Plan | None:
    """"need to bring the tx in for its first service. is that one free? sometime next week":
    the visit's work in words no entity holds; the question is asked with the clause that says
    it (read there, the work is what it asks about), then the visit is booked."""
    visit = next((r for r in readings if r.base == "book_service" and r.confidence >= SURE),
                 None)
    if visit is None:
        return None
    asked = next((r for r in readings if r.start > visit.start and r.base in QUESTIONS
                  and r.confidence >= SURE and not r.entities and OF_IT.search(r.text)
                  and ASKS.search(r.text) and not time_told(r) and not points_at_a_car(r.text)),
                 None)
    if asked is None or any(r.request and r.base not in ("book_service", "request_loaner")
                            for r in readings if r is not asked):
        return None
    rest = [r for r in readings if r is not asked and r.base not in NOTHING_ASKED]
    of_it = [{"entity": e["entity"], "value": e.get("value")} for e in visit.entities
             if e.get("entity") == "vehicle"]
    return Plan([Part(f"{visit.text} {asked.text}", intent=asked.intent, entities=of_it),
                 _joined(rest, "book_service")])


def _asked_of_the_whole_visit(readings: list[Reading], whole: Reading) -> Plan | None:
    """`asked_of_the_visit` for the work and the day read in the whole text: the last clause
    is a short question of it, and nothing else is asked; the entities of the rest are the
    whole's, at their places in it."""
    asked = readings[-1] if len(readings) > 1 else None
    if asked is None or asked.base not in QUESTIONS or asked.confidence < SURE or \
            not OF_IT.search(asked.text) or time_told(asked) or \
            any(r.request for r in readings[:-1]):
        return None
    end = asked.start
    rest = " ".join(r.text for r in readings[:-1])
    entities, offset = [], 0
    for reading in readings[:-1]:
        shift = offset - reading.start
        entities += [{**e, "start": e["start"] + shift, "end": e["end"] + shift}
                     for e in whole.entities if "start" in e and
                     reading.start <= e["start"] and e["end"] <= reading.start + len(reading.text)
                     and e["end"] <= end]
        offset += len(reading.text) + 1
    of_it = [{"entity": e["entity"], "value": e.get("value")} for e in whole.entities
             if e.get("entity") in ("service", "vehicle") and e.get("end", 0) <= end]
    return Plan([Part(asked.text, intent=asked.intent, entities=of_it),
                 Part(rest, intent="book_service", entities=entities)])


def plan(text: str, readings: list[Reading], whole: Reading | None = None) -> Plan | None:
    """How to handle a text whose clauses read as `readings` (and, when given, the whole text
    as `whole`); None to handle it whole, as the model reads it."""
    if whole is not None and (one := _one_request(text, readings, whole)):
        return one
    if of_the_visit := asked_of_the_visit(readings, whole):
        return of_the_visit
    story = whole is not None and whole.base == "report_issue" and whole.request
    visit = any(r.group == FLOWS["book_service"] and r.request or any(
        e.get("entity") == "service" for e in r.entities) for r in readings)
    after = [*readings[1:], None]
    readings = [replace(r, intent="report_issue", confidence=SURE) if urgent_trouble(r) else
                replace(r, confidence=0.0) if i and (points_back(r) or NOT_THIS.match(r.text)
                                                     or LATER.match(r.text)
                                                     or ONLY_SAME.match(r.text))
                or SUBJECT.match(r.text) or (story and told_not_asked(r))
                or tells_not_asks(r, after[i]) or (visit and time_told(r)) else
                # ("can u do monday after lunch instead": a day asked, of the visit booked)
                replace(r, intent="reschedule_appointment", confidence=SURE)
                if other_day_asked(r) else
                replace(r, intent="book_service", confidence=max(r.confidence, SURE))
                if day_asked(r) or work_and_day(r) else
                replace(r, confidence=SURE) if asked_in_its_words(r) else
                replace(r, intent=TOW_ASKED_AS, confidence=SURE) if tow_asked(r) else
                replace(r, intent=RIDE_FLOW, confidence=SURE) if ride_changed(r) else r
                for i, r in enumerate(readings)]
    if answered := _answer_first(text, readings):
        return answered
    if move := _move(text, readings):
        return Plan([move])
    groups = _groups(readings)
    if len(groups) == 1 and whole is not None:
        return _one_flow(text, readings, groups, whole)
    if len(groups) < 2:
        return None
    # A clause that is no request but says something ("for my rx", "tuesday at 3") goes with
    # the request before it (or the first one); a greeting or a thanks is left out, or it
    # would outweigh the request it went with.
    # A time told ("dropping it at 8") is the visit's, wherever it stands.
    owner: list[str] = []
    for reading in readings:
        if reading.request:
            owner.append(next(n for n, members in groups.items() if reading in members))
        elif FLOWS["book_service"] in groups and visit_time_told(reading):
            owner.append(FLOWS["book_service"])
        else:
            owner.append(owner[-1] if owner else "")
    first = next(name for name in owner if name)
    said = {name: [r for r, o in zip(readings, owner, strict=True)
                   if (o or first) == name and (r.request or r.entities or SAME_AS.search(r.text)
                                                or visit_time_told(r))]
            for name in groups}
    words = {name: _part(name, said[name], groups[name]) for name in groups}
    last = [words[LAST]] if groups.pop(LAST, None) else []
    questions = [n for n in groups if all(r.base in QUESTIONS for r in groups[n])]
    flows = [n for n in groups if n not in questions]
    safety = next((n for n in flows if (n == FIRST or words[n].intent == "report_issue")
                   and triage(words[n].text).safety), None)
    if safety is not None:
        # A safety matter first; it asks nothing back, so the questions follow, and any other
        # request waits for after it.
        parts = [words[n] for n in [safety, *questions]]
        return Plan(parts + last, len(parts) if len(flows) > 1 else None,
                    tuple((n, words[n].text) for n in flows if n != safety))
    if FIRST in groups:  # a problem that can wait is the one request that asks back
        flows = [FIRST] + [n for n in flows if n != FIRST]
    parts = [words[n] for n in questions + flows[:1]]
    # (a loaner or work asked beside a move is for the visit moved: the owner says it again
    # once it is moved, rather than it starting a booking of its own)
    return Plan(parts + last, len(parts) - 1 if len(flows) > 1 else None,
                tuple((n, words[n].text) for n in flows[1:]
                      if not (flows[0] == FLOWS["reschedule_appointment"]
                              and n == FLOWS["book_service"])))


def _joined(said: list[Reading], intent: str) -> Part:
    """The clauses `said`, joined, read as `intent` with their entities where their words now
    are."""
    entities, offset = [], 0
    for reading in said:
        entities += [{**e, "start": e["start"] + offset, "end": e["end"] + offset}
                     for e in reading.entities if "start" in e]
        offset += len(reading.text) + 1
    return Part(" ".join(r.text for r in said), intent=intent, entities=entities)


def _part(name: str, said: list[Reading], members: list[Reading]) -> Part:
    """The words of one request; a flow that took on another's ("can someone call me, need to
    reschedule thurs": a person) stays that flow, however its words read together."""
    text = " ".join(r.text for r in said)
    lead = next((r for r in members if r.group == name), None)
    if name != FIRST and triage(text).safety:
        # trouble that is a safety matter told beside a complaint or a call asked for: the
        # report, whose first words say what to do
        lead = next((r for r in members if r.group == FIRST), lead)
    if name not in ABSORBS or lead is None or all(r.group == name for r in members):
        return Part(text)
    entities, offset = [], 0
    for reading in said:
        entities += [{**e, "start": e["start"] + offset, "end": e["end"] + offset}
                     for e in reading.entities if "start" in e]
        offset += len(reading.text) + 1
    return Part(text, intent=lead.intent, entities=entities)


def named_before(readings: list[Reading], i: int) -> bool:
    """Whether a clause before the `i`-th names a thing a question may point back at: work, a
    ride or a car."""
    return any({"transport", "service", "vehicle"} & {e.get("entity") for e in r.entities}
               for r in readings[:i])


SUMMARY_ASKED = "confirm_booking"


def question_read_whole(readings: list[Reading], whole: Reading | None) -> Reading | None:
    """"wait actually make it 10, and can i just wait there while u do it?": the one question
    the model read as nothing alone, in a text it read whole, surely, as a question of that kind
    (and no other clause is one): the clause with the whole's reading; None otherwise."""
    if whole is None or whole.base not in ASIDES or whole.confidence < SURE or \
            any(r.base in SUMMARY_ASIDES for r in readings):
        return None
    unread = [r for r in readings if r.base in UNREAD and r.text.rstrip().endswith("?")]
    return replace(unread[0], intent=whole.intent, confidence=whole.confidence) \
        if len(unread) == 1 else None


def asides_first(readings: list[Reading], asked: str | None = None,
                 whole: Reading | None = None) -> Plan | None:
    """While a form asks its questions (`asked`, the slot): "ill just wait. is there wifi" is
    the question answered first, then the rest of the text as the answer to the form; None when
    the text is no such mix (it is read whole, as the form's answer). `whole`: the whole text's
    reading."""
    if (borrowed := question_read_whole(readings, whole)) is not None:
        readings = [borrowed if r.start == borrowed.start else r for r in readings]
    kinds = SUMMARY_ASIDES if asked == SUMMARY_ASKED else ASIDES
    # ("how long is it? id rather wait there": a question pointing at nothing said before it
    # in the text points at the booking, when no other question follows it: in "how much is
    # that and how long does it take" it goes with the form's answer)
    # ("actually wed same time instead. how much for all that?": a question pointing back at
    # nothing the text named points at the booking too, and is answered of it)
    alone = not any(r.base in kinds and ASKS.search(r.text) for r in readings[1:])
    asides = [r for i, r in enumerate(readings) if r.base in kinds and r.confidence >= SURE
              and ASKS.search(r.text) and not (points_back(r) and (
                  (i and named_before(readings, i)) or (not i and not alone)))]
    one = sum(bool(r.base in kinds and ASKS.search(r.text)) for r in readings) == 1
    of_named = [(readings[i - 1], r) for i, r in enumerate(readings) if i and one and
                r.base in kinds and r.confidence >= SURE and ASKS.search(r.text) and
                points_back(r) and readings[i - 1].base not in kinds and
                {"transport", "service"} & {e.get("entity") for e in readings[i - 1].entities}]
    if not asides and of_named:
        # "the first one. ill need a loaner, is that free?": the question is of the thing the
        # clause before named (asked with it, so it is read as about it); that clause answers
        # the form too
        (named, asked), = of_named
        rest = [r for r in readings if r is not asked and r.base not in NOTHING_ASKED]
        return Plan([Part(f"{named.text.rstrip(' ,')}, {asked.text}", aside=True),
                     Part(" ".join(r.text for r in rest))])
    rest = [r for r in readings if r not in asides and r.base not in NOTHING_ASKED]
    if not asides or not rest:
        return None
    # (to the summary's yes, a statement that names nothing is no answer either: "the service
    # is free right? its only like 5 months old")
    unread = UNREAD | ({"inform"} if asked == SUMMARY_ASKED else set())
    if not any(r.entities or r.base not in unread or TIME_IN_IT.search(COUNT.sub(" ", r.text)) or
               RIDE_IN_IT.search(r.text) for r in rest) or \
            all(r.base == "affirm" and WEAK_YES.match(r.text) for r in rest):
        # ("cool. do i need to bring anything for the loaner?" to the summary: heard, no yes)
        # "is the loaner a hybrid? dont wanna fill it up lol": nothing beside the question
        # answers the form, which asks its question again after the answer.
        # (a question that only the whole text's reading made one is read whole, as before)
        return None if borrowed is not None else Plan([Part(" ".join(r.text for r in asides))])
    return Plan([*(Part(r.text, intent=r.intent if r is borrowed else None, aside=True)
                   for r in asides),
                 Part(" ".join(r.text for r in rest))])
