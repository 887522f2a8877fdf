"""What waits for a desk member, for the workspace header's count.

This slice counts what readers sent: new tips and correction requests, for editors. The
"my work" page counts claims assigned, sign-offs waiting and verdicts sent back; the two
merge into one `waiting_for()`."""

from __future__ import annotations

from dataclasses import dataclass

from .access import IntakeAbilities
from .models import CorrectionRequest, ReaderStatus, Tip


@dataclass(frozen=True)
class Waiting:
    tips: int = 0
    correction_requests: int = 0

    @property
    def total(self) -> int:
        return self.tips + self.correction_requests


def waiting_for(user) -> Waiting:
    abilities = IntakeAbilities(user)
    return Waiting(
        tips=Tip.objects.filter(status=ReaderStatus.NEW).count() if abilities.tips else 0,
        correction_requests=CorrectionRequest.objects.filter(status=ReaderStatus.NEW).count()
        if abilities.correction_requests
        else 0,
    )
