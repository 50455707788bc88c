"""A booking that bends: a "no" at the summary that says what to change, a bare "no", and work
named in words the entity extractor misses. Through the running servers, clock pinned to
Monday 2026-11-23, 10:00 in Austin. Run after test_booking.py, whose owners these reuse."""

from __future__ import annotations

from datetime import datetime

from tests.demo import ALEJANDRO, GRACE, OLIVIA
from tests.e2e.test_booking import local, visits


def scheduled(concierge, mobile: str):
    return [v for v in visits(concierge, mobile) if v.status == "scheduled"]


def test_no_with_a_new_time_at_the_summary_changes_only_the_time(concierge):
    before = len(scheduled(concierge, GRACE))
    talk = concierge.chat(GRACE, "oil change for my rx on dec 8 at 10, i'll wait")
    assert "Shall I book it" in talk and "10:00 AM" in talk, talk
    talk = concierge.chat(GRACE, "no, make it 2pm")
    assert "Shall I book it" in talk and "Tue Dec 8 at 2:00 PM" in talk, talk
    assert "oil change" in talk and "lounge" in talk, talk
    talk += "\n" + concierge.chat(GRACE, "yes")
    assert "You're booked" in talk, talk
    new = scheduled(concierge, GRACE)[before:]
    assert [local(v.starts_at) for v in new] == [datetime(2026, 12, 8, 14, 0)], talk
    assert [s.code for s in new[0].services] == ["oil_change"] and new[0].transport == "wait"


def test_a_bare_no_at_the_summary_asks_what_to_change_and_a_second_stops(concierge):
    before = len(scheduled(concierge, OLIVIA))
    talk = concierge.chat(OLIVIA, "tire rotation on dec 9 at 9am, i'll wait")
    assert "Shall I book it" in talk, talk
    talk = concierge.chat(OLIVIA, "no")
    assert "What should I change" in talk and "haven't booked" not in talk, talk
    talk = concierge.chat(OLIVIA, "dec 10 at 9 instead")
    assert "Shall I book it" in talk and "Thu Dec 10 at 9:00 AM" in talk, talk
    assert "tire rotation" in talk, talk  # kept
    talk = concierge.chat(OLIVIA, "no")
    assert "What should I change" in talk, talk
    talk = concierge.chat(OLIVIA, "no")
    assert "haven't booked anything" in talk, talk
    assert len(scheduled(concierge, OLIVIA)) == before


def test_work_named_in_passing_is_kept_and_after_work_means_after_work(concierge):
    talk = concierge.chat(
        ALEJANDRO, "hi! any chance u can do an oil change on my nx fri dec 11 after i get off work")
    assert "What would you like done" not in talk, talk
    assert "Fri Dec 11" in talk and ("4:" in talk or "5:" in talk or "6:" in talk), talk
    assert "7:00 AM" not in talk, talk
