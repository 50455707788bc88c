"""Ownership questions, the use case, on the demo dealership on Monday 2026-11-23 10:00: typed
facts for the topic (the owner's own cars, the menu's prices, the dealership's answer), and the
visit an answer leads to; no words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.ownership_questions import (
    General,
    Hours,
    Leases,
    Maintenance,
    Price,
    Prices,
    Question,
    Quoted,
    Roadside,
    Warranty,
    answer,
    loaner_terms_asked,
)

NOW = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("America/Chicago"))
DANA = "+15125550142"  # a 2021 RX 350, maintained 2026-06-10 at 35,000 mi
MARCUS = "+15125550199"  # a leased 2024 ES 350 and an owned 2019 GX 460


def test_a_general_topic_is_the_dealerships_answer(session):
    found = answer(session, Question("hours", None), NOW)
    assert isinstance(found, General) and found.answer and found.service_phone


@pytest.mark.parametrize("topic", ["pricing", "payment", None])
def test_a_fee_to_cancel_or_move_is_the_dealerships_answer_not_the_menu(session, topic):
    found = answer(session, Question(topic, None, text="is there a fee if i do?"), NOW)
    assert isinstance(found, General) and "no fee to cancel" in (found.answer or "")
    priced = answer(session, Question("pricing", None, text="how much is an oil change"), NOW)
    assert not isinstance(priced, General)


def test_a_topic_without_an_answer_goes_to_an_advisor(session):
    found = answer(session, Question(None, None), NOW)
    assert isinstance(found, General) and found.answer is None


def test_a_car_topic_for_a_guest_is_the_general_answer(session):
    assert isinstance(answer(session, Question("warranty", None), NOW), General)


def test_warranty_of_the_car_named(session):
    owner = find_owner_by_mobile(session, MARCUS)
    found = answer(session, Question("warranty", owner.id, cars_named=["gx"]), NOW)
    assert isinstance(found, Warranty) and [c.car for c in found.cars] == ["2019 GX 460"]
    assert found.cars[0].mileage == 81000 and not any(c.active for c in found.cars[0].coverages)


def test_maintenance_offers_a_visit_only_for_the_one_car_due(session):
    owner = find_owner_by_mobile(session, DANA)
    found = answer(session, Question("maintenance_schedule", owner.id), NOW)
    assert isinstance(found, Maintenance) and found.offer_car is None
    assert found.cars[0].due.due_on == date(2026, 12, 10)
    owner.vehicles[0].mileage = 40000
    found = answer(session, Question("maintenance_schedule", owner.id), NOW)
    assert isinstance(found, Maintenance) and found.offer_car == owner.vehicles[0].id


def test_lease_end_of_the_leased_cars_and_the_dealerships_answer(session):
    owner = find_owner_by_mobile(session, MARCUS)
    found = answer(session, Question("lease_end", owner.id), NOW)
    assert isinstance(found, Leases) and [c.car for c in found.cars] == ["2024 ES 350"]
    assert found.cars[0].lease.ends_on == date(2027, 2, 28) and found.general.answer
    dana = find_owner_by_mobile(session, DANA)
    none = answer(session, Question("lease_end", dana.id), NOW)
    assert isinstance(none, Leases) and none.cars == []


def test_prices_of_the_work_named_and_the_one_to_offer(session):
    found = answer(session, Question("pricing", None, services=["oil_change"]), NOW)
    assert isinstance(found, Prices) and found.offer == "oil_change"
    assert found.items[0].estimate == "$89-129" and found.items[0].most_if_work is None
    two = answer(session, Question("pricing", None, services=["oil_change", "battery"]), NOW)
    assert isinstance(two, Prices) and two.offer is None
    assert two.items[1].most_if_work == 389
    # the extractor named the alignment only: the words name the oil change too
    both = answer(session, Question("pricing", None, services=["alignment"], text=(
        "how much is an oil change and how much for an alignment")), NOW)
    assert isinstance(both, Prices) and [i.estimate for i in both.items] == ["$89-129",
                                                                             "$169-249"]
    # in the order asked, whatever the menu's order
    asked = answer(session, Question("pricing", None, services=["brake_inspection"], text=(
        "how much for an alignment and a brake inspection on the gx")), NOW)
    assert isinstance(asked, Prices) and [i.estimate for i in asked.items] == ["$169-249",
                                                                              "$49-79"]


def test_work_off_the_menu_is_quoted_by_an_advisor(session):
    found = answer(session, Question("pricing", None, services=["labor"]), NOW)
    assert isinstance(found, Quoted) and found.service_phone
    assert Price("Multi-point inspection", found.menu[3].description, None, None,
                 "multi_point_inspection") in found.menu


def test_roadside_on_each_car_is_the_coverage_it_comes_with(session):
    dana = find_owner_by_mobile(session, DANA)
    found = answer(session, Question("roadside_assistance", dana.id), NOW)
    assert isinstance(found, Roadside) and found.general.answer
    ((car, coverage),) = found.cars
    assert car == "2021 RX 350" and coverage.name == "Basic" and not coverage.active
    # a guest: the dealership's answer alone
    assert isinstance(answer(session, Question("roadside_assistance", None), NOW), General)


def test_who_may_drive_a_loaner_is_the_policys_answer_not_the_fleet(session):
    for text in ("do yall give loaners? my son is 19 and hed be the one driving it",
                 "what loaners do you have and what do i need to bring"):
        found = answer(session, Question("loaner_fleet", None, text=text), NOW)
        assert isinstance(found, General) and "21" in (found.answer or "")


def test_which_loaners_there_are_is_the_fleet(session):
    for text in ("what loaners do u have", "if i bring the ls in wed what loaner do i get"):
        found = answer(session, Question("loaner_fleet", None, text=text), NOW)
        assert not isinstance(found, General)


def test_the_hours_asked_for_a_holiday_say_it_is_closed_that_day(session):
    found = answer(session, Question("hours", None, text="are yall open thurs or fri this week"),
                   NOW)
    assert isinstance(found, Hours) and found.closed == [(date(2026, 11, 26),
                                                          "Thanksgiving Day")]
    # (and Friday's hours, the other day asked)
    assert [day for day, _, _ in found.open_on] == [date(2026, 11, 27)]
    friday = answer(session, Question("hours", None, text="open fri?"), NOW)
    assert isinstance(friday, Hours) and friday.closed == [] and \
        friday.open_on == [(date(2026, 11, 27), time(7), time(19))]
    both = answer(session, Question("hours", None, text=(
        "r u open sat? and what time do u close today")), NOW)
    assert isinstance(both, Hours) and [day for day, _, _ in both.open_on] == [
        date(2026, 11, 23), date(2026, 11, 28)]  # each day asked, in order
    sunday = answer(session, Question("hours", None, text="r u guys open sundays?"), NOW)
    assert isinstance(sunday, Hours) and sunday.closed_weekly == [date(2026, 11, 29)]
    assert isinstance(answer(session, Question("hours", None, text="what are your hours"), NOW),
                      General)
    named = answer(session, Question("hours", None, text=(
        "Will your service department be open on Thanksgiving?")), NOW)
    assert isinstance(named, Hours) and named.closed == [(date(2026, 11, 26),
                                                          "Thanksgiving Day")]


def test_the_service_departments_number_is_a_topic_of_its_own(session):
    found = answer(session, Question("contact", None), NOW)
    assert isinstance(found, General) and "512-555-0101" in (found.answer or "")


@pytest.mark.parametrize(("text", "asked"), [
    ("what do i need to get a loaner", True),
    ("if i get a loaner can i take it to san antonio this weekend?", True),
    ("do i have to fill up the gas before i bring the loaner back", True),
    ("if we use one of your loaners would my wife be able to drive it", True),
    ("do loaners come with any rules", True),
    ("can i get a loaner friday", False),
    ("i need a loaner while its in the shop", False),
])
def test_what_a_loaner_asks_of_its_driver_is_asked_not_a_loaner(text, asked):
    assert loaner_terms_asked(text) == asked


def test_fuel_said_beside_another_question_is_not_a_rule_asked():
    assert not loaner_terms_asked("is the loaner a hybrid like mine? dont wanna have to fill "
                                  "it up lol")


def test_what_a_maintenance_visit_includes_is_the_dealerships_answer_not_when_its_due(session):
    owner = find_owner_by_mobile(session, DANA)
    found = answer(session, Question("maintenance_schedule", owner.id,
                                     text="ok whats included in that one"), NOW)
    assert isinstance(found, General) and "rotation" in (found.answer or "")
    due = answer(session, Question("maintenance_schedule", owner.id,
                                   text="when is my rx due for service"), NOW)
    assert isinstance(due, Maintenance)


def test_the_biggest_loaner_asked_is_the_fleet_not_the_rules(session):
    owner = find_owner_by_mobile(session, DANA)
    found = answer(session, Question("loaner_policy", owner.id,
                                     text="whats the biggest loaner u guys have?"), NOW)
    assert not isinstance(found, General)
    rules = answer(session, Question("loaner_policy", owner.id, text="what are the loaner rules"),
                   NOW)
    assert isinstance(rules, General)


def test_maintenance_priced_for_a_car_in_its_free_first_year_is_no_charge(session):
    from tests.demo import NATHAN

    nathan = find_owner_by_mobile(session, NATHAN)  # a 2026 TX, new this year
    asked = Question("pricing", nathan.id, ["scheduled_maintenance"], text="how much will it be")
    [item] = answer(session, asked, NOW).items
    assert item.estimate is None and item.most_if_work is None
    # an older car pays the menu's price
    dana = find_owner_by_mobile(session, DANA)
    [item] = answer(session, replace(asked, owner_id=dana.id), NOW).items
    assert item.estimate and item.estimate.startswith("$")
