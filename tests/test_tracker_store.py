"""`ConciergeTrackerStore` stores and reads conversations exactly as Rasa's SQL tracker store does,
on SQLite and PostgreSQL: same events back, only the latest session, nothing stored twice."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches.tracker_store import ConciergeTrackerStore

DOMAIN = Domain.load("domain")


def session(start: float, text: str) -> list:
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 1),
        SlotSet("owner_name", "Dana", timestamp=start + 2),
        ActionExecuted("action_listen", timestamp=start + 3),
        UserUttered(text, {"name": "greet", "confidence": 0.99}, timestamp=start + 4),
        BotUttered("Hi Dana! How can I help?", timestamp=start + 5),
        ActionExecuted("action_listen", timestamp=start + 6),
    ]


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture
def stores(empty_db: str):
    ours = ConciergeTrackerStore(domain=DOMAIN, host=empty_db)
    rasas = SQLTrackerStore(domain=DOMAIN, host=empty_db)
    yield ours, rasas
    ours.engine.dispose()
    rasas.engine.dispose()


def test_reads_back_what_rasa_reads(stores):
    ours, rasas = stores
    events = session(1_000, "hi") + session(90_000, "hello again 👋")
    run(ours.save(DialogueStateTracker.from_events("+15125550101", events)))

    mine = run(ours.retrieve("+15125550101"))
    theirs = run(rasas.retrieve("+15125550101"))
    assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]
    # Only the latest session, as in Rasa.
    assert mine.latest_message.text == "hello again 👋"
    assert len(mine.events) == len(session(0, "")) - 1
    assert mine.get_slot("owner_name") == "Dana"

    full = run(ours.retrieve_full_tracker("+15125550101"))
    assert [e.as_dict() for e in full.events] == [e.as_dict() for e in events]
    assert run(ours.retrieve("+15125550199")) is None


def turns(store, sender: str) -> list[dict]:
    """A conversation as the server runs one: save, read back, add a turn, save; twice."""
    run(store.save(DialogueStateTracker.from_events(sender, session(1_000, "hi"))))
    for n, text in enumerate(["can I book an oil change", "tmrw at 9 🙏"]):
        tracker = run(store.retrieve(sender))
        tracker.update(UserUttered(text, timestamp=1_010 + n))
        tracker.update(ActionExecuted("action_listen", timestamp=1_011 + n))
        run(store.save(tracker))
    run(store.save(run(store.retrieve(sender))))  # a save with nothing new
    return [e.as_dict() for e in run(store.retrieve_full_tracker(sender)).events]


def test_saving_stores_what_rasa_stores(stores):
    ours, rasas = stores
    mine = turns(ours, "+15125550102")
    assert mine == turns(rasas, "+15125550103")
    assert [e.get("text") for e in mine if e["event"] == "user"] == [
        "hi", "can I book an oil change", "tmrw at 9 🙏"]
    # Row by row, the same columns as Rasa fills (the staff console and reports query them).
    table = ours.SQLEvent.__table__
    columns = [table.c.type_name, table.c.intent_name, table.c.action_name, table.c.timestamp,
               table.c.data]
    with ours.engine.connect() as connection:
        rows = {sender: connection.execute(sa.select(*columns).where(
            table.c.sender_id == sender).order_by(table.c.id)).all()
            for sender in ("+15125550102", "+15125550103")}
    assert rows["+15125550102"] == rows["+15125550103"]
    assert ("user", "greet", None) in [tuple(row[:3]) for row in rows["+15125550102"]]


def statements(store) -> list[str]:
    """The SQL statements `store` sends from now on."""
    sent: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: sent.append(statement.lower()))
    return sent


def test_a_turn_is_stored_without_counting_what_it_read(stores):
    ours, rasas = stores
    sender = "+15125550104"
    run(ours.save(DialogueStateTracker.from_events(sender, session(1_000, "hi"))))
    sent = statements(ours)
    tracker = run(ours.retrieve(sender))
    # The turn starts a new session: the new rows start where the rows read end.
    for event in session(90_000, "back again, need a loaner"):
        tracker.update(event)
    run(ours.save(tracker))
    assert not [statement for statement in sent if "count(" in statement]
    # A tracker that is not the one read (a copy, another server's) is counted as Rasa counts.
    copy = run(ours.retrieve(sender)).copy()
    copy.update(UserUttered("thx", timestamp=90_010))
    run(ours.save(copy))
    assert [statement for statement in sent if "count(" in statement]
    stored = run(rasas.retrieve_full_tracker(sender)).events
    assert [e.as_dict() for e in stored] == [e.as_dict() for e in [
        *session(1_000, "hi"), *session(90_000, "back again, need a loaner"),
        UserUttered("thx", timestamp=90_010)]]


def test_a_sqlite_file_keeps_its_connections_open(tmp_path):
    store = ConciergeTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path / 'tracker.db'}")
    try:
        turns(store, "+15125550104")
        turns(store, "+15125550105")
        # One connection, reused by every read and write, with the pragmas it was opened with.
        assert store.engine.pool.checkedin() == 1
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        store.engine.dispose()


@pytest.fixture
def kept(empty_db: str):
    store = ConciergeTrackerStore(domain=DOMAIN, host=empty_db)
    store.keep_in_memory()
    yield store
    store.engine.dispose()


def test_kept_in_memory_reads_and_stores_what_rasa_does(kept, stores):
    _, rasas = stores
    assert turns(kept, "+15125550106") == turns(rasas, "+15125550107")
    # Read back from memory and from the database alike.
    from_memory = run(kept.retrieve("+15125550106"))
    from_database = run(rasas.retrieve("+15125550106"))
    assert [e.as_dict() for e in from_memory.events] == [
        e.as_dict() for e in from_database.events]
    assert from_memory.current_state() == from_database.current_state()


def test_kept_in_memory_a_read_sends_no_query_and_keeps_only_the_latest_session(kept, stores):
    _, rasas = stores
    sender = "+15125550108"
    run(kept.save(DialogueStateTracker.from_events(sender, session(1_000, "hi"))))
    tracker = run(kept.retrieve(sender))
    for event in session(90_000, "back again, need a loaner"):
        tracker.update(event)
    run(kept.save(tracker))
    sent = statements(kept)
    read = run(kept.retrieve(sender))
    assert not [statement for statement in sent if statement.startswith("select")]
    assert [e.as_dict() for e in read.events] == [
        e.as_dict() for e in run(rasas.retrieve(sender)).events]
    assert read.latest_message.text == "back again, need a loaner"
    # The next turn is stored after the rows already there, counted from memory too.
    read.update(UserUttered("thx", timestamp=90_010))
    run(kept.save(read))
    assert not [statement for statement in sent if statement.startswith("select")]
    assert run(rasas.retrieve(sender)).latest_message.text == "thx"


def test_kept_in_memory_only_the_conversations_stored_last(empty_db):
    store = ConciergeTrackerStore(domain=DOMAIN, host=empty_db)
    store.keep_in_memory(size=1)
    try:
        for sender in ("+15125550109", "+15125550110"):
            run(store.save(DialogueStateTracker.from_events(sender, session(1_000, "hi"))))
        sent = statements(store)
        assert run(store.retrieve("+15125550110")).latest_message.text == "hi"
        assert not sent
        assert run(store.retrieve("+15125550109")).latest_message.text == "hi"
        assert [statement for statement in sent if statement.startswith("select")]
    finally:
        store.engine.dispose()


def test_kept_in_memory_a_session_is_what_rasa_reads_whatever_the_events_timestamps(
        kept, stores):
    _, rasas = stores
    sender = "+15125550111"
    # Events posted through Rasa's events API after a session started, stamped before it: the
    # latest session is read by timestamp, so they are not part of it.
    earlier = [UserUttered("what are your hours", timestamp=500 + i) for i in range(3)]
    late = [UserUttered("hi again", timestamp=1_010)]
    run(kept.save(DialogueStateTracker.from_events(
        sender, session(1_000, "hi") + earlier + late)))
    from_memory = run(kept.retrieve(sender))
    assert [e.as_dict() for e in from_memory.events] == [
        e.as_dict() for e in run(rasas.retrieve(sender)).events]
    assert from_memory.latest_message.text == "hi again"
    assert "what are your hours" not in [e.as_dict().get("text") for e in from_memory.events]
