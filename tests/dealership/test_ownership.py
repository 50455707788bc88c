"""Answers about an owner's own car, on their boundaries (the demo: Dana's 2021 RX 350 went
into service 2021-03-15, at 38,200 mi, last maintained 2026-06-10 at 35,000 mi)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dealership import ownership
from bot.dealership.owners import find_owner_by_mobile

TODAY = date(2026, 11, 23)


@pytest.fixture
def rx(session):
    return find_owner_by_mobile(session, "+15125550142").vehicles[0]


def status(session, car, today=TODAY) -> dict[str, tuple]:
    return {c.name: (c.active, c.ended_by, c.ends_on, c.ends_at_miles)
            for c in ownership.coverages(session, car, today)}


def test_basic_ended_by_date_while_powertrain_runs_to_its_date_or_miles(session, rx):
    assert status(session, rx) == {
        "Basic": (False, "date", date(2025, 3, 15), 50000),
        "Powertrain": (True, None, date(2027, 3, 15), 70000),
    }  # not a hybrid: no hybrid battery coverage


@pytest.mark.parametrize("today, mileage, basic", [
    (date(2025, 3, 14), 49999, (True, None)),      # the last covered day, one mile short
    (date(2025, 3, 15), 10000, (False, "date")),   # the day it ends
    (date(2024, 1, 1), 50000, (False, "miles")),   # exactly 50,000 mi
    (date(2024, 1, 1), 49999, (True, None)),
])
def test_basic_coverage_on_its_boundaries(session, rx, today, mileage, basic):
    rx.mileage = mileage
    assert status(session, rx, today)["Basic"][:2] == basic


def test_hybrids_have_the_battery_coverage(session):
    nx = find_owner_by_mobile(session, "+17375550110").vehicles[0]
    assert nx.model == "NX 450h+" and ownership.is_hybrid(nx)
    assert status(session, nx)["Hybrid battery"] == (True, None, date(2033, 5, 10), 150000)


def test_a_car_without_an_in_service_date_has_no_stated_coverage(session, rx):
    rx.in_service_date = None
    assert ownership.coverages(session, rx, TODAY) == []


@pytest.mark.parametrize("today, mileage, overdue", [
    (date(2026, 12, 9), 39999, False),   # the day before it is due, 1 mile short
    (date(2026, 12, 10), 38200, True),   # six months to the day
    (date(2026, 11, 23), 40000, True),   # 5,000 mi to the mile
])
def test_maintenance_due_on_its_boundaries(session, rx, today, mileage, overdue):
    rx.mileage = mileage
    due = ownership.maintenance_due(session, rx, today)
    assert (due.due_on, due.due_at_miles, due.overdue) == (date(2026, 12, 10), 40000, overdue)


def test_without_a_recorded_visit_the_next_milestone_is_due(session, rx):
    rx.last_service_date = rx.last_service_mileage = None
    due = ownership.maintenance_due(session, rx, TODAY)
    assert (due.due_on, due.due_at_miles, due.overdue) == (date(2027, 3, 15), 40000, False)


def test_lease_end_only_for_leased_cars(session, rx):
    marcus = find_owner_by_mobile(session, "+15125550199")
    es = next(car for car in marcus.vehicles if car.model == "ES 350")
    assert ownership.lease_end(es, TODAY) == ownership.LeaseEnd(date(2027, 2, 28), 97)
    assert ownership.lease_end(rx, TODAY) is None


def test_open_recalls_by_vin_safety_first(session):
    [recall] = ownership.open_recalls(session, "jtjbm7fx5k5000199")
    assert recall.campaign == "24TA05" and recall.safety_risk
    assert ownership.open_recalls(session, "JTHBZ1D2XH5000181") == []  # remedied


def test_a_new_cars_maintenance_is_complimentary_for_its_first_months_or_miles(session, rx):
    tx = find_owner_by_mobile(session, "+15125550153").vehicles[0]  # in service June 2026
    due = ownership.maintenance_due(session, tx, TODAY)
    assert due.complimentary and not due.overdue
    assert ownership.complimentary_on(session, tx, tx.in_service_date.replace(year=2027))
    assert not ownership.complimentary_on(session, tx, date(2027, 7, 1))  # past 12 months
    assert not ownership.complimentary_on(session, tx, TODAY, at_miles=10001)  # past the miles
    assert not ownership.maintenance_due(session, rx, TODAY).complimentary  # a 2021 car


def test_complimentary_maintenance_is_not_priced_in_a_visits_estimate(session, rx):
    from datetime import datetime

    from bot.dealership.booking import estimate_together, priced_work
    from tests.demo import AUSTIN

    tx = find_owner_by_mobile(session, "+15125550153").vehicles[0]
    friday = datetime(2026, 11, 27, 9, tzinfo=AUSTIN)
    work = ["scheduled_maintenance", "detailing"]
    assert priced_work(session, tx.id, work, friday) == ["detailing"]
    assert estimate_together(session, [priced_work(session, tx.id, ["scheduled_maintenance"],
                                                   friday)]) is None  # no charge
    assert priced_work(session, rx.id, work, friday) == work
