"""The carrier keywords every US text line must honour (CTIA, as Twilio's Advanced Opt-Out does
them), and the dealership's answers to them (its responses in `domain/channels.yml`).

A keyword is the whole message, trimmed of spaces and a full stop or "!", in any case: "STOP",
"Stop." or "opt out" opts out, "cancel my
appointment" is an ordinary message. START, YES and UNSTOP opt back in only a number that opted
out: "yes" is otherwise an answer to the assistant.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.dealership.phones import display
from bot.dealership.profile import get_dealership
from bot.wording import say

# CTIA's words, and the FCC's revocation words (2025): REVOKE and OPT OUT, however it is spelled.
OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
                     "OPT OUT", "OPTOUT", "OPT-OUT"})
OPT_IN = frozenset({"START", "YES", "UNSTOP"})
HELP = frozenset({"HELP", "INFO"})
# Twilio's OptOutType parameter, sent when its own opt-out handling saw a keyword.
TWILIO_OPT_OUT_TYPES = {"STOP": "opt_out", "START": "opt_in", "HELP": "help"}


# Asking in words to be texted again, which a number that opted out may do beside START: "hmm
# actually opt me back in", "you can text me again". Read only from a number that opted out.
OPT_IN_SAID = re.compile(r"\b(opt (me )?(back )?in|re-?subscribe|start (texting|sending) me "
                         r"again|(you can|pls|please) text me again|unstop)\b", re.I)


def keyword(body: str) -> str | None:
    """"opt_out", "opt_in" or "help" when the whole message is such a keyword, or ("opt_in")
    a plain ask to be texted again; else None."""
    # "opt  out" is OPT OUT; "Stop." and "STOP!" are STOP (a phone may add the full stop)
    word = " ".join(body.strip(" \t\r\n.!").split()).upper()
    if word in OPT_OUT:
        return "opt_out"
    if word in OPT_IN:
        return "opt_in"
    if word in HELP:
        return "help"
    if OPT_IN_SAID.search(body) and not keyword_out(body):
        return "opt_in"
    return None


def is_start(body: str) -> bool:
    """The message is START or UNSTOP, the keywords that mean nothing but opting in (unlike YES,
    an answer too)."""
    return " ".join(body.strip(" \t\r\n.!").split()).upper() in OPT_IN - {"YES"}


def keyword_out(body: str) -> bool:
    """The message also says to stop ("stop, dont opt me back in")."""
    return bool(re.search(r"\b(stop|don'?t|do not|never)\b", body, re.I))


def _dealership_words(session: Session) -> dict[str, str]:
    dealership = get_dealership(session)
    return {"dealership_name": dealership.name,
            "service_phone": display(dealership.service_phone)}


def opted_out_text(session: Session) -> str:
    return say("utter_sms_opted_out", **_dealership_words(session))


def opted_in_text(session: Session) -> str:
    return say("utter_sms_opted_in", **_dealership_words(session))


def already_in_text(session: Session) -> str:
    return say("utter_sms_already_in", **_dealership_words(session))


def help_text(session: Session) -> str:
    return say("utter_sms_help", **_dealership_words(session))


def help_opted_out_text(session: Session) -> str:
    return say("utter_sms_help_opted_out", **_dealership_words(session))


def blank_text(session: Session) -> str:
    return say("utter_sms_blank", **_dealership_words(session))


def trouble_text(session: Session) -> str:
    """When the assistant failed to answer: say so, and where a person answers."""
    return say("utter_sms_trouble", **_dealership_words(session))
