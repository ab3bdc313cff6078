"""What the team does reaches the customer's chat through the outbox (R5, R7, R19, R20, R23),
and replying in Telegram to a message about a ticket adds a trâmite to it (R7)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from fakes.smtp_server import FakeSMTP
from sqlalchemy import delete
from telegram_harness import (
    CARLA,
    TelegramWorld,
    document,
    link,
    linked_carla,
    now,
    open_ticket,
    seed,
    to_the_assunto,
    until,
)

from core.conversation.contact import team_away
from core.i18n import t
from core.models import EntryKind, Rating, Status
from core.outbox import Channel, DeliveryStatus
from core.services import billing, closing, handling, tramites, users
from storage.telegram_tables import telegram_messages


def public_entries(world: TelegramWorld, ticket_id: int) -> list:
    with world.desk.store() as uow:
        return [e for e in uow.entries.list(ticket_id, include_internal=False)
                if e.kind == EntryKind.PUBLIC]


def ticket(world: TelegramWorld, ticket_id: int):  # type: ignore[no-untyped-def]
    with world.desk.store() as uow:
        return uow.tickets.get(ticket_id)


def test_r7_r19_r20_notifications_replies_and_the_approval_prompt(db_url: str,
                                                                  tmp_path: Path) -> None:
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened = open_ticket(world.desk, ids["carla"])
            number = opened.number
            await world.bot_says(carla, number)
            world.desk.call(handling.take, ids["ana"], opened.id)
            await world.bot_says(carla, "Ana Atendente")
            world.desk.call(tramites.add_tramite, ids["ana"], opened.id,
                            "Envie o XML <da nota> & o print, por favor.")
            note = await world.bot_says(carla, "Envie o XML")
            assert number in note["text"]
            assert "&lt;da nota&gt; &amp; o print" in note["text"]
            assert note["text"].endswith(t("telegram.reply_hint", number=number))  # how to answer
            # Replying to that message adds a trâmite to the ticket (the flow is untouched).
            before = len(carla.texts())
            await carla.say("Segue em anexo o XML da nota 10125.", reply_to=note["message_id"])
            away = world.desk.call(team_away, "pt_BR")  # R14, outside business hours
            assert carla.texts()[before:] == [f"Trâmite adicionado ao ticket {number}."
                                              + (f"\n\n{away}" if away else "")]
            # Even when the link was not recorded (yet), the message names its ticket.
            with world.desk.store() as uow:
                uow.connection.execute(delete(telegram_messages))
                uow.commit()
            xml = document(world.api, b"<nfeProc/>", "nota-10125.xml", "application/xml")
            await carla.send(world.api.message_update(
                CARLA, document=xml, caption="E o XML", reply_to=note["message_id"]))
            entries = public_entries(world, opened.id)
            mine = [e for e in entries if e.author_id == ids["carla"]]
            assert [e.text for e in mine] == ["Segue em anexo o XML da nota 10125.", "E o XML"]
            assert [a.filename for a in mine[1].attachments] == ["nota-10125.xml"]
            # The approval request arrives as the question, with its buttons (R19).
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "Atualizamos o certificado; a nota 10125 já pode ser emitida.",
                            origin_id="erro_sistema")
            prompt = await world.bot_says(carla, "Você aprova a solução?")
            assert number in prompt["text"]
            assert "certificado" in prompt["text"]
            labels = [b["text"] for row in prompt["reply_markup"]["inline_keyboard"] for b in row]
            assert labels[:3] == ["Aprovar", "Não aprovar", "Aprovar com restrições"]
            await carla.click("Aprovar", prompt["message_id"])
            assert ticket(world, opened.id).status == Status.CLOSED
            assert f"Ticket {number} aprovado e encerrado." in carla.since(0)
            await carla.click("Ótimo")
            assert ticket(world, opened.id).rating == Rating.GREAT
            assert world.api.keyboard(CARLA, prompt["message_id"]) == []

    asyncio.run(story())


def test_r23_billing_prompt_arrives_with_its_buttons(new_db_url: Callable[[str], str],
                                                    tmp_path: Path) -> None:
    world = TelegramWorld(new_db_url("sqlite"), tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened = open_ticket(world.desk, ids["carla"], "Restaurar o backup do banco")
            await world.bot_says(carla, opened.number)
            world.desk.call(billing.classify_origin, ids["ana"], opened.id, "backup")
            prompt = await world.bot_says(carla, "Você autoriza a cobrança?")
            assert opened.number in prompt["text"]
            await carla.click("Autorizo", prompt["message_id"])
            assert ticket(world, opened.id).billing_authorized is True
            assert f"Autorização registrada no ticket {opened.number}." in carla.since(0)

    asyncio.run(story())


def test_blocked_bot_is_recorded_on_the_ticket_and_email_still_goes(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    smtp = FakeSMTP()

    async def story() -> None:
        await smtp.start()
        world = TelegramWorld(new_db_url("sqlite"), tmp_path, extra={
            "smtp_url": smtp.url, "mail_from": "Suporte <suporte@exemplo.com.br>"})
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            world.api.block(CARLA)
            opened = open_ticket(world.desk, ids["carla"])
            world.desk.call(tramites.add_tramite, ids["ana"], opened.id, "Pode testar agora?")
            await until(lambda: ticket(world, opened.id).unreachable_telegram, what="flagged")
            await until(lambda: any("Pode testar agora?" in m.get_body(("plain",)).get_content()
                                    for m in smtp.to("carla@mercado.com.br")), what="e-mail")
            await world.drain_outbox()
            with world.desk.store() as uow:
                rows = [m for m in uow.outbox.all() if m.channel == Channel.TELEGRAM]
            assert rows
            assert all(m.status == DeliveryStatus.FAILED for m in rows)
            assert world.api.sent(CARLA) == []
        await smtp.stop()

    asyncio.run(story())


def test_a_customer_who_unblocks_the_bot_is_reachable_again(db_url: str,
                                                           tmp_path: Path) -> None:
    """Telegram refused a notice (blocked bot): the ticket is flagged and the agents told; when
    the customer writes to the bot again the flag goes, and the agents are told that too."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            world.api.block(CARLA)
            opened = open_ticket(world.desk, ids["carla"])
            await until(lambda: ticket(world, opened.id).unreachable_telegram, what="flagged")
            world.api.blocked.discard(CARLA)
            await world.chat(CARLA).say("oi")
            assert not ticket(world, opened.id).unreachable_telegram
            with world.desk.store() as uow:
                events = [e.text.split()[0] for e in uow.entries.list(opened.id, True)
                          if e.kind == EntryKind.SYSTEM]
                cards = [m.params["event"] for m in uow.outbox.all() if m.kind == "card"]
            assert events[-2:] == ["telegram_unreachable", "telegram_reachable"]
            assert cards[-2:] == ["telegram_unreachable", "telegram_reachable"]
            await world.chat(CARLA).say("oi de novo")  # told once, not at every message
            with world.desk.store() as uow:
                again = [e for e in uow.entries.list(opened.id, True)
                         if e.kind == EntryKind.SYSTEM and e.text.startswith("telegram_")]
            assert len(again) == 2
            world.api.block(CARLA)  # blocked once more: flagged once more
            world.desk.call(tramites.add_tramite, ids["ana"], opened.id, "Conseguiu testar?")
            await until(lambda: ticket(world, opened.id).unreachable_telegram, what="again")

    asyncio.run(story())


def test_r7_an_agent_s_markdown_shows_as_bold_in_telegram(db_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened = open_ticket(world.desk, ids["carla"])
            world.desk.call(tramites.add_tramite, ids["ana"], opened.id,
                            "**Importante**: rode `nfe --check` & veja <o log>.")
            note = await world.bot_says(carla, "Importante")
            assert "<b>Importante</b>: rode <code>nfe --check</code> &amp; veja &lt;o log&gt;." \
                in note["text"]
            assert "*" not in note["text"]
            assert note["text"].endswith(t("telegram.reply_hint", number=opened.number))

    asyncio.run(story())


def test_a_text_telegram_refuses_as_html_arrives_as_plain_text() -> None:
    from fakes.telegram_api import FakeTelegramAPI

    from bots.delivery.results import Sent
    from bots.telegram.render import Outgoing
    from bots.telegram.sender import TelegramSender

    async def story() -> None:
        api = FakeTelegramAPI()
        root = await api.start()
        sender = TelegramSender.from_token(api.token, root)
        try:
            result = await sender.deliver(CARLA, [Outgoing(html="<b>Importante: rode x &amp; y")])
        finally:
            await sender.aclose()
            await api.stop()
        assert isinstance(result, Sent)
        assert api.sent_texts(CARLA) == ["Importante: rode x &amp; y"]

    asyncio.run(story())


def test_r19_the_approval_question_shows_the_agent_s_markdown_formatted(
        db_url: str, tmp_path: Path) -> None:
    """The question's solution reads as a trâmite does (R7): bold, code and bullets, the
    catalog's words and the assunto escaped around them; a notice sent while the customer is
    busy too."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened = open_ticket(world.desk, ids["carla"], "Nota <10125> & rejeição")
            await world.bot_says(carla, opened.number)
            world.desk.call(handling.take, ids["ana"], opened.id)
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "**Atenção**: rode `nfe --check`.\n- um\n- dois",
                            origin_id="erro_sistema")
            prompt = await world.bot_says(carla, "Você aprova a solução?")
            assert "<b>Atenção</b>: rode <code>nfe --check</code>.\n• um\n• dois" \
                in prompt["text"]
            assert "Nota &lt;10125&gt; &amp; rejeição" in prompt["text"]
            assert "**" not in prompt["text"]
            assert "`" not in prompt["text"]
            labels = [b["text"] for row in prompt["reply_markup"]["inline_keyboard"] for b in row]
            assert labels[:3] == ["Aprovar", "Não aprovar", "Aprovar com restrições"]
            # In the middle of opening a ticket, the notice comes instead of the question.
            await to_the_assunto(carla)
            await carla.say("Pedido não confirma")
            other = open_ticket(world.desk, ids["carla"], "Boleto")
            world.desk.call(handling.take, ids["ana"], other.id)
            world.desk.call(closing.request_approval, ids["ana"], other.id,
                            "Veja [o manual](https://ex.com/boleto).", origin_id="erro_sistema")
            notice = await world.bot_says(carla, "respondeu ao ticket " + other.number)
            assert 'Veja <a href="https://ex.com/boleto">o manual</a>.' in notice["text"]

    asyncio.run(story())


def test_a_row_telegram_cannot_take_fails_for_good_saying_why_in_the_desk_s_language() -> None:
    """'destino ou mensagem inválida …' was Portuguese whatever LANGUAGE said; operators read
    it in `helpdesk outbox status`."""
    from datetime import UTC, datetime

    from fakes.telegram_api import FakeTelegramAPI

    from bots.delivery.results import Permanent
    from bots.telegram.sender import TelegramSender
    from core.outbox import OutboxMessage

    msg = OutboxMessage(id=1, channel=Channel.TELEGRAM, target="carla", kind="ticket.registered",
                        ticket_id=9, params={"number": "202611/0001", "assunto": "Ação"},
                        created_at=datetime.now(UTC))

    async def story() -> tuple[object, object]:
        api = FakeTelegramAPI()
        root = await api.start()
        english = TelegramSender.from_token(api.token, root, language="en")
        portuguese = TelegramSender.from_token(api.token, root)
        try:
            return await english.send(msg), await portuguese.send(msg)
        finally:
            await english.aclose()
            await portuguese.aclose()
            await api.stop()

    english, portuguese = asyncio.run(story())
    assert isinstance(english, Permanent)
    assert english.error.startswith("invalid target or message 'carla': "), english.error
    assert isinstance(portuguese, Permanent)
    assert portuguese.error.startswith("destino ou mensagem inválida 'carla': "), portuguese.error


def test_r19_a_stale_click_while_the_approval_question_waits_for_a_retry_asks_it_once(
        db_url: str, tmp_path: Path) -> None:
    """Telegram refused the approval question for a while (a 502: the outbox tries it again
    later); the customer clicks a button of the menu above meanwhile. The click is refused
    and the question is not asked there too: it is on its way, and arrives once, with its
    buttons. It came twice: asked again by the click, then sent by the outbox's retry."""
    world = TelegramWorld(db_url, tmp_path, extra={"outbox_retry_base_seconds": 600,
                                                   "outbox_retry_max_seconds": 600})
    question = "Você aprova a solução?"

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened = open_ticket(world.desk, ids["carla"])
            await world.bot_says(carla, opened.number)
            await carla.say("oi")
            menu_id, _ = carla.button("Meus tickets")
            world.api.fail_next(502, chat_id=CARLA)
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "Atualizamos o certificado.", origin_id="erro_sistema")
            with world.desk.store() as uow:
                row = next(m for m in uow.outbox.all() if m.kind == "ticket.approval_requested")
            queue = world.host.queue  # type: ignore[union-attr]

            def tried() -> bool:
                got = queue.get(row.id)
                return got is not None and got.attempts == 1 and got.last_error is not None

            await until(tried, what="the approval question refused once")
            await carla.click("Meus tickets", menu_id)
            assert not any(question in text for text in carla.texts())
            assert world.api.calls_of("answerCallbackQuery")[-1].params.get("text")
            assert queue.retry(now(), [row.id]) == 1  # its retry falls due
            await world.bot_says(carla, question)
            await world.drain_outbox()
            asked = [m for m in carla.messages() if question in m.get("text", "")]
            assert len(asked) == 1
            assert world.api.keyboard(CARLA, asked[0]["message_id"])
            await carla.click("Aprovar", asked[0]["message_id"])
            assert ticket(world, opened.id).status == Status.CLOSED

    asyncio.run(story())


def test_r20_a_rating_typed_off_the_scale_is_refused_as_in_every_chat(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """Telegram reads a typed rating through core as Slack and the terminal do: "0" was
    recorded as Péssimo and "6" as Regular (marks out of 10); the manual's scale is 1 to 5.
    "0" is refused; "6", a mark out of 10, is said back as Regular and recorded only once
    confirmed (another rating may be chosen instead)."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened = open_ticket(world.desk, ids["carla"], "Nota rejeitada")
            world.desk.call(handling.take, ids["ana"], opened.id)
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "Atualizamos o certificado.", origin_id="erro_sistema")
            prompt = await world.bot_says(carla, "Você aprova a solução?")
            await carla.click("Aprovar", prompt["message_id"])
            before = len(carla.texts())
            await carla.say("0")
            assert t("conv.closing.rate_off_scale", number="0") in carla.since(before)
            before = len(carla.texts())
            await carla.say("6")
            assert t("conv.closing.rate_out_of_ten", typed="6", rating="Regular") \
                in carla.since(before)
            assert ticket(world, opened.id).rating is None
            await carla.click("Outra avaliação")
            await carla.click("Bom")
            assert ticket(world, opened.id).rating == Rating.GOOD

    asyncio.run(story())


def test_r19_the_approval_asked_while_the_bot_was_blocked_is_shown_when_she_comes_back(
        sqlite_url: str, tmp_path: Path) -> None:
    """The approval question came while Carla had blocked the bot (Telegram refused it); she
    unblocks and writes: not 'Não entendi. Escolha uma das opções' for a question she never
    saw; told it did not reach her, then the question, whose buttons work."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            carla = world.chat(CARLA)
            await carla.say("oi")
            opened = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, opened.number)
            world.api.block(CARLA)
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            await until(lambda: ticket(world, opened.id).unreachable_telegram, what="flagged")
            world.api.blocked.discard(CARLA)
            before = len(carla.texts())
            await carla.say("oi")
            said = carla.since(before)
            assert t("conv.unblocked", "pt_BR") in said
            assert "Não entendi" not in said
            assert "Você aprova a solução?" in said
            await carla.click(t("conv.closing.approve", "pt_BR"))
            assert ticket(world, opened.id).status == Status.CLOSED

    asyncio.run(story())


def test_r19_words_written_on_coming_back_are_not_taken_for_an_answer_never_asked(
        sqlite_url: str, tmp_path: Path) -> None:
    """Back after blocking the bot, 'não funcionou ainda' is not read as a Não aprovar to a
    question she never saw: shown back to her with the question, in her language."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            world.desk.call(users.set_language, "carla@mercado.com.br", "en")
            carla = world.chat(CARLA)
            await carla.say("hi")
            opened = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, opened.number)
            world.api.block(CARLA)
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            await until(lambda: ticket(world, opened.id).unreachable_telegram, what="flagged")
            world.api.blocked.discard(CARLA)
            before = len(carla.texts())
            await carla.say("the order 4431 is still stuck")
            said = carla.since(before)
            assert t("conv.unblocked", "en") in said
            assert t("conv.stale_unused", "en", text="the order 4431 is still stuck") in said
            assert ticket(world, opened.id).status == Status.AWAITING_APPROVAL

    asyncio.run(story())
