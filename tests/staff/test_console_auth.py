"""Signing in to the staff console: who gets in, how often one may try, what a session is, and
that no form works without its CSRF token."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import func, select, update

from bot.dealership import staff
from bot.dealership.models import StaffAccount, StaffLoginAttempt, StaffSession
from bot.staff import sessions
from tests.staff.conftest import ADVISOR, DANA, MANAGER, Browser, ConsoleServer

PAGES = ["/", "/staff", "/account/password", f"/conversations/{DANA}", f"/open?who={DANA}"]
FORMS = ["/logout", "/staff", "/staff/alex/deactivate", "/staff/alex/reactivate",
         "/staff/alex/password", "/account/password", f"/conversations/{DANA}/reply",
         f"/conversations/{DANA}/note", f"/conversations/{DANA}/claim",
         f"/conversations/{DANA}/take-over", f"/conversations/{DANA}/resolve"]


def set_cookie_headers(answer) -> dict[str, str]:
    """Each Set-Cookie header by cookie name (requests folds them into one string)."""
    headers = answer.raw.headers.getlist("Set-Cookie")
    return {header.split("=", 1)[0]: header for header in headers}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_sends_a_stranger_to_the_login(browser: Browser, page: str):
    answer = browser.get(page)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("form", FORMS)
def test_every_form_refuses_a_stranger(browser: Browser, rasa, form: str):
    answer = browser.post(form, data={"text": "hello", "csrf_token": "anything",
                                      "password": "new-password-123"})
    assert answer.status_code == 401
    assert rasa.calls == []


def test_the_login_page_and_the_stylesheet_are_open(browser: Browser):
    assert browser.get("/login").status_code == 200
    answer = browser.get("/static/console.css")
    assert answer.status_code == 200 and "body" in answer.text


def test_a_wrong_password_does_not_sign_in(browser: Browser):
    answer = browser.login("alex", "not-the-password")
    assert answer.status_code == 401
    assert "Wrong username or password" in answer.text
    assert browser.get("/").status_code == 302


def test_an_unknown_username_gets_the_same_answer(browser: Browser):
    answer = browser.login("nobody", "not-the-password")
    assert answer.status_code == 401
    assert "Wrong username or password" in answer.text


def test_six_fast_failures_are_refused_without_checking_the_password(
        browser: Browser, db_session):
    statuses = [browser.login("alex", f"guess-number-{i}").status_code for i in range(5)]
    assert statuses == [401] * 5
    sixth = browser.login(*ADVISOR)  # even the right password, now
    assert sixth.status_code == 429
    assert "Too many sign-in attempts" in sixth.text
    assert browser.get("/").status_code == 302
    # The refusal is not another attempt; the failures are in the database for every process.
    failures = db_session.execute(select(func.count()).select_from(StaffLoginAttempt).where(
        StaffLoginAttempt.username == "alex",
        StaffLoginAttempt.succeeded.is_(False))).scalar_one()
    assert failures == 5


def test_failures_for_one_username_do_not_lock_out_another(browser: Browser, new_browser):
    for i in range(5):
        browser.login("alex", f"guess-number-{i}")
    assert new_browser().login(*MANAGER).status_code == 302


def test_the_login_form_needs_its_csrf_token(browser: Browser, db_session):
    browser.get("/login")  # sets the pre-session cookie
    for token in (None, "forged-token"):
        data = {"username": "alex", "password": ADVISOR[1]}
        if token:
            data["csrf_token"] = token
        answer = browser.post("/login", data=data)
        assert answer.status_code == 403
    assert browser.get("/").status_code == 302
    assert db_session.execute(select(func.count()).select_from(StaffSession)).scalar_one() == 0


def test_the_session_cookie_is_http_only_and_same_site_strict(browser: Browser, db_session):
    answer = browser.login(*ADVISOR)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    header = set_cookie_headers(answer)["staff_session"]
    flags = {part.strip().split("=")[0].lower(): part for part in header.split(";")}
    assert "httponly" in flags
    assert flags["samesite"].strip().lower() == "samesite=strict"
    assert flags["path"].strip() == "Path=/"
    assert "secure" not in flags  # STAFF_SECURE_COOKIES is off for localhost
    # Only the token's hash is kept.
    token = SimpleCookie(header)["staff_session"].value
    hashes = db_session.execute(select(StaffSession.token_hash)).scalars().all()
    assert hashes == [hashlib.sha256(token.encode()).hexdigest()]
    assert browser.get("/").status_code == 200


def test_secure_cookies_when_configured(settings, new_browser):
    server = ConsoleServer(dataclasses.replace(settings, secure_cookies=True)).start()
    try:
        browser = new_browser()
        browser.base = server.url
        page = browser.get("/login")
        assert "Secure" in set_cookie_headers(page)["staff_login_csrf"]
    finally:
        server.stop()


def test_logging_out_ends_the_session(advisor: Browser, db_session):
    assert advisor.submit("/logout").status_code == 302
    assert advisor.get("/").status_code == 302
    assert db_session.execute(select(func.count()).select_from(StaffSession)).scalar_one() == 0


def test_a_stolen_cookie_dies_with_logout(advisor: Browser, new_browser):
    thief = new_browser()
    thief.cookies.update({"staff_session": advisor.cookies["staff_session"]})
    assert thief.get("/").status_code == 200
    advisor.submit("/logout")
    assert thief.get("/").status_code == 302


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_form_without_the_right_csrf_token_is_refused_and_changes_nothing(
        manager: Browser, db_session, rasa, token):
    data = {"username": "jamie", "full_name": "Jamie Fox", "role": "advisor",
            "password": "a-long-password"}
    if token:
        data["csrf_token"] = token
    assert manager.post("/staff", data=data).status_code == 403
    assert staff.by_username(db_session, "jamie") is None
    answer = manager.post(f"/conversations/{DANA}/reply", data={"text": "hi", **(
        {"csrf_token": token} if token else {})})
    assert answer.status_code == 403
    assert rasa.calls == []


def test_a_csrf_token_of_another_session_is_refused(advisor: Browser, new_browser, rasa):
    other = new_browser()
    other.login(*MANAGER)
    foreign = other.csrf("/")
    answer = advisor.post(f"/conversations/{DANA}/take-over", data={"csrf_token": foreign})
    assert answer.status_code == 403
    assert rasa.calls == []


def test_an_advisor_cannot_manage_staff(advisor: Browser, db_session):
    assert advisor.get("/staff").status_code == 403
    answer = advisor.submit("/staff", {"username": "jamie", "full_name": "Jamie Fox",
                                       "role": "manager", "password": "a-long-password"})
    assert answer.status_code == 403
    assert staff.by_username(db_session, "jamie") is None
    assert advisor.submit("/staff/morgan/deactivate").status_code == 403
    db_session.expire_all()
    assert staff.by_username(db_session, "morgan").active


def test_a_manager_creates_an_advisor_who_can_then_sign_in(manager: Browser, new_browser,
                                                           db_session):
    page = manager.get("/staff")
    assert page.status_code == 200 and "Alex Kim" in page.text and "Morgan Lee" in page.text
    answer = manager.submit("/staff", {"username": "Jamie", "full_name": "Jamie Fox",
                                       "role": "advisor", "mobile": "(512) 555-0177",
                                       "password": "jamie-first-day"}, page="/staff")
    assert answer.status_code == 302 and answer.headers["Location"] == "/staff?done=created"
    jamie = staff.by_username(db_session, "jamie")
    assert (jamie.full_name, jamie.role, jamie.mobile) == ("Jamie Fox", "advisor", "+15125550177")
    # Only an argon2 hash of the password is stored.
    assert jamie.password_hash.startswith("$argon2id$")
    assert "jamie-first-day" not in jamie.password_hash
    browser = new_browser()
    assert browser.login("jamie", "jamie-first-day").status_code == 302
    assert browser.get("/").status_code == 200
    assert browser.get("/staff").status_code == 403


def test_a_short_password_or_taken_username_is_refused(manager: Browser, db_session):
    answer = manager.submit("/staff", {"username": "jamie", "full_name": "Jamie Fox",
                                       "role": "advisor", "password": "short"}, page="/staff")
    assert answer.status_code == 400 and "at least 10 characters" in answer.text
    answer = manager.submit("/staff", {"username": "alex", "full_name": "Another Alex",
                                       "role": "advisor", "password": "long-enough-pw"},
                            page="/staff")
    assert answer.status_code == 400 and "taken" in answer.text
    assert staff.by_username(db_session, "jamie") is None


def test_deactivating_an_account_signs_it_out(manager: Browser, new_browser):
    alex = new_browser()
    alex.login(*ADVISOR)
    assert alex.get("/").status_code == 200
    assert manager.submit("/staff/alex/deactivate", page="/staff").status_code == 302
    assert alex.get("/").status_code == 302
    assert new_browser().login(*ADVISOR).status_code == 401


def test_a_manager_resets_a_password(manager: Browser, new_browser):
    answer = manager.submit("/staff/alex/password", {"password": "brand-new-secret"},
                            page="/staff")
    assert answer.status_code == 302
    assert new_browser().login(*ADVISOR).status_code == 401
    assert new_browser().login("alex", "brand-new-secret").status_code == 302


def test_the_demo_accounts_are_hashed_and_loaded(db_session):
    accounts = {a.username: a for a in db_session.execute(select(StaffAccount)).scalars()}
    assert accounts["morgan"].role == "manager" and accounts["morgan"].full_name == "Morgan Lee"
    assert accounts["alex"].role == "advisor" and accounts["alex"].mobile == "+15125550160"
    assert all(a.password_hash.startswith("$argon2id$") for a in accounts.values())
    assert staff.authenticate(db_session, *MANAGER).username == "morgan"
    assert staff.authenticate(db_session, "morgan", "lakeshore-advisor") is None


def test_changing_my_own_password_needs_the_current_one(advisor: Browser, new_browser):
    wrong = advisor.submit("/account/password", {
        "current_password": "not-it-at-all", "new_password": "a-new-password",
        "confirm_password": "a-new-password"}, page="/account/password")
    assert wrong.status_code == 400
    right = advisor.submit("/account/password", {
        "current_password": ADVISOR[1], "new_password": "a-new-password",
        "confirm_password": "a-new-password"}, page="/account/password")
    assert right.status_code == 302
    assert advisor.get("/").status_code == 302  # signed out everywhere
    assert new_browser().login("alex", "a-new-password").status_code == 302


def test_login_sends_only_to_pages_of_the_console(browser: Browser):
    token = browser.csrf("/login")
    answer = browser.post("/login", data={"username": "alex", "password": ADVISOR[1],
                                          "csrf_token": token, "next": "//evil.example/"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_a_session_idle_too_long_has_ended(advisor: Browser, db_session):
    db_session.execute(update(StaffSession).values(
        last_seen_at=datetime.now(timezone.utc) - timedelta(hours=8, minutes=1)))
    db_session.commit()
    assert advisor.get("/").status_code == 302
    assert db_session.execute(select(func.count()).select_from(StaffSession)).scalar_one() == 0


# Sign-in limits by address: the console trusts X-Forwarded-For from one proxy, as it would
# behind one, so each browser below comes from an address of its own.
ATTACKER = "203.0.113.9"


@pytest.fixture
def behind_proxy(settings) -> Iterator[ConsoleServer]:
    server = ConsoleServer(dataclasses.replace(settings, proxies_count=1)).start()
    yield server
    server.stop()


@pytest.fixture
def from_address(behind_proxy: ConsoleServer, new_browser) -> Callable[[str], Browser]:
    def make(address: str) -> Browser:
        browser = new_browser()
        browser.base = behind_proxy.url
        browser.headers["X-Forwarded-For"] = address
        return browser
    return make


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(from_address):
    attacker = from_address(ATTACKER)
    assert [attacker.login("alex", f"guess-{i}").status_code for i in range(5)] == [401] * 5
    assert attacker.login(*ADVISOR).status_code == 429  # that address is done guessing
    alex = from_address("198.51.100.7")
    started = time.monotonic()
    assert alex.login(*ADVISOR).status_code == 302  # the real Alex still gets in
    assert time.monotonic() - started >= 1.0  # slowed down after 5 failures, not refused
    assert alex.get("/").status_code == 200


def test_guessing_from_many_addresses_is_slowed_down_not_refused(from_address, monkeypatch):
    monkeypatch.setattr(sessions, "SLOW_DOWN_MAX_SECONDS", 1.5)
    for i in range(7):
        assert from_address(f"203.0.113.{i + 10}").login("alex", "guess").status_code == 401
    started = time.monotonic()
    assert from_address(f"203.0.113.{i + 11}").login("alex", "guess").status_code == 401
    assert time.monotonic() - started >= 1.5  # the account's guesses come slowly
    assert from_address("198.51.100.7").login(*ADVISOR).status_code == 302


def test_one_address_is_limited_across_usernames(from_address):
    attacker = from_address(ATTACKER)
    for i in range(20):
        assert attacker.login(f"user{i}", "guess").status_code == 401
    assert attacker.login(*MANAGER).status_code == 429
    assert from_address("198.51.100.7").login(*MANAGER).status_code == 302


def test_simultaneous_guesses_do_not_race_past_the_limit(from_address, db_session):
    """Counted after they are recorded: 16 guesses at once get at most 5 password checks."""
    browsers = [from_address(ATTACKER) for _ in range(16)]
    tokens = [b.csrf("/login") for b in browsers]
    start = threading.Barrier(len(browsers))

    def guess(pair: tuple[Browser, str]) -> int:
        browser, token = pair
        start.wait()
        return browser.post("/login", data={"username": "alex", "password": "guess",
                                            "csrf_token": token}).status_code

    with ThreadPoolExecutor(len(browsers)) as pool:
        statuses = list(pool.map(guess, zip(browsers, tokens, strict=True)))
    assert set(statuses) <= {401, 429} and statuses.count(401) <= 5, statuses
    failures = db_session.execute(select(func.count()).select_from(StaffLoginAttempt).where(
        StaffLoginAttempt.username == "alex")).scalar_one()
    assert failures == statuses.count(401)
