"""Signing in and out, the session cookie, CSRF checks and roles.

Every request but the login page and static files needs a live session: pages redirect to the
login, anything else gets 401. Every POST carries the session's CSRF token in a hidden field,
and is refused (403) without it. The login form, which has no session yet, is protected by a
token in a short-lived cookie that the form repeats (double submit).
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import quote

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot import clock
from bot.dealership import staff as accounts
from bot.staff import sessions
from bot.staff.config import StaffSettings
from bot.staff.web import in_db, render

SESSION_COOKIE = "staff_session"
LOGIN_COOKIE = "staff_login_csrf"
CSRF_FIELD = "csrf_token"
OPEN_PATHS = ("/login", "/health")  # /health: bot/staff/__main__.py
OPEN_PREFIXES = ("/static/",)

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


def now() -> datetime:
    # Sessions and login limits run on the real clock, even when a demo pins the assistant's.
    return clock.real_now()


def set_cookie(resp: HTTPResponse, settings: StaffSettings, name: str, value: str,
               max_age: int | None = None) -> None:
    resp.cookies[name] = value
    cookie = resp.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    if settings.secure_cookies:
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(resp: HTTPResponse, settings: StaffSettings, name: str) -> None:
    set_cookie(resp, settings, name, "", max_age=0)


def client_ip(request: Request) -> str:
    # remote_addr is the X-Forwarded-For address only when STAFF_PROXIES_COUNT says to trust it.
    return request.remote_addr or request.ip or "unknown"


def same_token(given: Any, expected: str | None) -> bool:
    if not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another site, whatever the link said."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


async def require_login(request: Request) -> HTTPResponse | None:
    """Request middleware: finds who is signed in, refuses everyone else, checks CSRF."""
    request.ctx.staff = None
    path = request.path
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return None
    settings: StaffSettings = request.app.ctx.settings
    token = request.cookies.get(SESSION_COOKIE)
    staff = None
    if token:
        staff = await in_db(request, sessions.resume, token, now(), settings.session_idle,
                            settings.session_lifetime)
    if staff is None:
        if request.method in ("GET", "HEAD"):
            target = request.path + (f"?{request.query_string}" if request.query_string else "")
            return response.redirect(f"/login?next={quote(target, safe='')}")
        return response.text("Please sign in first.", status=401)
    request.ctx.staff = staff
    if request.method not in ("GET", "HEAD") and not same_token(
            request.form.get(CSRF_FIELD), staff.csrf_token):
        return response.text("This form has expired. Go back, reload the page and try again.",
                             status=403)
    return None


def manager_only(handler: Handler) -> Handler:
    @wraps(handler)
    async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        if not request.ctx.staff.is_manager:
            return await render(request, "error.html", status=403,
                                message="Only a manager can manage staff accounts.")
        return await handler(request, *args, **kwargs)
    return checked


def blueprint() -> Blueprint:
    bp = Blueprint("auth")

    @bp.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        return await _login_form(request, 200, None)

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        settings: StaffSettings = request.app.ctx.settings
        if not same_token(request.form.get(CSRF_FIELD), request.cookies.get(LOGIN_COOKIE)):
            return await _login_form(request, 403, "The form expired. Please sign in again.")
        username = accounts.normalise_username(request.form.get("username") or "")
        password = request.form.get("password") or ""
        moment = now()
        attempt = await in_db(request, _record_attempt, username, client_ip(request), moment,
                              settings.session_idle)
        wait = await in_db(request, sessions.admit, attempt, moment)
        if wait is None:
            return await _login_form(
                request, 429, "Too many sign-in attempts from here. Please wait 15 minutes and "
                "try again, or ask a manager to reset your password.")
        # Slowed down, not refused: guessing from many addresses gets slow, while the owner
        # of the account still gets in from wherever they are.
        await asyncio.sleep(wait)
        token = await in_db(request, _sign_in, username, password, attempt, now())
        if token is None:
            return await _login_form(request, 401, "Wrong username or password.")
        resp = response.redirect(safe_next(request.form.get("next")))
        set_cookie(resp, settings, SESSION_COOKIE, token)
        clear_cookie(resp, settings, LOGIN_COOKIE)
        return resp

    @bp.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        await in_db(request, sessions.end, request.cookies.get(SESSION_COOKIE) or "")
        resp = response.redirect("/login")
        clear_cookie(resp, request.app.ctx.settings, SESSION_COOKIE)
        return resp

    return bp


def _record_attempt(db: Session, username: str, ip: str, moment: datetime,
                    idle: timedelta) -> int:
    """The try, recorded (and committed) before any limit is checked, so none races past one."""
    sessions.purge_expired(db, moment, idle)
    return sessions.record_attempt(db, username, ip, moment)


def _sign_in(db: Session, username: str, password: str, attempt: int,
             moment: datetime) -> str | None:
    """The new session's token, or None for a wrong username or password."""
    account = accounts.authenticate(db, username, password)
    if account is None:
        return None
    sessions.succeeded(db, attempt)
    return sessions.start(db, account, moment)


async def _login_form(request: Request, status: int, error: str | None) -> HTTPResponse:
    settings: StaffSettings = request.app.ctx.settings
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    target = request.form.get("next") if request.method == "POST" else request.args.get("next")
    resp = await render(request, "login.html", status=status, error=error, login_csrf=token,
                        next=safe_next(target))
    set_cookie(resp, settings, LOGIN_COOKIE, token, max_age=3600)
    return resp
