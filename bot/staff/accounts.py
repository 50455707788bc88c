"""Staff accounts: managers list, create, deactivate and reset them at /staff; anyone signed in
changes their own password at /account/password."""

from __future__ import annotations

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.dealership import staff as accounts
from bot.dealership.models import STAFF_ROLES
from bot.staff import sessions
from bot.staff.auth import client_ip, manager_only, now
from bot.staff.web import in_db, render


def _account_rows(session: Session) -> list[dict]:
    return [{"username": a.username, "full_name": a.full_name, "role": a.role,
             "mobile": a.mobile, "active": a.active, "created_at": a.created_at}
            for a in accounts.list_accounts(session)]


def _attempt(session: Session, work, *args) -> str | None:
    """Runs an account change; the reason it was refused, or None when it was made."""
    try:
        work(session, *args)
    except accounts.AccountError as error:
        return str(error)
    return None


def _create(session: Session, form: dict[str, str]) -> None:
    accounts.create_account(session, username=form["username"], full_name=form["full_name"],
                            role=form["role"], password=form["password"],
                            mobile=form["mobile"] or None)


def _change_own_password(session: Session, username: str, current: str, new: str,
                         ip: str) -> None:
    # Guessing the current password here counts as failed logins, so it is no way around them.
    moment = now()
    attempt = sessions.record_attempt(session, username, ip, moment)
    if sessions.admit(session, attempt, moment) is None:
        raise accounts.AccountError("Too many wrong passwords. Please wait 15 minutes.")
    if accounts.authenticate(session, username, current) is None:
        raise accounts.AccountError("Your current password is not right.")
    sessions.succeeded(session, attempt)
    accounts.change_password(session, username, new)


def blueprint() -> Blueprint:
    bp = Blueprint("accounts")

    async def page(request: Request, status: int = 200, error: str | None = None,
                   form: dict[str, str] | None = None) -> HTTPResponse:
        rows = await in_db(request, _account_rows)
        return await render(request, "staff.html", status=status, accounts=rows,
                            roles=STAFF_ROLES, error=error, form=form or {})

    @bp.get("/staff")
    @manager_only
    async def list_staff(request: Request) -> HTTPResponse:
        return await page(request)

    @bp.post("/staff")
    @manager_only
    async def create(request: Request) -> HTTPResponse:
        form = {name: (request.form.get(name) or "").strip()
                for name in ("username", "full_name", "role", "mobile")}
        form["password"] = request.form.get("password") or ""
        error = await in_db(request, _attempt, _create, form)
        if error:
            form.pop("password")  # never sent back to the browser
            return await page(request, 400, error, form)
        return response.redirect("/staff?done=created")

    @bp.post("/staff/<username>/deactivate")
    @manager_only
    async def deactivate(request: Request, username: str) -> HTTPResponse:
        if accounts.normalise_username(username) == request.ctx.staff.username:
            return await page(request, 400, "You cannot deactivate your own account.")
        error = await in_db(request, _attempt, accounts.deactivate, username)
        return await page(request, 400, error) if error else response.redirect(
            "/staff?done=deactivated")

    @bp.post("/staff/<username>/reactivate")
    @manager_only
    async def reactivate(request: Request, username: str) -> HTTPResponse:
        error = await in_db(request, _attempt, accounts.reactivate, username)
        return await page(request, 400, error) if error else response.redirect(
            "/staff?done=reactivated")

    @bp.post("/staff/<username>/password")
    @manager_only
    async def reset_password(request: Request, username: str) -> HTTPResponse:
        error = await in_db(request, _attempt, accounts.change_password, username,
                            request.form.get("password") or "")
        return await page(request, 400, error) if error else response.redirect(
            "/staff?done=password")

    @bp.get("/account/password")
    async def own_password_page(request: Request) -> HTTPResponse:
        return await render(request, "password.html")

    @bp.post("/account/password")
    async def own_password(request: Request) -> HTTPResponse:
        new = request.form.get("new_password") or ""
        if new != (request.form.get("confirm_password") or ""):
            return await render(request, "password.html", status=400,
                                error="The two new passwords differ.")
        error = await in_db(request, _attempt, _change_own_password, request.ctx.staff.username,
                            request.form.get("current_password") or "", new, client_ip(request))
        if error:
            return await render(request, "password.html", status=400, error=error)
        # Changing the password ended every session, this one too: sign in with the new one.
        return response.redirect("/login")

    return bp
