"""Text as it enters from a channel, made safe to store, send on and show.

A JSON string may carry a lone UTF-16 surrogate ("\\ud800"): Python keeps it in a `str`, but it
cannot be encoded as UTF-8, so every later call that writes the conversation out (to the action
server, to the staff console) would fail. Control characters have no place in a message either.
"""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL included, except tab (\x09) and newline (\x0a).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Lone surrogates become U+FFFD, a surrogate pair becomes its character (so emoji survive),
    a carriage return a newline, and other control characters other than tab are dropped."""
    # UTF-16 round trip: pairs join into one code point, a lone half is replaced.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
