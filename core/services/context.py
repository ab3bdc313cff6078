"""What every use case receives: the open unit of work, the moment, and the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.policy import Policy
from core.ports import UnitOfWork


@dataclass
class Ctx:
    """One use case's world: a transaction, the time it happens, the contract's numbers."""

    uow: UnitOfWork
    now: datetime
    policy: Policy = field(default_factory=Policy)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
