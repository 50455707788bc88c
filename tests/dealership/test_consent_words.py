"""Which words opt a number out at once, which are only asked about, and which are a timing
wish: the table an opt-out said in words is decided by (bot/dealership/consent_words.py)."""

from __future__ import annotations

import pytest

from bot.dealership.consent_words import (
    TextHours,
    clear_opt_out,
    is_keyword,
    stops_in_words,
    text_hours,
    texts_asked,
    wants_texts,
)

UNMISTAKABLE = [
    # The FCC's revocation words on their own, as owners type them.
    "STOP", "stop", "Stop.", "STOP!!", "pls stop", "Quit", "end", "REVOKE", "Opt out", "optout",
    "opt-out", "cancel", "Unsubscribe", "stopall",
    # A sentence that asks for nothing but the end of the texts.
    "stop texting me", "Please stop texting me!", "please unsubscribe me",
    "remove my number from your list", "don't text me anymore", "take me off your texts",
    "Take me off your list", "i dont want these messages", "no more texts please",
    "do not contact me again", "lose my number", "wrong number, stop",
    "i sold that car, stop texting me", "quit messaging me 🙄", "stop contacting me",
    "Please discontinue all text messages to this phone number.", "opt me out",
    "can you stop sending me these", "Don\u2019t text this number again",
    "pull my number off ur texting list", "Kindly remove me from your SMS notifications.",
    "take my number out of your system", "get me off this list",
    "I would like to opt out of all text communication.", "unsubscribe me from your texts",
    "this is not whoever you think, remove my number",
    "actually you know what, just unsubscribe me from all of it. i'll call when i need something",
]
ASKED_FIRST = [
    # Read as opt_out by the classifier, but asking for something else.
    "list my reminders", "send me a reminder the day before", "remind me the day before",
    "can you move money", "what texts will i get", "end my visit", "cancel my appointment",
    # A stop of some texts only, or with a condition or another request in it.
    "stop the reminders", "no more service reminders please", "stop sending promos",
    "stop texting me and book me for friday", "stop texting me at 7am",
    "stop texting me before 9", "only text me about my appointments",
    # A question about stopping, or a stop negated.
    "take me out of whisper mode", "remove me from the group chat", "stop it",
    "unsubscribe me from spotify", "opt out of jury duty",
    # Nothing of texts at all: a ride, a day.
    "next tues first thing then, my wife can drop me off", "my wife can drop me off",
    "can u get me out by 5", "drop me off and ill walk", "stop by sat",
    "won't make it, please cancel", "cant make it, just cancel",  # the appointment
    "unsubscribe me and call me instead",
    "stop sending me automated stuff and get somebody from the desk on here",
    "how do i opt out", "how do i stop these texts?", "don't stop texting me",
    "i do not want to unsubscribe", "why did you stop texting me",
    # Too long to be sure it asks only that.
    "so my husband has the rx now and he takes care of it and i have the gx which needs an oil "
    "change soon but i'd rather you stop texting me",
    "", "   ",
]


@pytest.mark.parametrize("text", UNMISTAKABLE)
def test_unmistakable_opt_outs_are_honoured_at_once(text):
    assert clear_opt_out(text)


@pytest.mark.parametrize("text", ASKED_FIRST)
def test_anything_less_certain_is_asked_about_first(text):
    assert not clear_opt_out(text)


def test_a_keyword_is_the_whole_message_give_or_take_a_please():
    assert is_keyword("  Opt  Out ") and is_keyword("ok STOP") and is_keyword("revoke.")
    assert not is_keyword("stop it now you idiots") and not is_keyword("opt in")


@pytest.mark.parametrize(("text", "hours"), [
    ("don't text me before 9am", TextHours(earliest=9)),
    ("no texts after 8pm please", TextHours(latest=20)),
    ("only text me on weekdays", TextHours(weekdays_only=True)),
    ("please only text between 9 and 5", TextHours(9, 17)),
    ("no texts between 10pm and 8am", TextHours(8, 22)),  # the quiet hours, said the other way
    ("no texts on weekends or before 8", TextHours(8, None, True)),
    ("dont message me after 9 pm", TextHours(latest=21)),
    ("only text me after 10am", TextHours(earliest=10)),
    ("sorry fat fingered that lol. can u only text me after 9 tho", TextHours(earliest=9)),
    ("but can u not text me b4 9am, i work nights", TextHours(earliest=9)),
    ("only text me after 5", TextHours(earliest=17)),
    ("only text me before 6pm", TextHours(latest=18)),
    ("dont message me before 7:30", TextHours(earliest=8)),  # rounded to the quiet side
    ("no texts after 8:30pm", TextHours(latest=20)),
    ("no texts before noon", TextHours(earliest=12)),
    ("i work nights so no texts before 1pm", TextHours(earliest=13)),
    ("dont send reminders on weekends", TextHours(weekdays_only=True)),
    ("Don\u2019t text me before 8:00 a.m.", TextHours(earliest=8)),
    # a wish in its own sentence beside a booking
    ("oil change on the IS fri at 10, ill wait. oh and pls dont text me before 10am",
     TextHours(earliest=10)),
    # the time texts may start, said as what is fine
    ("can u quit texting me at 6am. after 8 works", TextHours(earliest=8)),
    ("stop messaging me so early lol, after 9:30 is fine", TextHours(earliest=10)),
    # texts asked for, and the wish of them in a sentence that does not name them
    ("hey can u guys text me reminders before appts? just not before 9am pls",
     TextHours(earliest=9)),
    ("can you text me reminders? nothing after 8pm though", TextHours(latest=20)),
])
def test_a_timing_wish_is_read_into_hours(text, hours):
    assert text_hours(text) == hours


@pytest.mark.parametrize("text", [
    "stop texting me", "list my reminders", "text me before 9am tomorrow with the quote",
    "book me before 9am, dont text", "can i come in after 5pm", "no, after 8pm is fine",
    "no texts before 9 on saturdays",  # hours for one day: not kept, asked about instead
    "please dont text me so early",  # no hour said
    "dont text me after 9am or before 8pm",  # no window left
    "dont text me before 99",
    "text me reminders pls. my appt is at 9am",  # a time, no wish
    "can u text me when its ready? i get off at 5",
])
def test_anything_else_is_not_a_timing_wish(text):
    assert text_hours(text) is None


@pytest.mark.parametrize(("hours", "hour", "minute", "weekday", "allowed"), [
    (TextHours(earliest=9), 8, 59, 0, False),
    (TextHours(earliest=9), 9, 0, 0, True),
    (TextHours(latest=20), 20, 0, 0, True),
    (TextHours(latest=20), 20, 1, 0, False),
    (TextHours(latest=20), 23, 0, 2, False),
    (TextHours(weekdays_only=True), 12, 0, 5, False),
    (TextHours(weekdays_only=True), 12, 0, 4, True),
    (TextHours(9, 17, True), 16, 30, 6, False),
])
def test_hours_allow_a_text_only_inside_them(hours, hour, minute, weekday, allowed):
    assert hours.allows(hour, minute, weekday) is allowed


def test_hours_are_described_to_the_owner_in_one_phrase():
    assert TextHours(9, 20, True).describe() == "on weekdays, between 9 AM and 8 PM"
    assert TextHours(earliest=12).describe() == "after noon"
    assert TextHours(latest=24).describe() == "before midnight"


def test_a_timing_wish_adds_to_the_one_kept():
    from bot.dealership.consent_words import TextHours
    weekdays = text_hours("no texts on weekends pls")
    later = text_hours("and nothing after 7pm either (texts)")
    assert weekdays is not None and later is not None
    assert later.joined(weekdays) == TextHours(latest=19, weekdays_only=True)


def test_texts_still_wanted_are_no_opt_out():
    from bot.dealership.consent_words import keeps_texts

    assert keeps_texts("but i still want the reminders, just later in the morning")
    assert not keeps_texts("stop the reminders")


@pytest.mark.parametrize("text", [
    "can i get my appointment reminders by text? i dont think i ever signed up",
    "thx. so ill still get reminders, just later right", "ok nvm keep em coming",
    "sign me up for text reminders",
    "hi can you text me service reminders for both my cars from now on? never signed up",
    "can u text me when my car is ready and stuff?"])
def test_texts_wanted_are_read_as_such(text):
    from bot.dealership.consent_words import about_texts, wants_texts

    assert wants_texts(text) and about_texts(text, hours_just_kept=False)


@pytest.mark.parametrize("text", [
    "eh i drive way more than that tmrw. nvm keep the shuttle", "i dont want the texts",
    "can i still get a loaner", "and what time u open sat", "send me a reminder the day before",
    "can u text me the address", "stop texting me reminders"])
def test_what_is_not_of_texts_wanted_is_not(text):
    from bot.dealership.consent_words import wants_texts

    assert not wants_texts(text)


def test_what_stop_does_asked_is_a_question_not_an_opt_out():
    from bot.dealership.consent_words import stop_asked

    assert stop_asked("what happens if i text stop, do i lose my appts")
    assert stop_asked("will i still get reminders if i reply stop?")
    assert not stop_asked("stop")
    assert not stop_asked("please stop texting me")


def test_a_limit_just_kept_is_moved_by_a_change_of_its_time():
    from bot.dealership.consent_words import TextHours, about_texts, hours_changed

    assert hours_changed("actually make it 10, i sleep in lol", TextHours(9)) == TextHours(10)
    assert hours_changed("make it 8pm instead", TextHours(latest=21)) == TextHours(latest=20)
    assert hours_changed("make it the es instead", TextHours(9)) is None
    assert hours_changed("can u book me at 10 instead", TextHours(9)) is None  # a booking
    # said short, it is of the texts only right after the hours were kept
    assert about_texts("actually make it 10", hours_just_kept=True)
    assert not about_texts("actually make it 10", hours_just_kept=False)


def test_a_limit_taken_back_in_the_same_text_is_the_one_said_last():
    from bot.dealership.consent_words import TextHours, text_hours

    assert text_hours("no texts before 8am pls. actually make it 9, i work late") == \
        TextHours(9, None, False)
    assert text_hours("no texts before 8am pls") == TextHours(8, None, False)


def test_texts_that_keep_coming_unwanted_are_no_wish_for_them():
    assert not wants_texts("who is this?? i keep getting texts about a lexus, i dont even have one")
    assert wants_texts("i still want appt reminders tho")
    assert wants_texts("keep the texts coming")


def test_ads_refused_are_answered_with_what_is_sent():
    assert texts_asked("can u stop sending me the promo texts?")
    assert texts_asked("no more marketing pls")
    assert texts_asked("and only texts about my car pls, no sales/promo stuff")
    assert texts_asked("only text me about my appointments")
    assert not texts_asked("stop texting me")
    assert not texts_asked("no sales call needed, just the oil change")


@pytest.mark.parametrize("text", ["just stop pls", "stop texting me", "STOP", "opt me out"])
def test_a_plain_stop_in_words_is_honoured_whatever_it_was_read_as(text):
    assert stops_in_words(text)


@pytest.mark.parametrize("text", ["pls cancel", "cancel", "just end", "no", "dont stop"])
def test_cancel_or_end_with_a_please_is_not_taken_as_a_stop(text):
    assert not stops_in_words(text)
