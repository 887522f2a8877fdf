"""`{{ user|person }}`: how the desk names a person (claims/people.py), on every page."""

from __future__ import annotations

from django import template

from ..people import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    """The person's name; empty for nobody, so `|person|default:"nobody"` reads well."""
    return display_name(user) if user else ""
