"""`{{ article.language|direction }}`: "rtl" or "ltr", for the `dir` of article text."""

from __future__ import annotations

from django import template

from .. import languages

register = template.Library()


@register.filter
def direction(language: str) -> str:
    return languages.direction(language or "")
