"""Problem reports: the situation first, then a case with what an advisor needs, then the visit.

The triage table (bot/dealership/triage.yml) says what the owner hears first: a fire gets "get
out, don't open the hood, 911", a flat tire the roadside number, before anything is asked. The
case is written at once and `problem_form` asks only the questions the situation allows that the
story left out (which car, since when, can it be driven); each answer lands on the case as it
comes. Questions the owner asks back about the trouble ("can I drive it to you?") are answered
from the same table, whenever they come (bot/policies/situations.py routes them here).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.appointments import PRICE_ASKED
from actions.common import (
    FormValidation,
    aside_done,
    asked_once_more,
    book_offered,
    book_visit,
    bot_spoke_this_turn,
    car_buttons,
    in_session,
    media_urls,
    offer_visit,
    owner_id_of,
    said_for_this_text,
    said_this_text,
    told_length,
)
from actions.departments import TALKED_ABOUT, ActionAnswerDepartment, team_followed_up
from actions.ownership import ActionAnswerOwnership, asked_topic, lines_of
from actions.phrases import when_text
from bot.dealership import reports, services, vehicles
from bot.dealership.dates import parse_when
from bot.dealership.escalation import Hearing, who_hears
from bot.dealership.joining import ADD_TO_VISIT
from bot.dealership.owners import cars_of
from bot.dealership.ownership_questions import Question, answer
from bot.dealership.problems import (
    CarAnswer,
    CarNoted,
    ProblemReport,
    Reported,
    SinceAnswer,
    TowedIn,
    WhichModel,
    WhichOfCars,
    case_vehicle,
    note_car,
    note_since,
    phones,
    recall_of_case,
    report,
    towed_in,
)
from bot.dealership.profile import local_now
from bot.dealership.triage import (
    Finding,
    asked_back,
    asks_for_visit,
    category_questions,
    category_rule,
    left_for_later,
    read_drivable,
    said_drivable,
    since_in,
    stopped,
    tells_trouble,
    triage,
    unsure,
    visit_words,
    went_away,
)
from bot.wording import joined, say

PROBLEM_SLOTS = ("problem_case", "problem_vehicle", "problem_since", "problem_drivable")
ASK_DRIVABLE_AGAIN = "utter_ask_drivable_again"
# A question of the owner's own ("should i open the hood to check?"), not "the rx?".
QUESTION = re.compile(r"(^|[.!,;]\s*)(should|can|could|do|does|is|are|will|would|how|what|"
                      r"where|when|why|who)\b[^.!?]*\?", re.IGNORECASE)
# What a text mid-report is read as when it does not answer "when did it start?".
NOT_AN_ANSWER = {"request_human", "complain", "bot_challenge", "out_of_scope", "ownership",
                 "check_recall", "opt_out", "share_media", "book_service", "request_loaner",
                 "cancel_appointment", "reschedule_appointment", "check_appointment", "greet",
                 "department", "contact_department"}
# The form's questions by the name the triage table gives them.
QUESTIONS = {"car": "problem_vehicle", "since": "problem_since", "drivable": "problem_drivable"}


# What the owner is told of who has their case (bot/dealership/escalation.who_hears).
HEARD = {"desk": ("utter_alerted_desk", "utter_advisor_calls_desk"),
         "on_call": ("utter_alerted_on_call", "utter_advisor_calls_on_call"),
         "queue": ("utter_alerted_queue", "utter_advisor_calls_queue")}


async def trouble_words(urgent: bool) -> dict[str, str]:
    """The numbers an owner in trouble is given, and who has the case and when: the on-call
    advisor is named only when they were texted, and after hours with nobody on call the
    owner hears when the desk opens."""

    def work(session: Session) -> tuple[dict[str, str], Hearing, datetime]:
        now = local_now(session)
        return phones(session), who_hears(session, now, urgent), now

    words, heard, now = await in_session(work)
    opens = when_text(heard.opens, now) if heard.opens else ""
    alerted, calls = HEARD[heard.who]
    return {**words, "alerted": say(alerted, opens=opens), "advisor_calls": say(calls, opens=opens)}


def first_form(finding: Finding, domain: dict[str, Any]) -> str:
    """The first response, in its form for a car standing in traffic or already stopped where
    the domain has one."""
    known = domain.get("responses") or {}
    for form, applies in (("traffic", finding.in_traffic), ("parked", finding.parked)):
        if applies and f"{finding.first}_{form}" in known:
            return f"{finding.first}_{form}"
    return finding.first or ""


def answer_for(domain: dict[str, Any], question: str, category: str, situation: str,
               drivable: bool | None = None, parked: bool = False) -> str:
    """The most specific response to a question asked back: for the category, the situation,
    a car that must not be driven, or any trouble; in its form for a car stopped already
    (`parked`) where the domain has one."""
    responses = domain.get("responses") or {}
    names = [f"utter_asked_{question}_{category}", f"utter_asked_{question}_{situation}"]
    if drivable is False:
        names.append(f"utter_asked_{question}_not_drivable")
    if parked:
        names = [form for name in names for form in (f"{name}_parked", name)]
    return next((name for name in names if name in responses), f"utter_asked_{question}")


def answers_the_question(tracker: Tracker) -> bool:
    """Whether the owner's text may be the answer to the report's question, not a question or
    request of their own ("should I open the hood?", "can I get a loaner?")."""
    text = tracker.latest_message.get("text") or ""
    return not QUESTION.search(text) and not asked_back(text) and \
        tracker.get_intent_of_latest_message() not in NOT_AN_ANSWER


async def service_named(tracker: Tracker) -> list[str]:
    """The work the owner's text names ("can I get it aligned", "a tire rotation and
    alignment"): as the extractor found it, and in the text's words it may have missed."""
    found = [str(entity.get("value")) for entity in tracker.latest_message.get("entities", [])
             if entity.get("entity") == "service"]
    text = tracker.latest_message.get("text") or ""
    if found and not text.startswith("/"):
        found += await in_session(lambda s: [x.code for x in services.mentioned(s, text)])
    # (words the extractor took for work that name none, "mon the 30th first thing", are not)
    unknown = set(await in_session(lambda s: services.resolve(s, found)[1])) if found else set()
    return [said for said in dict.fromkeys(found) if said not in unknown]


def visit_asked(text: str) -> bool:
    """Whether a report asks for the visit too ("...pulling left, can I get it aligned"), or
    for work added to one booked ("can u add a brake inspection to it, they squeak")."""
    return asks_for_visit(text) or bool(ADD_TO_VISIT.search(text.lower()) or
                                        WORK_ADDED.search(text.lower()))


# Work asked to be added, the visit left unsaid: "also can u add an alignment, the lx pulls to
# the right" (a visit booked is offered to join, as for any booking).
WORK_ADDED = re.compile(r"\b(?:add|tack on|throw in)\b (?:on )?(?:an?|the) \w+")


# Words before a day that say when the trouble began, not when the car can come in.
BEGAN_BEFORE = re.compile(r"\b(since|started|began|starting|last|from|ago|on and off|noticed|"
                          r"happened|came on|first)\W+(\w+\W+)?$", re.IGNORECASE)


async def day_of_visit_said(tracker: Tracker) -> str | None:
    """The words of a day to come that the report's text names with what the model read as a
    visit asked for ("need an alignment on my nx, its pulling right. thurs morning work?"): the
    visit's day, whatever words ask for it; None when no day ahead is named that way."""
    text = tracker.latest_message.get("text") or ""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") != "when" or "start" not in entity:
            continue
        if BEGAN_BEFORE.search(text[:entity["start"]][-30:]):
            continue
        words = text[entity["start"]:entity["end"]]
        now = await in_session(local_now)
        when = parse_when(words, now)
        if when is not None and when.first_day is not None and when.first_day > now.date():
            return text[entity["start"]:]
    return None


def whole_text(tracker: Tracker) -> str:
    """The owner's text as sent, also when it was read as several requests."""
    latest = tracker.latest_message
    return str((latest.get("metadata") or {}).get("whole_text") or latest.get("text") or "")


def said_vehicle(tracker: Tracker) -> str | None:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "vehicle":
            return str(entity.get("value"))
    return None


async def visit_for_it(tracker: Tracker, found: Reported, text: str, day_words: str | None
                       ) -> list[EventType] | None:
    """The visit for routine trouble, asked beside it; None when none is asked."""
    if booking_begun_this_text(tracker):
        # "the lx has been pulling left" beside the visit for it being booked (an earlier part
        # of the text asked it): noted for that visit, whose question stays open
        return form_taken_up(tracker, "booking_form")
    if not visit_asked(text) and day_words is None:
        return None
    # "...pulling left, can I get it aligned", "...squeak a lil too. fri work?": the visit
    work = await service_named(tracker) or \
        (["recall_repair"] if found.recall else []) + [found.finding.service]
    return await book_visit(tracker, work, found.vehicle_id, None,
                            keep=said_this_text(tracker) - {"appointment_time"},
                            days_said=False, day_words=day_words)


def form_taken_up(tracker: Tracker, form: str) -> list[EventType]:
    """The form stopped for this part of the text, taken up again with its question open."""
    asked = next((e.get("value") for e in reversed(tracker.events)
                  if e.get("event") == "slot" and e.get("name") == "requested_slot" and
                  e.get("value")), None)
    return [ActiveLoop(form), SlotSet("requested_slot", asked), FollowupAction("action_listen")]


def form_stopped(tracker: Tracker) -> str | None:
    """The form that was asking when this part of the owner's text came (and was stopped)."""
    came = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            came = True
        elif came and event.get("event") == "active_loop":
            return event.get("name") or None
    return None


def part_passed_over(tracker: Tracker) -> list[EventType] | None:
    """What a text (or a part of one) read as trouble does when it files nothing: a part already
    reported with the whole text, or a text that tells no trouble at all while a form asks ("is
    the loaner an rx too? i hate driving small cars"), whose stopped form goes on. None when
    it is to be reported."""
    if whole_reported(tracker):
        return []
    if tells_trouble(whole_text(tracker)):
        return None
    form = form_stopped(tracker)
    if int((tracker.latest_message.get("metadata") or {}).get("parts") or 1) > 1:
        return form_taken_up(tracker, form) if form else []
    if form:
        # a text of its own to the form's question ("sweet. 7 it is. my wife is following me
        # over to drive me back"): the form reads it as its answer
        return [ActiveLoop(form), FollowupAction(form)]
    return None


def booking_begun_this_text(tracker: Tracker) -> bool:
    """Whether an earlier part of the owner's text began a booking (set aside for this one)."""
    if int((tracker.latest_message.get("metadata") or {}).get("part") or 1) <= 1:
        return False
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > 1 and int((event.get("metadata") or {}).get("part") or 1) <= 1:
                return False
        elif users and event.get("event") == "active_loop" and \
                event.get("name") == "booking_form":
            return True
    return False


def whole_reported(tracker: Tracker) -> bool:
    """Whether an earlier part of the owner's text was reported with the whole text (its part
    told none of the trouble), so the case has every part already."""
    metadata = tracker.latest_message.get("metadata") or {}
    whole = str(metadata.get("whole_text") or "")
    if int(metadata.get("part") or 1) <= 1 or not whole:
        return False
    users, reported = 0, False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > 1 and reported:
                # that part told none of the trouble, so it was reported with the whole text
                return triage(str(event.get("text") or "")).first is None and \
                    triage(whole).first is not None
            if users > 1 and int((event.get("metadata") or {}).get("part") or 1) <= 1:
                return False
        elif users and event.get("event") == "action" and \
                event.get("name") == "action_report_issue":
            reported = True
    return False


def nothing_to_ask(tracker: Tracker, found: Reported) -> list[EventType]:
    """After a first reply that leaves nothing to ask: what may come next."""
    finding, events = found.finding, []
    if finding.category in FIX_OFFERS and finding.service:
        # "once it's running, our battery test is free": a visit asked for next ("can u check
        # it sat") is that test, on the car the trouble was told of
        events += offer_visit(finding.service, found.vehicle_id)
    if (tracker.latest_message.get("intent") or {}).get("name") == "check_recall":
        # "my wipers just quit in the rain, is this that wiper recall?": what to do first,
        # then the recall asked about
        events.append(FollowupAction("action_check_recall"))
    return events + [SlotSet(slot, None) for slot in PROBLEM_SLOTS]


class ActionReportIssue(Action):
    def name(self) -> str:
        return "action_report_issue"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if (passed := part_passed_over(tracker)) is not None:
            # this part is in a report of the whole text, or tells no trouble
            return passed
        if int((tracker.latest_message.get("metadata") or {}).get("parts") or 1) == 1 or \
                (triage(text).first is None and triage(whole_text(tracker)).first is not None):
            # read as one request, the words left out of it are still the trouble's ("got a
            # flat on 183 by the airport" beside "pulled onto the shoulder."); and a part that
            # tells none of the trouble the text tells is reported with all of it
            text = whole_text(tracker)
        owner_id = owner_id_of(tracker)
        named = said_vehicle(tracker)
        request = ProblemReport(
            text=text, owner_id=owner_id, conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            # An owner's car may be named where the entity extractor saw none ("...on my lx").
            car_named=named or vehicles.named_in(text), media_urls=media_urls(tracker))
        found = await in_session(lambda s: report(s, request))
        finding = found.finding
        # Worse trouble told while an earlier report's questions were asked: those stop here.
        stopped: list[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None)] \
            if tracker.active_loop.get("name") == "problem_form" else []
        words = {**await trouble_words(finding.ticket == "urgent"), "reference": found.reference}
        if found.added:
            dispatcher.utter_message(response="utter_added_to_case", **words)
            return []
        # Routine trouble whose visit is asked for in the same text, or that is back after a
        # fix, goes straight to that: its first reply is left out unless it answers a question
        # the text asks ("is it safe to drive?"), so the reply still fits a text.
        # (not a first reply that sends the owner to another team: the collision center's)
        kind = category_rule(finding.category)
        day_words = visit_words(text) if visit_asked(text) else \
            await day_of_visit_said(tracker) if finding.severity == "routine" else None
        skip_first = finding.severity == "routine" and (finding.repeat or day_words is not None
                                                        or visit_asked(text)) \
            and not set(asked_back(text)) & set(finding.covers) and \
            kind is not None and not kind.situation.team and kind.situation.offer
        if finding.first and not skip_first:
            dispatcher.utter_message(response=first_form(finding, domain), **words)
        if finding.loaner:
            # the dealership's own car: its team knows (the report opened a ticket for it)
            dispatcher.utter_message(response="utter_loaner_trouble_told", **words)
        if found.recall is not None and finding.severity == "routine":
            # "the back seat slid forward" on a car whose seat latch recall is open (not when
            # the first reply is what to do now: "stuck in the passenger seat" is not the latch)
            dispatcher.utter_message(response="utter_trouble_may_be_recall", car=found.car,
                                     campaign=found.recall.campaign, title=found.recall.title)
        events: list[EventType] = [*stopped, SlotSet("situation", finding.category)]
        rule = category_rule(finding.category)
        if rule is not None and rule.situation.team:
            # the first reply sent the owner to a team: "are they open sat?" is about it
            events.append(SlotSet(TALKED_ABOUT, rule.situation.team))
        if finding.repeat:
            dispatcher.utter_message(response="utter_repeat_problem", **words)
            # (a visit asked for next, "can i just swing by wed so someone can reset it", is
            # for this trouble, on this car)
            return events + [SlotSet(slot, None) for slot in PROBLEM_SLOTS] + \
                offer_visit(finding.service, found.vehicle_id)
        if finding.severity == "routine" and (
                visit := await visit_for_it(tracker, found, text, day_words)) is not None:
            dispatcher.utter_message(response="utter_case_noted_for_visit", **words)
            return events + [SlotSet(slot, None) for slot in PROBLEM_SLOTS] + visit
        # ("...pulled onto the shoulder. now what": the report's own reply says what's next)
        asked = [q for q in asked_back(text) if q != "what_now"]
        for question in asked:
            if question not in finding.covers:
                dispatcher.utter_message(
                    response=answer_for(domain, question, finding.category, finding.situation,
                                        finding.drivable),
                    **words)
        if not finding.ask:
            return events + nothing_to_ask(tracker, found)
        if not dispatcher.messages:
            # nothing said yet: the trouble is heard before the first question about it
            dispatcher.utter_message(response="utter_problem_heard", **words)
        # (a stranger's car in their own words: "in my 2018 nx 300")
        car = found.car or (request.car_named if owner_id is None else None)
        # "is it safe to drive?" or "do i need to come in?" was just answered: the owner is
        # not asked to judge it back
        drivable = "unsure" if finding.drivable is None and {"drive", "need_visit"} & set(asked) \
            else finding.drivable
        return events + [
            SlotSet("problem_case", found.reference), SlotSet("problem_vehicle", car),
            SlotSet("problem_since", finding.since),
            SlotSet("problem_drivable", drivable), FollowupAction("problem_form")]


# Situations that are work for the shop, not roadside help: what covers them is the warranty.
REPAIRS = {"routine", "comfort", "leak", "safety_light"}


class ActionAnswerSituation(Action):
    """A question asked back about the trouble the owner is in ("should I open the hood?", "do
    I call the tow?"), or news of it ("we're out, nobody's hurt"): the triage table's answer for
    the situation, and whatever the text also tells the case that is being written."""

    def name(self) -> str:
        return "action_answer_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        # (a question beside a form's answer: the form reads the rest of the text next)
        return [*await self.answer(dispatcher, tracker, domain), *aside_done(tracker)]

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: dict[str, Any]) -> list[EventType]:
        category = tracker.get_slot("situation")
        rule = category_rule(category) if category else None
        if rule is None:
            return []
        text = whole_text(tracker)
        if tracker.get_slot("offered_service") and asks_for_visit(text):
            # "temp gauge is normal. can yall look tmrw? id drop it at 7": the visit offered,
            # with what the text says of it, and the news noted on the case
            return await noted_details(tracker, text) + await book_offered(
                tracker, keep=said_this_text(tracker))
        words = await trouble_words(rule.situation.ticket == "urgent")
        reference = tracker.get_slot("problem_case")
        said = said_for_this_text(tracker)
        if not asked_back(text) and any(str(r).startswith("utter_situation_") for r in said):
            # a part of the text that told the trouble ("..., kids in the car"): its first
            # instruction was the answer, not a "good" to news
            return await noted_details(tracker, text)
        for question in asked_back(text) or ["update"]:
            if question == "cost" and rule.situation.name in REPAIRS and \
                    asked_topic(tracker) == "warranty":
                # "is that covered?" of an engine tick: the car's own warranty, not roadside's
                return await ActionAnswerOwnership().answer(dispatcher, tracker) + \
                    await noted_details(tracker, text)
            response = answer_for(domain, question, rule.category, rule.situation.name,
                                  rule.situation.drivable, stopped(text))
            if response in said:
                continue  # answered for an earlier part of the same text
            dispatcher.utter_message(response=response, reference=reference or "", **words)
            if response == "utter_asked_tow":
                # it says an advisor will call: staff are asked to
                towed = TowedIn(tracker.sender_id, tracker.get_latest_input_channel() or "rest",
                                owner_id_of(tracker), reference, rule.category, text)
                await in_session(lambda s, towed=towed: towed_in(s, towed))
            if question == "fix" and rule.category in FIX_OFFERS:
                vehicle_id = await in_session(lambda s: case_vehicle(s, reference)) \
                    if reference else None
                events = offer_visit(rule.service, vehicle_id)
                return events + await noted_details(tracker, text)
        if rule.situation.team and (team := team_followed_up(tracker)):
            # "do they work w insurance? and r they open sat": the team the trouble went to
            return await ActionAnswerDepartment().answer(dispatcher, tracker, team) + \
                await noted_details(tracker, text)
        return await noted_details(tracker, text)


# Work asked for beside the look at the trouble: "and do an oil change while ur in there".
WHILE_THERE = re.compile(r"\bwhile (?:ur|you'?re|youre|u'?re|it'?s|its|it is|you guys are) "
                         r"(?:in there|there|at it|in)\b|\b(?:also|too|as well)\b", re.IGNORECASE)


class ActionBookForProblem(Action):
    """A visit asked for mid-report ("can I come in today around 2 and wait?"): the case is
    noted as it stands, and the booking starts with its work and car filled in."""

    def name(self) -> str:
        return "action_book_for_problem"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        reference = tracker.get_slot("problem_case")
        closed: list[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None),
                                   *(SlotSet(slot, None) for slot in PROBLEM_SLOTS)]
        if not reference:
            return closed
        found = await in_session(lambda s: reports.filed(s, reference))
        dispatcher.utter_message(response="utter_case_filed_brief", reference=reference)
        recall = await in_session(lambda s: recall_of_case(s, reference))
        for_it = (["recall_repair"] if recall else []) + [found.service or "multi_point_inspection"]
        text = tracker.latest_message.get("text") or ""
        named = await service_named(tracker) or await in_session(
            lambda s: [x.code for x in services.mentioned(s, text)] if WHILE_THERE.search(text)
            else [])
        # ("do an oil change while ur in there": the look at the trouble, and that work too)
        work = ([w for w in for_it if w not in named] + named) if named and \
            WHILE_THERE.search(text) else named or for_it
        if PRICE_ASKED.search(whole_text(tracker)):
            # "how much to check it": what the look costs, then its times
            question = Question("pricing", owner_id_of(tracker), list(work), text=text)
            priced = await in_session(lambda s: answer(s, question, local_now(s)))
            for response, words in lines_of(priced, brief=True):
                dispatcher.utter_message(response=response, **words)
        # (the day of the visit asked for, not of the story: "its supposed to rain tmrw, can i
        # bring it in today?" is today; of this part of a text read in parts, the rest saying
        # its own)
        return closed + await book_visit(tracker, work, found.vehicle_id, None,
                                         keep=said_this_text(tracker) - {"appointment_time"},
                                         days_said=False, day_words=visit_words(text))


class ActionNoteProblemDetails(Action):
    """After a question answered mid-report, what the same text told of the case ("first saw
    them thursday, how much is an oil leak?"): the form does not ask it again."""

    def name(self) -> str:
        return "action_note_problem_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return await noted_details(tracker, whole_text(tracker))


# Categories whose "can you fix it?" answer offers to book the visit for it.
FIX_OFFERS = ("battery", "battery_weak")


async def noted_details(tracker: Tracker, text: str) -> list[EventType]:
    """What the text also answers of the questions still open on the case being written ("since
    sat maybe, is that ok?"): put on the case, so the form does not ask it again."""
    reference = tracker.get_slot("problem_case")
    if tracker.active_loop_name != "problem_form" or not reference:
        return []
    events: list[EventType] = []
    if tracker.get_slot("problem_since") is None and (since := since_in(text)):
        await in_session(lambda s: note_since(s, SinceAnswer(reference, since)))
        events.append(SlotSet("problem_since", since))
    if tracker.get_slot("problem_drivable") is None and \
            (drivable := said_drivable(text)) is not None:
        await in_session(lambda s: reports.add_details(s, reference, drivable=drivable))
        events.append(SlotSet("problem_drivable", drivable))
    elif tracker.get_slot("problem_drivable") is None and \
            {"drive", "need_visit"} & set(asked_back(text)):
        # "can i still drive it?" was answered from the table: not asked back of the owner
        events.append(SlotSet("problem_drivable", "unsure"))
    return events


async def of_the_loaner(reference: str) -> bool:
    """Whether the case is trouble with the dealership's loaner the owner is driving."""
    def read(session: Session) -> bool:
        case = reports.by_reference(session, reference)
        return case is not None and triage(case.description or "").loaner

    return await in_session(read)


class ValidateProblemForm(FormValidation):
    def name(self) -> str:
        return "validate_problem_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        writing = tracker.get_slot("problem_case")
        events = await super().run(dispatcher, tracker, domain)
        if writing and tracker.get_slot("problem_case") is None:
            # the questions ended ("oh nvm it stopped", "forget it"): the case is no longer
            # being written, so nothing is filed (a slot the form does not ask is not kept by
            # its validation otherwise)
            events.append(SlotSet("problem_case", None))
        elif writing and await visit_day_answered(tracker, events):
            # "the old es. tmrw after 4 if u can" to which car: the rest is the advisor's to
            # ask; the case is filed and the visit booked for the day said
            text = tracker.latest_message.get("text") or ""
            await in_session(lambda s: reports.add_details(s, writing, more=f"Owner: {text}"))
            events.append(SlotSet("requested_slot", None))
        return events

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        """Only the questions the situation allows: nobody is asked to judge what the table
        already decided."""
        if not tracker.get_slot("problem_case"):
            return []  # no case being written (it went away): nothing to ask
        category = tracker.get_slot("situation")
        allowed = category_questions(category) if category else None
        if allowed is None:
            return domain_slots
        asked = {QUESTIONS[q] for q in allowed}
        if "problem_vehicle" in asked and not tracker.get_slot("problem_vehicle") and \
                await of_the_loaner(str(tracker.get_slot("problem_case"))):
            asked.discard("problem_vehicle")  # the dealership's own car: not one of theirs
        return [slot for slot in domain_slots if slot in asked]

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> list[EventType]:
        """"Oh nvm, it just stopped": the questions end, and the case says so."""
        text = tracker.latest_message.get("text") or ""
        reference = tracker.get_slot("problem_case")
        if reference and went_away(text):
            await in_session(lambda s: reports.add_details(s, reference, more=f"Owner: {text}"))
            dispatcher.utter_message(response="utter_problem_went_away", reference=reference)
            return [SlotSet("problem_case", None)]
        if reference and left_for_later(text):
            # Left as it is: no more questions, and no answer read into "forget it"
            await in_session(lambda s: reports.add_details(s, reference, more=f"Owner: {text}"))
            dispatcher.utter_message(response="utter_problem_left_for_later", reference=reference)
            return [SlotSet("problem_case", None)]
        return await super().get_extraction_events(dispatcher, tracker, domain)

    async def extract_problem_vehicle(self, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: dict[str, Any]
                                      ) -> dict[str, Any]:
        """Which car, in words ("the one my wife drives, the es"), unless the text asks back."""
        if tracker.get_slot("requested_slot") != "problem_vehicle" or \
                tracker.get_slot("problem_vehicle") is not None or \
                not answers_the_question(tracker):
            return {}
        return {"problem_vehicle": tracker.latest_message.get("text") or ""}

    async def extract_problem_since(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> dict[str, Any]:
        """Since when: a time said with any answer ("2019 rx, about a month"), or the owner's
        own words in answer to "when did it start?" unless they ask or want something else."""
        if tracker.get_slot("problem_since") is not None:
            return {}
        text = tracker.latest_message.get("text") or ""
        if since := since_in(text):
            return {"problem_since": since}
        if tracker.get_slot("requested_slot") != "problem_since" or \
                not answers_the_question(tracker):
            return {}
        return {"problem_since": text}

    async def validate_problem_vehicle(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: dict[str, Any]
                                       ) -> dict[str, Any]:
        if value is None:  # cleared when the report began: nothing was said yet
            return {"problem_vehicle": None}
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") == "problem_vehicle" and \
                (corrected := vehicles.corrected(text)):
            value = corrected  # "the ES. no wait, it's the GX": the car said last
        answer = CarAnswer(tracker.get_slot("problem_case"), owner_id_of(tracker), str(value))
        noted = await in_session(lambda s: note_car(s, answer))
        if isinstance(noted, WhichOfCars):
            dispatcher.utter_message(response="utter_which_of_cars",
                                     cars=joined(noted.cars, "utter_joined_or"))
        elif isinstance(noted, WhichModel):
            dispatcher.utter_message(response="utter_which_problem_model")
        car = noted.car if isinstance(noted, CarNoted) else None
        if car and tracker.get_slot("requested_slot") == "problem_vehicle" and text and \
                not text.startswith("/") and not text.strip().isdigit() and \
                not vehicles.named_in(text) and not any(
                word in text.lower().split() for word in car.lower().split()):
            # "the old one lol": which car that is, said back
            dispatcher.utter_message(response="utter_car_taken", car=car)
        return {"problem_vehicle": car}

    async def extract_problem_drivable(self, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: dict[str, Any]
                                       ) -> dict[str, Any]:
        """Whether it can be driven: the answer in words to "is it safe to drive?", or said in
        answer to another question ("since monday, it's fine to drive")."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("problem_drivable") is not None:
            return {}
        if tracker.get_slot("requested_slot") == "problem_drivable":
            intent = tracker.get_intent_of_latest_message()
            if (said := said_drivable(text)) is not None:
                return {"problem_drivable": said}  # "it drives, just annoying. a loaner?"
            if intent in ("affirm", "deny") or not answers_the_question(tracker):
                return {}  # a yes or no fills it as such; a question is answered first
            return {"problem_drivable": text}
        if tracker.get_slot("requested_slot") is None:
            return {}
        drivable = said_drivable(text)
        return {} if drivable is None else {"problem_drivable": drivable}

    async def validate_problem_since(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: dict[str, Any]
                                     ) -> dict[str, Any]:
        if value is None:
            return {"problem_since": None}
        answer = SinceAnswer(tracker.get_slot("problem_case"), str(value), media_urls(tracker))
        since = await in_session(lambda s: note_since(s, answer))
        return {"problem_since": since}

    async def validate_problem_drivable(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: dict[str, Any]
                                        ) -> dict[str, Any]:
        if value is None:
            return {"problem_drivable": None}
        if value == "unsure":
            return {"problem_drivable": value}
        drivable = value if isinstance(value, bool) else read_drivable(str(value))
        said = said_drivable(tracker.latest_message.get("text") or "")
        if isinstance(value, bool) and said is not None:
            # Words beat the yes or no the text was read as: "ok it's not blinking. just on.
            # drives fine" is no "no".
            drivable = said
        if drivable is None:
            if unsure(str(value)) or asked_once_more(tracker, ASK_DRIVABLE_AGAIN):
                # The advisor reviewing the case asks; the owner is not held at a yes or no.
                return {"problem_drivable": "unsure"}
            dispatcher.utter_message(response=ASK_DRIVABLE_AGAIN)
            return {"problem_drivable": None}
        reference = tracker.get_slot("problem_case")
        await in_session(lambda s: reports.add_details(s, reference, drivable=drivable,
                                                       media_urls=media_urls(tracker)))
        return {"problem_drivable": drivable}


async def visit_day_answered(tracker: Tracker, events: list[EventType]) -> bool:
    """Whether an answer to the report's questions names a day ahead for the visit, for
    routine trouble a visit is offered for, once the car is known."""
    rule = category_rule(tracker.get_slot("situation") or "")
    car = next((e.get("value") for e in events
                if e.get("event") == "slot" and e.get("name") == "problem_vehicle"),
               tracker.get_slot("problem_vehicle"))
    return rule is not None and rule.situation.severity == "routine" and \
        rule.situation.offer and not rule.situation.team and car is not None and \
        await day_of_visit_said(tracker) is not None


class ActionAskProblemVehicle(Action):
    def name(self) -> str:
        return "action_ask_problem_vehicle"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        owner_id = owner_id_of(tracker)
        # "Sorry to hear that" once: not again after the situation's first words
        then = "_next" if bot_spoke_this_turn(tracker) else ""
        if owner_id is None:
            dispatcher.utter_message(response=f"utter_which_guest_car_is_it{then}")
            return []
        cars = await in_session(lambda s: [v.label for v in cars_of(s, owner_id)])
        dispatcher.utter_message(response=f"utter_which_car_is_it{then}",
                                 buttons=car_buttons(cars))
        return []


class ActionFileReport(Action):
    """Closes the questions: the case reference, and the visit that fits the problem."""

    def name(self) -> str:
        return "action_file_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        reference = tracker.get_slot("problem_case")
        if not reference:
            return []

        found = await in_session(lambda s: reports.filed(s, reference))
        car = found.car or tracker.get_slot("problem_vehicle")
        intent = tracker.get_intent_of_latest_message()
        # (said short after anything else answered for the same text: "how much is the
        # diagnostic? and is it covered by warranty" told first, the whole fits one text)
        brief = bot_spoke_this_turn(tracker) or told_length(tracker) > 0 or \
            intent in ("request_loaner", "book_service")
        dispatcher.utter_message(
            response="utter_case_filed" + ("_brief" if brief else "_for_car" if car else "")
            + ("_not_drivable" if found.drivable is False and not brief else ""),
            reference=reference, car=car)
        if intent == "request_loaner":
            # "...drives fine. can I get a loaner while you fix it?", with the last answer
            question = Question("loaner_fleet", owner_id_of(tracker),
                                cars_named=[car] if car else [])
            fleet = await in_session(lambda s: answer(s, question, local_now(s)))
            for response, words in lines_of(fleet)[1:] or lines_of(fleet):
                dispatcher.utter_message(response=response, **words)
        events = [SlotSet(slot, None) for slot in PROBLEM_SLOTS]
        rule = category_rule(tracker.get_slot("situation") or "")
        if not found.service or (rule is not None and (rule.situation.severity != "routine" or
                                                       not rule.situation.offer)):
            return events  # the trouble comes first: a visit is for later
        if intent != "book_service" and (day_words := await day_of_visit_said(tracker)):
            # a day for the visit said in answer to the questions: its times next
            return events + await book_visit(
                tracker, [found.service], found.vehicle_id, None,
                keep=said_this_text(tracker) - {"appointment_time"}, days_said=False,
                day_words=day_words)
        if intent != "book_service":  # asked for already: the booking starts next
            dispatcher.utter_message(response="utter_offer_fix", service=found.service_name)
        events += offer_visit(found.service, found.vehicle_id)
        return events
