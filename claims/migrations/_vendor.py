"""Shared by migrations that run raw SQL written for each database vendor.

The loader skips modules whose names start with an underscore, so this is no migration.
"""


def run_by_vendor(statements_by_vendor: dict[str, list[str]]):
    """A RunPython function executing the statements listed for the connection's vendor."""

    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run
