import pytest

from bot.dealership.vehicles import corrected, named_in


@pytest.mark.parametrize("text, car_said", [
    ("the ES. no wait sorry its the GX, my wife has the ES", "its the GX"),
    ("actually make it the es not the gx. 8am and ill wait", "make it the es"),
    ("actually not the gx, the es", "the es"),
    ("actually the es instead of the gx", "the es"),
    ("actually do the gx instead, the es can wait", "do the gx instead"),
    ("stop, wait, i meant the es not the gx", "the es"),
    ("oops wrong car, its the es", "its the es"),
])
def test_the_car_a_correction_names_leaves_out_the_one_refused(text: str, car_said: str) -> None:
    assert corrected(text) == car_said


def test_no_correction_no_car() -> None:
    assert corrected("oil change on the es friday") is None


@pytest.mark.parametrize("text, car", [
    ("its an rx 350", "rx 350"), ("a 2019 es 300h", "2019 es 300h"),
    ("came on in the old es", "es"),
    ("give it a go", None), ("an oil change", None), ("i need a ride", None),
])
def test_the_car_a_text_points_at(text: str, car: str | None) -> None:
    assert named_in(text) == car


def _cars(*cars: tuple[int, str]) -> list:
    from bot.dealership.models import Vehicle

    return [Vehicle(year=year, model=model) for year, model in cars]


@pytest.mark.parametrize("text, model", [
    ("the old one lol", "ES 350"), ("my older car", "ES 350"), ("the newer one", "GX 550"),
    ("the gx", "GX 550"), ("the one with the rattle", None),
])
def test_a_car_pointed_at_by_its_age(text: str, model: str | None) -> None:
    from bot.dealership.vehicles import match

    found = match(_cars((2025, "GX 550"), (2016, "ES 350")), text)
    assert [v.model for v in found] == ([model] if model else [])


def test_two_cars_of_one_year_are_not_told_apart_by_age() -> None:
    from bot.dealership.vehicles import match

    assert match(_cars((2022, "LX 600"), (2022, "ES 350")), "the newer one") == []


def test_the_other_car_is_the_one_not_just_talked_about() -> None:
    from bot.dealership.vehicles import other_than

    cars = _cars((2022, "LX 600"), (2024, "ES 350"))
    said = "You're booked for maintenance for your 2022 LX 600 tomorrow at 1:30 PM."
    assert [v.model for v in other_than(cars, "a rotation on the other car too", said)] == \
        ["ES 350"]
    assert other_than(cars, "a rotation on the other car too", "Hi Vikram!") == []
    assert other_than(cars, "a rotation on the lx", said) == []
