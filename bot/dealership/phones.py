"""Phone numbers, always through `phonenumbers`: stored and compared in E.164."""

from __future__ import annotations

import functools

import phonenumbers

from bot.settings import load_settings


class InvalidPhoneNumber(ValueError):
    """Not a phone number a text message could be sent to."""


def to_e164(raw: str, region: str | None = None) -> str:
    """'(512) 555-0142', '512.555.0142' or '+1 512 555 0142' -> '+15125550142'."""
    return _to_e164(str(raw), region or load_settings().default_region)


# Every text's sender is parsed, and owners text from the same few numbers: parsing one is
# about 3% of the Rasa server's time under load.
@functools.lru_cache(maxsize=4096)
def _to_e164(raw: str, region: str) -> str:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(f"{raw!r} is not a phone number") from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """How a number is written in a message: '(512) 555-0142' at home, international abroad."""
    number = phonenumbers.parse(e164)
    home = phonenumbers.region_code_for_number(number) == load_settings().default_region
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if home
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)
