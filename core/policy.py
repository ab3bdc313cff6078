"""The support contract's tunable numbers, passed into core from the settings."""

from __future__ import annotations

from pydantic import BaseModel, Field

from core.models import Priority


class Policy(BaseModel):
    """Deadlines, limits and versions that the rules depend on."""

    timezone: str = "America/Sao_Paulo"
    prazo_days: dict[Priority, float] = Field(
        default_factory=lambda: {Priority.STANDARD: 5.0, Priority.CRITICAL: 1.0}
    )
    autoclose_days: int = 15
    reminder_days: tuple[int, ...] = (5, 10)
    first_response_business_minutes: int = 120
    first_response_critical_business_minutes: int = 30
    """The same alarm for a critical ticket, which 'será atendido mais rápido' (R12, §8)."""
    due_warning_business_minutes: int = 600
    """How long before the prazo it is told due soon, at most a quarter of the prazo (R13)."""
    current_version: str = "2026.11"
    assunto_max: int = 100
    text_max: int = 20_000
    invite_ttl_hours: int = 72
    invite_max_failures: int = 5
    """Wrong invite codes a chat conversation may send within the window before it waits (R2)."""
    invite_failure_minutes: int = 10
    coordination_contact: str = ""
    """How customers reach the technical coordination (training, accounts), e.g. an e-mail."""
    services_email: str = ""
    """The vendor's services area, sent each charge a customer authorizes (§12, R23)."""
    support_phone: str = ""
    """The support team's telephone (manual §4: calls are always about a registered ticket)."""
    """The vendor's services area, sent each charge a customer authorizes (§12, R23)."""
    stale_conversation_hours: int = 24
    language: str = "pt_BR"
