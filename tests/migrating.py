"""Tests of a data migration: the schema taken back to just before it, rows written with
the models of then, the migration run, and the newest schema again afterwards."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@contextmanager
def migrating(before: str, after: str) -> Iterator[tuple[Apps, Callable[[], None]]]:
    """The claims app migrated back to migration `before`: yields its models as they
    were then, and a function that migrates to `after`. On leaving, pass or fail, every
    migration runs again, or the tests after this one (in this process) would meet a
    schema from the past. Needs a transactional test (SQLite alters no schema inside a
    transaction)."""
    target = [("claims", before)]
    try:
        _migrate(target)
        old = MigrationExecutor(connection).loader.project_state(target).apps
        yield old, lambda: _migrate([("claims", after)])
    finally:
        _migrate()
