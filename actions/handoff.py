"""Handing a conversation to a person: honest about who answers and when, with a ticket the
service team sees in its queue (bot/staff). The hand-over itself is `common.hand_off`: not
being understood twice hands over too."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import hand_off, intent_of, say_ok, whole_text
from actions.departments import (
    ActionAnswerDepartment,
    ActionDepartmentReachOut,
    team_followed_up,
)
from bot.dealership.departments import (
    FINANCE,
    contact_asked,
    contact_declined,
    lease_for_finance,
)
from bot.dealership.joining import ADD_TO_VISIT
from bot.dealership.replies import asks_to_book


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
        await hand_off(dispatcher, tracker, intent_of(tracker) or "request_human")
        return []
