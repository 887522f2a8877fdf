"""How the desk names a person: one rule for every page, form and message.

A person is shown by their full name when they have one, else by their username. Pages
use the `person` template filter (claims/templatetags/people.py); forms and Python code
call `display_name`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

SYSTEM = "The system"
# The fields `name_from_values` reads, in its order.
NAME_FIELDS = ("username", "first_name", "last_name")


def display_name(user: Any) -> str:
    """`user`'s name as the desk reads it: "Ruth Ortega", or "ruth" without a full name;
    "The system" for no one (commands, the worker)."""
    if user is None:
        return SYSTEM
    full = f"{getattr(user, 'first_name', '')} {getattr(user, 'last_name', '')}".strip()
    return full or user.get_username()


def name_from_values(username: str, first_name: str = "", last_name: str = "") -> str:
    """The same rule for a user read as values (a timeline's people), not as a model."""
    return f"{first_name} {last_name}".strip() or username


# The cache key of the desk's names' stamp: a token that changes whenever anyone's name
# may have changed. Fragments that show names (the claim's timeline) put it in their key,
# so a renamed person is never shown by an old name.
NAMES_STAMP_KEY = "people:names-stamp"


def names_stamp() -> str:
    """The current token (a new one if the cache has lost it: every fragment keyed by an
    older token is then simply not found)."""
    return str(cache.get_or_set(NAMES_STAMP_KEY, lambda: uuid.uuid4().hex, timeout=None))


def names_changed(sender, instance=None, update_fields=None, **kwargs) -> None:
    """post_save of the user model (connected in apps.py): a save that may change a name
    (any save but one naming only other fields, such as a login's `last_login`) takes a
    new token, now and again once its transaction commits, so a page read in between
    cannot keep the old name under the new token."""
    if update_fields is not None and not set(update_fields) & set(NAME_FIELDS):
        return

    def renew() -> None:
        cache.set(NAMES_STAMP_KEY, uuid.uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew)
