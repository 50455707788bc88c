"""Which car a booking is for, the use case, on the demo dealership: one of the owner's cars by
what they said, or a guest's model (with its year when said)."""

from __future__ import annotations

from bot.dealership.booking import CarFound, CarNotFound, WhichCar, which_car
from bot.dealership.owners import find_owner_by_mobile

MARCUS = "+15125550199"  # a 2024 ES 350 and a 2019 GX 460


def test_the_owners_car_named(session):
    owner = find_owner_by_mobile(session, MARCUS)
    found = which_car(session, WhichCar(owner.id, ["350", "my es 350 please"]))
    es = next(v for v in owner.vehicles if v.model == "ES 350")
    assert found == CarFound("2024 ES 350", es.id)


def test_a_car_not_theirs_or_both_of_them(session):
    owner = find_owner_by_mobile(session, MARCUS)
    assert which_car(session, WhichCar(owner.id, ["the rx"])) == CarNotFound(
        ["2024 ES 350", "2019 GX 460"])
    both = which_car(session, WhichCar(owner.id, ["2024 es or 2019 gx"]))
    assert isinstance(both, CarNotFound) and both.several


def test_a_guests_model_and_year(session):
    assert which_car(session, WhichCar(None, ["350", "a 2019 rx 350"])) == CarFound(
        "2019 RX 350", None)
    assert which_car(session, WhichCar(None, ["my nx"])) == CarFound("NX", None)
    assert which_car(session, WhichCar(None, ["a truck"])) == CarNotFound([])
