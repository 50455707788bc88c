"""Questions for the dealership's other departments (the retrieval intent `department/<topic>`:
sales, finance, collision, parts), and asking one of them to reach out: a yes to the offer that
follows the answer, or a request for that team straight away (`contact_department`).

Thin: the department comes from the topic selector, the facts from `bot.dealership.departments`,
the words from the domain's responses. A question alone writes nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    WHERE,
    aside_done,
    hand_off,
    in_session,
    intent_of,
    offer_visit,
    owner_id_of,
    previous_reply,
    say_ok,
)
from actions.phrases import when_text
from bot.dealership import knowledge, web_sessions
from bot.dealership.dates import parse_when
from bot.dealership.departments import (
    KNOWN,
    DepartmentInfo,
    DepartmentQuestion,
    Opening,
    ReachingOut,
    ReachOutRequest,
    about,
    about_them,
    asks_after_team,
    contact_asked,
    contact_declined,
    for_finance,
    names_another,
    reach_out,
)
from bot.dealership.ownership_questions import Leases, Question
from bot.dealership.ownership_questions import answer as ownership_answer
from bot.dealership.profile import local_now
from bot.dealership.triage import category_rule, triage
from bot.wording import A_TEXT, say

RETRIEVAL_INTENT = "department"
OFFERED = "offered_department"
TALKED_ABOUT = "department_talked_about"
# A team's answers, by name: what is asked right after them is about that team.
TEAM_REPLIES = ("utter_department_answer", "utter_department_brief",
                "utter_offer_department_reach_out", "utter_department_reaching_out",
                "utter_department_reaching_out_later")
# A request for a team is for the one it names (the entity), else the one the topic selector
# reads at least this surely ("can finance call me"), else ("have them text me") the one just
# answered about.
SURE = 0.9


def asked_department(tracker: Tracker) -> tuple[str | None, float]:
    """The department the latest message is about, as the topic selector read it, and how
    surely."""
    selected = tracker.latest_message.get("response_selector", {}).get(RETRIEVAL_INTENT, {})
    response = selected.get("response", {})
    key = response.get("intent_response_key") or ""
    return (key.split("/", 1)[1] if "/" in key else None), float(response.get("confidence") or 0)


def named_department(tracker: Tracker) -> str | None:
    """The team the latest message names ("have the body shop call me"), if it names one."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "department" and str(entity.get("value")) in KNOWN:
            return str(entity["value"])
    return None


def clock_time(value: time) -> str:
    """"9 AM", "5:30 PM"."""
    return f"{value:%-I %p}" if value.minute == 0 else f"{value:%-I:%M %p}"


def hours_text(opening: Opening | None, today: date,
               on_day: tuple[date, tuple[time, time] | None] | None = None) -> str:
    """When the department is open on the day asked about, or else as from today: still open,
    later today, or next."""
    if on_day is not None and on_day[0] != today:
        asked, span = on_day
        named = f"{asked:%a %b} {asked.day}"
        if span is None:
            return say("utter_department_closed_on", day=named)
        return say("utter_department_open_on", day=named, opens=clock_time(span[0]),
                   closes=clock_time(span[1]))
    if opening is None:
        return say("utter_department_hours_unknown")
    words = {"opens": clock_time(opening.opens), "closes": clock_time(opening.closes)}
    if opening.open_now:
        return say("utter_department_open_until", **words)
    days = (opening.day - today).days
    if days == 0:
        return say("utter_department_opens_today", **words)
    if days == 1:
        return say("utter_department_opens_tomorrow", **words)
    day = f"{opening.day:%a}" if days < 7 else f"{opening.day:%a %b} {opening.day.day}"
    return say("utter_department_opens_on", day=day, **words)


def team_followed_up(tracker: Tracker) -> str | None:
    """The team the conversation just talked about, when the latest text asks after it: "are
    they open saturday", or "whats the number to call" right after its answer."""
    code = tracker.get_slot(TALKED_ABOUT)
    text = str(tracker.latest_message.get("text") or "")
    said = set(previous_reply(tracker))
    # the trouble told sent them to a team ("...backed into my es": the collision center), and
    # the last reply was about that trouble
    sent_to = situation_team(tracker) if any(
        str(r or "").startswith(("utter_situation_", "utter_asked_")) for r in said) else None
    code = code or sent_to
    just_answered = bool(said & set(TEAM_REPLIES)) or (sent_to is not None and sent_to == code)
    if not code or text.startswith("/") or names_another(text, code):
        return None
    # ("have someone reach out" right after the team's answer: that team's someone)
    return code if about_them(text) or (just_answered and (asks_after_team(text) or
                                                           contact_asked(text))) else None


def situation_team(tracker: Tracker) -> str | None:
    """The team the trouble reported in the last texts was sent to, if any."""
    category = tracker.get_slot("situation")
    rule = category_rule(str(category)) if category else None
    return rule.situation.team if rule is not None else None


def sent_to_by_trouble(tracker: Tracker) -> str | None:
    """The team that the trouble told in the same text is sent to ("someone dinged my door,
    how much to fix a dent like that": the collision center, in the report's first reply)."""
    whole = str((tracker.latest_message.get("metadata") or {}).get("whole_text") or "")
    # (told in the rest of the text: "do u guys fix dents" asks, and tells of no dent)
    rest = whole.replace(tracker.latest_message.get("text") or "", " ")
    rule = category_rule(triage(rest).category) if rest.strip() else None
    return rule.situation.team if rule is not None else None


def several(tracker: Tracker) -> bool:
    """The message is one of several requests in one text: its answer is brief, and offers
    nothing (the reply must still fit a text)."""
    return int((tracker.latest_message.get("metadata") or {}).get("parts") or 1) > 1


def question_answered(tracker: Tracker) -> str:
    """The owner's words before the latest message (the question a yes answers)."""
    seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen += 1
            if seen == 2:
                return event.get("text") or ""
    return ""


# A lease coming to its end: "lease is up in a few weeks", "my lease ends in march".
LEASE_ENDING = re.compile(r"\blease\b.{0,40}\b(up|end(s|ing)?|over|expir\w*|done|runs out|"
                          r"turn(ing)? (it )?in|return)\b", re.IGNORECASE)


def fitted(answer: str, room: int) -> str:
    """The sentences of `answer` that fit in `room` characters, in their order; what the owner
    can book with us first ("book a complimentary pre-return inspection here"), then the rest
    as they come."""
    sentences = re.split(r"(?<=[.!?])\s+", answer.strip())
    ranked = sorted(range(len(sentences)), key=lambda i: (not BOOKABLE.search(sentences[i]), i))
    kept: set[int] = set()
    for i in ranked:
        if len(" ".join(sentences[j] for j in sorted(kept | {i}))) <= room:
            kept.add(i)
    return " ".join(sentences[i] for i in sorted(kept)) or sentences[0]


# A sentence that says what the owner can book with us.
BOOKABLE = re.compile(r"\bbook\b", re.IGNORECASE)


def lease_ending(session, owner_id: int | None, now: datetime
                 ) -> tuple[list[tuple[str, dict[str, Any]]], str] | None:
    """When the owner's leases end (nothing when none is on file), and what the dealership
    says about a lease's end; None when it says nothing."""
    from actions.ownership import lease_lines  # (the ownership answers use this module)

    answer = knowledge.answer(session, "lease_end")
    if not answer:
        return None
    found = ownership_answer(session, Question("lease_end", owner_id), now)
    dates = [line for line in lease_lines(found) if line[0] != "utter_no_lease_on_file"] \
        if isinstance(found, Leases) else []
    return dates, answer


class ActionAnswerDepartment(Action):
    """Who handles it, when they are open and their number; then (not mid-form, and not one of
    several requests) an offer to have them reach out."""

    def name(self) -> str:
        return "action_answer_department"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return [*await self.answer(dispatcher, tracker), *aside_done(tracker)]

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     follow_up: str | None = None, team: str | None = None
                     ) -> list[EventType]:
        """`follow_up`: the team talked about, asked after again ("are they open saturday"):
        answered in short, with its offer to reach out left as it was; `team`: the team the
        text is for, found in its words."""
        code = follow_up or team or asked_department(tracker)[0]

        text = tracker.latest_message.get("text") or ""
        if code == "sales" and for_finance(text):
            code = "finance"  # "who do i talk to about buying it out": a lease or a loan's end

        def work(session) -> tuple[DepartmentInfo | None, datetime]:
            now = local_now(session)
            said = parse_when(text, now)
            day = said.first_day if said is not None and said.first_day == said.last_day \
                else None
            return (about(session, DepartmentQuestion(code, day), now) if code else None), now

        found, now = await in_session(work)
        if found is None:
            dispatcher.utter_message(response="utter_ask_an_advisor",
                                     service_phone=tracker.get_slot("service_phone"))
            return [SlotSet(OFFERED, None)]
        hours = hours_text(found.opening, now.date(), found.on_day)
        talked = SlotSet(TALKED_ABOUT, found.code)
        if follow_up and contact_asked(text):
            # "cool can they text me a price on the mats": that team is asked to reach out
            return await ActionDepartmentReachOut().reach(dispatcher, tracker, found.code, text)
        if follow_up:
            dispatcher.utter_message(response="utter_department_brief", name=found.name,
                                     phone=found.phone, hours=hours)
            return [talked]
        if several(tracker):
            # the trouble's reply names them; not when a form in progress reads the trouble as
            # its answer ("...what time does ur body shop close? someone dinged my door")
            if found.code != sent_to_by_trouble(tracker) or tracker.active_loop.get("name"):
                dispatcher.utter_message(response="utter_department_brief", name=found.name,
                                         phone=found.phone, hours=hours)
            return [SlotSet(OFFERED, None), talked]  # nothing offered: a "yes" asks for nothing
        ending = await in_session(lambda s: lease_ending(s, owner_id_of(tracker), now)) \
            if found.code == "finance" and LEASE_ENDING.search(text) else None
        if ending:
            # "lease on my rx is up in a few weeks, what do i need to do": when it ends, the
            # choices and the inspection to book first, then the team that settles it, in short;
            # all in a text
            dates, answer = ending
            brief = say("utter_department_brief", name=found.name, phone=found.phone,
                        hours=hours)
            room = A_TEXT - len(brief) - sum(len(say(r, **w)) + 2 for r, w in dates) - 2
            for response, words in dates:
                dispatcher.utter_message(response=response, **words)
            dispatcher.utter_message(response="utter_knowledge", answer=fitted(answer, room))
            dispatcher.utter_message(response="utter_department_brief", name=found.name,
                                     phone=found.phone, hours=hours)
            return [SlotSet(OFFERED, None), talked, *offer_visit(None, None)]
        dispatcher.utter_message(response="utter_department_answer", name=found.name,
                                 handles=found.handles, hours=hours, phone=found.phone)
        if tracker.active_loop.get("name") is None:
            dispatcher.utter_message(response="utter_offer_department_reach_out")
        # A "yes" now asks this team to reach out, not for a visit offered before.
        return [SlotSet(OFFERED, found.code), talked, *offer_visit(None, None)]


class ActionDepartmentReachOut(Action):
    """Asks the department to reach out: a ticket in the staff queue for that team, and the
    owner told who will be in touch and when. On a yes, the team just offered; on a request
    for a team, the one it names (or else the one just answered about); with neither, a person
    on the service team."""

    def name(self) -> str:
        return "action_department_reach_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        offered = tracker.get_slot(OFFERED)
        if contact_declined(tracker.latest_message.get("text") or ""):
            # "No need to have them reach out, I will call them": nothing is queued
            say_ok(dispatcher, tracker)
            return [SlotSet(OFFERED, None)]
        asking = intent_of(tracker) == "contact_department"
        if asking:
            read, confidence = asked_department(tracker)
            code = named_department(tracker) or (read if confidence >= SURE else offered)
            asked = tracker.latest_message.get("text") or ""
        else:  # a yes to the offer
            code, asked = offered, question_answered(tracker)
        if not code and asking:  # someone asked for, no team surely named: the service team
            await hand_off(dispatcher, tracker, "request_human")
            return [SlotSet(OFFERED, None)]
        if not code:
            say_ok(dispatcher, tracker)
            return []
        return await self.reach(dispatcher, tracker, str(code), asked)

    async def reach(self, dispatcher: CollectingDispatcher, tracker: Tracker, code: str,
                    asked: str) -> list[EventType]:
        """The ticket for team `code`, and the owner told who will be in touch and when."""
        request = ReachOutRequest(
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            owner_id=owner_id_of(tracker), department=str(code), asked=asked)

        def work(session) -> tuple[ReachingOut | None, datetime]:
            now = local_now(session)
            return reach_out(session, request, now), now

        done, now = await in_session(work)
        if done is None:  # no such department here: a person on the service team sorts it
            await hand_off(dispatcher, tracker, "request_human")
            return [SlotSet(OFFERED, None)]
        found, opening = done.department, done.department.opening
        words = {"name": found.name, "phone": found.phone, "ticket": done.ticket,
                 "here": say(WHERE[web_sessions.is_web(tracker.sender_id)])}
        if opening is not None and not opening.open_now:
            opens = datetime.combine(opening.day, opening.opens, now.tzinfo)
            dispatcher.utter_message(response="utter_department_reaching_out_later",
                                     opens=when_text(opens, now), **words)
        else:
            dispatcher.utter_message(response="utter_department_reaching_out", **words)
        return [SlotSet(OFFERED, None), SlotSet(TALKED_ABOUT, found.code)]
