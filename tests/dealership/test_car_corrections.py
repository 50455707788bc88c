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
