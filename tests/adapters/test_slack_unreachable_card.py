"""R5, R7: a customer Telegram refuses (blocked bot) is flagged on the Slack card and in its
thread with what really becomes of their notices: by e-mail or Slack only when an instance
sends them, else that they will only see it back in the bot (call them)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from slack_harness import TRIAGE, Scenario, SlackWorld, card_fields

from core.models import Role
from core.outbox import Channel, OutboxMessage
from core.services import handling, users
from core.services.context import Ctx
from core.services.delivery import record_undeliverable

NO_MAIL = "nenhuma instância do helpdesk envia e-mail (SMTP_URL não configurado)"
CALL = "Se for urgente, ligue para ele."


async def refused(w: SlackWorld, ticket_id: int) -> None:
    """Telegram refused a notice of the ticket (403: blocked), as the dispatcher reports it."""
    message = OutboxMessage(channel=Channel.TELEGRAM, target="7001", kind="ticket.tramite",
                            params={}, ticket_id=ticket_id, created_at=w.now,
                            next_attempt_at=w.now)
    assert await w.core(record_undeliverable, message, "Forbidden: bot was blocked by the user",
                        True)


def reaching(w: SlackWorld, channels: Collection[str]) -> None:
    """The channels the instances send on (bots.delivery.reach), as the desk reads them."""
    w.desk.reach = lambda: frozenset(channels)


async def card_and_thread(w: SlackWorld, ticket_id: int) -> tuple[str, str]:
    await w.deliver()
    ts = await w.card_ts(ticket_id)
    thread = w.fake.thread(TRIAGE, ts)
    return card_fields(w.fake.find(TRIAGE, ts)), thread[-1]["text"] if thread else ""


def test_r5_the_blocked_customers_card_says_no_e_mail_goes_when_no_instance_sends_one(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        def tina(ctx: Ctx) -> int:  # on Telegram only: no Slack of hers
            return users.add_user(ctx, name="Tina Telegram", email="tina@example.com",
                                  company_names=["Mercado Exemplo"], role=Role.CUSTOMER,
                                  trained=True).id or 0

        w.ids["tina"] = await w.core(tina)
        reaching(w, ())  # no SMTP_URL, no Slack sender anywhere
        first = await w.open_ticket("tina")
        await refused(w, first.id)
        card, line = await card_and_thread(w, first.id)
        assert "bloqueou o bot" in card
        assert NO_MAIL in card
        assert CALL in card
        assert "seguem por e-mail" not in card
        assert "bloqueou o bot" in line
        assert NO_MAIL in line
        assert "seguem por e-mail" not in line

        reaching(w, {Channel.EMAIL, Channel.SLACK})  # an instance with SMTP_URL came up
        second = await w.open_ticket("tina", assunto="Outro pedido")
        await refused(w, second.id)
        card, line = await card_and_thread(w, second.id)
        assert "os avisos seguem por e-mail até ele voltar a escrever ao bot" in card
        assert "os avisos seguem por e-mail até ele voltar a escrever ao bot" in line
        assert "Slack" not in line  # she has none
        # The first card, redrawn, says what now happens; its thread keeps what was said.
        await w.core(handling.take, w.ids["ana"], first.id)
        card, line = await card_and_thread(w, first.id)
        assert "os avisos seguem por e-mail até ele voltar" in card
        assert NO_MAIL not in card

        reaching(w, {Channel.SLACK})  # Slack only: Carla is on Slack
        third = await w.open_ticket("carla", assunto="Terceiro")
        await refused(w, third.id)
        card, line = await card_and_thread(w, third.id)
        assert "os avisos seguem pelo Slack até ele voltar a escrever ao bot" in card
        assert "e-mail" not in line.split("bloqueou o bot?)")[1]

    run(scenario)


def test_r5_a_customer_with_no_e_mail_address_gets_no_promise_of_one() -> None:
    """Unit: an address left empty (an import) is said as such, not as e-mail going."""
    from datetime import UTC, datetime

    from core.models import User
    from core.services.delivery import telegram_fallback
    from storage.memory import MemoryStore

    with MemoryStore()() as uow:
        ctx = Ctx(uow, datetime(2026, 11, 24, 13, tzinfo=UTC), reach=lambda: {Channel.EMAIL})
        nobody = User(name="Sem Email", email="", role=Role.CUSTOMER)
        assert telegram_fallback(ctx, nobody) == "no_address"
        assert telegram_fallback(ctx, None) == "no_address"
