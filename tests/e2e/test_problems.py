"""Problem reports through the running servers: triage, the case, and the visit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from tests.demo import ALEJANDRO, BENJAMIN, NATHAN, TARIQ, VIKRAM
from tests.e2e.test_booking import visits


def cases(concierge, mobile: str) -> list[m.IssueReport]:
    with Session(get_engine(concierge.database_url), future=True) as session:
        owner = find_owner_by_mobile(session, mobile)
        return list(session.execute(select(m.IssueReport).where(
            m.IssueReport.owner_id == owner.id).order_by(m.IssueReport.id)).scalars())


def tickets(concierge, sender: str) -> list[m.HandoffTicket]:
    with Session(get_engine(concierge.database_url), future=True) as session:
        return list(session.execute(select(m.HandoffTicket).where(
            m.HandoffTicket.conversation_id == sender)).scalars())


def test_a_safety_problem_gets_everything_in_the_first_reply(concierge):
    replies = concierge.say(BENJAMIN, "smoke coming out from under the hood!! what do i do")
    first = replies[0]
    assert "away from the car" in first and "don't open the hood" in first, replies
    assert "911" in first and "(800) 555-0199" in first, replies
    (case,) = cases(concierge, BENJAMIN)
    assert (case.severity, case.category, case.drivable) == ("safety", "smoke_or_fire", False)
    assert case.reference in first
    (ticket,) = tickets(concierge, BENJAMIN)
    assert ticket.urgency == "urgent" and case.reference in ticket.reason


def test_a_whole_story_in_one_message_then_the_visit(concierge):
    talk = concierge.chat(VIKRAM, "check engine light came on yesterday on my lx, "
                                  "still driving it fine")
    (case,) = cases(concierge, VIKRAM)
    assert case.reference in talk and "warning light diagnosis" in talk, talk
    assert (case.category, case.since, case.drivable, case.warning_light) == (
        "engine_light", "came on yesterday", True, "check engine light")
    talk += "\n" + concierge.chat(VIKRAM, "yes please")
    # The LX comes in tomorrow at 1:30 anyway: the diagnosis may join that visit.
    assert "already coming in tomorrow (Tue) at 1:30 PM" in talk and "Shall I add" in talk, talk
    talk += "\n" + concierge.chat(VIKRAM, "yes")
    assert "added warning light diagnosis" in talk, talk
    (visit,) = [v for v in visits(concierge, VIKRAM) if v.status == "scheduled"]
    assert {s.code for s in visit.services} == {"scheduled_maintenance",
                                                "warning_light_diagnosis"}, talk


def test_step_by_step_asks_only_what_is_missing(concierge):
    talk = concierge.chat(TARIQ, "weird rattle from the back when i go over bumps")
    assert "Which car is it?" in talk, talk
    talk += "\n" + concierge.chat(TARIQ, "the gx")
    assert "When did it start?" in talk, talk
    talk += "\n" + concierge.chat(TARIQ, "about a week")
    assert "safe to drive" in talk, talk
    talk += "\n" + concierge.chat(TARIQ, "yeah")
    (case,) = cases(concierge, TARIQ)
    assert case.reference in talk, talk
    assert (case.since, case.drivable) == ("about a week", True)
    with Session(get_engine(concierge.database_url), future=True) as session:
        assert session.get(m.Vehicle, case.vehicle_id).model == "GX 550"
    talk += "\n" + concierge.chat(TARIQ, "not right now")
    assert "Anything else" in talk, talk


def test_forget_it_ends_the_questions_and_answers_none(concierge):
    sender = "+15125550241"
    talk = concierge.chat(sender, "my car pulls to the left lately")
    assert "Which car" in talk, talk
    talk = concierge.chat(sender, "ugh actually forget it, ill deal w it after xmas")
    assert "no more questions" in talk and "drivable" not in talk.lower(), talk
    assert "Noted on case" not in talk and "Want me to book" not in talk, talk
    assert "written this up" not in talk and talk.count("case") == 1, talk
    with Session(get_engine(concierge.database_url), future=True) as session:
        (case,) = session.execute(select(m.IssueReport).where(
            m.IssueReport.conversation_id == sender)).scalars()
        assert case.since is None and case.drivable is None and "after xmas" in case.description
    assert "Anything else" in concierge.chat(sender, "thx")


def test_questions_asked_back_get_the_situations_answers(concierge):
    first = concierge.chat(NATHAN, "got a flat on 183, stuck on the shoulder")
    assert "(800) 555-0199" in first and "guardrail" in first and "Which car" not in first, first
    talk = concierge.chat(NATHAN, "can i just change it myself? theres a spare")
    assert "away from traffic" in talk and "(800) 555-0199" in talk, talk
    talk = concierge.chat(NATHAN, "ok roadside is coming. can u guys replace the tire there")
    assert "quote" in talk and "advisor" in talk, talk
    assert [t.urgency for t in tickets(concierge, NATHAN)] == []  # roadside, not a staff alarm


def test_a_report_that_asks_for_the_visit_books_it(concierge):
    talk = concierge.chat(ALEJANDRO, "my nx keeps pulling to the left, can i get it aligned")
    (case,) = cases(concierge, ALEJANDRO)
    assert case.reference in talk and "when would you like to come in?" in talk.lower(), talk
    talk = concierge.chat(ALEJANDRO, "wed at 8am, shuttle please")
    assert "alignment for your 2022 NX 350" in talk and "Wed Nov 25 at 8:00 AM" in talk, talk


def test_the_team_a_trouble_went_to_is_asked_after_beside_a_question_of_it(concierge):
    sender = "+15125550242"
    first = concierge.chat(sender, "someone backed into me at heb yesterday, nobody hurt, just a "
                                   "dent in my back bumper. who do i talk to about fixing it")
    assert "(512) 555-0113" in first and "911" not in first, first
    talk = concierge.chat(sender, "do they work w insurance? and r they open sat")
    assert "insurance" in talk and "closed on Sat" in talk, talk


def test_a_visit_asked_after_trouble_that_is_back_is_for_that_trouble(concierge):
    concierge.chat(TARIQ, "never mind")  # whatever an earlier test left open
    talk = concierge.chat(TARIQ, "the rattle in my gx is back, you guys said you fixed it "
                                 "last month")
    assert "history" in talk, talk
    talk = concierge.chat(TARIQ, "can i just swing by fri at 10 so someone can look, ill wait")
    assert "GX" in talk and "Fri Nov 27 at 10:00 AM" in talk, talk
    assert "What would you like done" not in talk, talk
