"""How the desk names a person: one rule for every page, form and message.

A person is shown by their full name when they have one, else by their username. Pages
use the `person` template filter (claims/templatetags/people.py); forms and Python code
call `display_name`.
"""

from __future__ import annotations

from typing import Any

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
