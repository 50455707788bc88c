"""Handing a conversation to a person: honest about who answers and when, with a ticket the
service team sees in its queue (bot/staff). The hand-over itself is `common.hand_off`: not
being understood twice hands over too."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    hand_off,
    in_session,
    intent_of,
    reported_this_text,
    say_ok,
    whole_text,
)
from actions.departments import (
    ActionAnswerDepartment,
    ActionDepartmentReachOut,
    team_followed_up,
)
from bot.dealership import vehicles
from bot.dealership.departments import (
    FINANCE,
    contact_asked,
    contact_declined,
    lease_for_finance,
)
from bot.dealership.joining import ADD_TO_VISIT
from bot.dealership.problems import ProblemReport
from bot.dealership.problems import report as report_problem
from bot.dealership.replies import asks_to_book
from bot.dealership.triage import tells_trouble


class ActionHandOff(Action):
    def name(self) -> str:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").lower()
        if intent_of(tracker) == "complain" and tracker.get_slot("offered_service") and \
                (ADD_TO_VISIT.search(text) or asks_to_book(text)):
            # "oh i thought the charging update was in there too. can you add it to that
            # visit": a let-down that asks for the very thing offered, so it is done
            return [FollowupAction("action_book_offered")]
        if contact_declined(text):
            # "no need to have someone call me, ill call them": nothing is queued
            say_ok(dispatcher, tracker)
            return []
        if (team := team_followed_up(tracker)) and contact_asked(text):
            # "can they call me about it" right after the parts team's answer: that team
            return await ActionDepartmentReachOut().reach(dispatcher, tracker, team, text)
        if lease_for_finance(whole_text(tracker)):
            # "...can I extend it? not sure who to talk to about that": the finance team's
            # matter, not the service desk's
            return await ActionAnswerDepartment().answer(dispatcher, tracker, FINANCE)
        noted = await note_trouble(dispatcher, tracker)
        await hand_off(dispatcher, tracker, intent_of(tracker) or "request_human")
        return noted


async def note_trouble(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Trouble told in the text that asks for a person ("theres a rattle in the dash... can i
    just talk to a real person"): written up as a case, so the advisor who takes over has it
    on the car, as a report of it would; its situation is what a visit asked next is for."""
    owner_id = tracker.get_slot("owner_id")
    text = whole_text(tracker)
    if owner_id is None or not tells_trouble(text) or reported_this_text(tracker):
        return []
    request = ProblemReport(
        text=text, owner_id=int(owner_id), conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "rest", car_named=vehicles.named_in(text))
    case = await in_session(lambda s: report_problem(s, request))
    dispatcher.utter_message(response="utter_case_filed_brief", reference=case.reference)
    return [SlotSet("situation", case.finding.category)]
