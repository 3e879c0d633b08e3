"""Managed subscriptions in SQLite or PostgreSQL, through SQLAlchemy Core.

One schema and one set of queries serve both backends. Writes to a subscription are optimistic:
`UPDATE ... WHERE id = :id AND revision = :expected`, one row holding the choices and the packed
slot states, so a concurrent edit is detected (never lost) and a crash leaves the previous
version whole. Reads never write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from select import select as poll_readable
from typing import Any, Literal, NamedTuple, cast

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Dialect,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    Row,
    Select,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.types import TypeDecorator, TypeEngine

from ..choices import Choices, read, texts
from .packing import pack, unpack
from .revisions import PlanState

Kind = Literal["feed", "manage"]

metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no zone, so store naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Instant(TypeDecorator[datetime]):
    """An aware UTC datetime to the second: timestamptz on PostgreSQL, and in SQLite the Unix
    seconds as an integer (4 bytes in the row, not 26 of text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(Integer() if dialect.name == "sqlite" else self.impl)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | int | None:
        if value is None:
            return None
        value = value.astimezone(UTC).replace(microsecond=0)
        return int(value.timestamp()) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: datetime | int | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, int):
            return datetime.fromtimestamp(value, UTC)
        return value.astimezone(UTC)


class HexBytes(TypeDecorator[str]):
    """A lower-case hex string kept as its bytes: half the room in the row and its index."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return None if value is None else bytes.fromhex(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        return None if value is None else bytes(value).hex()


subscriptions = Table(
    "subscriptions",
    metadata,
    # Internal and random: it scopes the UIDs, so they survive token rotation. Never shown.
    Column("id", HexBytes(16), primary_key=True),
    # The tokens' digests (feeds/managed/tokens.py), 16 bytes each.
    Column("manage_digest", HexBytes(16), nullable=False, unique=True),
    Column("feed_digest", HexBytes(16), nullable=False, unique=True),
    Column("feed_salt", String(32), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("distance", String(20), nullable=False),
    Column("race", Date, nullable=False),
    # Every other choice as compact JSON text, as the field table writes it (defaults left out),
    # so a new option needs no migration.
    Column("choices", Text, nullable=False),
    # The day the choices were validated: the stored feed is checked against it, not today.
    Column("saved_on", Date, nullable=False),
    Column("created", Instant, nullable=False),
    Column("updated", Instant, nullable=False),
    # Every slot's SEQUENCE, LAST-MODIFIED and fingerprint, packed (feeds/managed/packing.py).
    Column("slots", LargeBinary, nullable=False),
)

# Digests of retired tokens (rotated feed URLs, deleted plans): they answer 410, not 404.
retired_tokens = Table(
    "retired_tokens",
    metadata,
    Column("digest", HexBytes(16), primary_key=True),
    Column("kind", String(8), nullable=False),
)


@dataclass(frozen=True)
class Subscription:
    id: str
    revision: int
    choices: Choices
    saved_on: date
    feed_salt: str
    state: PlanState = field(default_factory=PlanState)


def engine_for(url: str, pool_size: int = 5) -> Engine:
    """An engine for a SQLite file (WAL) or PostgreSQL through psycopg 3, keeping `pool_size`
    PostgreSQL connections open (up to ten more while busier, closed again after use)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    engine = create_engine(url, pool_size=pool_size)
    event.listen(engine, "checkout", _still_open)
    return engine


def _still_open(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Refuse a pooled PostgreSQL connection the server has closed, so the pool opens another.

    An idle connection has nothing to read: anything there (the error a restarting or
    terminating server sends, or the close itself) means it is gone. One non-blocking poll,
    where a pre-ping would send a query to the server on every checkout.
    """
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection was closed")
    readable, _, _ = poll_readable([dbapi_connection.fileno()], [], [], 0)
    if readable:
        raise DisconnectionError("the server closed the connection")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer commits; foreign keys are off unless asked for.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _columns(subscription: Subscription) -> dict[str, Any]:
    choices = subscription.choices
    values = texts(choices)
    del values["race"]
    return {
        "distance": choices.distance,
        "race": choices.race,
        "choices": json.dumps(values, separators=(",", ":")),
        "slots": pack(subscription.state),
    }


def _subscription(row: Row[Any] | _ReadRow) -> Subscription:
    values = json.loads(row.choices) | {"race": row.race.isoformat()}
    choices = read(row.distance, values)
    state = unpack(row.slots)
    return Subscription(row.id, row.revision, choices, row.saved_on, row.feed_salt, state)


class Store:
    """The repository of managed subscriptions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Reads are single statements: without a transaction around them the server is spared
        # the BEGIN and the ROLLBACK each would otherwise cost (two round trips of three).
        self.reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        # The lookups every feed fetch makes go to the driver as SQLAlchemy compiles them
        # (`_driver_row`), with the order of their parameters where the driver's are positional.
        self._find_sql = {kind: _compiled(query, engine) for kind, query in _FIND.items()}
        self._revision_sql = _compiled(_FEED_REVISION, engine)
        # psycopg opens a transaction for a read unless in autocommit; SQLite's driver does not.
        self._autocommit = engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.reader.connect() as conn:
            yield conn

    def find(self, kind: Kind, token_digest: str) -> Subscription | None:
        found = self._driver_row(self._find_sql[kind], {"digest": bytes.fromhex(token_digest)})
        return None if found is None else _subscription(_read_row(found))

    def revision(self, feed_digest: str) -> int | None:
        """The revision of the plan a feed token digest opens (None: none), decoding nothing
        else: one lookup on the unique feed-digest index, for answers kept in front of the app."""
        found = self._driver_row(self._revision_sql, {"feed_digest": bytes.fromhex(feed_digest)})
        return None if found is None else int(found[0])

    def _driver_row(self, statement: Compiled, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of one read sent to the driver as SQLAlchemy compiled it, on a pooled
        connection, outside a transaction (on PostgreSQL in autocommit: no BEGIN or ROLLBACK
        round trip; SQLite's driver begins none for a read).

        Every fetch of a managed feed looks its plan up: a `Connection` and its execution
        context cost more than the lookup itself (on PostgreSQL 0.25 against 0.15 ms of CPU;
        on SQLite 0.34 ms against 0.03). Errors reach the app as SQLAlchemy's own (a
        `DBAPIError`, 503 at the edge), and a connection the server has closed is dropped from
        the pool, as a `Connection` does.
        """
        sql, order = statement
        bound = params if order is None else tuple(params[name] for name in order)
        dbapi_error = self.engine.dialect.loaded_dbapi.Error
        try:
            pooled = self.engine.raw_connection()
        except dbapi_error as error:
            raise DBAPIError.instance(sql, params, error, dbapi_error) from error
        try:
            connection: Any = pooled.dbapi_connection  # psycopg's or sqlite3's
            try:
                if self._autocommit:
                    connection.autocommit = True
                with closing(connection.cursor()) as cursor:
                    cursor.execute(sql, bound)
                    return cast(tuple[Any, ...] | None, cursor.fetchone())
            except dbapi_error as error:
                gone = self.engine.dialect.is_disconnect(error, pooled, None)
                if gone:
                    pooled.invalidate(error)
                raise DBAPIError.instance(
                    sql, params, error, dbapi_error, connection_invalidated=gone
                ) from error
            finally:
                if self._autocommit and not connection.closed:
                    connection.autocommit = False
        finally:
            pooled.close()

    def is_retired(self, kind: Kind, token_digest: str) -> bool:
        query = select(retired_tokens.c.digest).where(
            retired_tokens.c.digest == token_digest, retired_tokens.c.kind == kind
        )
        with self._read() as conn:
            return conn.execute(query).first() is not None

    def create(
        self,
        subscription: Subscription,
        digests: Mapping[Kind, str],
        now: datetime,
    ) -> None:
        """Store a new subscription and its first slot states."""
        values = {
            "id": subscription.id,
            "manage_digest": digests["manage"],
            "feed_digest": digests["feed"],
            "feed_salt": subscription.feed_salt,
            "revision": subscription.revision,
            "saved_on": subscription.saved_on,
            "created": now,
            "updated": now,
            **_columns(subscription),
        }
        with self.engine.begin() as conn:
            conn.execute(insert(subscriptions).values(values))

    def save(
        self,
        subscription: Subscription,
        expected: int,
        now: datetime,
    ) -> bool:
        """Write new choices and slot states if nobody wrote since `expected`."""
        values = {"saved_on": subscription.saved_on, **_columns(subscription)}
        with self.engine.begin() as conn:
            return self._bump(conn, subscription.id, expected, now, values)

    def rotate(self, subscription_id: str, expected: int, old: str, new: str, salt: str) -> bool:
        """Give the feed a new token digest and retire the old one, unless outdated."""
        values = {"feed_digest": new, "feed_salt": salt}
        with self.engine.begin() as conn:
            if not self._bump(conn, subscription_id, expected, None, values):
                return False
            conn.execute(insert(retired_tokens).values(digest=old, kind="feed"))
        return True

    def delete(self, subscription_id: str, digests: Mapping[Kind, str]) -> None:
        """Delete everything of a subscription; keep only its token digests, as retired."""
        retired = [{"digest": d, "kind": k} for k, d in digests.items()]
        with self.engine.begin() as conn:
            conn.execute(delete(subscriptions).where(subscriptions.c.id == subscription_id))
            conn.execute(insert(retired_tokens), retired)

    def batch(self, after: str, limit: int, before: str | None = None) -> list[Subscription]:
        """Up to `limit` plans with ids above `after` ("" for the first) and below `before`
        (None: no bound), in id order."""
        query = select(*_READ).where(subscriptions.c.id > after).order_by(subscriptions.c.id)
        if before is not None:
            query = query.where(subscriptions.c.id < before)
        with self._read() as conn:
            rows = conn.execute(query.limit(limit)).all()
        return [_subscription(row) for row in rows]

    def restamp(self, plans: list[Subscription]) -> int:
        """Store plans' slot states again, in one transaction, each only if nobody wrote since
        it was read, keeping its revision: the states describe exactly the events that reads of
        it already serve. How many were stored."""
        if not plans:
            return 0
        rows = [{"b_id": p.id, "b_revision": p.revision, "b_slots": pack(p.state)} for p in plans]
        with self.engine.begin() as conn:
            return conn.execute(_RESTAMP, rows).rowcount

    @staticmethod
    def _bump(
        conn: Connection,
        subscription_id: str,
        expected: int,
        now: datetime | None,
        values: Mapping[str, Any],
    ) -> bool:
        stamp = {"updated": now} if now is not None else {}
        result = conn.execute(
            update(subscriptions)
            .where(subscriptions.c.id == subscription_id, subscriptions.c.revision == expected)
            .values(revision=expected + 1, **stamp, **values)
        )
        return result.rowcount == 1


# Built once: constructing the statement per call costs as much as the lookup itself. A lookup
# selects only what `_subscription` reads.
_READ = [
    subscriptions.c[name]
    for name in ("id", "revision", "distance", "race", "choices", "saved_on", "feed_salt", "slots")
]
_FIND: dict[Kind, Select[Any]] = {
    "feed": select(*_READ).where(subscriptions.c.feed_digest == bindparam("digest")),
    "manage": select(*_READ).where(subscriptions.c.manage_digest == bindparam("digest")),
}


class _ReadRow(NamedTuple):
    id: str
    revision: int
    distance: str
    race: date
    choices: str
    saved_on: date
    feed_salt: str
    slots: bytes


def _read_row(row: tuple[Any, ...]) -> _ReadRow:
    """A lookup's row from the driver as `_subscription` reads it (psycopg gives dates as dates
    and bytea as bytes or a view; SQLite's driver gives the dates as the text SQLAlchemy stored)."""
    id_, revision, distance, race, choices, saved_on, feed_salt, slots = row
    return _ReadRow(
        bytes(id_).hex(),
        revision,
        distance,
        _day(race),
        choices,
        _day(saved_on),
        feed_salt,
        bytes(slots),
    )


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# A statement as the driver takes it: its SQL, and the names of its parameters in order where
# the driver's are positional (SQLite's "?"), else None (psycopg's named ones).
Compiled = tuple[str, tuple[str, ...] | None]


def _compiled(query: Select[Any], engine: Engine) -> Compiled:
    compiled = query.compile(dialect=engine.dialect)
    order = compiled.positiontup
    return str(compiled), None if order is None else tuple(order)


_RESTAMP = (
    update(subscriptions)
    .where(
        subscriptions.c.id == bindparam("b_id"),
        subscriptions.c.revision == bindparam("b_revision"),
    )
    .values(slots=bindparam("b_slots"))
)
_FEED_REVISION = select(subscriptions.c.revision).where(
    subscriptions.c.feed_digest == bindparam("feed_digest")
)
