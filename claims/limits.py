"""How long free text may be, in one place for the forms and the services.

The database leaves text columns unbounded. These limits keep a single request from
storing megabytes in a note or a rationale, and give the person a message that says
how long the text may be instead. Forms set the same numbers as `max_length`, so a
browser stops typing at the limit; the services check again for every other caller
(the admin, commands, tests).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

WORDING = 5_000
NOTE = 10_000
EXCERPT = 5_000
RATIONALE = 20_000
COMMENT = 2_000  # sending a verdict back; the reason for an approval override
DISMISS_REASON = 500  # Claim.dismissed_reason's column
CORRECTION = 5_000
REOPEN_REASON = 5_000
RETRACTION = 5_000
TRANSPARENCY = 10_000  # the organisation's texts, a biography
TIP = 2_000  # a reader's suggested claim
CORRECTION_REQUEST = 5_000  # what a reader says is wrong, their evidence, our answer


def bounded(value: str, *, field: str, limit: int, what: str, required: str = "") -> str:
    """`value` stripped; ValidationError({field: …}) if it is empty (when `required`
    says why it is needed) or longer than `limit` characters."""
    value = value.strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError(
            {field: f"Keep {what} to {limit:,} characters at most; this one has {len(value):,}."}
        )
    return value
