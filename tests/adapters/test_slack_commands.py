"""/ticket, the App Home tab, and customers in Slack DMs (intake, approval and rating)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fakes.slack_api import TEAM
from slack_harness import TRIAGE, Scenario, SlackWorld, as_read, card_fields, slack_escape
from storage_world import add_tickets

from core.i18n import t
from core.models import CriticalReason, Entry, EntryKind, Priority, Rating, Status
from core.outbox import Channel
from core.ports import TicketQuery
from core.services import closing, handling


async def answer(w: SlackWorld, user: str, text: str) -> dict[str, Any]:
    """Run /ticket TEXT and return what was sent back through the response_url."""
    before = len([c for c in w.fake.calls if c.method.startswith("response_url:")])
    status, _ = await w.command(user, text)
    assert status == 200
    found = await w.until(lambda: [c for c in w.fake.calls
                                   if c.method.startswith("response_url:")][before:])
    return found[0].args


def flat(reply: dict[str, Any]) -> str:
    """Everything a response says."""
    return json.dumps(reply, ensure_ascii=False)


async def take_on_private_card(w: SlackWorld, ticket_id: int, key: str) -> None:
    """Ana presses Assumir on the card /ticket NÚMERO showed her (ephemeral, in a channel);
    what the click sends back goes to the response_url named `key`."""
    payload = {
        "type": "block_actions", "user": {"id": "UANA", "team_id": TEAM},
        "team": {"id": TEAM}, "api_app_id": "AHELP", "trigger_id": f"tr-{key}",
        "channel": {"id": "CGERAL"},
        "container": {"type": "message", "message_ts": "1700000400.000001",
                      "channel_id": "CGERAL", "is_ephemeral": True},
        "response_url": w.fake.response_url(key),
        "actions": [{"action_id": "tk.take", "block_id": f"card.0.{ticket_id}",
                     "type": "button", "value": str(ticket_id), "action_ts": "1",
                     "text": {"type": "plain_text", "text": "Assumir"}}],
    }
    status, _ = await w.interactive(payload)
    assert status == 200


def test_ticket_number_shows_the_card_to_an_agent(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        reply = await answer(w, "UANA", ticket.number)
        assert reply["response_type"] == "ephemeral"
        assert ticket.number in flat(reply)
        assert "tk.take" in flat(reply)

    run(scenario)


def test_r6_a_click_on_the_card_that_ticket_number_shows_refreshes_that_card(
        run: Callable[[Scenario], None]) -> None:
    """The card /ticket NÚMERO shows (only to the agent, in any channel) stayed as it was after
    Assumir: nothing there said the click had worked, and Assumir was still offered."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await answer(w, "UANA", ticket.number)
        key = "ephemeral-card"
        await take_on_private_card(w, ticket.id, key)
        [refreshed] = await w.until(lambda: [c.args for c in w.fake.calls
                                             if c.method == f"response_url:{key}"])
        assert refreshed["replace_original"] is True
        card = flat(refreshed)
        assert "Em atendimento" in card
        assert "Ana Atendente" in card
        assert "tk.take" not in card

    run(scenario)


def test_a_word_ticket_does_not_know_gets_the_usage_not_a_missing_number(
        run: Callable[[Scenario], None]) -> None:
    """'/ticket aprovar' or '/ticket novo ticket' answered 'Nenhum ticket tem o número
    aprovar': the word was read as a ticket's number. It says the word is not known and how
    /ticket is used; a number still gets its own answer."""
    async def scenario(w: SlackWorld) -> None:
        for typed in ("aprovar", "novo ticket"):
            reply = await answer(w, "UANA", typed)
            assert reply["text"] == t("slack.cmd.unknown", word=typed) + "\n" \
                + t("slack.cmd.help")
        reply = await answer(w, "UANA", "202611/0099")
        assert reply["text"] == t("error.no_such_number", number="202611/0099",
                                     example="202611/0001")

    run(scenario)


def test_r6_a_refused_click_on_the_card_ticket_number_shows_redraws_it_as_it_is_now(
        run: Callable[[Scenario], None]) -> None:
    """Bruno took the ticket after Ana's /ticket NÚMERO showed her its card: her Assumir was
    refused ('já está com Bruno Suporte') and the card, which no sender updates, kept offering
    Assumir to a ticket no longer free. It is redrawn as the ticket stands, the refusal said."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await answer(w, "UANA", ticket.number)
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        key = "ephemeral-stale"
        await take_on_private_card(w, ticket.id, key)
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert "Bruno Suporte" in told["text"]
        [redrawn] = await w.until(lambda: [c.args for c in w.fake.calls
                                           if c.method == f"response_url:{key}"])
        assert redrawn["replace_original"] is True
        assert "Bruno Suporte" in flat(redrawn)
        assert "tk.take" not in flat(redrawn)
        assert (await w.ticket(ticket.id)).assignee_id == w.ids["bruno"]

    run(scenario)


def test_oauth_variables_in_the_environment_do_not_take_the_bot_token_away(
        run: Callable[[Scenario], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """bolt turns to OAuth installs when SLACK_CLIENT_ID and _SECRET are set; ours keeps using
    SLACK_BOT_TOKEN, and the variables are still there afterwards."""
    monkeypatch.setenv("SLACK_CLIENT_ID", "111.222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "outro-app")

    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        reply = await answer(w, "UANA", ticket.number)
        assert ticket.number in flat(reply)

    run(scenario)
    assert os.environ["SLACK_CLIENT_ID"] == "111.222"


def test_r7_files_on_an_internal_note_stay_with_the_agents(
        run: Callable[[Scenario], None]) -> None:
    """A file sent with !nota is kept on the internal note: the agents' thread and card name
    it; the customer's view of the ticket does not, and nothing reaches the customer."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        log_file = w.fake.add_file("log-interno.txt", b"stack trace", "text/plain")
        await w.thread_reply("UANA", ts, "!nota log do servidor", subtype="file_share",
                             files=[log_file])

        async def noted() -> list[Any]:
            return [m for m in await w.outbox() if m.kind == "ticket.internal_note"]

        rows = await w.until(noted)
        assert rows[0].params["files"] == ["log-interno.txt"]
        entries = await w.read(lambda uow, i: uow.entries.list(i, include_internal=True),
                               ticket.id)
        (note,) = [e for e in entries if e.kind == EntryKind.INTERNAL]
        assert [a.filename for a in note.attachments] == ["log-interno.txt"]
        await w.deliver()
        assert "log-interno.txt" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert "log-interno.txt" in flat(await answer(w, "UANA", ticket.number))
        seen_by_carla = flat(await answer(w, "UCARLA", ticket.number))
        assert ticket.number in seen_by_carla
        assert "log-interno.txt" not in seen_by_carla
        assert not [m for m in await w.outbox()
                    if m.target == "user:UCARLA" and m.kind != "ticket.registered"]

    run(scenario)


def test_r8_customer_sees_own_company_ticket_without_buttons(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        reply = await answer(w, "UCARLA", ticket.number)
        assert ticket.number in flat(reply)
        assert "tk." not in flat(reply)
        assert "Origem" not in flat(reply)

    run(scenario)


def test_r8_customer_of_company_b_cannot_see_company_a_ticket(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        reply = await answer(w, "URITA", ticket.number)
        assert "Não encontrei esse ticket" in reply["text"]
        assert ticket.assunto not in flat(reply)
        assert "Não encontrei esse ticket" in (await answer(w, "URITA", "209901/0001"))["text"]

    run(scenario)


def test_strangers_get_a_polite_refusal(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        reply = await answer(w, "USTRANGER", ticket.number)
        assert "cadastro" in reply["text"]
        assert ticket.number not in flat(reply)
        reply = await answer(w, "USTRANGER", "fila")
        assert "cadastro" in reply["text"]

    run(scenario)


def test_r12_queue_puts_critical_first_then_first_come(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        first = await w.open_ticket(assunto="Primeiro a chegar")
        w.now = w.now.replace(minute=10)
        second = await w.open_ticket(assunto="Segundo a chegar")
        w.now = w.now.replace(minute=20)
        urgent = await w.open_ticket(assunto="Não emite notas")
        await w.core(handling.set_priority, w.ids["ana"], urgent.id, Priority.CRITICAL,
                     CriticalReason.AREA_STOPPED)
        await w.core(handling.take, w.ids["ana"], second.id)
        text = flat(await answer(w, "UANA", "fila"))
        order = [text.index(t.number) for t in (urgent, first, second)]
        assert order == sorted(order)
        assert "prazo" in text  # the taken ticket shows its prazo de entrega
        mine = flat(await answer(w, "UANA", "meus"))
        assert second.number in mine
        assert first.number not in mine
        found = flat(await answer(w, "UANA", "busca emite"))
        assert urgent.number in found
        assert first.number not in found

    run(scenario)


def test_r12_ticket_proximo_takes_the_queues_next_ticket_nobody_has(
        run: Callable[[Scenario], None]) -> None:
    """An agent takes the next ticket without reading the queue: the critical first, then the
    oldest nobody has; with none left it is said, and a customer takes nothing."""
    async def scenario(w: SlackWorld) -> None:
        first = await w.open_ticket(assunto="Primeiro a chegar")
        w.now = w.now.replace(minute=20)
        urgent = await w.open_ticket(assunto="Não emite notas")
        await w.core(handling.set_priority, w.ids["ana"], urgent.id, Priority.CRITICAL,
                     CriticalReason.AREA_STOPPED)
        reply = flat(await answer(w, "UANA", "proximo"))
        assert t("slack.cmd.took_next", number=urgent.number) in reply
        w.now = w.now + timedelta(seconds=10)  # not the same press twice
        reply = flat(await answer(w, "UANA", "próximo"))
        assert t("slack.cmd.took_next", number=first.number) in reply
        with w.desk.store() as uow:
            assert [uow.tickets.get(k.id).assignee_id for k in (urgent, first)] == \
                [w.ids["ana"]] * 2
        w.now = w.now + timedelta(seconds=10)
        reply = await answer(w, "UANA", "proximo")
        assert t("error.queue_nothing_new") in flat(reply)
        assert await w.core(lambda ctx: len(ctx.uow.tickets.queue(10))) == 2
        refused = flat(await answer(w, "UCARLA", "proximo"))
        assert t("error.staff_only") in refused

    run(scenario)


def test_r14_the_slack_queue_says_the_wait_in_business_time_and_who_has_each_ticket(
        run: Callable[[Scenario], None]) -> None:
    """As the chat's queue: Tuesday 10:00 to 14:30 is 3 business hours (lunch does not
    count); the ticket nobody has taken says so, the taken one names its agent."""
    async def scenario(w: SlackWorld) -> None:
        waiting = await w.open_ticket(assunto="Esperando alguém")
        taken = await w.open_ticket(assunto="Já com a Ana")
        await w.core(handling.take, w.ids["ana"], taken.id)
        w.now = w.now + timedelta(hours=4, minutes=30)
        text = flat(await answer(w, "UANA", "fila"))
        line = next(x for x in text.split("•") if waiting.number in x)
        assert "há 3 horas úteis · sem responsável" in line
        line = next(x for x in text.split("•") if taken.number in x)
        assert "há 3 horas úteis · com Ana Atendente" in line

    run(scenario)


def test_r12_a_long_queue_or_listing_says_how_many_tickets_it_does_not_show(
        run: Callable[[Scenario], None]) -> None:
    """/ticket fila, meus, busca and the App Home show at most 20 tickets: with 23 open the
    coordinator saw 20 and nothing said three more were waiting."""
    async def scenario(w: SlackWorld) -> None:
        for n in range(23):
            await w.open_ticket(assunto=f"Pedido {n} não confirma")
        more = "Mostrando os 20 primeiros de 23 tickets."
        assert more in flat(await answer(w, "UANA", "fila"))
        assert more in flat(await answer(w, "UCARLA", "meus"))
        assert more in flat(await answer(w, "UANA", "busca pedido"))
        assert "Mostrando" not in flat(await answer(w, "UANA", "busca 22"))
        await w.event({"type": "app_home_opened", "user": "UANA", "channel": "DX",
                       "tab": "home"})
        [home] = await w.until(lambda: w.fake.of("views.publish"))
        assert more in json.dumps(home["view"], ensure_ascii=False)

    run(scenario)


def test_r8_a_search_for_a_word_in_more_than_1000_tickets_says_more_than_1000(
        run: Callable[[Scenario], None]) -> None:
    """/ticket busca stops counting at 1 000 (every match of a common word cost 0.9 s to count
    at 1 000 000 tickets): up to 1 000 it says how many, past them "mais de 1 000"."""
    async def scenario(w: SlackWorld) -> None:
        await w.read(lambda uow: add_tickets(uow, 1000, w.ids["carla"], "Nota fiscal rejeitada"))
        said = flat(await answer(w, "UANA", "busca nota"))
        assert "Mostrando os 20 primeiros de 1\u00a0000 tickets." in said
        await w.read(lambda uow: add_tickets(uow, 1, w.ids["rita"], "Nota de devolução",
                                             at=w.now))
        reply = await answer(w, "UANA", "busca nota")
        assert "Mostrando os 20 primeiros de mais de 1\u00a0000 tickets." in flat(reply)
        first = next(blk["text"]["text"] for blk in reply["blocks"] if blk.get("accessory"))
        assert "Nota de devolução" in first  # the newest first

    run(scenario)


def test_customers_cannot_see_the_queue(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.open_ticket()
        reply = await answer(w, "UCARLA", "fila")
        assert "Só a equipe de suporte" in reply["text"]
        mine = flat(await answer(w, "UCARLA", "meus"))
        assert "Erro ao confirmar pedido" in mine
        assert "Erro ao confirmar pedido" not in flat(await answer(w, "URITA", "busca pedido"))

    run(scenario)


def test_app_home_shows_the_agents_queue_and_counts(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        other = await w.open_ticket(assunto="Outro assunto")
        await w.core(handling.take, w.ids["ana"], other.id)
        for user in ("UANA", "UCARLA", "USTRANGER"):
            await w.event({"type": "app_home_opened", "user": user, "channel": "DX",
                           "tab": "home"})
        views = await w.until(lambda: len(w.fake.of("views.publish")) >= 3
                              and w.fake.of("views.publish"))
        by_user = {v["user_id"]: json.dumps(v["view"], ensure_ascii=False) for v in views}
        assert ticket.number in by_user["UANA"]
        assert "Novos:* 1" in by_user["UANA"]
        assert "Em atendimento:* 1" in by_user["UANA"]
        assert "Fila" in by_user["UANA"]
        assert "Fila" not in by_user["UCARLA"]
        assert ticket.number in by_user["UCARLA"]
        assert "cadastro" in by_user["USTRANGER"]

    run(scenario)


def last_prompt(w: SlackWorld, channel: str) -> dict[str, Any]:
    """The bot's last message in a DM."""
    return w.fake.messages(channel)[-1]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The choice buttons of a message."""
    return [el for blk in message.get("blocks", []) if blk["type"] == "actions"
            for el in blk["elements"]]


async def press(w: SlackWorld, user: str, channel: str, label: str) -> None:
    """Click the button with this label on the bot's last DM message."""
    message = last_prompt(w, channel)
    found = [b for b in buttons(message) if b["text"]["text"].startswith(label)]
    assert found, f"no button {label!r} in {[b['text']['text'] for b in buttons(message)]}"
    count = lambda: len(w.fake.messages(channel))  # noqa: E731
    before = count()
    await w.click(user, found[0]["action_id"], found[0]["value"], channel=channel,
                  message_ts=message["ts"])
    await w.quiet(count, before)


async def say(w: SlackWorld, user: str, channel: str, text: str = "",
              files: list[dict[str, Any]] | None = None) -> None:
    """Type in the DM and wait for the answer."""
    count = lambda: len(w.fake.messages(channel))  # noqa: E731
    before = count()
    await w.dm(user, text, files)
    await w.quiet(count, before)


def test_r3_ticket_novo_opens_the_intake_in_a_dm(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        dm = "DCARLA"
        count = lambda: len(w.fake.messages(dm))  # noqa: E731
        before = count()
        await w.command("UCARLA", "novo")
        await w.quiet(count, before)
        assert w.fake.of("conversations.open")
        await press(w, "UCARLA", dm, "Suporte")
        await press(w, "UCARLA", dm, "Vendas")
        await press(w, "UCARLA", dm, "2026.11")
        await say(w, "UCARLA", dm, "Erro ao confirmar pedido de venda")
        await say(w, "UCARLA", dm, "Vendas / Pedidos / Novo: ao confirmar o pedido 10125 "
                                   "aparece erro de CFOP na versão 2026.11")
        png = w.fake.add_file("tela-erro.png", b"\x89PNG fake image")
        await say(w, "UCARLA", dm, files=[png])
        assert any(c.method == "file:tela-erro.png" and c.token == "xoxb-test"
                   for c in w.fake.calls)
        await press(w, "UCARLA", dm, "Concluir")
        await press(w, "UCARLA", dm, "Padrão")
        assert "tela-erro.png" in last_prompt(w, dm)["text"]
        await press(w, "UCARLA", dm, "Registrar")
        registered = [m["text"] for m in w.fake.messages(dm) if "registrado" in m["text"]]
        assert registered
        ticket = (await w.read(lambda uow: uow.tickets.list(TicketQuery())))[0]
        assert ticket.number in registered[0]
        await w.deliver()
        card = card_fields(w.fake.find(TRIAGE, await w.card_ts(ticket.id)))
        assert "tela-erro.png" in card
        assert "Carla Souza" in card

    run(scenario)


def test_r5_registering_in_a_dm_is_one_message_and_not_confirmed_there_twice(
        run: Callable[[Scenario], None]) -> None:
    """Each answer came as several DM messages (novo: how the intake goes, then the item
    question; Registrar: the number, out of hours, the menu) and the notice 'Recebemos o seu
    ticket' followed in the same DM. Now one message per answer, its buttons under it; the
    notice goes by e-mail only (R5), the DM's answer saying how to follow the ticket."""
    async def scenario(w: SlackWorld) -> None:
        dm = "DCARLA"
        await say(w, "UCARLA", dm, "novo")
        [opened] = w.fake.messages(dm)
        assert opened["text"].index("Vamos abrir um ticket") < opened["text"].index(
            "Qual o item?")
        assert any(b["text"]["text"].startswith("Suporte") for b in buttons(opened))
        await press(w, "UCARLA", dm, "Suporte")
        await press(w, "UCARLA", dm, "Vendas")
        await press(w, "UCARLA", dm, "2026.11")
        await say(w, "UCARLA", dm, "Erro ao confirmar pedido de venda")
        await say(w, "UCARLA", dm, "Vendas / Pedidos / Novo: ao confirmar o pedido 10125 "
                                   "aparece erro de CFOP na versão 2026.11")
        await press(w, "UCARLA", dm, "Concluir")
        await press(w, "UCARLA", dm, "Padrão")
        before = len(w.fake.messages(dm))
        await press(w, "UCARLA", dm, "Registrar")
        [answer] = w.fake.messages(dm)[before:]
        [ticket] = await w.read(lambda uow: uow.tickets.list(TicketQuery()))
        shown = card_fields(answer)
        for said in (f"Ticket {ticket.number} registrado", f'ticket {ticket.number}',
                     "Como posso ajudar?"):
            assert said in shown
        assert shown.index("registrado") < shown.index("Como posso ajudar?")
        assert any(b["text"]["text"].startswith("Abrir ticket") for b in buttons(answer))
        await w.deliver()
        assert not [m for m in w.fake.messages(dm) if "Recebemos" in m["text"]]
        notices = [(m.channel, m.target) for m in await w.outbox()
                   if m.kind == "ticket.registered"]
        assert notices == [(Channel.EMAIL, "carla@example.com")]

    run(scenario)


def test_r3_what_a_customer_types_in_slack_is_stored_as_typed(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        dm = "DCARLA"
        await say(w, "UCARLA", dm, "novo")
        await press(w, "UCARLA", dm, "Suporte")
        await press(w, "UCARLA", dm, "Vendas")
        await press(w, "UCARLA", dm, "2026.11")
        await say(w, "UCARLA", dm, slack_escape("Pedido > 10 itens & desconto não fecha"))
        await say(w, "UCARLA", dm, slack_escape("Vendas > Pedidos > Novo: o pedido <4431> ")
                  + "trava; print em <https://imgur.example/a1>")
        await press(w, "UCARLA", dm, "Concluir")
        await press(w, "UCARLA", dm, "Padrão")
        await press(w, "UCARLA", dm, "Registrar")
        [ticket] = await w.read(lambda uow: uow.tickets.list(TicketQuery()))
        assert ticket.assunto == "Pedido > 10 itens & desconto não fecha"
        assert ticket.descricao == ("Vendas > Pedidos > Novo: o pedido <4431> trava; print em "
                                    "https://imgur.example/a1")

    run(scenario)


def test_r11_an_email_typed_in_slack_changes_the_profile(
        run: Callable[[Scenario], None]) -> None:
    """Slack sends a typed address as <mailto:…|…>: it was refused as an invalid e-mail. The
    code mailed to it, typed in the DM, makes it hers (R11)."""
    async def scenario(w: SlackWorld) -> None:
        dm = "DCARLA"
        w.desk.reach = lambda: frozenset({"email", "slack"})
        await say(w, "UCARLA", dm, "perfil")
        await press(w, "UCARLA", dm, "Alterar e-mail")
        await say(w, "UCARLA", dm, "<mailto:carla.nova@mercado.com.br|carla.nova@mercado.com.br>")
        [code] = await w.read(lambda uow: [m.params["code"] for m in uow.outbox.all()
                                           if m.target == "carla.nova@mercado.com.br"])
        await say(w, "UCARLA", dm, code)
        carla = await w.read(lambda uow: uow.users.get(w.ids["carla"]))
        assert carla.email == "carla.nova@mercado.com.br"

    run(scenario)


def test_r19_r20_customer_approves_and_rates_with_dm_buttons(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id,
                     "Ajustamos o CFOP da operação; reenvie a nota.", origin_id="erro_sistema")
        await w.deliver()
        dm = "DCARLA"
        prompt = last_prompt(w, dm)
        labels = [b["text"]["text"] for b in buttons(prompt)]
        assert any(label.startswith("Aprovar") for label in labels), labels
        await press(w, "UCARLA", dm, "Aprovar")
        labels = [b["text"]["text"] for b in buttons(last_prompt(w, dm))]
        assert "Ótimo" in labels, labels
        await press(w, "UCARLA", dm, "Ótimo")
        stored = await w.ticket(ticket.id)
        assert stored.status == Status.CLOSED
        assert stored.rating == Rating.GREAT
        await w.deliver()
        card = card_fields(w.fake.find(TRIAGE, ts))
        assert "Encerrado" in card
        assert "Ótimo" in card

    run(scenario)


def test_r20_a_rating_typed_off_the_scale_in_the_dm_is_refused_as_in_every_chat(
        run: Callable[[Scenario], None]) -> None:
    """Slack reads a typed rating through core as Telegram and the terminal do: "0" was
    recorded as Péssimo and "6" as Regular (marks out of 10); the manual's scale is 1 to 5.
    "0" is refused; "6", a mark out of 10, is said back as Regular and recorded only once
    confirmed (another rating may be chosen instead)."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id,
                     "Ajustamos o CFOP da operação; reenvie a nota.", origin_id="erro_sistema")
        await w.deliver()
        dm = "DCARLA"
        await press(w, "UCARLA", dm, "Aprovar")
        expected = {"0": t("conv.closing.rate_off_scale", number="0"),
                    "6": t("conv.closing.rate_out_of_ten", typed="6", rating="Regular")}
        for typed, answer in expected.items():
            before = len(w.fake.messages(dm))
            await say(w, "UCARLA", dm, typed)
            said = " ".join(m.get("text", "") for m in w.fake.messages(dm)[before:])
            assert answer in as_read(said)
            assert (await w.ticket(ticket.id)).rating is None
        await press(w, "UCARLA", dm, "Outra avaliação")
        await press(w, "UCARLA", dm, "Bom")
        assert (await w.ticket(ticket.id)).rating == Rating.GOOD

    run(scenario)


def test_r19_customer_does_not_approve_in_the_dm_with_a_reason(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Reenvie a nota.",
                     origin_id="erro_sistema")
        await w.deliver()
        dm = "DCARLA"
        await press(w, "UCARLA", dm, "Não aprovar")
        await say(w, "UCARLA", dm, "A nota 10125 continua rejeitada")
        stored = await w.ticket(ticket.id)
        assert stored.status == Status.IN_PROGRESS
        await w.deliver()
        assert "A nota 10125 continua rejeitada" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert "Em atendimento" in card_fields(w.fake.find(TRIAGE, ts))

    run(scenario)


def test_r7_a_tickets_page_in_a_slack_dm_shows_the_agent_s_marks_as_mrkdwn(
        run: Callable[[Scenario], None]) -> None:
    """A customer who uses Slack reads an agent's trâmite as Slack shows it (bold, code,
    bullets, links); her own words stay escaped: '<!channel>' pings nobody. The whole thread
    too, its sections cut where a trâmite starts."""
    code = "\n".join(f"nfe --check --serie {n} --modelo 65" for n in range(8))
    said = [f"**Passo {n}**: rode `nfe --check`.\n```\n{code}\n```\n- [o manual](https://ex.com/{n})"
            for n in range(12)]

    async def scenario(w: SlackWorld) -> None:
        dm = "DCARLA"
        ticket = await w.open_ticket(assunto="Nota <10125> & rejeição")

        def add(uow: Any) -> None:
            for author, text in [(w.ids["ana"], x) for x in said] + \
                    [(w.ids["carla"], "<!channel> **de novo** <https://mal.example|aqui>")]:
                uow.entries.add(Entry(ticket_id=ticket.id, author_id=author, text=text,
                                      created_at=w.now, kind=EntryKind.PUBLIC))
        await w.read(add)
        await w.dm("UCARLA", f"ticket {ticket.number}")
        page = await w.until(lambda: next((m for m in w.fake.messages(dm)
                                           if f"Ticket {ticket.number}" in m["text"]), None))
        shown = [b["text"]["text"] for b in page["blocks"] if b["type"] == "section"]
        assert "*Passo 11*: rode `nfe --check`.\n```\n" in "".join(shown)
        assert "• <https://ex.com/11|o manual>" in "".join(shown)
        assert "&lt;!channel&gt; **de novo** &lt;https://mal.example|aqui&gt;" in \
            as_read("".join(shown))
        assert "Nota &lt;10125&gt; &amp; rejeição" in "".join(shown)
        whole = [b for b in buttons(page) if b["text"]["text"].startswith("Ver o histórico")]
        before = len(w.fake.messages(dm))
        await w.click("UCARLA", whole[0]["action_id"], whole[0]["value"], channel=dm,
                      message_ts=page["ts"])
        thread = await w.until(lambda: w.fake.messages(dm)[before:])
        sections = [b["text"]["text"] for b in thread[0]["blocks"] if b["type"] == "section"]
        assert len(sections) >= 2
        for section in sections:
            assert len(section) <= 3000
            assert section.count("```") % 2 == 0, section
            assert "**" not in section.replace("**de novo**", "")
        for section in sections[1:]:
            assert section.startswith("— "), section[:80]
        assert "".join(sections).count("*Passo") == 12

    run(scenario)


def test_ticket_number_followed_by_words_says_what_it_did_not_understand(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket 202611/0001 x` showed the card as if the x was not there (`/ticket fila x`
    says what it did not understand): it says so and shows no card; the number alone, or
    written with spaces or fullwidth digits, still shows it."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        for extra in ("x", "ver histórico", "202611/0002"):
            reply = await answer(w, "UANA", f"{ticket.number} {extra}")
            assert reply["text"] == t("slack.cmd.number_only", number=ticket.number,
                                      extra=extra), extra
            assert "blocks" not in reply
        period, seq = ticket.number.split("/")
        wide = ticket.number.translate(str.maketrans("0123456789/", "０１２３４５６７８９／"))
        for typed in (ticket.number, f"{period} / {seq}", f"#{ticket.number}", wide):
            reply = await answer(w, "UANA", typed)
            assert "blocks" in reply, typed
            assert ticket.number in flat(reply), typed
        customer = await answer(w, "UCARLA", f"{ticket.number} x")
        assert customer["text"] == t("slack.cmd.number_only", number=ticket.number, extra="x")

    run(scenario)


def test_ticket_ver_number_shows_the_card_and_other_words_before_it_are_said(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket ver 202611/0001` showed the card saying nothing of "ver", and so did any word
    before the number (`/ticket abc 202611/0001`). "ver" (or "view", "show") is the verb it
    looks like: the card, as the number alone shows it, for the agent and the customer; other
    words before it are said not understood, no card shown; words after it as before."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        for who, typed in (("UANA", "ver"), ("UANA", "Ver"), ("UANA", "view"),
                           ("UCARLA", "ver"), ("UANA", "ver #")):
            reply = await answer(w, who, f"{typed} {ticket.number}")
            assert "blocks" in reply, typed
            assert ticket.number in flat(reply), typed
        for extra in ("abc", "ver o", "ticket"):
            reply = await answer(w, "UANA", f"{extra} {ticket.number}")
            assert reply["text"] == t("slack.cmd.before_number", number=ticket.number,
                                      extra=extra), extra
            assert "blocks" not in reply
        reply = await answer(w, "UANA", f"ver {ticket.number} x")
        assert reply["text"] == t("slack.cmd.number_only", number=ticket.number, extra="x")
        customer = await answer(w, "UCARLA", f"abc {ticket.number}")
        assert customer["text"] == t("slack.cmd.before_number", number=ticket.number,
                                     extra="abc")

    run(scenario)


def test_r8_ticket_ver_with_no_number_says_the_number_is_missing_with_this_months_example(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket ver` (or `view`, `show`) with no number answered 'Não reconheci “ver”' and the
    usage, as a word /ticket does not know. It says the ticket's number is missing and how to
    write it, with an example of this month in the support timezone (01:00 UTC on 1 March is
    still February in São Paulo), in the asker's language."""
    from datetime import UTC, datetime

    from test_slack_own_language import speaks

    async def scenario(w: SlackWorld) -> None:
        w.now = datetime(2027, 3, 1, 1, 0, tzinfo=UTC)
        for who, typed in (("UANA", "ver"), ("UANA", "Ver"), ("UCARLA", "ver"),
                           ("UANA", "view "), ("UANA", "show")):
            reply = await answer(w, who, typed)
            assert reply["text"] == t("slack.cmd.number_missing", word=typed.strip().lower(),
                                      example="202702/0001"), typed
            assert "blocks" not in reply
        await w.core(speaks, w.ids["ana"])
        reply = await answer(w, "UANA", "view")
        assert reply["text"] == t("slack.cmd.number_missing", "en", word="view",
                                  example="202702/0001")

    run(scenario)


def test_ticket_with_the_end_of_a_number_shows_that_ticket_as_the_chat_does(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket 1` (or `/ticket ver 0001`, `/ticket #1`) said 'Nenhum ticket tem o número 1'
    ('o número ver 1') while 202611/0001 was there: the chat's 'ticket 1' finds it. One such
    ticket of the last months is its card; several are listed with Abrir; none is said with
    the whole number to type. A customer finds only her company's, in her language."""
    async def scenario(w: SlackWorld) -> None:
        from datetime import timedelta

        from slack_harness import T0
        from test_slack_own_language import speaks

        ticket = await w.open_ticket()
        for typed in ("1", "ver 0001", "#1", "ver #01"):
            reply = await answer(w, "UANA", typed)
            assert ticket.number in flat(reply), typed
            assert "tk.take" in flat(reply), typed
        await w.read(lambda uow: add_tickets(uow, 2, w.ids["rita"], "Nota de devolução",
                                             T0 - timedelta(days=40)))
        reply = await answer(w, "UANA", "1")
        shown = flat(reply)
        assert t("conv.ticket.which", seq="0001") in shown
        assert ticket.number in shown
        assert "202610/0001" in shown
        assert "ls.open" in shown
        assert "tk.take" not in shown
        reply = await answer(w, "UCARLA", "1")  # Rita's is not hers: her own ticket's card
        assert ticket.number in flat(reply)
        assert "202610/0001" not in flat(reply)
        await w.core(speaks, w.ids["carla"])
        reply = await answer(w, "UCARLA", "2")
        assert reply["text"] == t("error.short_number_not_found", "en", seq="0002",
                                  months=12, example="202611/0001")

    run(scenario)


def test_ticket_with_the_end_of_a_number_parses_and_refuses_as_the_chat_and_the_duplicate_do(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket 1` with no ticket …/0001 gave '202611/0001' as the number to type, the very
    number not found (its own example, not core's): the chat's 'ticket 1' and a duplicate's
    original give 202611/0002 then, from handling.short_number_not_found. The three read the
    number alike: '# 1' (a space after '#') finds the ticket in the chat and in Slack."""
    async def scenario(w: SlackWorld) -> None:
        for typed in ("1", "#1", "# 1", "ver 0001", "view # 1"):
            reply = await answer(w, "UANA", typed)  # an agent sees every ticket: none has it
            assert reply["text"] == t("error.short_number_none", seq="0001", months=12,
                                      example="202611/0002"), typed
        ticket = await w.open_ticket()
        for typed in ("# 1", "show # 0001"):
            reply = await answer(w, "UANA", typed)
            assert ticket.number in flat(reply), typed
            assert "tk.take" in flat(reply), typed
        assert handling.SHORT_NUMBER.fullmatch("# 1") is not None  # the chat's 'ticket # 1'

    run(scenario)


def test_r6_ticket_assumir_number_takes_that_ticket_and_shows_its_card(
        run: Callable[[Scenario], None]) -> None:
    """/ticket proximo takes the queue's next ticket, but "/ticket assumir 1" (the one a
    customer called about) said 'Não entendi “assumir” antes de 1': nothing taken. It takes
    it as the card's Assumir does and shows the card; by its whole number, in English too;
    one already hers, or a colleague's, is said above its card; a customer's words are
    refused as before."""
    async def scenario(w: SlackWorld) -> None:
        first = await w.open_ticket()
        second = await w.open_ticket(assunto="Outro pedido")
        reply = await answer(w, "UANA", "assumir 1")
        assert t("slack.cmd.took", number=first.number) in flat(reply)
        assert "tk.take" not in flat(reply)  # the card as it is now: hers
        stored = await w.ticket(first.id)
        assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, w.ids["ana"])
        reply = await answer(w, "UANA", f"assumir {first.number}")
        assert t("error.already_yours", number=first.number).replace('"', '\\"') \
            in flat(reply)  # said above the card, its Repassar para… at hand
        reply = await answer(w, "UBRUNO", "assumo 1")
        assert t("error.taken_by_other", number=first.number,
                 assignee="Ana Atendente").replace('"', '\\"') in flat(reply)
        reply = await answer(w, "UCARLA", f"assumir {second.number}")
        assert t("slack.cmd.before_number", number=second.number, extra="assumir") \
            in flat(reply)
        assert (await w.ticket(second.id)).assignee_id is None
        await w.core(speaks_english, w.ids["bruno"])
        reply = await answer(w, "UBRUNO", f"take {second.number}")
        assert t("slack.cmd.took", "en", number=second.number) in flat(reply)
        assert (await w.ticket(second.id)).assignee_id == w.ids["bruno"]

    run(scenario)


def speaks_english(ctx: Any, user_id: int) -> None:
    user = ctx.uow.users.get(user_id)
    user.language = "en"
    ctx.uow.users.update(user)
