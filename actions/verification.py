"""Proving a mobile number in a web chat: a 6-digit code by text, then the chat acts for the
owner. The rules (expiry, attempts, rate limits) are in bot.dealership.web_sessions."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.background import in_background
from actions.common import (
    FormValidation,
    asked_once_more,
    in_session,
    intent_of,
    tell_appointments,
    tell_service_status,
)
from bot import clock
from bot.channels import outbound
from bot.dealership import web_sessions
from bot.dealership.owners import owner_by_id
from bot.dealership.phones import InvalidPhoneNumber, display, to_e164
from bot.dealership.profile import get_dealership
from bot.settings import load_settings
from bot.wording import say

VERIFY_SLOTS = ("verify_phone", "verify_code", "verify_status")
# Requests that only read, answered as soon as the visitor is verified.
ANSWERS_AFTER = {"action_check_appointment": tell_appointments,
                 "action_check_service_status": tell_service_status}
# Said instead of a number or a code: the visitor would rather go on without.
GIVING_UP = {"deny", "goodbye", "thank", "out_of_scope", "cancel_appointment", "opt_out"}
RESEND = re.compile(r"\b(resend|re-send|send (it )?again|new code|another code|didn'?t get|"
                    r"did not get|never got|no code)\b", re.IGNORECASE)


def reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in VERIFY_SLOTS]


class ActionStartVerification(Action):
    def name(self) -> str:
        return "action_start_verification"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        name = tracker.get_slot("owner_name")
        web = web_sessions.is_web(tracker.sender_id)
        if tracker.get_slot("owner_id") is not None:
            dispatcher.utter_message(
                response="utter_already_verified" if web else "utter_known_by_number",
                owner_name=name)
            return [SlotSet("verify_then", None)]
        if not web:
            dispatcher.utter_message(response="utter_number_not_on_account",
                                     service_phone=tracker.get_slot("service_phone"))
            return [SlotSet("verify_then", None)]
        events = reset()
        if intent_of(tracker) == "verify_identity":
            events.append(SlotSet("verify_then", None))
        return [*events, FollowupAction("verify_form")]


def _send_code(request: web_sessions.CodeRequest, dealership: str) -> None:
    if request.code is not None:
        outbound.send(request.mobile, say("utter_code_text", dealership_name=dealership,
                                          code=request.code),
                      purpose="code", secrets=[request.code])


def code_limits() -> web_sessions.CodeLimits:
    settings = load_settings()
    return web_sessions.CodeLimits(per_address=settings.verify_codes_per_address,
                                   overall=settings.verify_codes_per_hour)


class ValidateVerifyForm(FormValidation):
    def name(self) -> str:
        return "validate_verify_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        return [] if tracker.get_slot("verify_status") == "stopped" else domain_slots

    async def _request(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                       mobile: str) -> dict[str, Any]:
        """Texts a code to `mobile` (when it is an owner's) and says what happens next."""

        limits = code_limits()

        def work(session) -> tuple[web_sessions.CodeRequest, str]:
            request = web_sessions.request_code(session, tracker.sender_id, mobile,
                                                clock.real_now(), limits)
            return request, get_dealership(session).name

        request, dealership = await in_session(work)
        # The same words, whichever limit refused and whether or not the number is on file.
        phone = tracker.get_slot("service_phone")
        if request.refused and request.pending:
            dispatcher.utter_message(response="utter_last_code_still_works", service_phone=phone)
            return {"verify_phone": tracker.get_slot("verify_phone") or request.mobile,
                    "verify_code": None}
        if request.refused:
            dispatcher.utter_message(response="utter_codes_paused", service_phone=phone)
            return {"verify_phone": None, "verify_code": None, "verify_status": "stopped"}
        dispatcher.utter_message(response="utter_code_on_its_way",
                                 mobile=display(request.mobile))
        # Texted after the reply, and only for a number on file: the reply takes as long
        # whether or not it is, and however slow Twilio is.
        in_background(_send_code, request, dealership)
        return {"verify_phone": request.mobile, "verify_code": None}

    def _miss(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str,
              hint: str) -> dict[str, Any]:
        """A reply that is neither a number nor a code: a hint once, then go on without."""
        if intent_of(tracker) in GIVING_UP or asked_once_more(tracker, hint):
            dispatcher.utter_message(response="utter_go_on_unverified")
            return {slot: None, "verify_status": "stopped"}
        dispatcher.utter_message(response=hint)
        return {slot: None}

    async def validate_verify_phone(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "verify_phone":
            return {"verify_phone": None}  # the request that started verifying: not an answer
        try:
            mobile = to_e164(str(value or ""))
        except InvalidPhoneNumber:
            return self._miss(dispatcher, tracker, "verify_phone", "utter_phone_number_hint")
        return await self._request(dispatcher, tracker, mobile)

    async def validate_verify_code(self, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "verify_code":
            return {"verify_code": None}
        text = str(value or "")
        digits = re.sub(r"\D", "", text)
        if RESEND.search(text):
            return await self._request(dispatcher, tracker, tracker.get_slot("verify_phone"))
        if len(digits) >= 10:  # another number instead of the code
            try:
                return await self._request(dispatcher, tracker, to_e164(text))
            except InvalidPhoneNumber:
                pass
        if len(digits) != 6:
            return self._miss(dispatcher, tracker, "verify_code", "utter_code_hint")

        def work(session) -> tuple[web_sessions.CodeCheck, str | None]:
            check = web_sessions.check_code(session, tracker.sender_id, digits,
                                            clock.real_now())
            owner = owner_by_id(session, check.owner_id) if check.owner_id else None
            return check, owner.first_name if owner else None

        check, first_name = await in_session(work)
        if check.outcome == "verified":
            return {"verify_code": digits, "verify_status": "verified",
                    "owner_id": check.owner_id, "owner_name": first_name, "is_guest": False}
        if check.outcome == "wrong":
            dispatcher.utter_message(
                response="utter_code_wrong_last_try" if check.tries_left == 1
                else "utter_code_wrong", tries_left=check.tries_left)
        elif check.outcome == "expired":
            dispatcher.utter_message(response="utter_code_expired")
        elif check.outcome == "locked":
            dispatcher.utter_message(response="utter_code_locked")
        else:
            dispatcher.utter_message(response="utter_no_code_sent")
            return {"verify_code": None, "verify_phone": None}
        return {"verify_code": None}


class ActionFinishVerification(Action):
    def name(self) -> str:
        return "action_finish_verification"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        then = tracker.get_slot("verify_then")
        events = [*reset(), SlotSet("verify_then", None)]
        if tracker.get_slot("verify_status") != "verified":
            return events
        name = tracker.get_slot("owner_name")
        if then in ANSWERS_AFTER:
            # Answered here rather than by a follow-up action: after one, the dialogue policies
            # have no rule for what comes next and would apologise for nothing.
            dispatcher.utter_message(response="utter_verified", owner_name=name)
            await ANSWERS_AFTER[then](dispatcher, int(tracker.get_slot("owner_id")))
            return events
        dispatcher.utter_message(
            response="utter_verified_what_to_change" if then else "utter_verified_what_next",
            owner_name=name)
        return events
