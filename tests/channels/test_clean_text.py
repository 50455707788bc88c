"""Text as the channels take it in: what cannot be encoded or shown is cleaned, nothing else."""

import pytest
from sanic.request import RequestParameters

from bot.channels.clean_text import clean_text
from bot.channels.sms import read_text


@pytest.mark.parametrize("text, cleaned", [
    ("oil change \ud800 please", "oil change \ufffd please"),  # a lone high half
    ("\udc00tomorrow", "\ufffdtomorrow"),  # a lone low half
    ("see you \ud83d\ude97 soon", "see you \U0001F697 soon"),  # a pair, not joined yet
    ("family \U0001F469\u200d\U0001F469\u200d\U0001F467 \u00e9t\u00e9 \u4f60\u597d",
     "family \U0001F469\u200d\U0001F469\u200d\U0001F467 \u00e9t\u00e9 \u4f60\u597d"),
    ("line one\r\nline two\rthree\tand a tab", "line one\nline two\nthree\tand a tab"),
    ("bell\x07 null\x00 escape\x1b[31m del\x7f c1\x85", "bell null escape[31m del c1"),
    ("", ""),
])
def test_clean_text(text, cleaned):
    assert clean_text(text) == cleaned
    clean_text(text).encode("utf-8")


def test_an_sms_body_is_cleaned_as_it_is_read():
    form = RequestParameters({"MessageSid": ["SM1"], "From": ["+15125550142"],
                              "Body": ["\x00brakes \x1bsquealing\r\nsince monday \U0001F697"]})
    text = read_text(form)
    assert text is not None and text.body == "brakes squealing\nsince monday \U0001F697"
