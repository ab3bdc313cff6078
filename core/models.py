"""The help desk's entities: companies, users, tickets, trâmites, attachments, invites and
e-mail changes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    """What a user is to the help desk."""

    CUSTOMER = "customer"
    AGENT = "agent"
    COORDINATOR = "coordinator"


class Status(StrEnum):
    """Where a ticket stands (R6); several statuses share one tab."""

    NEW = "novo"
    ESTIMATE = "em_estimativa"
    ASSIGNED = "repassada"
    IN_PROGRESS = "em_atendimento"
    IN_DEVELOPMENT = "em_desenvolvimento"
    AWAITING_APPROVAL = "aguardando_aprovacao"
    CLOSED = "encerrado"
    REJECTED = "rejeitado"


class Tab(StrEnum):
    """The status tabs of the manual (R6)."""

    NEW = "novos"
    ESTIMATE = "em_estimativa"
    IN_PROGRESS = "em_atendimento"
    AWAITING_APPROVAL = "aguardando_aprovacao"
    CLOSED = "encerrados"
    REJECTED = "rejeitados"
    ALL = "todos"


TAB_STATUSES: dict[Tab, tuple[Status, ...]] = {
    Tab.NEW: (Status.NEW,),
    Tab.ESTIMATE: (Status.ESTIMATE,),
    Tab.IN_PROGRESS: (Status.ASSIGNED, Status.IN_PROGRESS, Status.IN_DEVELOPMENT),
    Tab.AWAITING_APPROVAL: (Status.AWAITING_APPROVAL,),
    Tab.CLOSED: (Status.CLOSED,),
    Tab.REJECTED: (Status.REJECTED,),
    Tab.ALL: tuple(Status),
}

OPEN_STATUSES = frozenset(Status) - {Status.CLOSED, Status.REJECTED}


class Priority(StrEnum):
    """Padrão by default; Crítico jumps the queue (R12)."""

    STANDARD = "padrao"
    CRITICAL = "critico"


class CriticalReason(StrEnum):
    """The two reasons the manual accepts for a critical ticket (R12)."""

    AREA_STOPPED = "area_parada"
    TAX_DEADLINE = "obrigacao_acessoria"


class EntryKind(StrEnum):
    """A public trâmite, an agents-only note, or a line the system writes."""

    PUBLIC = "publico"
    INTERNAL = "interno"
    SYSTEM = "sistema"


class Decision(StrEnum):
    """The customer's answer to an approval request (R19), or the auto-close (R21)."""

    APPROVED = "aprovado"
    NOT_APPROVED = "nao_aprovado"
    APPROVED_WITH_RESTRICTIONS = "aprovado_com_restricoes"
    AUTO_APPROVED = "aprovado_automaticamente"


class Rating(StrEnum):
    """Satisfaction with the service (R20), best first."""

    GREAT = "otimo"
    GOOD = "bom"
    FAIR = "regular"
    POOR = "ruim"
    TERRIBLE = "pessimo"


class Model(BaseModel):
    """Base of the entities: mutable, validated on construction."""

    model_config = ConfigDict(from_attributes=True)


class Company(Model):
    """A client company under contract."""

    id: int | None = None
    name: str


class User(Model):
    """A customer's user, an agent or a coordinator."""

    id: int | None = None
    name: str
    email: str
    phone: str | None = None
    role: Role = Role.CUSTOMER
    trained: bool = False
    company_ids: list[int] = Field(default_factory=list)
    slack_id: str | None = None
    telegram_id: int | None = None
    language: str | None = None
    active: bool = True
    deactivated_at: datetime | None = None
    deactivation_reason: str | None = None

    @property
    def is_staff(self) -> bool:
        """Agents and coordinators work tickets; customers do not."""
        return self.role in (Role.AGENT, Role.COORDINATOR)


class Invite(Model):
    """A one-time code that links a chat account to a registered user (R2)."""

    code: str
    user_id: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class EmailChange(Model):
    """A new e-mail address a user asked for, kept until the code sent to it is typed (R11)."""

    user_id: int
    email: str
    code: str
    sent_at: datetime
    """When the last code went out: another is sent no sooner than the resend interval."""
    expires_at: datetime
    """Until when the code is taken; a change dropped (cancelled, too many wrong codes) ends
    now, its row kept for sent_at."""
    failures: int = 0


class Ticket(Model):
    """A support request and where it stands."""

    id: int | None = None
    period: str
    seq: int
    company_id: int
    requester_id: int
    tipo: str
    item: str
    servico: str
    versao: str | None = None
    assunto: str
    descricao: str
    priority: Priority = Priority.STANDARD
    critical_reason: CriticalReason | None = None
    status: Status = Status.NEW
    justificativa: str | None = None
    assignee_id: int | None = None
    opened_at: datetime
    updated_at: datetime
    assigned_at: datetime | None = None
    """When it was first taken: the report's first response counts to it (R14)."""
    taken_at: datetime | None = None
    """When the responsible it has now got it (the latest take); None with nobody (and on
    tickets closed before it was kept: migration 0032)."""
    due_at: datetime | None = None
    prazo_paused_at: datetime | None = None
    """Since when the prazo waits on the customer's answer to a proposal (R13, R16)."""
    workaround_at: datetime | None = None
    """When a workaround first reached the customer: the urgency met, the fix follows (R12)."""
    awaiting_since: datetime | None = None
    reminders_sent: int = 0
    due_warnings_sent: int = 0
    first_response_flagged: bool = False
    closed_at: datetime | None = None
    decision: Decision | None = None
    decision_comment: str | None = None
    rating: Rating | None = None
    rating_comment: str | None = None
    """The customer's words given with the rating (R20): feedback for the team."""
    origin: str | None = None
    covered: bool | None = None
    billable: bool = False
    billing_authorized: bool | None = None
    billing_quote: str | None = None
    duplicate_of_id: int | None = None
    unreachable_telegram: bool = False

    @property
    def number(self) -> str:
        """The number the customer quotes: YYYYMM/NNNN (R1)."""
        return format_number(self.period, self.seq)

    @property
    def is_open(self) -> bool:
        """Not yet closed nor rejected."""
        return self.status in OPEN_STATUSES

    def overdue(self, now: datetime) -> bool:
        """Past its prazo de entrega while the team owes it (R13): open, not awaiting the
        customer's approval, its prazo not on hold for a proposal (as worklists.overdue)."""
        return self.is_open and self.status != Status.AWAITING_APPROVAL \
            and self.due_at is not None and self.due_at <= now and self.prazo_paused_at is None

    def move_to(self, status: Status, justificativa: str | None = None) -> None:
        """A new status; the justificativa shown beside it is the one given, not the one the
        previous status had ("Em análise e Simulação" under Aguardando aprovação, R6)."""
        if status != self.status or justificativa is not None:
            self.justificativa = justificativa
        if status == Status.NEW and self.status != Status.NEW:
            self.first_response_flagged = True  # back in the queue, answered: no "not taken"
        self.status = status

    def hand_to(self, user_id: int | None, now: datetime) -> None:
        """Make user_id responsible from now (None: nobody); the first take's moment is kept."""
        self.assignee_id = user_id
        self.taken_at = now if user_id is not None else None
        if user_id is not None and self.assigned_at is None:
            self.assigned_at = now


def format_number(period: str, seq: int) -> str:
    """Render a ticket number as YYYYMM/NNNN."""
    return f"{period}/{seq:04d}"


def example_number(now: datetime, timezone: str, typed: str = "") -> str:
    """A number of this month's shape (202612/0001 in December), for messages' examples;
    never the one `typed` (its digits, as "202612/0001", "0001" or "1"): 202612/0002 then."""
    period = now.astimezone(ZoneInfo(timezone)).strftime("%Y%m")
    digits = "".join(ch for ch in typed if ch.isascii() and ch.isdigit()).lstrip("0")
    echoed = bool(digits) and f"{period}0001".endswith(digits)
    return format_number(period, 2 if echoed else 1)


class Attachment(Model):
    """A file attached to a ticket, stored by content hash."""

    id: int | None = None
    ticket_id: int | None = None
    entry_id: int | None = None
    filename: str
    content_type: str = "application/octet-stream"
    size: int = 0
    sha256: str

    def unattached(self) -> Attachment:
        """The same stored file, not tied to any ticket or entry yet (for a new one)."""
        return self.model_copy(update={"id": None, "ticket_id": None, "entry_id": None})


class Entry(Model):
    """A trâmite: one entry in a ticket's thread (R7)."""

    id: int | None = None
    ticket_id: int
    author_id: int | None = None
    kind: EntryKind = EntryKind.PUBLIC
    text: str
    created_at: datetime
    attachments: list[Attachment] = Field(default_factory=list)
