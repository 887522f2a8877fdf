"""Taking the audit table's append-only triggers off, as only its owner can.

Tests need it twice: to tamper with rows the way a database owner could (and see the
hash chain catch it), and to let Django's flush empty the tables after a
transactional test.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_guards = importlib.import_module("claims.migrations.0005_audit_append_only")

SUSPEND = {
    "sqlite": _guards.SQLITE_BACKWARD,
    # Pending foreign-key checks would block the ALTER; run them first.
    "postgresql": [
        "SET CONSTRAINTS ALL IMMEDIATE",
        "ALTER TABLE claims_auditevent DISABLE TRIGGER USER",
    ],
}
RESTORE = {
    "sqlite": _guards.SQLITE_FORWARD,
    "postgresql": [
        "ALTER TABLE claims_auditevent ENABLE TRIGGER USER",
        "SET CONSTRAINTS ALL DEFERRED",
    ],
}


@contextmanager
def suspended(conn=connection) -> Iterator[None]:
    """Run the block with the audit table's triggers off; they are back afterwards."""
    with conn.cursor() as cursor:
        for statement in SUSPEND[conn.vendor]:
            cursor.execute(statement)
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            for statement in RESTORE[conn.vendor]:
                cursor.execute(statement)


def around_flush(sql_list: list[str], vendor: str) -> list[str]:
    """Django's flush statements, with the triggers off while they run."""
    return [*SUSPEND[vendor], *sql_list, *RESTORE[vendor]]
