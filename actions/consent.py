"""An opt-out said in words. Unmistakable ones ("STOP", "please stop texting me") are honoured
at once and never argued with; anything less certain the classifier read as an opt-out ("list
my reminders") gets one question, and nothing changes until the owner says yes or texts STOP.
A timing wish ("don't text me before 9am") is kept as the hours the number may be texted."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import in_session, previous_reply, sender_mobile, whole_text
from bot.dealership import consent
from bot.dealership.consent_words import (
    HOURS_FOLLOW,
    TextHours,
    clear_opt_out,
    hours_changed,
    stop_asked,
    text_hours,
    texts_asked,
    wants_texts,
)
from bot.dealership.dates import parse_when
from bot.dealership.profile import local_now
from bot.wording import say

# What the question was asked against: the number's consent as it stood, and the form the
# message interrupted (a no goes back to it).
ASKED = "opt_out_asked"
ACTION_LISTEN = "action_listen"


def hours_text(hours: TextHours) -> str:
    """"on weekdays, between 9 AM and 8 PM": when the number may be texted."""
    parts = [say("utter_hours_weekdays")] if hours.weekdays_only else []
    earliest, latest = hours.earliest, hours.latest
    if earliest is not None and latest is not None:
        parts.append(say("utter_hours_between", earliest=clock(earliest), latest=clock(latest)))
    elif earliest is not None:
        parts.append(say("utter_hours_after", earliest=clock(earliest)))
    elif latest is not None:
        parts.append(say("utter_hours_before", latest=clock(latest)))
    return ", ".join(parts)


def clock(hour: int) -> str:
    """"9 AM", "noon", "midnight"."""
    if hour in (0, 24):
        return say("utter_hour_midnight")
    if hour == 12:
        return say("utter_hour_noon")
    return say("utter_hour_am" if hour < 12 else "utter_hour_pm", hour=hour % 12)


def wish_in_answer(tracker: Tracker) -> TextHours | None:
    """A timing wish said in answer to "Do you want us to stop texting this number?": what it
    limits goes without saying there ("nothing before 9 please"), and it may follow the answer
    ("no dont stop them, just nothing before 9am pls")."""
    return text_hours(f"{whole_text(tracker)} (texts)") if tracker.get_slot(ASKED) else None


def wish_followed(tracker: Tracker) -> TextHours | None:
    """A timing wish that follows one just kept ("and nothing after 7pm either"): what it
    limits goes without saying, and it adds to the hours kept."""
    text = tracker.latest_message.get("text") or ""
    return text_hours(f"{text} (texts)") if \
        set(HOURS_FOLLOW) & set(previous_reply(tracker)) else None


def hours_kept_last(tracker: Tracker) -> bool:
    """The reply before this text kept the hours the number may be texted."""
    return "utter_text_hours_saved" in previous_reply(tracker)


async def hours_followed(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """"k and nothing before 10am pls" right after the texts were spoken of, whatever it was
    read as: their hours, kept; False for any other text."""
    mobile = sender_mobile(tracker)
    if mobile is None or (more := wish_followed(tracker)) is None:
        return False
    kept = await in_session(lambda s: consent.text_hours(s, mobile))
    await keep_hours(dispatcher, mobile, more.joined(kept) if kept else more,
                     tracker.latest_message.get("text") or "")
    return True


async def keep_hours(dispatcher: CollectingDispatcher, mobile: str, hours: TextHours,
                     text: str) -> None:
    await in_session(lambda s: consent.set_text_hours(s, mobile, hours, text, local_now(s)))
    dispatcher.utter_message(response="utter_text_hours_saved", text_hours=hours_text(hours))


async def visit_asked_beside(tracker: Tracker) -> bool:
    """A visit asked for beside a timing wish: work named and a day for it ("oil change fri at
    10. oh and dont text me before 10am"), not "no oil change reminders before 9"."""
    entities = tracker.latest_message.get("entities", [])
    days = [str(e.get("value")) for e in entities if e.get("entity") == "when"]
    if not any(e.get("entity") == "service" for e in entities) or not days:
        return False
    read = await in_session(lambda s: [parse_when(d, local_now(s)) for d in days])
    return any(when is not None and when.has_day for when in read)


class ActionOptOut(Action):
    def name(self) -> str:
        return "action_opt_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        mobile = sender_mobile(tracker)
        clear = clear_opt_out(text)
        if mobile is None:  # the web chat: there is no number to stop texting
            dispatcher.utter_message(response="utter_opted_out_web" if clear
                                     else "utter_default")
            return [SlotSet(ASKED, None)]
        if clear:
            await in_session(lambda s: consent.opt_out(s, mobile, local_now(s), via="in words"))
            dispatcher.utter_message(response="utter_opted_out")
            return [SlotSet(ASKED, None)]
        # Texts kept (at hours of the owner's choosing): whatever the owner was doing goes on,
        # its question still open ("...friday at 10? and pls no texts before 9": the summary).
        goes_on = [FollowupAction(ACTION_LISTEN)] if tracker.active_loop_name else []
        if hours := text_hours(text) or wish_in_answer(tracker):
            await keep_hours(dispatcher, mobile, hours, text)
            if not tracker.active_loop_name and await visit_asked_beside(tracker):
                # "oil change fri at 10. oh and dont text me before 10am": the visit too
                return [SlotSet(ASKED, None), FollowupAction("action_inform_unprompted")]
            return [SlotSet(ASKED, None), *goes_on]
        if stop_asked(text):
            # "what happens if i text stop, do i lose my appts": what STOP does, and does not
            dispatcher.utter_message(response="utter_stop_explained")
            return [SlotSet(ASKED, None), *goes_on]
        if texts_asked(text):
            # "what kinda texts will i get? dont want ads": what is sent, and that STOP is there
            dispatcher.utter_message(response="utter_texts_we_send")
            return [SlotSet(ASKED, None), *goes_on]
        kept = await in_session(lambda s: consent.text_hours(s, mobile))
        if wants_texts(text):
            # "so ill still get reminders, just later right", "can i get reminders by text?"
            if kept:
                dispatcher.utter_message(response="utter_texts_on_hours",
                                         text_hours=hours_text(kept))
            else:
                dispatcher.utter_message(response="utter_texts_on")
            return [SlotSet(ASKED, None), *goes_on]
        if more := wish_followed(tracker):
            await keep_hours(dispatcher, mobile, more.joined(kept) if kept else more, text)
            return [SlotSet(ASKED, None), *goes_on]
        if kept and hours_kept_last(tracker) and (changed := hours_changed(text, kept)):
            # "actually make it 10, i sleep in": the limit just kept, moved
            await keep_hours(dispatcher, mobile, changed, text)
            return [SlotSet(ASKED, None), *goes_on]
        seen = await in_session(lambda s: consent.state(s, mobile))
        dispatcher.utter_message(response="utter_ask_opt_out")
        return [SlotSet(ASKED, {"consent": seen, "loop": tracker.active_loop_name})]


class ActionAnswerOptOut(Action):
    """The owner's yes or no to "Do you want us to stop texting this number?"."""

    def name(self) -> str:
        return "action_answer_opt_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        asked = tracker.get_slot(ASKED) or {}
        mobile = sender_mobile(tracker)
        text = tracker.latest_message.get("text") or ""
        # "not interested, STOP": the revocation is the answer, whatever else the text says
        said_yes = tracker.latest_message.get("intent", {}).get("name") == "affirm" \
            or clear_opt_out(text)
        if said_yes and asked and mobile is not None:

            def confirm(session) -> bool:
                # A STOP or START texted since the question answered it already.
                if consent.state(session, mobile) != asked.get("consent"):
                    return False
                consent.opt_out(session, mobile, local_now(session), via="in words, confirmed")
                return True

            if await in_session(confirm):
                dispatcher.utter_message(response="utter_opted_out")
                return [SlotSet(ASKED, None)]
        if mobile is not None and (hours := wish_in_answer(tracker)):
            await keep_hours(dispatcher, mobile, hours, text)
            return [SlotSet(ASKED, None)]
        dispatcher.utter_message(response="utter_opt_out_kept")
        loop = asked.get("loop")
        return [SlotSet(ASKED, None), *([FollowupAction(loop)] if loop else [])]
