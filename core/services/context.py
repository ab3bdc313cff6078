"""What every use case receives: the open unit of work, the moment, and the policy."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime

from core.outbox import Channel
from core.policy import Policy
from core.ports import UnitOfWork

Reach = Callable[[], Collection[str]]
"""The channels a notice written now goes out on: served by this instance or a live one, or
kept for one that will."""


def nowhere() -> Collection[str]:
    """No channel known to send: nothing is promised."""
    return ()


@dataclass
class Ctx:
    """One use case's world: a transaction, the time it happens, the contract's numbers."""

    uow: UnitOfWork
    now: datetime
    policy: Policy = field(default_factory=Policy)
    reach: Reach = nowhere

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")

    def mails(self, address: str) -> bool:
        """Whether an e-mail to `address` written now goes out (or waits for an instance that
        sends it): only then may the chat promise one."""
        return bool(address.strip()) and Channel.EMAIL in self.reach()
