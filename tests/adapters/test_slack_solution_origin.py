"""The solution's modal in Slack asks the ticket's origin with it (R22); billing follows (R23)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_harness import TRIAGE, Scenario, SlackWorld, card_fields
from test_slack_cycle import modal, open_and_take, status_is

from core.i18n import t
from core.models import EntryKind, Status
from core.services import billing, closing, users


def origin_block(view: dict[str, Any]) -> dict[str, Any]:
    """The modal's origin question."""
    found = [blk for blk in view["blocks"] if blk.get("block_id", "").startswith("card.origin.")]
    assert len(found) == 1, view["blocks"]
    return found[0]


def test_r22_the_solution_modal_starts_at_the_suggested_origin_and_records_it(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        question = origin_block(view)
        assert question["label"]["text"] == "Origem (tabela do contrato)"
        assert question["element"]["initial_option"]["value"] == f"{ticket.id}:erro_sistema"
        assert "Erro de sistema" in question["element"]["initial_option"]["text"]["text"]
        status, _ = await w.submit_view("UANA", view, "Corrigido o cadastro do CFOP.")
        assert status == 200
        stored = await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        assert (stored.origin, stored.billable) == ("erro_sistema", False)

    run(scenario)


def test_r23_an_origin_outside_the_contract_picked_with_the_solution_asks_for_authorization(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        await w.submit_view("UANA", view, "Layout do boleto alterado.",
                            {"tk.origin": f"{ticket.id}:layout"})
        stored = await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        assert (stored.origin, stored.billable) == ("layout", True)
        kinds = {m.kind for m in await w.outbox() if m.ticket_id == ticket.id}
        assert {"ticket.billing_prompt", "ticket.approval_requested"} <= kinds

    run(scenario)


def test_r22_the_modal_starts_at_the_origin_already_classified(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        await w.core(billing.classify_origin, w.ids["ana"], ticket.id, "legislacao")
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        chosen = origin_block(view)["element"]["initial_option"]["value"]
        assert chosen == f"{ticket.id}:legislacao"

    run(scenario)


def test_r22_a_forged_origin_is_shown_under_the_origin_and_nothing_is_sent(
        run: Callable[[Scenario], None]) -> None:
    """Another ticket's option or an origin not in the table: the modal stays open with the
    error under the origin (Slack keeps what was typed), the ticket is untouched."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        block = origin_block(view)["block_id"]
        for forged in (f"{ticket.id + 1}:erro_sistema", f"{ticket.id}:inventada", "x"):
            status, body = await w.submit_view("UANA", view, "Corrigido.",
                                               {"tk.origin": forged})
            assert status == 200
            answer = json.loads(body)
            assert answer["response_action"] == "errors"
            assert list(answer["errors"]) == [block], answer
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.origin) == (Status.IN_PROGRESS, None)
        assert not [m for m in await w.outbox() if m.kind == "ticket.approval_requested"]

    run(scenario)


def test_r22_a_modal_opened_without_the_origin_question_asks_to_classify_first(
        run: Callable[[Scenario], None]) -> None:
    """A solution modal from before the origin question (opened before an upgrade) on an
    unclassified ticket: the error says to classify it, naming the suggestion."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        status, body = await w.submit("UANA", "md.approval", view["private_metadata"],
                                      "Corrigido.")
        assert status == 200
        errors = json.loads(body)["errors"]
        assert "classifique a origem" in errors["input"]
        assert "Erro de sistema" in errors["input"]
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

    run(scenario)


def test_r23_the_quote_button_opens_a_modal_whose_quote_reaches_the_customer(
        run: Callable[[Scenario], None]) -> None:
    """A billable ticket's card offers Orçamento…; the quote typed asks the customer again,
    an empty one is refused in the modal, and the card shows the quote."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        await w.core(billing.classify_origin, w.ids["ana"], ticket.id, "layout")
        await w.core(billing.record_billing_authorization, w.ids["carla"], ticket.id, True)
        view = await modal(w, "UANA", "tk.quote", ticket.id, ts)
        assert view["callback_id"] == "md.quote"
        assert view["blocks"][1]["element"]["max_length"] == billing.QUOTE_MAX
        status, body = await w.submit_view("UANA", view, "   ")
        assert json.loads(body)["response_action"] == "errors"
        status, body = await w.submit_view("UANA", view, "!!!")
        assert "Orçamento: escreva com palavras" in json.loads(body)["errors"]["input"]
        assert (await w.ticket(ticket.id)).billing_quote is None
        assert "initial_value" not in view["blocks"][1]["element"]  # no quote yet
        status, _ = await w.submit_view("UANA", view, "3 h de ajuste no layout, R$ 540,00")
        assert status == 200
        stored = await w.ticket(ticket.id)
        assert stored.billing_quote == "3 h de ajuste no layout, R$ 540,00"
        assert stored.billing_authorized is None  # authorized before the quote: asked again
        prompts = [m for m in await w.outbox()
                   if m.ticket_id == ticket.id and m.kind == "ticket.billing_prompt"]
        assert prompts[-1].params["quote"] == "3 h de ajuste no layout, R$ 540,00"
        await w.deliver()
        updates = [c for c in w.fake.of("chat.update") if c.get("ts") == ts]
        assert "Orçamento: 3 h de ajuste no layout, R$ 540,00" in card_fields(updates[-1])
        again = await modal(w, "UANA", "tk.quote", ticket.id, ts)  # to change it: kept there
        assert again["blocks"][1]["element"]["initial_value"] == \
            "3 h de ajuste no layout, R$ 540,00"

    run(scenario)


def test_r23_a_forged_quote_click_on_a_covered_ticket_is_refused(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)  # covered: the card has no Orçamento button
        await w.click("UANA", "tk.quote", str(ticket.id), message_ts=ts)  # a forged click
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert "não é faturável" in told[-1]["text"]  # said at once: no form opens
        assert not w.fake.of("views.open")
        status, body = await w.submit("UANA", "md.quote", f"{ticket.id}|{TRIAGE}|{ts}",
                                      "R$ 1,00")  # a forged form: core still refuses it
        assert "não é faturável" in json.loads(body)["errors"]["input"]
        assert (await w.ticket(ticket.id)).billing_quote is None

    run(scenario)


def test_r23_the_solution_modal_takes_the_quote_of_an_origin_outside_the_contract(
        run: Callable[[Scenario], None]) -> None:
    """The quote typed with the solution goes to the customer with the charge question; a
    quote beside a covered origin is refused under the quote, and nothing is sent."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        [quote] = [blk for blk in view["blocks"] if blk.get("block_id") == "quote"]
        assert quote["optional"] is True
        status, body = await w.submit_view("UANA", view, "Corrigido.",
                                           typed={"quote": "R$ 100,00"})  # erro_sistema
        assert "não é faturável" in json.loads(body)["errors"]["quote"]
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS
        await w.submit_view("UANA", view, "Layout do boleto alterado.",
                            {"tk.origin": f"{ticket.id}:layout"},
                            typed={"quote": "2 h de ajuste de layout, R$ 360,00"})
        stored = await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        assert (stored.billable, stored.billing_quote) == (True,
                                                           "2 h de ajuste de layout, R$ 360,00")
        prompts = [m for m in await w.outbox()
                   if m.ticket_id == ticket.id and m.kind == "ticket.billing_prompt"]
        assert [m.params["quote"] for m in prompts if m.channel == "email"] == [
            "2 h de ajuste de layout, R$ 360,00"]

    run(scenario)


def redrawn(body: str) -> dict[str, Any]:
    """The form Slack is asked to show instead of closing it (response_action update)."""
    answer = json.loads(body)
    assert answer["response_action"] == "update", answer
    return answer["view"]


def initial_text(view: dict[str, Any], block_id: str) -> str | None:
    [block] = [blk for blk in view["blocks"] if blk.get("block_id") == block_id]
    return block["element"].get("initial_value")


def test_r22_r23_a_solution_form_opened_before_a_colleagues_change_shows_it_before_sending(
        run: Callable[[Scenario], None]) -> None:
    """Ana opened the solution's form; meanwhile Bruno classified the origin otherwise and
    changed the quote from the card. Her form, left at what it showed, put her stale ones back
    (before 9aaff02); since then it kept Bruno's silently, so Ana picking her origin again
    on purpose was taken for a form left as it was. Now the form is shown again with what
    the ticket has, her solution kept, saying so: nothing goes until she sends it again."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        await w.core(billing.classify_origin, w.ids["ana"], ticket.id, "layout")
        await w.core(billing.set_quote, w.ids["ana"], ticket.id, "2 h de layout, R$ 360,00")
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        await w.core(billing.classify_origin, w.ids["bruno"], ticket.id, "configuracao")
        await w.core(billing.set_quote, w.ids["bruno"], ticket.id, "3 h de ajuste, R$ 540,00")
        prompts = len([m for m in await w.outbox() if m.kind == "ticket.billing_prompt"])
        status, body = await w.submit_view("UANA", view, "Configuração da filial ajustada.")
        assert status == 200
        again = redrawn(body)
        assert "mudou enquanto este formulário estava aberto" in json.dumps(
            again, ensure_ascii=False)
        assert initial_text(again, "input") == "Configuração da filial ajustada."
        assert origin_block(again)["element"]["initial_option"]["value"] == \
            f"{ticket.id}:configuracao"
        assert initial_text(again, "quote") == "3 h de ajuste, R$ 540,00"
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS  # nothing sent
        status, body = await w.submit_view("UANA", again, "Configuração da filial ajustada.")
        assert (status, body) == (200, "")
        stored = await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        assert (stored.origin, stored.billing_quote) == ("configuracao",
                                                         "3 h de ajuste, R$ 540,00")
        assert len([m for m in await w.outbox() if m.kind == "ticket.billing_prompt"]) \
            == prompts

    run(scenario)


def test_r22_the_origin_picked_again_in_the_redrawn_form_is_taken(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        await w.core(billing.classify_origin, w.ids["ana"], ticket.id, "layout")
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        await w.core(billing.classify_origin, w.ids["bruno"], ticket.id, "erro_sistema")
        _, body = await w.submit_view("UANA", view, "Layout do boleto ajustado.")
        again = redrawn(body)
        status, body = await w.submit_view("UANA", again, "Layout do boleto ajustado.",
                                           {"tk.origin": f"{ticket.id}:layout"})
        assert (status, body) == (200, "")
        stored = await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        assert (stored.origin, stored.billable) == ("layout", True)

    run(scenario)


def test_r23_a_quote_form_opened_before_a_colleagues_quote_shows_it_before_sending(
        run: Callable[[Scenario], None]) -> None:
    """Submitted untouched, the Orçamento form asked the customer again with the old amount
    (before 9aaff02), then kept the colleague's silently: the old amount typed again on
    purpose was lost. Now the form shows the new quote first; the old one typed in it goes."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        await w.core(billing.classify_origin, w.ids["ana"], ticket.id, "layout")
        await w.core(billing.set_quote, w.ids["ana"], ticket.id, "2 h de layout, R$ 360,00")
        view = await modal(w, "UANA", "tk.quote", ticket.id, ts)
        solution = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        await w.core(billing.set_quote, w.ids["bruno"], ticket.id, "3 h de ajuste, R$ 540,00")
        asked = [m for m in await w.outbox() if m.kind == "ticket.billing_prompt"]
        status, body = await w.submit_view("UANA", view, "2 h de layout, R$ 360,00")
        assert status == 200
        again = redrawn(body)
        assert initial_text(again, "input") == "3 h de ajuste, R$ 540,00"
        assert (await w.ticket(ticket.id)).billing_quote == "3 h de ajuste, R$ 540,00"
        assert [m for m in await w.outbox() if m.kind == "ticket.billing_prompt"] == asked
        await w.submit_view("UANA", again, "2 h de layout, R$ 360,00")  # on purpose: it goes
        await w.idle()
        assert (await w.ticket(ticket.id)).billing_quote == "2 h de layout, R$ 360,00"
        _, body = await w.submit_view("UANA", solution, "Ajustado.",
                                      {"tk.origin": f"{ticket.id}:erro_sistema"},
                                      {"quote": None})
        assert body == ""  # as it showed but for what Ana changed: taken
        stored = await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        assert (stored.origin, stored.billable) == ("erro_sistema", False)

    run(scenario)


def test_r22_r23_the_redrawn_form_keeps_the_origin_the_agent_changed(
        run: Callable[[Scenario], None]) -> None:
    """Bruno changed the quote; Ana picked another origin and left the quote: the form comes
    back with her origin and his quote, in English for an agent who reads English."""
    async def scenario(w: SlackWorld) -> None:
        await w.core(users.set_language, "ana@example.com", "en")
        ticket, ts = await open_and_take(w)
        await w.core(billing.classify_origin, w.ids["ana"], ticket.id, "layout")
        await w.core(billing.set_quote, w.ids["ana"], ticket.id, "2 h de layout, R$ 360,00")
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        await w.core(billing.set_quote, w.ids["bruno"], ticket.id, "3 h de ajuste, R$ 540,00")
        _, body = await w.submit_view("UANA", view, "Branch settings fixed.",
                                      {"tk.origin": f"{ticket.id}:configuracao"})
        again = redrawn(body)
        assert "changed while this form was open" in json.dumps(again)
        assert origin_block(again)["element"]["initial_option"]["value"] == \
            f"{ticket.id}:configuracao"
        assert initial_text(again, "quote") == "3 h de ajuste, R$ 540,00"
        assert (await w.ticket(ticket.id)).origin == "layout"
        await w.submit_view("UANA", again, "Branch settings fixed.")
        stored = await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        assert (stored.origin, stored.billing_quote) == ("configuracao",
                                                         "3 h de ajuste, R$ 540,00")

    run(scenario)


def test_r19_the_solution_form_sent_twice_says_it_went_not_that_nothing_did(
        run: Callable[[Scenario], None]) -> None:
    """The same Solicitar aprovação form submitted again (a double click, or Slack sending it
    again after a slow answer) was refused with "… nada foi enviado", although the first had
    sent the solution: the agent thought nothing went. The second closes the form as the first
    did and says the solution had already gone, once; the customer hears it once. Another
    solution typed on a ticket already awaiting approval is still refused."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        status, first = await w.submit_view("UANA", view, "Cadastro do CFOP corrigido.")
        assert (status, first) == (200, "")
        await status_is(w, ticket.id, Status.AWAITING_APPROVAL)
        sent = await asked(w, ticket.id)
        status, second = await w.submit_view("UANA", view, "Cadastro do CFOP corrigido.")
        assert (status, second) == (200, "")  # closed as the first: no error in the form
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told[-1]["text"] == t(closing.ALREADY_SENT, number=ticket.number)
        assert "nada foi enviado" not in told[-1]["text"]
        assert await asked(w, ticket.id) == sent
        public = [e for e in await w.read(lambda uow: uow.entries.list(ticket.id, True))
                  if e.kind == EntryKind.PUBLIC]
        assert [e.text for e in public].count("Cadastro do CFOP corrigido.") == 1
        _, other = await w.submit_view("UANA", view, "Outra solução.")
        assert "nada foi enviado" in json.loads(other)["errors"]["input"]
        assert len(w.fake.of("chat.postEphemeral")) == len(told)

    run(scenario)


async def asked(w: SlackWorld, ticket_id: int) -> list[Any]:
    """The customer's approval requests of a ticket, wherever they go."""
    return [m for m in await w.outbox()
            if m.ticket_id == ticket_id and m.kind == "ticket.approval_requested"]
