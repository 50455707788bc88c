"""What an owner's short replies and heads-ups mean: which ride an answer names, a bare yes or
no, "running late", and a holiday wished. `tests/dealership/test_replies.py` is its table."""

from __future__ import annotations

import re

# How owners name each way to get around; the waitlist before waiting.
RIDES = {
    "waitlist": r"wait ?list|waiting list",
    "loaner": r"loaner|loner|rental|courtesy (?:car|vehicle)|a car to drive|"
              r"(?:give|lend|loan) (?:me|us) a car|(?:get|borrow) a car (?:while|to use|for)|"
              r"^(?:a )?car (?:please|pls|plz)\b",
    "pickup_delivery": r"pick ?-?up|pick (?:it|the car|my car) up|delivery|deliver|valet|"
                       r"come (?:get|grab|pick up|collect) (?:it|the car|my car|my \w{2,3}|"
                       r"the \w{2,3})\b|"
                       r"(?:grab|get|pick up) (?:it|the car|my car|the \w{2,3}|my \w{2,3}) "
                       r"(?:from|at) (?:my |the )?(?:work|home|house|office|job|place)",
    "shuttle": r"shuttle|ride|lift|drop me",
    "wait": r"wait|waiting|lounge|stay there|hang out",
}
BARE_YES_OR_NO = re.compile(r"(yes|yeah|yep|yup|ya|sure|ok|okay|no|nope|nah|naw|no thanks|"
                            r"no thank you|no need|not really|i'?m good|im good|nah i'?m good)")
# "running late", "be there in 15": a heads-up, not a request to move, unless it asks for one
RUNNING_LATE = re.compile(r"\b(running|gonna be|going to be|be a (few|little|bit)|"
                          r"(few|couple|\d+) min\w*) (a )?(\w+ )?(late|behind)\b|"
                          r"\bbe there (in|by) \d|\bstuck in traffic\b|\bhit traffic\b|"
                          r"\brunning late\b|\bomw\b|\bon my way\b")
MOVE = re.compile(r"\b(push|move|resched\w*|change|shift|switch|bump|another|different|"
                  r"cancel|tomorrow|tmrw|next)\b")


# A ride asked for as a question: "can ur shuttle drop me at my gym?", "can the shuttle take me
# home?", "could i get a ride back to work": the ride is wanted, whatever else is asked of it.
RIDE_ASKED_FOR = re.compile(r"\b(?:can|could|will|would|does|do) "
                            r"(?:the|ur|your|you guys'?|y'?all'?s?) (shuttle|driver) "
                            r"(?:\w+ )?(?:take|drop|bring|get|run|give) me\b"
                            r"|\b(?:can|could) (?:i|we) (?:get|grab) a (?:shuttle|ride|lift) "
                            r"(?:back|home|to)\b"
                            # "or can someone drive me to work"
                            r"|\b(?:can|could|will|would) (?:someone|somebody|anyone|you|u|"
                            r"y'?all|you guys|one of you) (?:drive|take|run|give) me "
                            r"(?:a ride |a lift )?(?:to|back|home|over)\b")


# "can u guys pick up my rx from my office", "could someone come get the car at my house":
# the car fetched where the owner is, which is pickup and delivery.
PICKUP_ASKED_FOR = re.compile(r"\b(?:can|could|will|would|do) (?:you|u|y'?all|you guys|u guys|"
                              r"someone|somebody|anyone|your driver|ur driver) (?:\w+ )?"
                              r"(?:come )?(?:pick ?up|grab|get|collect|fetch|pick) "
                              r"(?:it|my|the|our)\b.{0,25}?\b(?:from|at) (?:my |the |our )?"
                              r"(?:office|work|home|house|job|place|apartment|building)\b"
                              # "can u guys come get my car for an oil change?"
                              r"|\b(?:can|could|will|would) (?:you|u|y'?all|you guys|u guys|"
                              r"someone|somebody|anyone) come (?:get|grab|pick up|collect|fetch) "
                              r"(?:my|the|our) (?:car|\w{2,3})\b(?! (?:from|at) (?:the )?"
                              r"(?:shop|side|road|highway|tow|scene))")


# "how long does that take? can i just wait for it": waiting, asked for in a question.
WAIT_ASKED_FOR = re.compile(r"\b(?:can|could|may) (?:i|we) (?:just |simply )?(?:wait|stay) "
                            r"(?:for (?:it|her|him|the car)|there|on it|in the lounge|while)")


def ride_asked_for(text: str) -> str | None:
    """"can the shuttle take me home?": the shuttle, asked for in a question; "can you pick up
    my rx from work?": pickup and delivery; "can i just wait for it?": waiting."""
    said = text.lower()
    if PICKUP_ASKED_FOR.search(said):
        return "pickup_delivery"
    if RIDE_ASKED_FOR.search(said):
        return "shuttle"
    return "wait" if WAIT_ASKED_FOR.search(said) else None


# A ride turned down: "no ride needed", "don't need a lift" (someone else drives them), "my wife's
# picking me up so no loaner", "i won't need the shuttle".
NO_RIDE = re.compile(r"\b(?:no|not a|without a|no need for (?:a|the)|don'?t need (?:a|the)|"
                     r"dont need (?:a|the)|won'?t need (?:a|the)|wont need (?:a|the)|"
                     r"don'?t want (?:a|the)|dont want (?:a|the)|skip the|forget the|"
                     # "she won't do the shuttle", "i cant take the shuttle"
                     r"(?:won'?t|wont|can'?t|cant|doesn'?t|don'?t|dont|hates?|refuses? to) "
                     r"(?:do|take|ride|use|deal with|like) (?:a|the))\s+"
                     r"(?P<ride>ride|lift|loaner|loner|rental|shuttle)s?\b")
TURNED_DOWN = {"loaner": "loaner", "loner": "loaner", "rental": "loaner", "shuttle": "shuttle",
               "ride": "shuttle", "lift": "shuttle"}


def rides_turned_down(text: str) -> set[str]:
    """The rides `text` says no to: {"loaner"} for "so no loaner"."""
    return {TURNED_DOWN[found.group("ride")] for found in NO_RIDE.finditer(text.lower())}


# The car left with us and the owner getting around on their own: "my wife will pick me up",
# "i'll uber to work" (not "ill drop it off myself": who brings the car says nothing of the ride).
PEOPLE = (r"(?:my )?(?:wife|husband|hubby|son|daughter|kid|friend|buddy|coworker|co-worker|"
          r"neighbou?r|partner|mom|dad|mother|father|sister|brother|roommate|someone|fianc[ée]e?|"
          r"gf|bf|girlfriend|boyfriend|assistant|driver)")
OWN_WAY = re.compile(
    rf"\b{PEOPLE}(?:'?s| is| will| can| gonna| is gonna)? (?:\w+ )?(?:pick(?:ing|s)?(?: me)? up|"
    r"drop(?:ping|s)? me(?: off)?|"
    r"giv(?:e|es|ing) me a (?:ride|lift)|driv(?:e|es|ing) me|tak(?:e|es|ing) me|"
    r"follow(?:ing|s)? me)|"
    r"\b(?:uber|lyft|taxi|cab|bus|train|walk|bike)(?:ing)? (?:to|home|back|there|over)\b|"
    r"\b(?:an? )?(?:uber|lyft|taxi|cab)\b|"
    # the owner collects it: "ill drop it off n pick it up after work", "i'll grab it at 5"
    r"\b(?:i'?ll|ill|i will|i can|i could|i'?d|i'?m gonna|im gonna|i'?ll come|drop (?:it|her|"
    r"the car|him) off(?: at \w+)?,? (?:and|n|&|then)) (?:just |come |then )?(?:back and )?"
    r"(?:pick|grab|get|collect) (?:it|her|him|the car|my car) (?:up|back)?\s?"
    r"(?:after|later|when|at|on my way|before|by|around|once|tonight|this|that|myself)\b|"
    r"\b(?:i'?ll|ill|i can|gonna) (?:just )?walk\b|"
    # "ill drive my other car", "we'll take the wife's truck", "i have another car"
    r"\b(?:drive|take|use) (?:my|our|the) (?:other|second|spare|(?:wife|husband|hubby|"
    r"partner|son|daughter|mom|dad)'?s) (?:car|truck|vehicle|suv)\b|"
    r"\b(?:have|got) (?:another|a second|a spare|an extra) (?:car|truck|vehicle)\b|"
    r"\b(?:my own ride|own way (?:home|back|there)|(?:get|find|sort out|figure out) (?:my own|a) "
    r"ride(?: home| back| to work)?|no ride needed|i'?m (?:good|fine|all set) (?:on|for) (?:a )?"
    r"ride)\b")


def ride_named(text: str) -> str | None:
    """The one way to get around `text` names, if it names exactly one (not one turned down);
    the owner's own way ("my wife will pick me up") when it names none of ours."""
    lowered = text.lower()
    found = _rides_in(NO_RIDE.sub(" ", OWN_WAY.sub(" ", lowered)))
    if not found and OWN_WAY.search(lowered):
        return "drop_off"
    return found[0] if len(found) == 1 else None


def rides_compared(text: str) -> bool:
    """Whether `text` names two or more of our ways to get around ("what's the difference
    between your shuttle and a loaner car?"): none of them chosen by it."""
    return len(_rides_in(text.lower())) >= 2


# "wait" that holds the conversation, not the ride: "wait do i already have something booked?",
# "oh wait, is that tmrw" (not "wait is fine", "i'll wait").
HESITATION = re.compile(r"(?:^|[.!?,;]\s*|\b(?:oh|but|ah|hmm|hold on|no|actually|ok|okay)\s+)"
                        r"wait\b(?=\s*(?:[,;-]|[.!?]+\s*\S|a (?:sec|second|min|minute)\b|"
                        r"(?:what|do|does|did|isn'?t|don'?t|dont|didn'?t|how|when|why|where|"
                        r"who|which|can|could|would|will|actually|hold|so|i|is that|are|am)\b))")


def _rides_in(text: str) -> list[str]:
    text = HESITATION.sub(" ", text)
    found = []
    for ride, words in RIDES.items():
        if re.search(rf"\b(?:{words})", text):
            found.append(ride)
            text = re.sub(rf"\b(?:{words})\w*", " ", text)  # "waitlist" is not also "wait"
    return found


# Asking for the work to be booked, not about it ("book the gx for the seat latch recall", "could
# you do the recall on my gx this week?"; not "is the recall appointment still on?").
BOOK_ASKED = re.compile(r"\b(book|schedule|set (it|me) up|get (it|me|her|him|the \w+) in|"
                        r"(can|could|would) (you|u|y'?all)( guys)? (do|fix|take care of)|"
                        # "...the seat latch thing. can i bring it in fri around 8"
                        r"(can|could) (i|we) (bring|drop) (it|her|him|the \w+|my \w+) "
                        r"(in|by|off|on|this|next|today|tmrw|tomorrow|(mon|tue|wed|thu|fri|sat)\w*)|"
                        # "can the gx get the seat latch recall done tues?"
                        r"(get|have|(?<!do i )(?<!should i )(?<!will i )(?<!do we )(need|want)) "
                        r"(the|that|this|its|my|a) ([\w-]+ ){0,4}(recall|fix|"
                        r"repair)"
                        r"( \w+)? (done|fixed|handled|taken care of)|"
                        r"(done|fixed) (on |this |next )?(mon|tues?|wed|weds|thu|thurs?|fri|sat|"
                        r"tmrw|tomorrow|today)\w*)\b")


def asks_to_book(text: str) -> bool:
    return bool(BOOK_ASKED.search(text.lower()))


# "ok never mind, keep it. ill make it work" to "cancel it?": the visit kept, whatever "ok"
# read as; unless the change is said again in so many words ("never mind the loaner, cancel it").
KEPT_AS_IS = re.compile(r"\b(?:keep (?:it|that|(?:the|my) (?:appt|appointment|visit|booking|"
                        r"time|day|one))|leave it|never ?mind|nvm|"
                        r"(?:don'?t|dont|do not|not) (?:cancel|move|change)|changed my mind|"
                        r"make it work|forget (?:it|that)|hold off)\b")
CHANGE_SAID = re.compile(r"(?<!don't )(?<!dont )(?<!do not )(?<!not )\b(?:cancel|move|push|"
                         r"resched\w*) (?:it|that|them|the|my)\b")


# Each change, in the words that ask for it.
CHANGE_WORDS = {"cancel": re.compile(r"\bcancel"), "move": re.compile(r"\b(?:move|push|resched)")}


def change_said(text: str, change: str | None = None) -> bool:
    """"no just cancel it pls": a change (`change`, when given) asked for again in words."""
    said = text.lower()
    found = CHANGE_SAID.search(said)
    return found is not None and not KEPT_AS_IS.search(said) and (
        change is None or bool(CHANGE_WORDS[change].search(found.group(0))))


def kept_as_is(text: str) -> bool:
    said = text.lower()
    return bool(KEPT_AS_IS.search(said)) and not CHANGE_SAID.search(said)


def bare_yes_or_no(text: str) -> bool:
    """"no", "Nope.", "nah i'm good": a yes or a no and nothing else."""
    said = re.sub(r"[^\w' ]+", "", text.lower()).strip()
    return bool(BARE_YES_OR_NO.fullmatch(said))


MOVE_ASKED = re.compile(r"\b(push|move|resched\w*|shift|bump|(?<!oil )change|instead|"
                        r"rather|cancel|switch)\b")


def moves_asked(text: str) -> bool:
    """A change of time asked in so many words ("can u push my oil change to fri")."""
    return bool(MOVE_ASKED.search(text.lower()))


# Whether to move it, asked: "is that ok or should i move it" (a question, not a move).
MOVE_WONDERED = re.compile(r"\b(?:should|do|would|will|must) (?:i|we) (?:need to |have to )?"
                           r"(?:move|resched\w*|push|change)(?: it| that| the appt)?\b")


def running_late(text: str) -> bool:
    said = MOVE_WONDERED.sub(" ", text.lower())
    return bool(RUNNING_LATE.search(said)) and not MOVE.search(said)


# A different choice said in answer to a summary: "no actually id rather take the shuttle".
CHANGED_MIND = re.compile(r"\b(rather|instead|actually|no|nah|switch|change|prefer)\b")


# Waiting chosen, not "wait, no...": "ill just wait", "i'd rather wait there", "the lounge".
WAIT_CHOSEN = re.compile(r"\b(?:i'?ll|ill|i can|i will|i'?d|id|rather|just) (?:just )?wait\b|"
                         r"\bwait (?:there|in the lounge|for it)\b|\blounge\b|\bhang out\b")


# A yes said first, with more after it: "yes please, I'll wait in the lounge".
YES_FIRST = re.compile(r"^(?:yes|yeah|yep|yup|ya|sure|ok|okay|perfect|great|sounds good|"
                       r"that works)\b")


# The ride itself agreed to in other words than a yes: "shuttle is fine", "the loaner works"
# (not "7 is fine. ill just wait in the lounge": a detail said back, the summary's yes to come).
RIDE_AGREED = re.compile(r"\b(?:shuttle|loaner|pickup|delivery|waiting|lounge)(?: ride| car)?"
                         r"(?:'s| is| sounds| would be)? (?:totally |just )?(?:fine|good|great|"
                         r"perfect|ok|okay|works)\b")


def yes_with_ride(text: str, offered: str) -> bool:
    """A yes to a summary that says again the ride it offered ("yes please, I'll wait in the
    lounge", "shuttle is fine" to "...you can wait in our lounge. Book it?"), not one that
    changes it."""
    said = text.lower().strip()
    if not (YES_FIRST.match(said) or RIDE_AGREED.search(said)) or CHANGED_MIND.search(said) or \
            "?" in said:
        return False  # (a question asked beside it is answered first)
    named = ride_named(said)
    if named == "wait" and not WAIT_CHOSEN.search(said):
        return False
    return named == offered


def ride_instead(text: str, current: str | None) -> str | None:
    """The one ride a reply to a summary names instead of `current`, if it changes its mind."""
    named = ride_named(text)
    if named == "wait" and not WAIT_CHOSEN.search(text.lower()):
        return None  # "wait no tues the 1st is better": no ride
    return named if named and named != current and CHANGED_MIND.search(text.lower()) else None


# The work offered asked to be done with the visit booked: "can u do the recall at the same
# visit?", "add it while its there", "can they do it tmrw when im in for the tires?".
SAME_VISIT = re.compile(r"\b(?:can|could|would|will) (?:you|u|y'?all|ya|they|the techs?|"
                        r"someone) (?:\w+ )?(?:do|add|include|fit|squeeze|take care of)\b.{0,40}"
                        r"\b(?:same (?:visit|appt|appointment|time|day)|while (?:it'?s|its|it is|"
                        r"i'?m|im|i am|the \w+ is) (?:there|in)|when (?:i'?m|im|i am|it'?s|its|"
                        r"the \w+ is) (?:in|there|coming in))\b", re.IGNORECASE)


# Work asked to be added to a visit booked already, pointing at it: "add the recall to that",
# "while you have my LX tomorrow", "since the nx is in tmrw anyway".
ADDED_TO_VISIT = re.compile(
    r"\badd (?:[\w'-]+ ){0,6}?(?:to|onto|on(?: to)?) (?:it|that|this|(?:my|the|tomorrow'?s|"
    r"tmrw'?s|\w+day'?s) (?:[\w'-]+ ){0,3}?(?:visit|appt|appointment|booking|service))\b|"
    r"\bwhile (?:you|u|y'?all|they) (?:have|got|'ve got|have got|has) (?:it|my|the|her|him)\b|"
    r"\bsince (?:the|my|it|its|it'?s|she'?s|he'?s)\b(?: \w+)?(?: is|'s)? (?:in|coming in|going in|"
    r"booked|there)\b|"
    r"\bwhile (?:it'?s|its|it is|the \w+ is|i'?m|im|i am|she'?s|he'?s) (?:there|in)\b"
    r"(?! (?:town|the area|austin|the city|traffic|a meeting|class|school|work))",
    re.IGNORECASE)


def joins_visit_asked(text: str) -> bool:
    """Whether the text asks for work at a visit booked already, pointing at it."""
    return bool(SAME_VISIT.search(text) or ADDED_TO_VISIT.search(text))


# A holiday wished ("happy thanksgiving to u guys!! 🦃", "merry xmas"), by the name the wish
# back says.
HOLIDAYS = {"Thanksgiving": r"thanksgiving|turkey day", "Christmas": r"christmas|xmas|x-mas",
            "New Year": r"new year'?s?", "holidays": r"holidays?", "Easter": r"easter",
            "Fourth": r"(?:4th|fourth)(?: of july)?", "Halloween": r"halloween"}
_WISH = re.compile(r"\b(?:happy|merry|have a (?:great|good|happy|nice|wonderful|merry) |enjoy "
                   r"(?:the|your) |hope (?:you|u|y'?all|you all|you guys|u guys|everyone) "
                   r"(?:has|have|had|enjoy\w*) (?:a |an )?(?:great |good |happy |nice |wonderful "
                   r"|merry )?)\s*(?:(?:early|belated|late) )?(" +
                   "|".join(f"(?:{w})" for w in HOLIDAYS.values()) + r")\b", re.IGNORECASE)


def holiday_wished(text: str) -> str | None:
    """The holiday a text wishes the dealership ("Thanksgiving"), if it wishes one."""
    if not (found := _WISH.search(text)):
        return None
    said = found.group(1).lower()
    return next(name for name, words in HOLIDAYS.items() if re.fullmatch(words, said))

