"""The whole cycle from Slack: buttons, modals, approval, rating, duplicates, development."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_harness import DEV, TRIAGE, Scenario, SlackWorld, as_read, card_fields

from core.i18n import render_notification, t
from core.models import CriticalReason, Priority, Rating, Role, Status
from core.services import closing, sweeps, tramites, users


async def open_and_take(w: SlackWorld, **fields: Any) -> tuple[Any, str]:
    """Open a ticket, post its card, and let Ana take it."""
    ticket = await w.open_ticket(**fields)
    await w.deliver()
    ts = await w.card_ts(ticket.id)
    await w.click("UANA", "tk.take", str(ticket.id), message_ts=ts)
    await status_is(w, ticket.id, Status.IN_PROGRESS)
    await w.deliver()
    return ticket, ts


async def status_is(w: SlackWorld, ticket_id: int, status: Status) -> Any:
    """Wait until the ticket reaches a status."""

    async def check() -> Any:
        ticket = await w.ticket(ticket_id)
        return ticket if ticket.status == status else None

    return await w.until(check)


async def modal(w: SlackWorld, user: str, action: str, ticket_id: int, ts: str) -> dict[str, Any]:
    """Press a button that opens a modal and return the modal Slack was asked to open."""
    before = len(w.fake.of("views.open"))
    await w.click(user, action, str(ticket_id), message_ts=ts)
    opened = await w.until(lambda: w.fake.of("views.open")[before:])
    return opened[0]["view"]


async def awaiting_approval(w: SlackWorld) -> tuple[Any, str]:
    """A ticket Ana took and answered through the approval modal (R19)."""
    ticket, ts = await open_and_take(w)
    view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
    await w.submit_view("UANA", view, "Tente de novo agora.")
    await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
    return ticket, ts


def test_r19_r7_the_solution_quoted_in_the_cards_thread_reads_as_slack_formatting(
        run: Callable[[Scenario], None]) -> None:
    """The solution sent for approval, quoted in the card's thread, shows an agent's
    **bold**, `code`, items and links as Slack does, as the customer's DM does; '<!channel>'
    in it pings nobody."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id,
                     "**Atenção**: rode `nfe --check` <!channel>\n- veja [o manual]"
                     "(https://ex.com/manual_nfe)", origin_id="erro_sistema")
        await w.deliver()
        log = w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert log.endswith("\n> *Atenção*: rode `nfe --check` &lt;!channel&gt;\n"
                            "> • veja <https://ex.com/manual_nfe|o manual>")

    run(scenario)


def test_r21_r14_the_auto_close_line_in_the_cards_thread_says_the_days_waited(
        run: Callable[[Scenario], None]) -> None:
    """Answered Friday 04/12 03:00 (São Paulo), closed by the sweep Monday 21/12 08:00: the
    customer was told 'ficou 17 dias'; the team's thread said only 'após o prazo'."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)
        ticket, ts = await open_and_take(w)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Ajustamos.",
                     origin_id="erro_sistema")
        await w.deliver()
        w.now = datetime(2026, 12, 21, 11, 0, tzinfo=UTC)
        assert (await w.core(sweeps.run_all)).auto_closed == 1
        await w.deliver()
        log = w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert log == "Encerrado como aprovado depois de 17 dias sem resposta do cliente."
        [row] = [m for m in await w.outbox()
                 if m.kind == "card" and m.params.get("event") == "aprovado_automaticamente"]
        assert render_notification("card", row.params, "en")[1] == \
            "Closed as approved after 17 days without an answer from the customer."

    run(scenario)


def test_r19_r7_the_cards_thread_quotes_the_solution_not_the_customers_later_words(
        run: Callable[[Scenario], None]) -> None:
    """The line 'respondeu ao cliente' quoted the ticket's last public trâmite when it was
    posted: a customer who wrote meanwhile (Slack down, the outbox behind) had their words
    quoted as the solution, and formatted as an agent's. It quotes the solution sent."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id,
                     "**Reinstale** o `nfe.dll`", origin_id="erro_sistema")
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id,
                     "**não** resolveu, veja [isto](https://ex.com/a) <!channel>")
        await w.deliver()
        [log] = [m["text"] for m in w.fake.thread(TRIAGE, ts)
                 if "respondeu ao cliente;" in m["text"]]
        assert log.endswith("aguardando aprovação.\n> *Reinstale* o `nfe.dll`")
        [said] = [m["text"] for m in w.fake.thread(TRIAGE, ts) if "resolveu" in m["text"]]
        assert as_read(said).endswith(
            "\n**não** resolveu, veja [isto](https://ex.com/a) &lt;!channel&gt;")

    run(scenario)


def test_r19_r20_approval_requested_then_approved_and_rated(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        assert view["callback_id"] == "md.approval"
        assert ticket.number in json.dumps(view, ensure_ascii=False)
        status, _ = await w.submit_view("UANA", view,
                                        "Corrigido o cadastro do CFOP; pode reenviar a nota.")
        assert status == 200
        await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        customer = [m for m in await w.outbox() if m.kind == "ticket.approval_requested"]
        assert {m.target for m in customer} >= {"user:UCARLA", "carla@example.com"}
        await w.deliver()
        log = w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert "Corrigido o cadastro do CFOP" in log
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        await w.core(closing.rate, w.ids["carla"], ticket.id, Rating.GREAT)
        await w.deliver()
        card = card_fields(w.fake.find(TRIAGE, ts) or {})
        assert "Encerrado" in card
        assert "Ótimo" in card
        assert "tk.approval" not in card
        assert "avaliou" in w.fake.thread(TRIAGE, ts)[-1]["text"]

    run(scenario)


def test_r19_not_approved_returns_to_the_thread_in_progress(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await awaiting_approval(w)
        await w.core(closing.not_approve, w.ids["carla"], ticket.id,
                     "Continua rejeitando a nota 10125")
        await w.deliver()
        stored = await w.ticket(ticket.id)
        assert stored.status == Status.IN_PROGRESS
        assert "Continua rejeitando a nota 10125" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        card = card_fields(w.fake.find(TRIAGE, ts) or {})
        assert "Em atendimento" in card
        assert "tk.approval" in card
        dm = [c for c in w.fake.of("chat.postMessage") if c["channel"] == "DANA"]
        assert dm, "the responsible agent hears about it in a DM"

    run(scenario)


def test_r19_a_customers_reason_cannot_ping_the_channel_or_disguise_a_link(
        run: Callable[[Scenario], None]) -> None:
    """What customers write reaches the agents' thread and DMs as text: "<!channel>" there would
    notify the whole triage channel, "<https://x|y>" would show a link under another name."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await awaiting_approval(w)
        await w.core(closing.not_approve, w.ids["carla"], ticket.id,
                     "<!channel> ainda falha & veja <https://evil.example|ajuda.exemplo.com>")
        await w.deliver()
        said = [w.fake.thread(TRIAGE, ts)[-1]["text"]] + [
            c["text"] for c in w.fake.of("chat.postMessage") if c["channel"] == "DANA"]
        for text in said:
            assert "&lt;!channel&gt; ainda falha &amp; veja" in text, text
            assert "<!channel>" not in text
            assert "<https://evil.example|" not in text

    run(scenario)


def test_modal_with_empty_text_shows_an_error_in_the_modal(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        status, body = await w.submit_view("UANA", view, "  ")
        assert status == 200
        assert json.loads(body)["response_action"] == "errors"
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

    run(scenario)


def test_r18_reject_duplicate_tells_the_customer_the_original(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        original = await w.open_ticket()
        dup = await w.open_ticket(assunto="Erro ao confirmar pedido (de novo)")
        await w.deliver()
        ts = await w.card_ts(dup.id)
        view = await modal(w, "UANA", "tk.reject", dup.id, ts)
        status, body = await w.submit("UANA", "md.reject", view["private_metadata"], "209901/9999")
        assert json.loads(body)["response_action"] == "errors"  # no such original
        status, body = await w.submit("UANA", "md.reject", view["private_metadata"],
                                      original.number)
        assert status == 200
        stored = await status_is(w, dup.id, Status.REJECTED)
        assert stored.duplicate_of_id == original.id
        told = [m for m in await w.outbox()
                if m.kind == "ticket.status" and m.target == "user:UCARLA"]
        assert told[-1].params["original"] == original.number
        await w.deliver()
        dm = [c for c in w.fake.of("chat.postMessage") if c["channel"] == "DCARLA"]
        assert original.number in dm[-1]["text"]
        card = card_fields(w.fake.find(TRIAGE, ts) or {})
        assert "Rejeitado" in card
        assert original.number in card
        assert "tk.take" not in card

    run(scenario)


def test_r6_r12_r22_assign_priority_origin_estimate(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        card = w.fake.find(TRIAGE, ts) or {}
        options = [o["value"] for blk in card["blocks"] if blk["type"] == "actions"
                   for el in blk["elements"] if el.get("action_id") == "tk.assign"
                   for o in el["options"]]
        assert f"{ticket.id}:{w.ids['bruno']}:0:novo" in options  # nobody has it, Novo
        await w.click("UANA", "tk.assign", f"{ticket.id}:{w.ids['bruno']}:0:novo", select=True,
                      message_ts=ts)
        stored = await status_is(w, ticket.id, Status.ASSIGNED)
        assert stored.assignee_id == w.ids["bruno"]
        await w.click("UANA", "tk.priority", f"{ticket.id}:{CriticalReason.AREA_STOPPED.value}",
                      select=True, message_ts=ts)

        async def critical() -> bool:
            return (await w.ticket(ticket.id)).priority == Priority.CRITICAL

        await w.until(critical)
        await w.click("UANA", "tk.origin", f"{ticket.id}:backup", select=True, message_ts=ts)

        async def classified() -> Any:
            return (await w.ticket(ticket.id)).origin

        await w.until(classified)
        stored = await w.ticket(ticket.id)
        assert stored.billable is True
        await w.click("UANA", "tk.estimate", str(ticket.id), message_ts=ts)
        await status_is(w, ticket.id, Status.ESTIMATE)
        await w.deliver()
        text = card_fields(w.fake.find(TRIAGE, ts) or {})
        assert "Em estimativa" in text
        assert "Crítico" in text
        assert "Bruno Suporte" in text
        assert "faturável" in text
        bruno_dm = [c for c in w.fake.of("chat.postMessage") if c["channel"] == "DBRUNO"]
        assert bruno_dm, "the new responsible hears about it"

    run(scenario)


def test_r15_forward_to_development_and_back(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.dev", ticket.id, ts)
        await w.submit("UANA", "md.dev", view["private_metadata"], "Erro no cálculo do ICMS-ST")
        await status_is(w, ticket.id, Status.IN_DEVELOPMENT)
        await w.deliver()
        dev_posts = w.fake.messages(DEV)
        assert dev_posts
        assert "Erro no cálculo do ICMS-ST" in json.dumps(dev_posts[-1]["blocks"],
                                                          ensure_ascii=False)
        view = await modal(w, "UANA", "tk.dev_return", ticket.id, ts)
        await w.submit("UANA", "md.dev_return", view["private_metadata"], "pacote-2026.11.3")
        await status_is(w, ticket.id, Status.IN_PROGRESS)
        await w.deliver()
        assert "pacote-2026.11.3" in w.fake.thread(TRIAGE, ts)[-1]["text"]

    run(scenario)


def test_note_button_opens_a_modal_and_records_an_internal_note(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.note", ticket.id, ts)
        await w.submit("UANA", "md.note", view["private_metadata"], "Ligar para o contador")

        async def noted() -> Any:
            return [m for m in await w.outbox() if m.kind == "ticket.internal_note"]

        await w.until(noted)
        await w.deliver()
        assert "🔒 Nota interna" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert not [m for m in await w.outbox()
                    if m.target == "user:UCARLA" and "Ligar" in json.dumps(m.params)]

    run(scenario)


def test_r6_more_agents_than_a_select_holds_are_found_by_typing(
        run: Callable[[Scenario], None]) -> None:
    """Slack refuses a select of over 100 options: the card searches as the agent types."""
    async def scenario(w: SlackWorld) -> None:
        def hire(ctx: Any) -> None:
            for i in range(120):
                users.add_user(ctx, name=f"Agente {i:03d}", email=f"ag{i}@suporte.example",
                               role=Role.AGENT)
            gone = users.add_user(ctx, name="Agente Inativa", email="inativa@suporte.example",
                                  role=Role.AGENT)
            gone.active = False
            ctx.uow.users.update(gone)

        await w.core(hire)
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        card = w.fake.find(TRIAGE, ts) or {}
        (row,) = [blk for blk in card["blocks"] if blk["type"] == "actions"
                  for el in blk["elements"] if el.get("action_id") == "tk.assign"]
        (select,) = [el for el in row["elements"] if el.get("action_id") == "tk.assign"]
        assert select["type"] == "external_select"
        assert "options" not in select

        status, body = await w.suggest("UANA", "tk.assign", row["block_id"], "bru")
        assert status == 200
        options = json.loads(body)["options"]
        assert [o["text"]["text"] for o in options] == ["Bruno Suporte"]
        assert options[0]["value"] == f"{ticket.id}:{w.ids['bruno']}:0:novo"  # nobody, Novo
        status, body = await w.suggest("UANA", "tk.assign", row["block_id"], "")
        assert len(json.loads(body)["options"]) == 100  # Slack's limit per answer
        status, body = await w.suggest("UANA", "tk.assign", row["block_id"], "agente 11")
        names = [o["text"]["text"] for o in json.loads(body)["options"]]
        assert names == [f"Agente {i}" for i in range(110, 120)]

        status, body = await w.suggest("UANA", "tk.origin", row["block_id"], "back")
        assert [(o["text"]["text"], o["value"]) for o in json.loads(body)["options"]] == [
            ("💲 Backup", f"{ticket.id}:backup:novo:")]  # as searched: Novo, no origin

        # Customers get nothing to pick; a forged request is refused.
        status, body = await w.suggest("UCARLA", "tk.assign", row["block_id"], "bru")
        assert (status, json.loads(body)["options"]) == (200, [])
        status, _ = await w.suggest("UANA", "tk.assign", row["block_id"], "bru",
                                    signature="v0=forged")
        assert status == 401

        await w.click("UANA", "tk.assign", options[0]["value"] if options else "",
                      select=True, message_ts=ts)
        status_ok = await status_is(w, ticket.id, Status.ASSIGNED)
        assert status_ok.assignee_id == w.ids["bruno"]

    run(scenario)


def test_r19_a_form_a_colleagues_change_made_stale_names_the_status_it_found(
        run: Callable[[Scenario], None]) -> None:
    """Bruno sent his solution while Ana's form was open: hers said only 'O ticket … não
    permite essa ação no status atual.', not what happened nor the status (a stale card's
    click says both). The form stays open with her text, nothing sent (her note for
    development, refused alike, is offered as an internal note)."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        package = await modal(w, "UANA", "tk.dev", ticket.id, ts)
        await w.core(closing.request_approval, w.ids["bruno"], ticket.id, "Corrigido.",
                     origin_id="erro_sistema")
        status, body = await w.submit_view("UANA", view, "Reinstale o pacote.")
        assert status == 200
        answer = json.loads(body)
        assert answer["response_action"] == "errors"
        [said] = answer["errors"].values()
        assert said == t("slack.refuse.form_outdated", "pt_BR", number=ticket.number,
                         status="Aguardando aprovação")
        await w.core(users.set_language, "ana@example.com", "en")
        _, body = await w.submit_view("UANA", package, "Ver o log")
        again = json.loads(body)["view"]  # her note offered as an internal note, in English
        said = json.dumps(again["blocks"], ensure_ascii=False)
        assert f"Ticket {ticket.number} is now Awaiting approval" in said
        assert again["callback_id"] == "md.note"
        assert len([m for m in await w.outbox() if m.kind == "dev.forwarded"]) == 0

    run(scenario)
