"""Work added to a visit already booked (the demo: Priya's tire rotation tomorrow at 9)."""

from __future__ import annotations

from datetime import timedelta

from bot.dealership import appointments
from bot.dealership.joining import (
    Joined,
    PastClosing,
    add_services,
    told_of_spans,
    visit_ahead,
    visit_named,
    visit_to_join,
    without_told_of,
)
from bot.dealership.owners import find_owner_by_mobile
from tests.demo import DANA, MONDAY_10AM, PRIYA, VIKRAM


def test_the_cars_next_visit_is_found_and_only_for_that_car(session):
    priya = find_owner_by_mobile(session, PRIYA)
    ahead = visit_ahead(session, priya.id, priya.vehicles[0].id, MONDAY_10AM)
    assert ahead is not None and ahead.service_codes == ["tire_rotation"]
    assert ahead.starts_at.astimezone(MONDAY_10AM.tzinfo).hour == 9
    dana = find_owner_by_mobile(session, DANA)
    assert visit_ahead(session, dana.id, dana.vehicles[0].id, MONDAY_10AM) is None


def test_a_booking_asked_for_another_day_joins_no_visit(session):
    priya = find_owner_by_mobile(session, PRIYA)
    car = priya.vehicles[0].id  # in tomorrow at 9
    assert visit_to_join(session, priya.id, car, "friday morning", MONDAY_10AM) is None
    assert visit_to_join(session, priya.id, car, "tmrw afternoon", MONDAY_10AM) is not None
    assert visit_to_join(session, priya.id, car, "this week", MONDAY_10AM) is not None
    assert visit_to_join(session, priya.id, car, "asap", MONDAY_10AM) is not None
    friday = MONDAY_10AM + timedelta(days=4)
    assert visit_to_join(session, priya.id, car, friday, MONDAY_10AM) is None
    # "8:30" to times offered on friday: friday's
    assert visit_to_join(session, priya.id, car, "8:30", MONDAY_10AM, [friday]) is None
    assert visit_to_join(session, priya.id, car, "8:30", MONDAY_10AM,
                         [MONDAY_10AM + timedelta(days=1)]) is not None


def test_added_work_joins_the_visit_with_its_time_and_estimate_summed(session):
    priya = find_owner_by_mobile(session, PRIYA)
    ahead = visit_ahead(session, priya.id, priya.vehicles[0].id, MONDAY_10AM)
    joined = add_services(session, priya.id, ahead.appointment_id,
                          ["oil_change", "tire_rotation"])
    assert isinstance(joined, Joined)
    assert joined.added == ["Synthetic oil change"]  # the rotation was there already
    assert set(joined.services) == {"Synthetic oil change", "Tire rotation"}
    assert joined.estimate == "$128-188"
    assert joined.minutes == 75  # rotation 30 and oil change 45: the whole visit's length
    again = visit_ahead(session, priya.id, priya.vehicles[0].id, MONDAY_10AM)
    assert sorted(again.service_codes) == ["oil_change", "tire_rotation"]


def test_work_that_would_run_past_closing_is_not_added(session):
    priya = find_owner_by_mobile(session, PRIYA)
    ahead = visit_ahead(session, priya.id, priya.vehicles[0].id, MONDAY_10AM)
    visit = appointments.owned(session, priya.id, ahead.appointment_id)
    visit.starts_at = visit.starts_at + timedelta(hours=9)  # 6 pm, an hour before closing
    visit.ends_at = visit.starts_at + timedelta(minutes=30)
    found = add_services(session, priya.id, ahead.appointment_id, ["scheduled_maintenance"])
    assert isinstance(found, PastClosing)
    assert [s.code for s in visit.services] == ["tire_rotation"]


def test_work_asked_for_while_the_car_is_in_names_that_visit(session):
    vikram = find_owner_by_mobile(session, VIKRAM)  # his LX is in tomorrow at 1:30
    ahead = visit_named(session, vikram.id, "can u guys also detail the lx tmrw while its "
                        "there? how much is that", MONDAY_10AM)
    assert ahead is not None and "LX" in ahead.car
    assert visit_named(session, vikram.id, "how much is a detail", MONDAY_10AM) is None


def test_work_added_to_it_names_the_one_visit_booked(session):
    vikram = find_owner_by_mobile(session, VIKRAM)
    ahead = visit_named(session, vikram.id, "ok can u add a brake inspection to it, they "
                        "squeak a little", MONDAY_10AM)
    assert ahead is not None and "LX" in ahead.car


def test_a_visit_told_of_is_found_in_the_words_and_not_a_car_had():
    text = "oil change on wed? i know i have the rotation tmrw but cant stay for both"
    assert [text[a:b] for a, b in told_of_spans(text)] == [
        "i have the rotation tmrw but cant stay for both"]
    assert told_of_spans("can i get an oil change? i have a 2019 rx, need a rotation too") == []
    assert "rotation" not in without_told_of(text) and "oil change" in without_told_of(text)
