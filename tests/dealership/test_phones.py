import pytest

from bot.dealership.phones import InvalidPhoneNumber, display, to_e164


@pytest.mark.parametrize("raw", [
    "+15125550142", "5125550142", "(512) 555-0142", "512.555.0142", "+1 512-555-0142",
    "1-512-555-0142", " 512 555 0142 ",
])
def test_common_notations_become_e164(raw):
    assert to_e164(raw) == "+15125550142"


@pytest.mark.parametrize("raw", ["", "hello", "555-0142", "+1 512 555", "12345678901234567",
                                 "a3f9c2e1-web-session"])
def test_what_is_not_a_number_is_refused(raw):
    with pytest.raises(InvalidPhoneNumber):
        to_e164(raw)


def test_numbers_are_shown_the_local_way():
    assert display("+15125550101") == "(512) 555-0101"
    assert display("+447911123456").startswith("+44 ")
