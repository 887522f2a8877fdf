"""The append-only, hash-chained audit trail, one job to a module:

- `encoding`: what an event's hash covers, written once (`event_hash`);
- `recording`: `record()`, the one writer of `AuditEvent` rows;
- `verifying`: `verify_chain()` and `publications_off_chain()`, for `manage.py verify_audit`;
- `replaying`: `replay()`, the claims rebuilt from their events, for the as-of view.

Callers use the names below (`audit.record(...)`); the actions are `AuditAction`.
"""

from ..models import AuditAction
from .encoding import GENESIS_HASH, HashedEvent, canonical_json, event_hash, jsonable
from .recording import SYSTEM_ACTOR, chain_head, record, values
from .replaying import (
    CLAIMANT_FIELDS,
    ClaimState,
    ReplayError,
    claim_as_of,
    claim_events,
    import_of,
    replay,
)
from .verifying import ChainReport, publications_off_chain, verify_chain

__all__ = [
    "CLAIMANT_FIELDS",
    "GENESIS_HASH",
    "SYSTEM_ACTOR",
    "AuditAction",
    "ChainReport",
    "ClaimState",
    "HashedEvent",
    "ReplayError",
    "canonical_json",
    "chain_head",
    "claim_as_of",
    "claim_events",
    "event_hash",
    "import_of",
    "jsonable",
    "publications_off_chain",
    "record",
    "replay",
    "values",
    "verify_chain",
]
