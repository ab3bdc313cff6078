"""The ticket card in the triage channel and its thread, through real bolt and slack-sdk."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_harness import TRIAGE, Scenario, SlackWorld, as_read, card_fields, slack_escape

from bots.delivery.results import Sent
from core.i18n import t
from core.models import Attachment, Status
from core.outbox import Channel
from core.services import handling, tramites


def test_opened_ticket_appears_as_a_card(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        results = await w.deliver()
        assert all(isinstance(r, Sent) for r in results), results
        ts = await w.card_ts(ticket.id)
        card = w.fake.find(TRIAGE, ts)
        assert card is not None
        text = card_fields(card)
        for expected in (ticket.number, "Mercado Exemplo", "Carla Souza", "Novo",
                         "Erro ao confirmar pedido", "pedido 10125", "tk.take", "tk.reject"):
            assert expected in text
        assert w.fake.thread(TRIAGE, ts) == []  # "opened" needs no log line

    run(scenario)


def test_r6_take_puts_ticket_in_progress_with_the_responsible(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        status, _ = await w.click("UANA", "tk.take", str(ticket.id), message_ts=ts)
        assert status == 200

        async def taken() -> bool:
            return (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

        await w.until(taken)
        stored = await w.ticket(ticket.id)
        assert stored.assignee_id == w.ids["ana"]
        assert stored.due_at is not None
        await w.deliver()
        card = w.fake.find(TRIAGE, ts)
        assert card is not None
        text = card_fields(card)
        assert "Em atendimento" in text
        assert "Ana Atendente" in text
        assert "tk.take" not in text
        log = w.fake.thread(TRIAGE, ts)
        assert log
        assert "Ana Atendente assumiu o ticket" in log[-1]["text"]
        assert w.fake.of("chat.update")

    run(scenario)


def test_r6_r16_assumir_on_a_card_drawn_before_the_ticket_moved_acts_on_nothing(
        run: Callable[[Scenario], None]) -> None:
    """Ana pressed Assumir on the Novo card she had in view (her /ticket NÚMERO card, drawn
    for her alone) after Bruno sent the ticket to Em estimativa: it went to Em atendimento
    with Ana, Bruno's triage undone unseen. A card's Assumir takes the ticket as the card
    showed it; moved since, the click is refused with its status now (in Ana's language) and
    her card redrawn. Assumir on a card drawn in Em estimativa still takes it, on purpose."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        drawn = next(el["value"] for blk in w.fake.find(TRIAGE, ts)["blocks"]
                     if blk["type"] == "actions" for el in blk["elements"]
                     if el.get("action_id") == "tk.take")
        await w.core(handling.move_to_estimate, w.ids["bruno"], ticket.id)
        told = len(w.fake.of("chat.postEphemeral"))
        await w.click("UANA", "tk.take", drawn, message_ts="1.0")
        [refusal] = await w.until(lambda: w.fake.of("chat.postEphemeral")[told:])
        assert refusal["text"] == t("slack.refuse.outdated_card", number=ticket.number,
                                    status="Em estimativa")
        await w.idle()
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.ESTIMATE, None)
        await w.deliver()
        now = next(el["value"] for blk in w.fake.find(TRIAGE, ts)["blocks"]
                   if blk["type"] == "actions" for el in blk["elements"]
                   if el.get("action_id") == "tk.take")
        await w.click("UANA", "tk.take", now, message_ts=ts)
        await w.idle()
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, w.ids["ana"])

    run(scenario)


def test_r7_thread_reply_by_agent_reaches_the_customer(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        status, _ = await w.thread_reply("UANA", ts, "Olá Carla, pode enviar o XML da nota?")
        assert status == 200

        async def customer_rows() -> list[Any]:
            return [m for m in await w.outbox()
                    if m.kind == "ticket.tramite" and m.target != "triage"]

        rows = await w.until(customer_rows)
        targets = {(m.channel, m.target) for m in rows}
        assert (Channel.SLACK, "user:UCARLA") in targets
        assert (Channel.EMAIL, "carla@example.com") in targets
        assert rows[0].params["text"] == "Olá Carla, pode enviar o XML da nota?"
        await w.until(lambda: w.fake.of("reactions.add"))
        before = len(w.fake.thread(TRIAGE, ts))
        await w.deliver()
        # The agent's own words are not echoed in the thread (only that she took it, R6); the
        # customer gets a DM.
        assert not [m for m in w.fake.thread(TRIAGE, ts)[before:] if "XML" in m["text"]]
        dms = [c for c in w.fake.of("chat.postMessage") if c["channel"] == "DCARLA"]
        assert dms
        assert "pode enviar o XML" in dms[-1]["text"]

    run(scenario)


def test_r6_r13_an_agents_answer_in_a_novo_tickets_thread_takes_it(
        run: Callable[[Scenario], None]) -> None:
    """Ana answered Carla in the thread of a Novo ticket's card: the ticket stayed Novo, nobody
    responsible and no prazo, in the queue of those nobody took, while Carla talked to Ana.
    The manual's Novos are the tickets not yet taken by an attendant, and Em atendimento names
    who works on it (§6.1): her answer takes it as Assumir does, Em atendimento, Ana
    responsible, the prazo set (R13), said in the card and its thread. A note of hers, or a
    colleague's answer once it is Ana's, changes nobody."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "!nota vou olhar o XML antes")
        await w.until(lambda: w.fake.of("reactions.add"))
        await w.idle()
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.NEW, None)
        await w.thread_reply("UANA", ts, "Olá Carla, pode enviar o XML da nota?")

        async def taken() -> Any:
            stored = await w.ticket(ticket.id)
            return stored if stored.status != Status.NEW else None

        stored = await w.until(taken)
        assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, w.ids["ana"])
        assert stored.due_at is not None
        await w.deliver()
        text = card_fields(w.fake.find(TRIAGE, ts))
        assert "Em atendimento" in text
        assert "Ana Atendente" in text
        assert "tk.take" not in text
        assert any("Ana Atendente assumiu o ticket" in m["text"]
                   for m in w.fake.thread(TRIAGE, ts))
        told = [m.kind for m in await w.outbox() if m.target == "user:UCARLA"]
        assert told.count("ticket.tramite") == 1
        assert "ticket.status" not in told  # her answer says it: one message, not two
        await w.thread_reply("UBRUNO", ts, "Carla, o XML pode vir por aqui mesmo.")
        await w.until(lambda: len(w.fake.of("reactions.add")) >= 3)
        await w.idle()
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, w.ids["ana"])

    run(scenario)


def test_r7_an_agents_reply_reaches_the_customer_as_typed_not_as_slack_markup(
        run: Callable[[Scenario], None]) -> None:
    """Slack sends "Vendas &gt; Pedidos" and links as <url|text>: the customer reads what the
    agent wrote, on every channel."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        sent = (slack_escape("Em Vendas > Pedidos, marque 'CFOP & CST' e salve. Veja ")
                + "<https://ajuda.exemplo.com/cfop|o passo a passo> ou escreva para "
                + "<mailto:fiscal@exemplo.com|fiscal@exemplo.com>.")
        await w.thread_reply("UANA", ts, sent)
        typed = ("Em Vendas > Pedidos, marque 'CFOP & CST' e salve. Veja o passo a passo "
                 "(https://ajuda.exemplo.com/cfop) ou escreva para fiscal@exemplo.com.")

        async def emailed() -> list[Any]:
            return [m for m in await w.outbox()
                    if m.kind == "ticket.tramite" and m.channel == Channel.EMAIL]

        [row] = await w.until(emailed)
        assert row.params["text"] == typed
        entries = await w.read(lambda uow: uow.entries.list(ticket.id, False))
        assert entries[-1].text == typed
        await w.deliver()
        dm = [c for c in w.fake.of("chat.postMessage") if c["channel"] == "DCARLA"][-1]
        assert slack_escape("Vendas > Pedidos") in dm["text"]  # escaped once, shown as typed
        assert "&amp;gt;" not in dm["text"]

    run(scenario)


def test_r7_people_and_channels_mentioned_in_a_reply_reach_the_customer_by_name(
        run: Callable[[Scenario], None]) -> None:
    """Slack sends mentions as ids ("<@UCARLA>"): the customer read "@UCARLA" by e-mail and
    in her DM. A registered person reads as their name, anyone else as "@alguém"."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "<@UCARLA> segue a correção; <@UBRUNO> conferiu o XML "
                             "com <@UFULANO>. Avisos em <#C123|geral> e <#C999>, passo a passo "
                             "em <https://ajuda.exemplo.com/xml|a ajuda>.")
        typed = ("@Carla Souza segue a correção; @Bruno Suporte conferiu o XML com @alguém. "
                 "Avisos em #geral e #canal, passo a passo em a ajuda "
                 "(https://ajuda.exemplo.com/xml).")

        async def emailed() -> list[Any]:
            return [m for m in await w.outbox()
                    if m.kind == "ticket.tramite" and m.channel == Channel.EMAIL]

        [row] = await w.until(emailed)
        assert row.params["text"] == typed
        await w.deliver()
        dm = [c for c in w.fake.of("chat.postMessage") if c["channel"] == "DCARLA"][-1]
        assert "@Carla Souza segue a correção; @Bruno Suporte conferiu" in dm["text"]
        assert "UCARLA" not in dm["text"]
        assert "UFULANO" not in dm["text"]

    run(scenario)


def test_r7_a_file_sent_after_the_opening_is_listed_on_the_card(
        run: Callable[[Scenario], None]) -> None:
    """The card's 📎 Anexos line lists every file of the ticket, but it was drawn only when the
    status changed: the XML the customer sent later (from Telegram, say) was in the thread and
    missing from the card."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        xml = Attachment(filename="nota-10125.xml", content_type="application/xml", size=10,
                         sha256="ab" * 32)
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Segue o XML", [xml])
        await w.deliver()
        assert "📎 Anexos: nota-10125.xml" in card_fields(w.fake.find(TRIAGE, ts))
        log = xml.model_copy(update={"filename": "log-servidor.txt"})
        await w.core(tramites.add_internal_note, w.ids["ana"], ticket.id, "log", [log])
        await w.deliver()
        assert "nota-10125.xml, log-servidor.txt" in card_fields(w.fake.find(TRIAGE, ts))

    run(scenario)


def test_r7_a_reply_also_sent_to_the_channel_reaches_the_customer(
        run: Callable[[Scenario], None]) -> None:
    """A thread reply with "Also send to channel" ticked comes as subtype thread_broadcast: it
    was ignored, without a word, and the customer never got the answer."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "Carla, corrigido: pode reenviar a nota.",
                             subtype="thread_broadcast")

        async def emailed() -> list[Any]:
            return [m for m in await w.outbox()
                    if m.kind == "ticket.tramite" and m.channel == Channel.EMAIL]

        [row] = await w.until(emailed)
        assert row.params["text"] == "Carla, corrigido: pode reenviar a nota."
        await w.until(lambda: w.fake.of("reactions.add"))

    run(scenario)


def test_r7_note_marker_makes_an_internal_note(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "!nota cliente já ligou duas vezes")

        async def noted() -> list[Any]:
            return [m for m in await w.outbox() if m.kind == "ticket.internal_note"]

        await w.until(noted)
        assert not [m for m in await w.outbox()
                    if m.kind == "ticket.tramite" or m.target == "user:UCARLA"
                    and m.kind != "ticket.registered"]
        await w.deliver()
        log = w.fake.thread(TRIAGE, ts)
        assert "🔒 Nota interna" in log[-1]["text"]
        assert "cliente já ligou duas vezes" in log[-1]["text"]

    run(scenario)


def test_r6_r7_the_justificativa_on_the_card_reads_as_an_agents_words(
        run: Callable[[Scenario], None]) -> None:
    """The justificativa is an agent's words: on the card and in its thread's line its
    **bold**, `code` and [words](url) read as Slack formats them, as the agents' trâmites in
    the thread do (the card showed the marks); '<!channel>' in it pings nobody, and the
    customer's descrição beside it stays as typed."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(descricao="Veja **isto** em [x](https://ex.com/c) agora")
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.set_justificativa, w.ids["ana"], ticket.id,
                     "**Aguardando** o `XML`, ver [nota](https://ex.com/n) <!channel>")
        await w.deliver()
        shown = "*Aguardando* o `XML`, ver <https://ex.com/n|nota> &lt;!channel&gt;"
        [status] = [f["text"] for f in w.fake.find(TRIAGE, ts)["blocks"][1]["fields"]
                    if f["text"].startswith("*Status*")]
        assert status == f"*Status*\n*Novo* ({shown})"
        assert "Veja **isto** em [x](https://ex.com/c) agora" in as_read(card_fields(
            w.fake.find(TRIAGE, ts)))
        assert w.fake.thread(TRIAGE, ts)[-1]["text"].endswith(f"a justificativa: {shown}")

    run(scenario)


def test_r6_justificativa_marker_sets_the_text_beside_the_status(
        run: Callable[[Scenario], None]) -> None:
    """No channel could set the justificativa the manual's listing shows (only the demo did).
    The card shows it beside the status, as the customers' listing does (it showed nowhere
    in Slack)."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "!justificativa Em análise e Simulação")
        await w.until(lambda: w.fake.of("reactions.add"))
        assert w.fake.of("reactions.add")[-1]["name"] == "label"
        assert (await w.ticket(ticket.id)).justificativa == "Em análise e Simulação"
        assert not [m for m in await w.outbox() if m.kind == "ticket.tramite"]  # not a trâmite
        await w.deliver()
        card = card_fields(w.fake.find(TRIAGE, ts))
        assert "*Status*\\n*Novo* (Em análise e Simulação)" in card
        await w.thread_reply("UANA", ts, "!justificativa")
        await w.until(lambda: len(w.fake.of("reactions.add")) == 2)
        assert (await w.ticket(ticket.id)).justificativa is None
        await w.deliver()
        assert "Simulação" not in card_fields(w.fake.find(TRIAGE, ts))

    run(scenario)


def test_r6_a_justificativa_a_closed_ticket_cannot_take_says_its_status(
        run: Callable[[Scenario], None]) -> None:
    """'!justificativa …' in the thread of a ticket awaiting approval or closed answered 'O
    ticket … não permite essa ação no status atual': which action, which status? It now says
    the status and that the justificativa was not changed, in the agent's language."""
    from test_slack_own_language import speaks

    from core.services import closing

    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Refaça a NF-e.",
                     origin_id="erro_sistema")
        for lang, status in (("pt_BR", "Aguardando aprovação"), ("en", "Awaiting approval")):
            await w.core(speaks, w.ids["ana"], lang)
            before = len(w.fake.of("chat.postEphemeral"))
            await w.thread_reply("UANA", ts, "!justificativa Em análise")
            [told] = await w.until(lambda b=before: w.fake.of("chat.postEphemeral")[b:])
            assert told["text"] == t("slack.refuse.justificativa_status", lang,
                                     number=ticket.number, status=status)
        assert (await w.ticket(ticket.id)).justificativa is None

    run(scenario)


def test_r12_the_priority_select_does_not_offer_the_priority_the_ticket_has(
        run: Callable[[Scenario], None]) -> None:
    """A Padrão ticket's card offered 'Voltar a Padrão', and a critical one its own reason:
    picked, they answered 'já tem essa prioridade: nada mudou'. As 'Repassar para…' leaves out
    whoever has the ticket, the select offers only a change."""
    from core.models import CriticalReason, Priority

    def offered(message: dict[str, Any] | None) -> list[str]:
        return [o["value"].split(":")[1] for blk in (message or {}).get("blocks", [])
                if blk["type"] == "actions" for el in blk["elements"]
                if el.get("action_id") == "tk.priority" for o in el["options"]]

    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        assert offered(w.fake.find(TRIAGE, ts)) == ["area_parada", "obrigacao_acessoria"]
        await w.core(handling.set_priority, w.ids["ana"], ticket.id, Priority.CRITICAL,
                     CriticalReason.AREA_STOPPED)
        await w.deliver()
        assert offered(w.fake.find(TRIAGE, ts)) == ["obrigacao_acessoria", "padrao"]

    run(scenario)


def test_r7_customer_tramite_reaches_the_thread(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id,
                     "Segue o XML <nota> & print")
        await w.deliver()
        last = w.fake.thread(TRIAGE, ts)[-1]
        assert "Carla Souza" in last["text"]
        assert "Segue o XML &lt;nota&gt; &amp; print" in last["text"]

    run(scenario)


def test_r7_reply_by_someone_not_an_agent_is_not_sent(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        rows_before = len(await w.outbox())
        await w.thread_reply("USTRANGER", ts, "posso ajudar?")
        ephemeral = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert ephemeral[-1]["user"] == "USTRANGER"
        assert "não" in ephemeral[-1]["text"]
        assert len(await w.outbox()) == rows_before

    run(scenario)


def test_bot_messages_and_subtypes_are_ignored(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        rows_before = len(await w.outbox())
        await w.thread_reply("UANA", ts, "editada", subtype="message_changed")
        await w.thread_reply("UANA", ts, "de um bot", bot_id="BOTHER")
        await w.thread_reply("UANA", ts, "entrou", subtype="channel_join")
        await w.idle()
        assert len(await w.outbox()) == rows_before
        assert not w.fake.of("chat.postEphemeral")

    run(scenario)


def _changed(channel: str, user: str, ts: str, before: str, after: str, *,
             thread_ts: str | None = None, edited: bool = True,
             channel_type: str = "channel") -> dict[str, Any]:
    """A message_changed event as Slack sends it for an edit (or, unedited, a link preview)."""
    old = {"type": "message", "user": user, "text": before, "ts": ts}
    if thread_ts:
        old["thread_ts"] = thread_ts
    new = {**old, "text": after}
    if edited:
        new["edited"] = {"user": user, "ts": "1700000999.000001"}
    return {"type": "message", "subtype": "message_changed", "hidden": True,
            "channel": channel, "channel_type": channel_type, "ts": "1700000999.000002",
            "message": new, "previous_message": old}


def test_r7_an_agent_who_edits_or_deletes_a_thread_reply_is_told_the_customer_keeps_it(
        run: Callable[[Scenario], None]) -> None:
    from core.i18n import t

    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "Pode enviar o XLM da nota?")
        await w.until(lambda: w.fake.of("reactions.add"))
        rows_before = len(await w.outbox())
        reply_ts = w.fake.of("reactions.add")[-1]["timestamp"]
        # A link preview added to the reply changes the message but not its text: nothing said.
        await w.event(_changed(TRIAGE, "UANA", reply_ts, "Pode enviar o XLM da nota?",
                               "Pode enviar o XLM da nota?", thread_ts=ts, edited=False))
        await w.idle()
        assert not w.fake.of("chat.postEphemeral")
        await w.event(_changed(TRIAGE, "UANA", reply_ts, "Pode enviar o XLM da nota?",
                               "Pode enviar o XML da nota?", thread_ts=ts))
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert (told["user"], told["channel"], told["thread_ts"]) == ("UANA", TRIAGE, ts)
        assert told["text"] == t("slack.edited_reply", "pt_BR")
        assert len(await w.outbox()) == rows_before  # the edit reaches nobody
        deleted = {"type": "message", "subtype": "message_deleted", "hidden": True,
                   "channel": TRIAGE, "channel_type": "channel", "ts": "1700000999.000003",
                   "deleted_ts": reply_ts, "previous_message": {
                       "type": "message", "user": "UANA", "text": "Pode enviar o XLM da nota?",
                       "ts": reply_ts, "thread_ts": ts}}
        await w.event(deleted)
        told = await w.until(lambda: w.fake.of("chat.postEphemeral")[1:])
        assert told[-1]["text"] == t("slack.deleted_reply", "pt_BR")
        assert len(await w.outbox()) == rows_before  # the trâmite stays

    run(scenario)


def test_a_customer_who_edits_a_dm_is_told_the_original_stands(
        run: Callable[[Scenario], None]) -> None:
    from core.i18n import t

    async def scenario(w: SlackWorld) -> None:
        await w.dm("UCARLA", "oi")
        await w.until(lambda: [c for c in w.fake.of("chat.postMessage")
                               if c["channel"] == "DCARLA"])
        notice = t("conv.edited", "pt_BR")
        await w.event(_changed("DCARLA", "UCARLA", "1700000300.000001", "oi", "olá",
                               channel_type="im"))
        # The answer to "oi" may still be arriving in parts: look for the notice among all.
        told = await w.until(lambda: [c for c in w.fake.of("chat.postMessage")
                                      if c["text"] == notice])
        assert [c["channel"] for c in told] == ["DCARLA"]

    run(scenario)


def test_r6_repassar_to_oneself_takes_the_ticket_or_says_it_is_already_yours(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)

        def held_by(who: str) -> Callable[[], Any]:
            async def check() -> bool:
                return (await w.ticket(ticket.id)).assignee_id == w.ids[who]
            return check

        await w.click("UBRUNO", "tk.take", str(ticket.id), message_ts=ts)
        await w.until(held_by("bruno"))
        # Ana picks herself in "Repassar para…": she takes it over (it read "Repassada").
        await w.click("UANA", "tk.assign", f"{ticket.id}:{w.ids['ana']}", select=True,
                      message_ts=ts)
        await w.until(held_by("ana"))
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS
        await w.deliver()
        assert "Ana Atendente assumiu o ticket" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        await w.click("UANA", "tk.assign", f"{ticket.id}:{w.ids['ana']}", select=True,
                      message_ts=ts)
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["user"] == "UANA"
        assert f"O ticket {ticket.number} já está com você." in told["text"]

    run(scenario)


def test_r6_repassar_para_does_not_offer_whoever_has_the_ticket_now(
        run: Callable[[Scenario], None]) -> None:
    """Picking the agent who already had the ticket (Bruno, at work on it) 'repassed' it to
    him again: back to Repassada, Assumir offered again, the customer told once more. The
    card offers the team but the holder, as the chat does."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)

        def offered() -> list[str]:
            card = w.fake.find(TRIAGE, ts) or {}
            rows = [e for blk in card["blocks"] if blk["type"] == "actions"
                    for e in blk["elements"] if e["action_id"] == "tk.assign"]
            return [o["text"]["text"] for o in rows[0]["options"]]

        assert offered() == ["Ana Atendente", "Bruno Suporte", "Dora Semslack"]
        await w.click("UBRUNO", "tk.take", str(ticket.id), message_ts=ts)
        await w.until(lambda: _held(w, ticket.id, w.ids["bruno"]))
        await w.deliver()
        assert offered() == ["Ana Atendente", "Dora Semslack"]

    run(scenario)


async def _held(w: SlackWorld, ticket_id: int, user_id: int) -> bool:
    return bool((await w.ticket(ticket_id)).assignee_id == user_id)


def test_r2_r6_the_open_cards_stop_offering_an_agent_who_left_and_offer_her_again_on_return(
        run: Callable[[Scenario], None]) -> None:
    """Cards drawn before Ana was deactivated listed her under "Repassar para…" until something
    else changed the ticket (picking her said she had left). Every open card that lists the
    team is redrawn, without a line in its thread; a closed one has no Repassar to redraw."""
    from core.services import closing, handling, users

    async def scenario(w: SlackWorld) -> None:
        queued = await w.open_ticket(assunto="Na fila")
        brunos = await w.open_ticket(assunto="Com o Bruno")
        anas = await w.open_ticket(assunto="Com a Ana")
        answered = await w.open_ticket(assunto="Respondido")
        await w.core(handling.take, w.ids["bruno"], brunos.id)
        await w.core(handling.take, w.ids["ana"], anas.id)
        await w.core(handling.take, w.ids["bruno"], answered.id)
        await w.core(closing.request_approval, w.ids["bruno"], answered.id, "Feito.",
                     origin_id="erro_sistema")
        await w.deliver()
        tickets = (queued, brunos, anas)

        def offered(ticket: Any) -> list[str]:
            ts = next(c.ts for c in cards if c.ticket_id == ticket.id)
            card = w.fake.find(TRIAGE, ts) or {}
            rows = [e for blk in card["blocks"] if blk["type"] == "actions"
                    for e in blk["elements"] if e["action_id"] == "tk.assign"]
            return [o["text"]["text"] for o in rows[0]["options"]] if rows else []

        cards = [await w.read(lambda uow, i: uow.slack_cards.get(i), t.id) for t in tickets]
        assert "Ana Atendente" in offered(queued)
        assert "Ana Atendente" in offered(brunos)
        lines = {t.id: len(w.fake.thread(TRIAGE, await w.card_ts(t.id))) for t in tickets}
        await w.core(users.deactivate, "ana@example.com")
        await w.deliver()
        assert [offered(t) for t in tickets] == [
            ["Bruno Suporte", "Dora Semslack"], ["Dora Semslack"],
            ["Bruno Suporte", "Dora Semslack"]]
        # Only her own ticket's thread says something changed (she no longer holds it).
        assert {t.id: len(w.fake.thread(TRIAGE, await w.card_ts(t.id))) - lines[t.id]
                for t in tickets} == {queued.id: 0, brunos.id: 0, anas.id: 1}
        await w.core(users.reactivate, "ana@example.com")
        await w.deliver()
        assert offered(queued) == ["Ana Atendente", "Bruno Suporte", "Dora Semslack"]
        assert offered(brunos) == ["Ana Atendente", "Dora Semslack"]

    run(scenario)


def test_r6_the_open_cards_are_redrawn_once_for_changes_of_the_team_that_come_together(
        run: Callable[[Scenario], None]) -> None:
    """Ana and then Bruno left the team before the redraws of the first change had gone out
    (they go one a second: minutes, on a desk with hundreds of open tickets): every open card
    was redrawn twice, the first time already outdated. A redraw still waiting draws the
    next change too: one chat.update per card, showing both gone."""
    from collections import Counter

    from core.services import users

    async def scenario(w: SlackWorld) -> None:
        tickets = [await w.open_ticket(assunto=f"Erro {n}") for n in range(5)]
        await w.core(handling.take, w.ids["ana"], tickets[0].id)
        await w.deliver()
        cards = {await w.card_ts(t.id): t for t in tickets}
        calls = len(w.fake.calls)
        await w.core(users.deactivate, "ana@example.com")
        await w.core(users.deactivate, "bruno@example.com")
        await w.deliver()
        updates = Counter(c.args["ts"] for c in w.fake.calls[calls:] if c.method == "chat.update")
        assert updates == dict.fromkeys(cards, 1)
        for ts in cards:
            shown = json.dumps(w.fake.find(TRIAGE, ts), ensure_ascii=False)
            assert "Dora Semslack" in shown
            assert "Ana Atendente" not in shown
            assert "Bruno Suporte" not in shown

    run(scenario)


def test_r18_the_duplicate_forms_hint_gives_this_months_number_as_example(
        run: Callable[[Scenario], None]) -> None:
    """Duplicado's form hinted 'Ex.: 202611/0001' in every month; the form is built when
    opened, so the example is this month's number in the support timezone."""
    from datetime import UTC, datetime

    from test_slack_cycle import modal, open_and_take

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        w.now = datetime(2027, 3, 1, 1, 0, tzinfo=UTC)  # still February in São Paulo
        view = await modal(w, "UANA", "tk.reject", ticket.id, ts)
        [hint] = [blk["hint"]["text"] for blk in view["blocks"] if blk.get("block_id") == "input"]
        assert hint.startswith("Ex.: 202702/0001."), hint

    run(scenario)


def test_r6_r16_em_estimativa_on_a_card_drawn_before_a_colleague_took_the_ticket_moves_nothing(
        run: Callable[[Scenario], None]) -> None:
    """Ana pressed Em estimativa on the Novo card she had in view after Bruno took the ticket:
    Bruno's ticket went to triage unseen, as Assumir on such a card once undid a triage. The
    button carries the status its card showed; changed since, the click is refused with the
    status now and the card redrawn; on the card as it is, it goes."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)

        def estimate_value() -> str:
            return next(el["value"] for blk in w.fake.find(TRIAGE, ts)["blocks"]
                        if blk["type"] == "actions" for el in blk["elements"]
                        if el.get("action_id") == "tk.estimate")

        drawn = estimate_value()
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        await w.click("UANA", "tk.estimate", drawn, message_ts="1.0")
        [refusal] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert refusal["text"] == t("slack.refuse.outdated_card", number=ticket.number,
                                    status="Em atendimento")
        await w.idle()
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, w.ids["bruno"])
        await w.deliver()
        await w.click("UANA", "tk.estimate", estimate_value(), message_ts=ts)
        await w.idle()
        assert (await w.ticket(ticket.id)).status == Status.ESTIMATE

    run(scenario)
