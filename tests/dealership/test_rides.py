"""Changing the ride of a visit already booked, on the demo dealership: a loaner reserved for
it when one is free, or released; the visit itself stays."""

from __future__ import annotations

import pytest

from bot.dealership import appointments
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.rides import change, plan, wanted_ride
from tests.demo import MONDAY_10AM, VIKRAM


@pytest.mark.parametrize("text, ride", [
    ("actually can i swap the shuttle for a loaner?", "loaner"),
    ("for tomorrow's appointment can i get a loaner instead of the shuttle", "loaner"),
    ("oh nvm on the loaner, my sister can drop me off", "no_loaner"),
    ("i won't need the loaner after all", "no_loaner"),
    ("switch my appointment to pickup and delivery please", "pickup_delivery"),
    ("scratch the waiting part, can i get a loaner for that?", "loaner"),
    ("actually scratch the loaner, just have the shuttle take me home", "shuttle"),
    ("ditch the shuttle, ill wait in the lounge", "wait"),
    ("for tmrw i'll just hang out there instead of taking the shuttle", "wait"),
    ("id rather wait there than take a loaner", "wait"),
    ("rather take the shuttle than get a loaner tmrw", "shuttle"),
    ("hmm actually can u switch that to the shuttle, my insurance card expired", "shuttle"),
    ("do u guys do pickup? id rather not mess w a loaner", "pickup_delivery"),
    ("i dont want the loaner anymore, ill just wait there", "wait"),
    ("can i get a loaner for that instead", "loaner"),
    ("something came up and i cant wait there anymore, can i get a loaner instead", "loaner"),
    ("Then I would prefer a loaner tomorrow, please.", "loaner"),
    # not a change of ride on a visit booked
    ("and if i get a loaner instead what do i need to bring", None),
    ("can yall pick up my car from my office instead of me driving in?", None),
    ("oil change fri 10am for the rx, i'll take the shuttle", None),
    ("book it with a loaner", None),
    ("do you have loaners", None),
    ("can i get the rx in fri for a brake inspection? drop off 8am, will need a loaner", None),
    ("drop it off at 8 and i want a loaner", None),
    ("drop the loaner", "no_loaner"),
])
def test_a_change_of_ride_read_from_the_text(text, ride):
    assert wanted_ride(text) == ride


def vikrams_visit(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    (visit,) = appointments.upcoming(session, owner.id, MONDAY_10AM)
    return owner, visit


def test_a_loaner_instead_of_the_shuttle_is_reserved_for_the_visit(session):
    owner, visit = vikrams_visit(session)
    assert visit.transport == "shuttle" and appointments.loaner_of(session, visit) is None
    planned = plan(session, visit, "loaner")
    assert planned.loaner is not None and not planned.no_loaner_free
    assert appointments.loaner_of(session, visit) is None  # offering changes nothing
    done = change(session, owner.id, visit.code, "loaner")
    assert done.loaner is not None and visit.transport == "loaner"
    assert appointments.loaner_of(session, visit).loaner.id == done.loaner.id
    starts = visit.starts_at
    released = change(session, owner.id, visit.code, "no_loaner")
    assert appointments.loaner_of(session, visit) is None and released.loaner is None
    assert visit.transport == "wait" and visit.starts_at == starts and visit.status == "scheduled"


def test_a_smaller_loaner_named_is_the_one_reserved_and_replaces_one_held(session):
    owner, visit = vikrams_visit(session)
    offered = change(session, owner.id, visit.code, "loaner")
    assert offered.loaner.model_line == "LS"  # his LX's own line up, at first
    smaller = change(session, owner.id, visit.code, "loaner", "ES")
    assert smaller.loaner.model_line == "ES" and visit.transport == "loaner"
    assert appointments.loaner_of(session, visit).loaner.model_line == "ES"  # one held
    # a line none of which is free keeps the one held
    kept = change(session, owner.id, visit.code, "loaner", "UX")
    assert kept.loaner.model_line == "ES"


def test_work_for_tomorrows_visit_names_that_visit(session):
    from bot.dealership.joining import visit_named

    owner, visit = vikrams_visit(session)
    found = visit_named(session, owner.id, "add a tire rotation to tomorrow's visit",
                        MONDAY_10AM)
    assert found is not None and found.appointment_id == visit.id
    assert found.vehicle_id == visit.vehicle_id
    assert visit_named(session, owner.id, "book a tire rotation friday", MONDAY_10AM) is None
