"""Short replies and heads-ups, as owners text them."""

from __future__ import annotations

import pytest

from bot.dealership.replies import (
    asks_to_book,
    bare_yes_or_no,
    ride_asked_for,
    ride_instead,
    ride_named,
    rides_turned_down,
    running_late,
    yes_with_ride,
)


@pytest.mark.parametrize(("text", "ride"), [
    ("I'll take a loaner if you have one", "loaner"),
    # the owner's own way: the car dropped off, no ride of ours
    ("my wife is following me over to drive me back so no ride needed", "drop_off"),
    ("ill drop it at 730 and uber to work", "drop_off"),
    ("ok ill drop it off myself at 8 then", None),  # who brings it says nothing of the ride
    ("wifes dropping it off", None),
    ("no need for a ride, ill walk", "drop_off"),
    ("ill drop it off at 8 and grab a loaner", "loaner"),  # a ride of ours named beside it
    ("can u drop me at work", "shuttle"),
    ("my son will drive one over", None),  # the car brought, nothing said of the ride
    ("a rental would be great", "loaner"),
    ("can you guys pick it up from my house", "pickup_delivery"),
    ("ok can u grab the nx from my work fri at 8 for an oil change", "pickup_delivery"),
    ("i'll just hang out there", "wait"),
    ("id need a ride to work", "shuttle"),
    ("put me on the waitlist", "waitlist"),  # not also "wait"
    ("no loaner needed, i'll wait", "wait"),  # the loaner turned down
    ("my wife's picking me up so no loaner", "drop_off"),
    ("dont need the shuttle, loaner pls", "loaner"),
    ("a loaner or the shuttle", None),  # two named
    ("whatever is easiest", None),
    ("nah no worries, ill drive my other car. just book the gx without one", "drop_off"),
    ("we have a second car, no need", "drop_off"),
    # the owner collects it: no pickup and delivery of ours
    ("ok wed at 8am then. ill drop it off n pick it up after work", "drop_off"),
    ("ill pick it up after 5", "drop_off"),
    ("can u pick it up at 8", "pickup_delivery"),
    # a "wait" that holds the conversation names no ride
    ("wait do i already have something booked?", None), ("oh wait, is that tmrw", None),
    ("wait. do i need an appt", None), ("Wait.", "wait"), ("wait is fine", "wait"),
    ("wait can i wait there?", "wait"), ("wait i will take the shuttle", "shuttle"),
])
def test_the_ride_a_reply_names(text, ride):
    assert ride_named(text) == ride


@pytest.mark.parametrize(("text", "bare"), [
    ("no", True), ("Nope.", True), ("nah i'm good", True), ("yes!", True),
    ("no dont book it", False), ("never mind", False), ("yes a loaner", False), ("", False),
])
def test_a_bare_yes_or_no(text, bare):
    assert bare_yes_or_no(text) is bare


@pytest.mark.parametrize(("text", "late"), [
    ("running 15 min late for my appt", True), ("stuck in traffic, be there in 10", True),
    ("omw but running behind", True), ("gonna be like 10 min late sorry", True),
    ("running late can we push it 30 min", False),  # asks to move
    ("can i move my appt to tomorrow", False), ("is my car ready", False),
    # whether to move it, asked: still late, not a move
    ("k i might be 15-20 min late, school pickup. is that ok or should i move it", True),
])
def test_running_late(text, late):
    assert running_late(text) is late


@pytest.mark.parametrize("text, ride", [
    ("830. and can ur shuttle drop me at my gym?", "shuttle"),
    ("9am, and can the shuttle take me home? im close", "shuttle"),
    ("could i get a ride back to work after", "shuttle"),
    ("do i have to stay there or can somebody drive me home", "shuttle"),
    ("can you do it friday instead", None),
    ("how far does your shuttle go?", None),
    ("does the shuttle run on saturdays", None),
    ("can u guys pick up my rx from my office wed for an oil change?", "pickup_delivery"),
    ("could someone come get the car at my house", "pickup_delivery"),
    ("can u guys come get my car for an oil change? i cant get over there", "pickup_delivery"),
    ("can u pick up the kids", None),
    ("can i pick it up at 5", None),
    ("how long does that take? can i just wait for it", "wait"),
    ("can i wait there or can someone drive me home", "shuttle"),
    ("can i wait until next week to do it", None),
])
def test_a_ride_asked_for_in_a_question(text, ride):
    assert ride_asked_for(text) == ride


def test_a_ride_said_instead_at_the_summary():
    assert ride_instead("no actually id rather take the shuttle, i should go into work",
                        "wait") == "shuttle"
    assert ride_instead("yes the shuttle is fine", "shuttle") is None
    assert ride_instead("yes and the shuttle please", "wait") is None  # no change of mind
    assert ride_instead("wait no tues the 1st is better, same time", "loaner") is None
    assert ride_instead("no actually ill just wait there", "shuttle") == "wait"


@pytest.mark.parametrize(("text", "offered", "yes"), [
    ("Yes please, I'll wait in the lounge", "wait", True),
    ("yep, the loaner is fine", "loaner", True),
    ("ok the shuttle works", "shuttle", True),
    ("yes please, I'll wait in the lounge", "loaner", False),  # a change: the summary again
    ("yes but actually the shuttle", "wait", False),
    ("yes wait, is it 9 or 10?", "wait", False),
    ("I'll wait in the lounge", "wait", False),  # no yes said
    ("shuttle is fine", "shuttle", True),  # the ride offered, agreed to
    ("the loaner works", "loaner", True),
    ("7 is fine. ill just wait in the lounge", "wait", False),  # said back: its yes to come
    ("shuttle is fine", "wait", False),  # another ride: the summary again with it
    ("fine, i'll wait. is there wifi?", "wait", False),
    ("great ill wait for it. remind me how much a rotation is?", "wait", False),
])
def test_a_yes_that_says_the_ride_offered_again(text, offered, yes):
    assert yes_with_ride(text, offered) is yes


@pytest.mark.parametrize(("text", "asked"), [
    ("got a recall letter for my gx. can i bring it in fri around 8", True),
    ("could we drop the rx off tomorrow", True),
    ("got a letter abt a recall on my gx. can i bring it wed morning", True),
    ("can i bring my kid along?", False),
    ("do i need to bring it in?", False),
    ("can the gx get the seat latch recall done tues?", True),
    ("could i have that recall fixed friday", True),
    ("was the recall done on my last visit?", False),
    ("need that seat latch recall done on the gx. fri morning?", True),
    ("do i need the recall done before the trip?", False),
])
def test_bringing_the_car_in_asked_is_a_booking_asked(text, asked):
    assert asks_to_book(text) == asked


@pytest.mark.parametrize("text, rides", [
    ("ok add it. my wife's picking me up so no loaner", {"loaner"}),
    ("won't need the shuttle", {"shuttle"}),
    ("no ride needed", {"shuttle"}),
    ("loaner please", set()),
    ("no, loaner please", set()),
    ("she'd need a loaner, she won't do the shuttle lol", {"shuttle"}),
    ("i can take the shuttle", set()),
])
def test_the_rides_a_text_turns_down(text, rides):
    assert rides_turned_down(text) == rides


def test_rides_compared_choose_none():
    from bot.dealership.replies import rides_compared

    assert rides_compared("What is the difference between your shuttle and a loaner car?")
    assert rides_compared("loaner or shuttle, which is quicker")
    assert not rides_compared("can i get a loaner")


@pytest.mark.parametrize(("text", "holiday"), [
    ("happy thanksgiving to u guys!! 🦃", "Thanksgiving"), ("Merry Xmas!", "Christmas"),
    ("hope yall have a great thanksgiving", "Thanksgiving"), ("happy new year's", "New Year"),
    ("happy holidays and thanks for everything", "holidays"),
    # a holiday named, not wished
    ("are you open on thanksgiving", None), ("happy with that, thanks", None),
    ("can i come in the day after christmas", None)])
def test_a_holiday_wished_is_named_for_the_wish_back(text, holiday):
    from bot.dealership.replies import holiday_wished

    assert holiday_wished(text) == holiday
