"""Replies are written for SMS; in the web chat their web addresses become Markdown links."""

import pytest

from bot.channels.webchat import with_links

MAPS = "https://maps.google.com/?q=2400+Lakeshore+Blvd+Austin+TX+78741"


@pytest.mark.parametrize("text, shown", [
    (f"Directions: {MAPS}", f"Directions: [{MAPS}]({MAPS})"),
    ("See https://lakeshorelexus.example/service.",
     "See [https://lakeshorelexus.example/service](https://lakeshorelexus.example/service)."),
    ("already [our site](https://a.example)", "already [our site](https://a.example)"),
    ("Call 512-555-0101 at 9:30.", "Call 512-555-0101 at 9:30."),
])
def test_web_addresses_become_links(text, shown):
    assert with_links(text) == shown
