from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dealership.handoff import HandoffRequest, hand_over, open_ticket, staffed_now

AUSTIN = ZoneInfo("America/Chicago")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=AUSTIN)


def test_the_desk_is_staffed_in_service_hours_only(session):
    assert staffed_now(session, at(11, 23, 10)) is None
    assert staffed_now(session, at(11, 23, 6, 59)) == at(11, 23, 7)
    assert staffed_now(session, at(11, 23, 19)) == at(11, 24, 7)
    assert staffed_now(session, at(11, 25, 20)) == at(11, 27, 7)  # Thanksgiving in between
    assert staffed_now(session, at(11, 28, 18)) == at(11, 30, 7)  # closed Sunday


def test_asking_twice_keeps_one_ticket_and_urgency_only_rises(session):
    first = open_ticket(session, conversation_id="+15125550142", channel="rest", owner_id=None,
                        reason="can i talk to someone")
    again = open_ticket(session, conversation_id="+15125550142", channel="rest", owner_id=None,
                        reason="hello??", urgency="urgent")
    session.commit()
    assert first.id == again.id and again.urgency == "urgent"
    assert again.reason == "can i talk to someone"


def test_a_later_request_is_noted_and_the_reason_it_was_opened_stays(session):
    first = open_ticket(session, conversation_id="web-7c1d", channel="webchat", owner_id=None,
                        reason="SAFETY (brakes_failing), case R1: my brakes failed",
                        urgency="urgent", summary="Safety: brakes failing, case R1")
    again = open_ticket(session, conversation_id="web-7c1d", channel="webchat", owner_id=None,
                        reason="whatever", summary='Asked for a person: "ok thanks"')
    session.commit()
    assert again.id == first.id and again.summary == "Safety: brakes failing, case R1"
    assert [(n.author, n.text) for n in again.notes] == [
        ("Concierge (later request)", 'Asked for a person: "ok thanks"')]
    open_ticket(session, conversation_id="web-7c1d", channel="webchat", owner_id=None,
                reason="again", summary="Safety: brakes failing, case R1")
    session.commit()
    assert len(again.notes) == 1  # the same line again adds nothing


def test_handing_over_says_when_someone_is_there(session):
    asked = HandoffRequest("+15125550142", "rest", None, "can i talk to someone",
                           "Asked for a person")
    open_now = hand_over(session, asked, at(11, 23, 10))
    closed = hand_over(session, asked, at(11, 23, 19))
    assert open_now.opens is None and closed.opens == at(11, 24, 7)
    assert open_now.ticket == closed.ticket  # asking twice queues it once


def test_who_hears_of_a_ticket_is_the_desk_then_on_call_then_nobody_until_it_opens(session):
    from bot.dealership.escalation import Hearing, who_hears
    from bot.dealership.models import Dealership

    assert who_hears(session, at(11, 23, 10), urgent=True) == Hearing("desk", None)
    assert who_hears(session, at(11, 23, 19), urgent=True) == Hearing("on_call", at(11, 24, 7))
    # the on-call advisor is texted about urgent tickets only; the rest wait for the desk
    assert who_hears(session, at(11, 23, 19), urgent=False) == Hearing("queue", at(11, 24, 7))
    session.get(Dealership, 1).on_call_mobile = None
    assert who_hears(session, at(11, 23, 19), urgent=True) == Hearing("queue", at(11, 24, 7))
