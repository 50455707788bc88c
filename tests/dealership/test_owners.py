import pytest

from bot.dealership.owners import find_owner_by_mobile, register_guest
from bot.dealership.services import estimate, resolve
from bot.dealership.vehicles import guest_model, match, named_in

LINES = ["UX", "IS", "ES", "NX", "RZ", "RX", "TX", "GX", "LC", "LX", "LS"]


def test_a_guest_booking_creates_the_owner_and_car_once(session):
    owner, car = register_guest(session, name="sam  ortiz", mobile="(737) 555-0177",
                                model="NX 350", make="Lexus")
    again, same = register_guest(session, name="Sam Ortiz", mobile="+17375550177",
                                 model="nx 350", make="Lexus")
    session.commit()
    assert (owner.id, car.id) == (again.id, same.id)
    assert find_owner_by_mobile(session, "737-555-0177").name == "Sam Ortiz"
    assert car.vin is None and car.label == "NX 350"


def test_which_car_an_owner_means(session):
    marcus = find_owner_by_mobile(session, "+15125550199")
    es, gx = sorted(marcus.vehicles, key=lambda v: v.model)
    assert match(marcus.vehicles, "the GX") == [gx]
    assert match(marcus.vehicles, "my es350") == [es]
    assert match(marcus.vehicles, "the 2019 one") == [gx]
    assert match(marcus.vehicles, "the rx") == []


@pytest.mark.parametrize(("text", "named"), [
    ("check engine light came on yesterday on my lx, still driving it fine", "lx"),
    ("the 2021 rx 350 is making a grinding noise", "2021 rx 350"),
    ("my wife's nx450h+ wont start", "nx450h+"),
    ("My GX is leaking oil", "gx"),
    ("my car is making a noise", None),
    ("is it safe to drive", None),
    ("the brakes squeak", None),
    # by its year and line, pointed at or not; a year beside a word is no car
    ("need my brakes checked saturday, 2021 NX 300h, didnt buy it from u", "2021 nx 300h"),
    ("its a 2019 is 350", "2019 is 350"),
    ("dec 3 2026 is fine", None),
    ("book me 2026 at 9", None),
])
def test_a_car_pointed_at_in_a_whole_message(text, named):
    assert named_in(text) == named


def test_a_guest_names_a_model():
    assert guest_model("its an rx350", LINES) == "RX 350"
    assert guest_model("my nx", LINES) == "NX"
    assert guest_model("a honda civic", LINES) is None
    assert guest_model("wednesday at 2pm", LINES) is None  # not the "es" inside a word
    assert guest_model("its a 2020 rx 350", LINES) == "RX 350"


def test_services_by_code_or_by_words(session):
    found, unknown = resolve(session, ["oil_change", "tire rotation", "flux capacitor"])
    assert [s.code for s in found] == ["oil_change", "tire_rotation"]
    assert unknown == ["flux capacitor"]
    assert estimate(found).startswith("$")
    inspection, _ = resolve(session, ["multi_point_inspection"])
    assert estimate(inspection) is None  # no charge


def test_a_web_guest_record_is_nobodys_identity(session):
    from datetime import datetime, timezone

    from bot.dealership import web_sessions
    from bot.dealership.owners import register_web_guest

    now = datetime(2026, 11, 23, 16, tzinfo=timezone.utc)
    chat = web_sessions.resume_or_start(session, None, now).conversation_id
    guest, car = register_web_guest(session, conversation_id=chat, name="mallory stone",
                                    gave="(512) 555-0142", model="RX 350", make="Lexus",
                                    year=2019)
    again, same = register_web_guest(session, conversation_id=chat, name="Mallory Stone",
                                     gave="512-555-0142", model="rx 350", make="Lexus")
    session.commit()
    assert (guest.id, car.id) == (again.id, same.id) and car.label == "2019 RX 350"
    assert (guest.mobile, guest.unverified_mobile, guest.source) == (None, "+15125550142", "web")
    dana = find_owner_by_mobile(session, "+15125550142")
    assert dana.name == "Dana Whitfield" and car not in dana.vehicles
    other = web_sessions.resume_or_start(session, None, now).conversation_id
    assert register_web_guest(session, conversation_id=other, name="Sam", gave="5125550142",
                              model="ES", make="Lexus")[0].id != guest.id
