"""Open recalls, the use case, on the demo dealership: on the owner's cars (or the one named),
on a VIN sent, and the one car whose fix to offer; the car is named only to its owner."""

from __future__ import annotations

from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.recalls import RecallRequest, find_recalls
from tests.demo import OLIVIA

MARCUS = "+15125550199"  # an ES 350, and a GX 460 with an open safety recall
GX_VIN = "JTJBM7FX5K5000199"


def test_the_owners_cars_and_the_one_to_fix(session):
    owner = find_owner_by_mobile(session, MARCUS)
    found = find_recalls(session, RecallRequest(owner.id))
    by_car = {car.car: car for car in found.cars}
    assert set(by_car) == {"2024 ES 350", "2019 GX 460"}
    assert by_car["2024 ES 350"].recalls == []
    gx = by_car["2019 GX 460"]
    assert [r.campaign for r in gx.recalls] == ["24TA05"] and gx.safety
    assert found.fix_car == next(v.id for v in owner.vehicles if v.vin == GX_VIN)


def test_the_car_named_only(session):
    owner = find_owner_by_mobile(session, MARCUS)
    found = find_recalls(session, RecallRequest(owner.id, cars_named=["es"]))
    assert [car.car for car in found.cars] == ["2024 ES 350"] and found.fix_car is None


def test_a_vin_sent_by_someone_else_names_no_car_and_books_nothing(session):
    found = find_recalls(session, RecallRequest(None, GX_VIN))
    assert [(car.car, car.vin, len(car.recalls)) for car in found.cars] == [(None, GX_VIN, 1)]
    assert found.fix_car is None


def test_a_vin_sent_by_its_owner_is_their_car(session):
    owner = find_owner_by_mobile(session, MARCUS)
    found = find_recalls(session, RecallRequest(owner.id, GX_VIN))
    assert found.cars[0].car == "2019 GX 460" and found.fix_car is not None


def test_a_recall_done_already_is_found_by_a_word_of_its_title(session):
    from bot.dealership.recalls import done_named
    olivia = find_owner_by_mobile(session, OLIVIA)
    found = find_recalls(session, RecallRequest(olivia.id))
    assert [r.campaign for _, r in done_named(found, "what about the wiper one i got a letter "
                                                    "about")] == ["23TC09"]
    assert done_named(found, "what about the one i got a letter about") == []


def test_an_open_recall_named_by_what_it_fixes(session):
    from bot.dealership.recalls import open_named
    from tests.demo import PRIYA

    priya = find_owner_by_mobile(session, PRIYA).id
    marcus = find_owner_by_mobile(session, MARCUS).id
    assert open_named(session, priya, "can u also do that charging timer update thing")
    assert open_named(session, marcus, "fix the seat latch while its in")
    assert not open_named(session, priya, "can u also do an oil change")
    assert not open_named(session, marcus, "charging timer update")  # not his car's recall


def test_a_car_a_guest_named_without_a_vin_has_no_recalls_and_breaks_nothing(session):
    from bot.dealership.models import Owner, Vehicle
    from bot.dealership.recalls import open_named

    owner = Owner(name="Sam Guest", mobile="+15125559876")
    session.add(owner)
    session.add(Vehicle(owner=owner, make="Lexus", model="IS"))
    session.flush()
    assert not open_named(session, owner.id, "book a tire rotation wed at 2, ill wait")
    assert find_recalls(session, RecallRequest(owner.id)).fix_car is None


def test_trouble_told_of_a_part_an_open_recall_fixes(session):
    from bot.dealership.recalls import told_of

    gx = "JTJBM7FX5K5000199"  # Marcus's GX, its second-row seat latch recall open
    assert told_of(session, gx, "the back seat in my gx slid forward when i braked").campaign \
        == "24TA05"
    assert told_of(session, gx, "it stalled for a second at the light") is None
    assert told_of(session, gx, "squeaky brakes on the gx") is None
    assert told_of(session, None, "the seat slid") is None
