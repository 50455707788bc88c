"""Rasa's SQL tracker store, pointed at TRACKER_STORE_URL (a SQLite file under var/ by default).

Rasa's `endpoints.yml` cannot give an environment variable a default; this class reads the same
settings as the rest of Concierge (environment, then `.env`, then the default), so one variable
moves conversations to PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from bot.dealership.db import sqlite_pragmas
from bot.settings import load_settings


class ConciergeTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, event_broker: Any = None, host: str | None = None,
                 **kwargs: Any) -> None:
        url = host if host and "://" in host else load_settings().tracker_store_url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Rasa treats a host holding "://" as the whole database URL.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        # The tracker last read for each conversation and how many stored rows it was read from.
        self._read: dict[str, tuple[weakref.ref[DialogueStateTracker], int]] = {}
        # The latest session of recently stored conversations (`keep_in_memory`).
        self._kept: OrderedDict[str, list[Event]] | None = None
        self._kept_size = 0
        if parsed.get_backend_name() == "sqlite":
            # Every turn reads and writes here: the same settings as the dealership's database.
            self.engine.dispose()  # type: ignore[has-type]
            if parsed.database not in (None, "", ":memory:"):
                # Pooled: Rasa's engine opened a new connection, and ran the pragmas, for each
                # read and each write (4% of a turn under load).
                self.engine = sa.create_engine(url, poolclass=QueuePool,
                                               connect_args={"check_same_thread": False})
                self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
            event.listen(self.engine, "connect", sqlite_pragmas)

    # Every turn reads the conversation, counts what is stored and adds the turn's events.
    # Rasa's own versions load a whole ORM object per event (a fifth of a turn's time under
    # load) and add one ORM object per new event; these ask the same queries for the columns
    # they use, and insert the new rows in one statement. The count is known without a query
    # when the tracker being stored is the one read for this turn: the rows read are the rows
    # the count query would count (the lock store keeps one turn of a conversation at a time).

    def keep_in_memory(self, size: int = 2_000) -> None:
        """Reads the `size` conversations stored last from memory instead of the database.

        Only for a store no other process writes to: the server turns it on when its lock store
        is in memory, which already means it is the only server of these conversations. A read
        then skips the query and the decoding of every stored event (a tenth of a turn's time
        under load); the tracker is rebuilt from the same events, as a read from the database
        rebuilds it.
        """
        self._kept, self._kept_size = OrderedDict(), size

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [self._row(tracker.sender_id, event)
                    for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            session.commit()
        if self._kept is not None:
            self._keep(tracker)

    def _keep(self, tracker: DialogueStateTracker) -> None:
        """Keeps what a read of the latest session returns: as Rasa's query reads it, the
        events stamped at or after the latest session start, in the order they were stored."""
        events = list(tracker.events)
        starts = [event.timestamp for event in events if isinstance(event, SessionStarted)]
        if starts:
            start = max(starts)
            events = [event for event in events if event.timestamp >= start]
        kept = self._kept
        if kept is None:
            return
        kept[tracker.sender_id] = events
        kept.move_to_end(tracker.sender_id)
        if len(kept) > self._kept_size:
            kept.popitem(last=False)

    @staticmethod
    def _row(sender_id: str, event: Any) -> dict[str, Any]:
        """The columns Rasa's `save` fills for one event."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name,
                "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
                "action_name": data.get("name"), "data": json.dumps(data)}

    async def _retrieve(self, sender_id: str,
                        fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        kept = self._kept.get(sender_id) if self._kept and self.domain else None
        if kept is not None and self._kept is not None and not fetch_events_from_all_sessions:
            self._kept.move_to_end(sender_id)
            tracker = DialogueStateTracker.from_events(sender_id, kept, self.domain.slots)
            self._remember_read(tracker, len(kept))
            return tracker
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions) \
                .with_entities(self.SQLEvent.data).all()
        self._read.pop(sender_id, None)
        if not self.domain or not rows:
            return None
        events = [json.loads(data) for (data,) in rows]
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            self._remember_read(tracker, len(rows))
        return tracker

    def _remember_read(self, tracker: DialogueStateTracker, stored: int) -> None:
        if len(self._read) > 10_000:  # conversations read and never stored (API reads)
            self._read.clear()
        self._read[tracker.sender_id] = (weakref.ref(tracker), stored)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        read, stored = self._read.pop(tracker.sender_id, (None, None))
        if read is None or read() is not tracker:
            stored = self._event_query(session, tracker.sender_id, False) \
                .with_entities(sa.func.count(self.SQLEvent.id)).order_by(None).scalar()
        return itertools.islice(tracker.events, stored, len(tracker.events))
