"""A small help desk for delivery tests: people, a ticket, senders, a dispatcher that drains."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bots.delivery.dispatcher import Dispatcher, DispatcherConfig
from bots.delivery.limits import Backoff, Limits
from bots.delivery.registry import SenderRegistry
from bots.delivery.results import Result, Sent
from bots.email import EmailSender
from bots.runtime import Desk
from bots.settings import Settings
from core.models import Role, Ticket
from core.outbox import OutboxMessage
from core.services import closing, handling, intake, users
from core.services.context import Ctx
from core.services.delivery import record_undeliverable
from storage.outbox_sql import OutboxQueue

if TYPE_CHECKING:
    from fakes.smtp_server import FakeSMTP

CARLA_CHAT = 1001
CARLA_EMAIL = "carla@mercado.com.br"
ANA_EMAIL = "ana@suporte.com.br"
MAIL_FROM = "Suporte Exemplo <suporte@exemplo.com.br>"
QUICK_PACING = Limits(telegram_chat_interval=0.02, telegram_group_interval=0.02,
                      slack_channel_interval=0.01)
"""Sends to one chat or channel a few ms apart, not a second: the fakes and recording senders
enforce no limit (test_delivery.py checks the real pacing against a fake that does)."""


@dataclass
class RecordingSender:
    """A sender that remembers what it got and answers from a script (Sent by default)."""

    script: deque[Result] = field(default_factory=deque)
    calls: list[tuple[float, OutboxMessage]] = field(default_factory=list)
    sent: list[OutboxMessage] = field(default_factory=list)
    delay: float = 0.0

    async def send(self, msg: OutboxMessage) -> Result:
        self.calls.append((time.monotonic(), msg))
        if self.delay:
            await asyncio.sleep(self.delay)
        result = self.script.popleft() if self.script else Sent()
        if isinstance(result, Sent):
            self.sent.append(msg)
        return result


def _link_telegram(ctx: Ctx, user_id: int, chat_id: int) -> None:
    user = ctx.uow.users.get(user_id)
    assert user is not None
    user.telegram_id = chat_id
    ctx.uow.users.update(user)


@dataclass
class People:
    """Ids of the seeded people."""

    carla: int
    ana: int


def seed(desk: Desk, chat_id: int | None = CARLA_CHAT) -> People:
    """A client company, Carla (trained, on Telegram and e-mail) and Ana (agent, e-mail only)."""
    desk.call(users.add_company, "Mercado Exemplo")
    carla = desk.call(users.add_user, name="Carla Souza", email=CARLA_EMAIL,
                      company_names=["Mercado Exemplo"], role=Role.CUSTOMER, trained=True)
    ana = desk.call(users.add_user, name="Ana Atendente", email=ANA_EMAIL, role=Role.AGENT,
                    trained=True)
    if chat_id is not None:
        desk.call(_link_telegram, carla.id, chat_id)
    return People(carla=carla.id, ana=ana.id)


def open_ticket(desk: Desk, who: int, assunto: str = "Não consigo emitir a nota fiscal",
                descricao: str = "Vendas > Notas > Emitir: a nota 10125 é rejeitada.") -> Ticket:
    """Open a complete ticket."""
    draft = intake.TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas",
                               versao="2026.11", assunto=assunto, descricao=descricao)
    return desk.call(intake.open_ticket, who, draft)


def awaiting_approval(desk: Desk, people: People, solution: str = "Atualize para 2026.11."
                      ) -> Ticket:
    """A ticket taken by Ana and answered: awaiting Carla's approval."""
    ticket = open_ticket(desk, people.carla)
    desk.call(handling.take, people.ana, ticket.id)
    return desk.call(closing.request_approval, people.ana, ticket.id, solution,
                     origin_id="erro_sistema")


def dispatcher(desk: Desk, senders: dict[str, Any], *, limits: Limits | None = None,
               lease: float = 10.0, workers: int = 4, worker_id: str | None = None,
               base: float = 0.1, cap: float = 0.5, language: str = "pt_BR",
               send_timeout: float | None = None, grace: float = 2.0,
               upload_timeout: float = 600.0,
               clock: Callable[[], datetime] | None = None) -> Dispatcher:
    """A dispatcher over the desk's SQL store, quick to poll and retry (its failure reasons
    in `language`, LANGUAGE's role); an instance not seen for `grace` seconds is gone;
    `clock`: its time (the wall clock by default)."""
    registry = SenderRegistry()
    for channel, sender in senders.items():
        registry.register(channel, sender)
    engine = getattr(desk.store, "engine")  # noqa: B009
    config = DispatcherConfig(workers=workers, poll_interval=0.05, lease=lease,
                              send_timeout=send_timeout or min(5.0, lease / 2),
                              upload_timeout=upload_timeout,
                              limits=limits or QUICK_PACING,
                              backoff=Backoff(base=base, cap=cap), language=language,
                              unserved_every=grace / 4, unserved_grace=grace)

    async def undeliverable(msg: OutboxMessage, error: str, unreachable: bool) -> None:
        await desk.acall(record_undeliverable, msg, error, unreachable)

    return Dispatcher(OutboxQueue(engine, language), registry, config=config,
                      run_sync=desk.run_sync, on_undeliverable=undeliverable,
                      worker_id=worker_id, **({"clock": clock} if clock else {}))


def pending(desk: Desk) -> int:
    """Rows still waiting (what `helpdesk outbox status` calls pendentes)."""
    engine = getattr(desk.store, "engine")  # noqa: B009
    from datetime import UTC, datetime

    return OutboxQueue(engine).stats(datetime.now(UTC)).pending


async def deliver_pending(desk: Desk, senders: dict[str, Any], *, limits: Limits | None = None,
                          within: float = 20.0) -> None:
    """Run a dispatcher with these senders until no row is pending (or `within` seconds pass)."""
    d = dispatcher(desk, senders, limits=limits)
    await d.start()
    deadline = time.monotonic() + within
    while pending(desk) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await d.stop()


def email_sender(smtp: FakeSMTP, url: str | None = None) -> EmailSender:
    """The real e-mail sender, pointed at the fake SMTP server (or at another URL of it), with
    the product's SMTP timeout (30 s): at 5 s a loaded machine could send an e-mail twice."""
    settings = Settings(_env_file=None, smtp_url=url or smtp.url,  # type: ignore[call-arg]
                        mail_from=MAIL_FROM)
    config = settings.smtp()
    assert config is not None
    return EmailSender(config, MAIL_FROM)


def through_smtp(desk: Desk) -> FakeSMTP:
    """Deliver everything pending, e-mail through a live SMTP server on loopback."""
    from fakes.smtp_server import FakeSMTP

    smtp = FakeSMTP()

    async def story() -> None:
        await smtp.start()
        await deliver_pending(desk, {"email": email_sender(smtp), "slack": RecordingSender(),
                                     "telegram": RecordingSender()}, within=15)
        await smtp.stop()

    asyncio.run(story())
    assert pending(desk) == 0
    return smtp
