"""Texts that ask several things, through the running servers: each request is handled, in one
reply (clock: Monday 2026-11-23, 10:00 in Austin)."""

from __future__ import annotations

from datetime import datetime

from tests.demo import VIKRAM
from tests.e2e.test_booking import local, visits


def test_a_question_and_a_loaner_in_one_text_are_both_handled_question_first(concierge):
    talk = concierge.chat("+15125550231", "can i get a loaner tmrw and what time do u close "
                                          "on saturday")
    hours = talk.find("Sat Nov 28, 8 AM to 5 PM")
    assert hours > 0, talk
    assert "tomorrow (Tue) at" in talk[hours:] and "Which works?" in talk[hours:], talk


def test_two_questions_in_one_text_get_two_answers_in_the_order_asked(concierge):
    talk = concierge.chat("+15125550232", "where r u guys located? also do u take apple pay")
    assert "Apple Pay" in talk, talk
    assert 0 < talk.find("Directions") < talk.find("Apple Pay") or \
        0 < talk.find("Austin") < talk.find("Apple Pay"), talk


def test_cancel_one_day_and_book_another_instead_is_a_move(concierge):
    concierge.chat(VIKRAM, "never mind")  # whatever an earlier test left open
    talk = concierge.chat(VIKRAM, "cancel my appt and put me in friday at 10 instead")
    assert "Move your" in talk and "Fri Nov 27 at 10:00 AM" in talk, talk
    assert "Cancel your" not in talk, talk
    talk += "\n" + concierge.chat(VIKRAM, "yes")
    assert "Done" in talk, talk
    (visit,) = visits(concierge, VIKRAM)
    assert visit.status == "scheduled", talk
    assert local(visit.starts_at) == datetime(2026, 11, 27, 10, 0), talk


def test_a_safety_matter_in_a_text_with_a_question_comes_first(concierge):
    talk = concierge.chat("+15125550233", "what time do u close today? also theres smoke "
                                          "coming from under the hood")
    assert 0 < talk.find("911") < talk.find("7 AM to 7 PM"), talk
    assert "one at a time" not in talk, talk


def test_a_problem_that_can_wait_comes_after_the_question(concierge):
    talk = concierge.chat("+15125550235", "what time do u close today? also theres a rattle "
                                          "in the dash")
    assert 0 < talk.find("7 AM to 7 PM") < talk.find("Which car is it?"), talk


def test_a_second_request_that_needs_questions_waits_and_the_owner_is_told(concierge):
    talk = concierge.chat("+15125550234", "book an oil change for friday. also cancel my "
                                          "other appt")
    assert "one at a time" in talk and "Which works?" in talk, talk
    assert talk.find("one at a time") < talk.find("Which works?"), talk


def test_a_2000_character_text_gets_an_answer_read_whole(concierge):
    story = ("so the car has been making a noise, " * 60)[:1990] + " help?"
    replies = concierge.say("+15125550236", story)
    assert replies and all(reply.strip() for reply in replies), replies



def test_a_request_that_waited_is_taken_up_once_the_one_before_it_is_done(concierge):
    from tests.demo import AISHA

    talk = concierge.chat(AISHA, "oil change on my is fri at 9, ill wait")
    talk += "\n" + concierge.chat(AISHA, "yes")
    assert "You're booked" in talk, talk
    # a loaner beside a move is for the visit moved: asked again once it is moved
    talk = concierge.chat(AISHA, "move my appt to sat at 10 and ill need a loaner")
    assert "text me about the rest" in talk and "Sat Nov 28 at 10:00 AM" in talk, talk
    talk = concierge.chat(AISHA, "yes")
    assert "Done" in talk and "Now the other thing" not in talk, talk
    (visit,) = visits(concierge, AISHA)
    assert local(visit.starts_at) == datetime(2026, 11, 28, 10, 0), talk
    # a booking and a cancel: the cancel is taken up once the booking is done
    talk = concierge.chat(AISHA, "tire rotation on the is wed at 2, ill wait. also cancel "
                                 "my saturday appt")
    assert "I'll come back to the rest" in talk and "Now the other thing" not in talk, talk
    talk = concierge.chat(AISHA, "yes")
    assert "You're booked" in talk and "Now the other thing" in talk, talk
    assert "Sat Nov 28" in talk[talk.find("Now the other thing"):], talk


def test_an_owners_first_text_that_waits_a_request_knows_the_owner(concierge):
    # the waiting request is said before the first one is handled: the conversation starts as
    # the owner's, not a guest's
    from sqlalchemy.orm import Session

    from bot.dealership import models as m
    from bot.dealership.db import get_engine

    mobile = "+15125550239"
    with Session(get_engine(concierge.database_url), future=True) as session:
        owner = m.Owner(name="Lena Park", mobile=mobile, sms_consent=True)
        owner.vehicles.append(m.Vehicle(year=2022, make="Lexus", model="NX 350"))
        session.add(owner)
        session.commit()
    talk = concierge.chat(mobile, "book an oil change for friday. also cancel my other appt")
    assert "one at a time" in talk and "Which works?" in talk, talk
    talk = concierge.chat(mobile, "1")
    assert "your 2022 NX 350" in talk and "name" not in talk.lower(), talk


def test_the_due_date_asked_beside_a_visit_asked_offers_no_visit_of_its_own(concierge):
    from tests.demo import AISHA
    concierge.chat(AISHA, "never mind")  # whatever an earlier test left open
    talk = concierge.chat(AISHA, "hi i think my IS is due for service? could i come in "
                                 "sometime next week")
    assert "due" in talk and "Which works?" in talk, talk
    assert "Want me to book" not in talk, talk
