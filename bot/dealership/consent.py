"""Whether a number may be texted: opt-outs (STOP, or said in words) and opt-ins (START), and
the hours it may get texts it did not just ask for ("don't text me before 9am").

An opt-out stops every kind of message to the number (replies, reminders, staff messages) until
the owner opts back in. It is kept per number, so guests are covered as well as owners.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import models
from bot.dealership.consent_words import TextHours
from bot.dealership.models import Owner, SmsConsent
from bot.dealership.phones import to_e164


def is_opted_out(session: Session, number: str) -> bool:
    row = session.get(SmsConsent, to_e164(number))
    return bool(row and row.opted_out)


def state(session: Session, number: str) -> str:
    """The number's consent as it stands, as a token: a question about it asked when the token
    differed is stale (a STOP or START came in between)."""
    row = session.get(SmsConsent, to_e164(number))
    return "" if row is None else f"{row.opted_out}|{row.via}|{row.changed_at.isoformat()}"


def opt_out(session: Session, number: str, now: datetime, via: str = "STOP") -> bool:
    """Opts `number` out; True when it was not opted out before (confirm only then)."""
    changed = _set(session, number, opted_out=True, now=now, via=via)
    # An opt-out also withdraws the consent to reminders the dealership's data recorded.
    owner = session.execute(
        select(Owner).where(Owner.mobile == to_e164(number))
    ).scalar_one_or_none()
    if owner is not None:
        owner.sms_consent = False
    return changed


def opt_in(session: Session, number: str, now: datetime, via: str = "START") -> bool:
    """Opts `number` back in; True when it was opted out before."""
    return _set(session, number, opted_out=False, now=now, via=via)


def _set(session: Session, number: str, *, opted_out: bool, now: datetime, via: str) -> bool:
    phone = to_e164(number)
    row = session.get(SmsConsent, phone, with_for_update=True)
    if row is None:
        session.add(SmsConsent(phone=phone, opted_out=opted_out, changed_at=now, via=via[:40]))
        session.flush()
        return opted_out  # a number never seen before was not opted out
    if row.opted_out == opted_out:
        return False
    row.opted_out, row.changed_at, row.via = opted_out, now, via[:40]
    return True


def set_text_hours(session: Session, number: str, hours: TextHours, said: str,
                   now: datetime) -> None:
    """Records when `number` may get texts it did not just ask for, replacing an earlier wish."""
    phone = to_e164(number)
    row = session.get(models.TextHours, phone, with_for_update=True)
    if row is None:
        row = models.TextHours(phone=phone)
        session.add(row)
    row.earliest_hour, row.latest_hour = hours.earliest, hours.latest
    row.weekdays_only, row.said, row.changed_at = hours.weekdays_only, said[:500], now
    session.flush()


def text_hours(session: Session, number: str) -> TextHours | None:
    row = session.get(models.TextHours, to_e164(number))
    if row is None:
        return None
    return TextHours(row.earliest_hour, row.latest_hour, row.weekdays_only)


def quiet_now(session: Session, number: str, local: datetime) -> TextHours | None:
    """The number's hours when `local` (the dealership's local time) falls outside them."""
    hours = text_hours(session, number)
    if hours is None or hours.allows(local.hour, local.minute, local.weekday()):
        return None
    return hours
