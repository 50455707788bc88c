"""Loads a dealership's data file (YAML) into the database; running it again changes nothing.

Every row is matched on its natural key (VIN, mobile, service code, topic, ...) and updated in
place, so a dealership edits its file and loads it again. The demo dealership is one such file.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import departments, staff
from bot.dealership import models as m
from bot.dealership.codes import new_code
from bot.dealership.phones import to_e164

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class DataFileError(ValueError):
    """The data file is not what the loader expects; the message says where."""


def read_data_file(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "dealership" not in data:
        raise DataFileError(f"{path}: expected a mapping with a 'dealership' section")
    return data


def upsert(session: Session, model: type, key: dict[str, Any], values: dict[str, Any]):
    """The row of `model` matching `key`, created or updated to hold `values`."""
    row = session.execute(select(model).filter_by(**key)).scalar_one_or_none()
    if row is None:
        row = model(**key)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    return row


def load(session: Session, data: dict[str, Any], now: datetime) -> None:
    """Writes `data` (a parsed data file) into the database; `now` places relative dates."""
    profile = data["dealership"]
    dealership = upsert(session, m.Dealership, {"id": 1}, {
        "name": profile["name"],
        "brand": profile["brand"],
        "address": profile["address"],
        "main_phone": to_e164(profile["main_phone"]),
        "service_phone": to_e164(profile["service_phone"]),
        "roadside_phone": to_e164(profile["roadside_phone"]),
        "email": profile.get("email"),
        "website": profile.get("website"),
        "time_zone": str(ZoneInfo(profile["time_zone"])),
        "slot_minutes": int(profile.get("slot_minutes", 30)),
        "loaner_ladder": [str(line).upper() for line in profile.get("loaner_ladder") or []],
        "maintenance_miles": int(profile.get("maintenance_miles", 5000)),
        "maintenance_months": int(profile.get("maintenance_months", 6)),
        "complimentary_months": int(profile.get("complimentary_months", 0)),
        "complimentary_miles": int(profile.get("complimentary_miles", 0)),
        "on_call_mobile": to_e164(profile["on_call_mobile"]) if profile.get("on_call_mobile")
        else None,
        "escalate_after_minutes": int(profile.get("escalate_after_minutes", 10)),
        "wait_up_to_minutes": int(profile.get("wait_up_to_minutes", 90)),
    })
    _load_lanes(session, int(profile.get("starts_per_slot", 1)))
    _load_hours(session, data.get("service_hours") or {})
    _load_departments(session, data.get("departments") or [], data.get("service_hours") or {},
                      dealership.service_phone)
    for holiday in data.get("holidays") or []:
        upsert(session, m.Holiday, {"day": holiday["date"]}, {"name": holiday["name"]})
    for item in data.get("services") or []:
        upsert(session, m.Service, {"code": item["code"]}, {
            "name": item["name"], "description": item.get("description"),
            "duration_minutes": item["duration_minutes"],
            "price_min": item["price_min"], "price_max": item["price_max"], "active": True,
        })
    for item in data.get("coverages") or []:
        upsert(session, m.Coverage, {"name": item["name"]}, {
            "years": item["years"], "miles": item["miles"],
            "includes_roadside": bool(item.get("includes_roadside")),
            "applies_to": item.get("applies_to"), "description": item.get("description"),
        })
    for item in data.get("owners") or []:
        _load_owner(session, item)
    for item in data.get("loaners") or []:
        upsert(session, m.Loaner, {"vin": item["vin"]}, {
            key: item.get(key) for key in ("plate", "year", "make", "model", "trim", "color",
                                           "mileage")
        })
    for item in data.get("recalls") or []:
        upsert(session, m.Recall, {"vin": item["vin"], "campaign": str(item["campaign"])}, {
            key: item.get(key) for key in ("title", "description", "remedy", "status",
                                           "published_on")
        } | {"safety_risk": bool(item.get("safety_risk"))})
    for item in data.get("knowledge") or []:
        upsert(session, m.Knowledge, {"topic": item["topic"]}, {"answer": item["answer"].strip()})
    for item in data.get("staff") or []:
        _load_staff_account(session, item, now)
    session.flush()
    zone = ZoneInfo(dealership.time_zone)
    for item in data.get("appointments") or []:
        _load_appointment(session, item, now.astimezone(zone), dealership.slot_minutes)


def _load_lanes(session: Session, count: int) -> None:
    if count < 1:
        raise DataFileError("starts_per_slot must be at least 1")
    for number in range(1, max(count, _lane_count(session)) + 1):
        upsert(session, m.ServiceLane, {"number": number}, {"active": number <= count})


def _lane_count(session: Session) -> int:
    return len(session.execute(select(m.ServiceLane.id)).all())


def _load_hours(session: Session, hours: dict[str, Any]) -> None:
    for weekday, name in enumerate(WEEKDAYS):
        span = hours.get(name)
        row = session.get(m.ServiceHours, weekday)
        if not span:
            if row is not None:
                session.delete(row)
            continue
        upsert(session, m.ServiceHours, {"weekday": weekday}, {
            "opens": time.fromisoformat(span["opens"]),
            "closes": time.fromisoformat(span["closes"]),
        })


def _spans(hours: dict[str, Any], where: str) -> dict[int, tuple[time, time]]:
    """Opening hours as the data file writes them (weekday name -> opens/closes, or null when
    closed), by weekday number."""
    unknown = set(hours) - set(WEEKDAYS)
    if unknown:
        raise DataFileError(f"{where}: unknown weekday {sorted(unknown)[0]!r}")
    spans = {}
    for weekday, name in enumerate(WEEKDAYS):
        span = hours.get(name)
        if span:
            opens, closes = time.fromisoformat(span["opens"]), time.fromisoformat(span["closes"])
            if opens >= closes:
                raise DataFileError(f"{where}: {name} opens at {opens:%H:%M}, after it closes")
            spans[weekday] = (opens, closes)
    return spans


def _load_departments(session: Session, items: list[dict[str, Any]],
                      service_hours: dict[str, Any], service_phone: str) -> None:
    """The departments owners ask about. Service's phone and hours default to the profile's
    service phone and `service_hours`; a department the file no longer names is kept for its
    tickets but no longer offered."""
    named = set()
    for item in items:
        code = str(item.get("code") or "")
        if code not in departments.KNOWN:
            raise DataFileError(f"department {code!r}: use one of {', '.join(departments.KNOWN)}")
        if code in named:
            raise DataFileError(f"department {code!r} is named twice")
        named.add(code)
        service = code == departments.SERVICE
        if not service and not (item.get("phone") and item.get("hours")):
            raise DataFileError(f"department {code!r}: give its phone and hours")
        row = upsert(session, m.Department, {"code": code}, {
            "name": item["name"], "handles": " ".join(str(item["handles"]).split()),
            "phone": to_e164(item.get("phone") or service_phone), "active": True,
        })
        spans = _spans(item.get("hours") or (service_hours if service else {}),
                       f"department {code!r}")
        kept = {h.weekday: h for h in row.hours}
        for weekday, hours in list(kept.items()):
            if weekday not in spans:
                row.hours.remove(hours)
        for weekday, (opens, closes) in spans.items():
            if weekday in kept:
                kept[weekday].opens, kept[weekday].closes = opens, closes
            else:
                row.hours.append(m.DepartmentHours(weekday=weekday, opens=opens, closes=closes))
    for row in session.execute(select(m.Department)).scalars():
        if row.code not in named:
            row.active = False


def _load_owner(session: Session, item: dict[str, Any]) -> None:
    owner = upsert(session, m.Owner, {"mobile": to_e164(item["mobile"])}, {
        "name": item["name"], "email": item.get("email"),
        "sms_consent": bool(item.get("sms_consent")),
    })
    for car in item.get("vehicles") or []:
        upsert(session, m.Vehicle, {"vin": car["vin"].upper()}, {
            "owner": owner, "year": car["year"], "make": car["make"], "model": car["model"],
            "trim": car.get("trim"), "mileage": car.get("mileage"),
            "in_service_date": car.get("in_service_date"),
            "ownership": car.get("ownership", "owned"),
            "lease_end_date": car.get("lease_end_date"),
            "last_service_date": car.get("last_service_date"),
            "last_service_mileage": car.get("last_service_mileage"),
        })


def _appointment_day(session: Session, spec: Any, today: date) -> date:
    if isinstance(spec, date):
        return spec
    if spec == "next_weekday":  # the next Monday-Friday the shop is open
        day = today + timedelta(days=1)
        while day.weekday() >= 5 or session.get(m.Holiday, day) is not None:
            day += timedelta(days=1)
        return day
    raise DataFileError(f"appointment day {spec!r}: use an ISO date or 'next_weekday'")


def _load_appointment(session: Session, item: dict[str, Any], local_now: datetime,
                      slot_minutes: int) -> None:
    """Books a demo appointment unless the car already has an upcoming one for those services
    (work added to it since included)."""
    vehicle = session.execute(
        select(m.Vehicle).filter_by(vin=item["vin"].upper())
    ).scalar_one()
    services = [
        session.execute(select(m.Service).filter_by(code=code)).scalar_one()
        for code in item["services"]
    ]
    upcoming = session.execute(
        select(m.Appointment).where(
            m.Appointment.vehicle_id == vehicle.id,
            m.Appointment.status == "scheduled",
            m.Appointment.starts_at >= local_now,
        )
    ).scalars()
    wanted = {s.id for s in services}
    if any(wanted <= {s.id for s in a.services} for a in upcoming):
        return
    day = _appointment_day(session, item["day"], local_now.date())
    starts = datetime.combine(day, time.fromisoformat(item["time"]), local_now.tzinfo)
    duration = sum(s.duration_minutes for s in services)
    taken = set(session.execute(
        select(m.Appointment.lane_id).where(
            m.Appointment.starts_at == starts, m.Appointment.status != "cancelled")
    ).scalars())
    lane = session.execute(
        select(m.ServiceLane).where(m.ServiceLane.active.is_(True),
                                    m.ServiceLane.id.not_in(taken))
        .order_by(m.ServiceLane.number)
    ).scalars().first()
    if lane is None:
        raise DataFileError(f"no free lane at {starts:%Y-%m-%d %H:%M} for the demo appointment")
    session.add(m.Appointment(
        code=new_code(), owner=vehicle.owner, vehicle=vehicle, lane_id=lane.id,
        starts_at=starts, ends_at=starts + timedelta(minutes=max(duration, slot_minutes)),
        status=item.get("status", "scheduled"), transport=item.get("transport", "wait"),
        services=services,
    ))


def _load_staff_account(session: Session, item: dict[str, Any], now: datetime) -> None:
    """Creates a console account, or updates its name, role and mobile. The password is set only
    when the account is created, so loading again never undoes a password someone changed."""
    username = str(item["username"])
    try:
        if staff.by_username(session, username) is None:
            staff.create_account(
                session, username=username, full_name=item["name"], role=item["role"],
                password=item.get("password"), password_hash=item.get("password_hash"),
                mobile=item.get("mobile"), now=now)
        else:
            staff.update_account(session, username, full_name=item["name"], role=item["role"],
                                 mobile=item.get("mobile") or "")
    except staff.AccountError as error:
        raise DataFileError(f"staff account {username}: {error}") from error
