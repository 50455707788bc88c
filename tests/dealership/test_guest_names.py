import pytest

from bot.dealership.guest_names import answered, introduced, name_first


@pytest.mark.parametrize("text, name", [
    ("hi im sam reyes. can i book an oil change", "sam reyes"),
    ("hey, this is Maria Lopez, need a rotation", "Maria Lopez"),
    ("ugh ok friday at 8 then. im jen park, 2020 lexus rx 350. ill wait for it", "jen park"),
    ("tire rotation for my 2022 nx 350 sat at 10 then, ill wait. its sam lee", "sam lee"),
    ("oil change sat 9am with a loaner. im rachel kim, 2021 es 350", "rachel kim"),
    ("my name is Ana. oil change friday", "Ana"),
    ("hi, carlos reyes here. can i book a full detail for my 2019 rx 350?", "carlos reyes"),
    ("10am. name's jordan", "jordan"),  # said to be the name: a first name alone is one
    ("ok 9 works. put it under priya", "priya"),
    ("fine 8am. its a 2018 es 350, name's tom reyes", "tom reyes"),  # after a comma
    ("sat works, my name is ana ruiz", "ana ruiz"),
])
def test_a_name_given_in_any_sentence(text: str, name: str) -> None:
    assert introduced(text) == name


@pytest.mark.parametrize("text", [
    "im good, thanks", "im running late.", "its making a noise", "its a 2019 es 300h",
    "ok friday at 8 then. im not sure about the time", "i'm on my way.",
    "its tuesday, right?", "oil change here.", "we are here.",
    "its the front one, under warranty i think",
])
def test_no_name_where_none_is_given(text: str) -> None:
    assert introduced(text) is None


@pytest.mark.parametrize("text, name", [
    ("Lena Park", "Lena Park"),
    ("mike ortiz, its a 2019 es 300h", "mike ortiz"),
    ("its dana lee", "dana lee"),
    ("o'neil", "o'neil"),
    ("its jordan", "jordan"),
    ("this is jordan btw", "jordan"),
    ("names jordan", "jordan"),
])
def test_the_name_answered_with_more_beside_it(text: str, name: str) -> None:
    assert answered(text) == name


@pytest.mark.parametrize("text", ["tuesday, 9am", "ok sure", "2019 es 300h", "what?", "yes",
                                  "thats right", "yep thats right", "correct", "im here",
                                  "its making noise", "names"])
def test_no_name_answered_when_it_is_not_one(text: str) -> None:
    assert answered(text) is None


@pytest.mark.parametrize("text, name", [
    ("jordan pike. 9 if u have it", "jordan pike"),
    ("Chris Alvarez. 10ish?", "Chris Alvarez"),
])
def test_a_name_said_first_with_more_after_it(text: str, name: str) -> None:
    assert name_first(text) == name


@pytest.mark.parametrize("text", [
    "got it. 9 works", "no worries. fri then", "sounds good. 9", "rear brakes. grinding",
    "thank you. bye", "never mind. tuesday", "jordan pike", "front tire. low again",
    "same time. works",
])
def test_no_name_said_first_where_none_is(text: str) -> None:
    assert name_first(text) is None
