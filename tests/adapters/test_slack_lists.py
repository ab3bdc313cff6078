"""The coordinator's and agents' listings in Slack: every line opens its ticket's card, and
/ticket aprovacao, atrasados and agente show what the DM chat's tabs showed only there."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fakes.slack_api import TEAM
from slack_harness import TRIAGE, Scenario, SlackWorld

from core.i18n import t
from core.models import CriticalReason, Priority
from core.services import closing, handling, tramites, users
from storage.sql import SqlStore

_keys = itertools.count(1)


def responses(w: SlackWorld) -> list[dict[str, Any]]:
    """What was sent back through response_urls, in order."""
    return [c.args for c in w.fake.calls if c.method.startswith("response_url:")]


async def answer(w: SlackWorld, user: str, text: str) -> dict[str, Any]:
    """Run /ticket TEXT and return what it answered."""
    before = len(responses(w))
    status, _ = await w.command(user, text)
    assert status == 200
    return (await w.until(lambda: responses(w)[before:]))[0]


def flat(reply: Any) -> str:
    """Everything an answer says."""
    return json.dumps(reply, ensure_ascii=False)


def lines(blocks: list[dict[str, Any]]) -> list[str]:
    """The listing's lines, in order: one section with an Abrir button each."""
    return [blk["text"]["text"] for blk in blocks if blk.get("accessory")]


def open_button(blocks: list[dict[str, Any]], number: str) -> dict[str, Any]:
    """The button of the line that shows this ticket (the Home tab may show it twice, under
    Comigo and in the queue: the same button)."""
    found = [blk["accessory"] for blk in blocks
             if blk.get("accessory") and f"*{number}*" in blk["text"]["text"]]
    assert found, flat(blocks)
    assert all(button == found[0] for button in found), flat(blocks)
    assert found[0]["type"] == "button"
    assert found[0]["text"]["text"] == "Abrir"
    return found[0]


async def press(w: SlackWorld, user: str, button: dict[str, Any], *, home: bool = False,
                value: str | None = None, listing_ts: str | None = None) -> str:
    """Press a listing's button, on an answer to /ticket (only this user sees it; each press
    on an answer of its own unless listing_ts names one) or on the App Home tab (no message,
    no response_url); returns the response_url's key."""
    key = f"list{next(_keys)}"
    listing_ts = listing_ts or f"1700000500.{next(_keys):06d}"
    action = {"action_id": button["action_id"], "block_id": "b1", "type": "button",
              "value": button["value"] if value is None else value, "action_ts": "1",
              "text": button["text"]}
    payload: dict[str, Any] = {
        "type": "block_actions", "user": {"id": user, "team_id": TEAM}, "team": {"id": TEAM},
        "api_app_id": "AHELP", "trigger_id": f"tr-{key}", "actions": [action]}
    if home:
        payload |= {"container": {"type": "view", "view_id": "VHOME"},
                    "view": {"id": "VHOME", "type": "home", "blocks": []}}
    else:
        payload |= {"channel": {"id": TRIAGE},
                    "container": {"type": "message", "message_ts": listing_ts,
                                  "channel_id": TRIAGE, "is_ephemeral": True},
                    "response_url": w.fake.response_url(key)}
    status, _ = await w.interactive(payload)
    assert status == 200
    return key


async def responded(w: SlackWorld, key: str) -> dict[str, Any]:
    """What the click sent back through its response_url."""
    [found] = await w.until(lambda: [c.args for c in w.fake.calls
                                     if c.method == f"response_url:{key}"])
    return found


async def home_blocks(w: SlackWorld, user: str) -> list[dict[str, Any]]:
    """The App Home the user gets when opening it."""
    before = len(w.fake.of("views.publish"))
    await w.event({"type": "app_home_opened", "user": user, "channel": "DX", "tab": "home"})
    views = await w.until(lambda: w.fake.of("views.publish")[before:])
    return list(views[0]["view"]["blocks"])


def test_each_line_of_fila_meus_and_busca_opens_the_card_ticket_numero_shows(
        run: Callable[[Scenario], None]) -> None:
    """The lines could not be opened: the agent typed /ticket NÚMERO or looked for the card in
    the triage channel. Abrir shows the same card, only to the agent, and the list stays."""
    async def scenario(w: SlackWorld) -> None:
        first = await w.open_ticket(assunto="Primeiro a chegar")
        second = await w.open_ticket(assunto="Nota fiscal rejeitada")
        await w.core(handling.take, w.ids["ana"], second.id)
        card = (await answer(w, "UANA", second.number))["blocks"]
        for typed in ("fila", "meus", "busca rejeitada"):
            listing = (await answer(w, "UANA", typed))["blocks"]
            key = await press(w, "UANA", open_button(listing, second.number))
            opened = await responded(w, key)
            assert opened["response_type"] == "ephemeral", typed
            assert opened["replace_original"] is False, typed  # the list stays where it was
            assert opened["blocks"] == card, typed
            assert first.number not in flat(opened)
        listing = (await answer(w, "UANA", "fila"))["blocks"]
        opened = await responded(w, await press(w, "UANA", open_button(listing, first.number)))
        assert "Primeiro a chegar" in flat(opened["blocks"])
        assert "tk.take" in flat(opened["blocks"])

    run(scenario)


def test_a_customer_opens_a_line_of_meus_and_gets_the_customers_card(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        card = (await answer(w, "UCARLA", ticket.number))["blocks"]
        listing = (await answer(w, "UCARLA", "meus"))["blocks"]
        opened = await responded(w, await press(w, "UCARLA", open_button(listing,
                                                                          ticket.number)))
        assert opened["blocks"] == card
        assert "tk." not in flat(opened["blocks"])

    run(scenario)


def test_a_line_of_the_app_home_opens_the_card_in_the_bots_dm_for_that_agent_only(
        run: Callable[[Scenario], None]) -> None:
    """The Home tab has no message to answer: the card arrives in the agent's DM with the bot
    (only the two of them are there), the same card /ticket NÚMERO shows."""
    async def scenario(w: SlackWorld) -> None:
        queued = await w.open_ticket(assunto="Esperando na fila")
        mine = await w.open_ticket(assunto="Comigo já")
        await w.core(handling.take, w.ids["ana"], mine.id)
        home = await home_blocks(w, "UANA")
        assert len(home) <= 100
        for ticket in (queued, mine):
            card = (await answer(w, "UANA", ticket.number))["blocks"]
            before = len(w.fake.of("chat.postMessage"))
            await press(w, "UANA", open_button(home, ticket.number), home=True)
            [sent] = await w.until(lambda n=before: w.fake.of("chat.postMessage")[n:])
            assert sent["channel"] == "DANA"
            assert sent["blocks"] == card
            assert ticket.number in sent["text"]

    run(scenario)


def test_a_forged_or_unknown_ticket_id_on_abrir_is_refused_in_words(
        run: Callable[[Scenario], None]) -> None:
    """The button carries only the ticket's id: another company's ticket, a ticket that does
    not exist or garbage is refused as /ticket NÚMERO refuses it, and nothing of it shows."""
    async def scenario(w: SlackWorld) -> None:
        carlas = await w.open_ticket(assunto="Segredo do Mercado Exemplo")
        await w.open_ticket("rita", assunto="Pedido da Loja Rival")
        listing = (await answer(w, "URITA", "meus"))["blocks"]
        [button] = [blk["accessory"] for blk in listing if blk.get("accessory")]
        for user, value in (("URITA", str(carlas.id)), ("UANA", "99999999"),
                            ("UANA", "99999999999999999999"), ("UANA", "abc"), ("UANA", "")):
            opened = await responded(w, await press(w, user, button, value=value))
            assert opened["text"] == t("error.ticket_not_found"), value
            assert "blocks" not in opened, value
            assert "Segredo" not in flat(opened)
        await press(w, "USTRANGER", button, value=str(carlas.id), home=True)
        [told] = await w.until(lambda: w.fake.of("chat.postMessage")
                               + w.fake.of("chat.postEphemeral"))
        assert "cadastro" in told["text"]
        assert "Segredo" not in flat(told)

    run(scenario)


def test_r21_ticket_aprovacao_lists_the_longest_silent_first_with_the_days_left(
        run: Callable[[Scenario], None]) -> None:
    """The coordinator had no Slack view of the tickets waiting for the customer, which close
    as approved after 15 days of silence (R21)."""
    async def scenario(w: SlackWorld) -> None:
        start = w.now
        tickets = {}
        for name, days in (("recente", 2), ("antigo", 0), ("falou", 1)):
            w.now = start + timedelta(days=days)
            ticket = await w.open_ticket(assunto=f"Ticket {name}")
            await w.core(closing.request_approval, w.ids["ana"], ticket.id,
                         "Ajustamos o cadastro.", origin_id="erro_sistema")
            tickets[name] = ticket
        still_open = await w.open_ticket(assunto="Ainda em atendimento")
        w.now = start + timedelta(days=4)  # the customer wrote: the 15 days start again
        await w.core(tramites.add_tramite, w.ids["carla"], tickets["falou"].id, "Vou testar.")
        w.now = start + timedelta(days=12, hours=1)
        reply = await answer(w, "UANA", "aprovacao")
        assert len(reply["blocks"]) <= 50
        text = flat(reply)
        assert "Aguardando aprovação" in text
        # The rule as it runs: held for business hours (R14), not a bare '15 dias'.
        assert "após 15 dias sem resposta o ticket se encerra como aprovado no primeiro " \
               "horário de atendimento a partir daí" in text
        shown = lines(reply["blocks"])
        assert [next(n for n, k in tickets.items() if f"*{k.number}*" in line)
                for line in shown] == ["antigo", "recente", "falou"]
        assert "sem resposta do cliente há 12 dias (desde 24/11 às 10:00) · encerra como " \
               "aprovado em 3 dias (09/12/2026 10:00)" in shown[0]
        assert "sem resposta do cliente há 10 dias (desde 26/11 às 10:00) · encerra como " \
               "aprovado em 5 dias (11/12/2026 10:00)" in shown[1]
        assert "sem resposta do cliente há 8 dias (desde 28/11 às 10:00)" in shown[2]
        assert still_open.number not in text
        w.now = start + timedelta(days=15, hours=1)  # past the 15 days, before the sweep
        shown = lines((await answer(w, "UANA", "aprovação"))["blocks"])
        assert "encerra como aprovado na próxima verificação" in shown[0]
        refused = await answer(w, "UCARLA", "aprovacao")
        assert refused["text"] == t("error.staff_only")

    run(scenario)


def test_r13_r14_ticket_atrasados_lists_the_latest_first_by_how_late_in_business_time(
        run: Callable[[Scenario], None]) -> None:
    """Tuesday 24/11 10:00: a critical ticket is due Wednesday 10:00, a standard one Sunday
    29/11 10:00 (5 days). On Monday 30/11 at 11:00 the critical one is 3 dias úteis late
    (nights and the weekend do not count), the standard one 3 horas úteis (Monday 08:00 on)."""
    async def scenario(w: SlackWorld) -> None:
        standard = await w.open_ticket(assunto="Prazo de cinco dias")
        critical = await w.open_ticket(assunto="Área parada")
        await w.core(handling.set_priority, w.ids["ana"], critical.id, Priority.CRITICAL,
                     CriticalReason.AREA_STOPPED)
        waiting = await w.open_ticket(assunto="Com o cliente")
        untaken = await w.open_ticket(assunto="Ninguém assumiu")
        await w.core(handling.take, w.ids["ana"], standard.id)
        await w.core(handling.take, w.ids["bruno"], critical.id)
        await w.core(handling.take, w.ids["ana"], waiting.id)
        await w.core(closing.request_approval, w.ids["ana"], waiting.id,
                     "Ajustamos o cadastro.", origin_id="erro_sistema")
        w.now = w.now + timedelta(days=2)
        later = await w.open_ticket(assunto="Assumido depois")
        await w.core(handling.take, w.ids["ana"], later.id)
        w.now = w.now.replace(day=30, hour=14)  # Monday 11:00 in São Paulo
        reply = await answer(w, "UANA", "atrasados")
        text = flat(reply)
        assert "Atrasados" in text
        shown = lines(reply["blocks"])
        assert len(shown) == 2
        assert f"*{critical.number}*" in shown[0]
        assert "prazo vencido há 3 dias úteis · com Bruno Suporte" in shown[0]
        assert f"*{standard.number}*" in shown[1]
        assert "prazo vencido há 3 horas úteis · com Ana Atendente" in shown[1]
        for other in (waiting, untaken, later):
            assert other.number not in text
        assert (await answer(w, "URITA", "atrasados"))["text"] == t("error.staff_only")

    run(scenario)


def test_ticket_agente_lists_one_agents_open_tickets_by_name_or_mention(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        brunos = await w.open_ticket(assunto="Com o Bruno")
        anas = await w.open_ticket(assunto="Com a Ana")
        closed = await w.open_ticket(assunto="Do Bruno, já aprovado")
        await w.core(handling.take, w.ids["bruno"], brunos.id)
        await w.core(handling.take, w.ids["ana"], anas.id)
        await w.core(handling.take, w.ids["bruno"], closed.id)
        await w.core(closing.request_approval, w.ids["bruno"], closed.id, "Feito.",
                     origin_id="erro_sistema")
        await w.core(closing.approve, w.ids["carla"], closed.id)
        for typed in ("agente bruno", "agente Bruno Suporte", "agente <@UBRUNO>",
                      "agente <@UBRUNO|bruno>"):
            reply = await answer(w, "UANA", typed)
            assert "Tickets abertos com Bruno Suporte" in flat(reply), typed
            shown = lines(reply["blocks"])
            assert len(shown) == 1, typed
            assert f"*{brunos.number}*" in shown[0], typed
            opened = await responded(w, await press(w, "UANA", open_button(reply["blocks"],
                                                                            brunos.number)))
            assert "Com o Bruno" in flat(opened["blocks"])
        assert "Nenhum ticket." in flat(await answer(w, "UANA", "agente Dora"))
        unknown = await answer(w, "UANA", "agente Zeca")
        assert unknown["text"] == t("slack.cmd.agent_unknown", name="Zeca",
                                    names="Ana Atendente, Bruno Suporte, Dora Semslack")
        carla = await answer(w, "UANA", "agente <@UCARLA>")
        assert carla["text"].startswith("Nenhum atendente se chama “@Carla Souza”")
        assert (await answer(w, "UANA", "agente"))["text"] == t("slack.cmd.agent_missing")
        assert (await answer(w, "UCARLA", "agente bruno"))["text"] == t("error.staff_only")

    run(scenario)


def test_two_agents_answering_to_the_name_typed_are_both_named(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        from core.models import Role
        from core.services import users

        await w.core(users.add_user, name="Ana Beatriz", email="ab@example.com",
                     company_names=[], role=Role.COORDINATOR, trained=True)
        many = await answer(w, "UANA", "agente ana")
        assert many["text"] == t("slack.cmd.agent_many", name="ana",
                                 names="Ana Atendente, Ana Beatriz")
        exact = await answer(w, "UANA", "agente ana atendente")
        assert "Tickets abertos com Ana Atendente" in flat(exact)

    run(scenario)


def test_the_usage_names_the_coordinators_views(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        usage = (await answer(w, "UANA", "ajuda"))["text"]
        for word in ("/ticket aprovacao", "/ticket atrasados", "/ticket agente NOME"):
            assert word in usage

    run(scenario)


def test_full_listings_and_the_home_stay_within_slacks_block_limits(
        run: Callable[[Scenario], None]) -> None:
    """20 lines with a button each: a message may hold 50 blocks, the Home tab 100."""
    async def scenario(w: SlackWorld) -> None:
        for n in range(23):
            ticket = await w.open_ticket(assunto=f"Pedido {n} não confirma")
            await w.core(handling.take, w.ids["ana"], ticket.id)
        for typed in ("fila", "meus", "busca pedido", "agente ana"):
            reply = await answer(w, "UANA", typed)
            assert len(reply["blocks"]) <= 50, typed
            assert len(lines(reply["blocks"])) == 20, typed
            assert "Mostrando os 20 primeiros de 23 tickets." in flat(reply), typed
        home = await home_blocks(w, "UANA")
        assert len(home) <= 100
        assert len(lines(home)) == 40

    run(scenario)


def test_abrir_pressed_again_on_a_listing_points_to_the_card_just_above_once(
        run: Callable[[Scenario], None]) -> None:
    """Each press of Abrir on the same list showed one more copy of the card below it. Now a
    second press says the card is just above, unchanged; the next one shows it again (it may
    have been dismissed), and a card that changed meanwhile is shown as it is now."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(assunto="Nota fiscal rejeitada")
        listing = (await answer(w, "UANA", "fila"))["blocks"]
        button = open_button(listing, ticket.number)
        first = await responded(w, await press(w, "UANA", button, listing_ts="1700000600.1"))
        assert "Nota fiscal rejeitada" in flat(first["blocks"])
        again = await responded(w, await press(w, "UANA", button, listing_ts="1700000600.1"))
        assert again == {"response_type": "ephemeral", "replace_original": False,
                         "text": t("slack.open.above", number=ticket.number)}
        third = await responded(w, await press(w, "UANA", button, listing_ts="1700000600.1"))
        assert third["blocks"] == first["blocks"]
        assert "blocks" not in await responded(w, await press(
            w, "UANA", button, listing_ts="1700000600.1"))
        # Bruno takes it: the card above is outdated, so the press shows it as it is now.
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        changed = await responded(w, await press(w, "UANA", button, listing_ts="1700000600.1"))
        assert "Bruno Suporte" in flat(changed["blocks"])
        # Another list, another place: its own card below it; and after RECENT, anew.
        assert "blocks" in await responded(w, await press(w, "UANA", button))
        w.now += timedelta(minutes=31)
        later = await responded(w, await press(w, "UANA", button, listing_ts="1700000600.1"))
        assert "blocks" in later

    run(scenario)


def test_abrir_on_the_home_again_updates_the_card_in_the_dm_and_links_to_it(
        run: Callable[[Scenario], None]) -> None:
    """From the Home tab each press posted one more card in the bot's DM. The card posted in
    the last 30 minutes is brought up to date in place and linked to (chat.getPermalink), only
    for the agent; an older one is left and a new one posted at the end of the conversation."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(assunto="Nota fiscal rejeitada")
        home = await home_blocks(w, "UANA")
        await press(w, "UANA", open_button(home, ticket.number), home=True)
        [card] = await w.until(lambda: w.fake.messages("DANA"))
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        await press(w, "UANA", open_button(home, ticket.number), home=True)
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        link = f"https://fake.slack.com/archives/DANA/p{card['ts'].replace('.', '')}"
        assert told["text"] == t("slack.open.in_dm", number=ticket.number, link=link)
        assert told["user"] == "UANA"
        assert [m["ts"] for m in w.fake.messages("DANA")] == [card["ts"]]  # no second card
        assert "Bruno Suporte" in flat(w.fake.find("DANA", card["ts"])["blocks"])
        w.now += timedelta(minutes=31)
        await press(w, "UANA", open_button(home, ticket.number), home=True)
        posted = await w.until(lambda: w.fake.messages("DANA")[1:])
        assert "Bruno Suporte" in flat(posted[0]["blocks"])
        assert len(w.fake.of("chat.postEphemeral")) == 1

    run(scenario)


def test_abrir_whose_card_was_posted_and_its_answer_lost_is_not_posted_again(
        run: Callable[[Scenario], None]) -> None:
    """Slack posted the card in the DM and the line was cut before its answer: the press
    never recorded it. The next press (its claim left behind) finds the card by its metadata,
    updates it and links to it instead of posting a second one."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(assunto="Nota fiscal rejeitada")
        home = await home_blocks(w, "UANA")
        w.fake.cut("chat.postMessage", channel="DANA")
        await press(w, "UANA", open_button(home, ticket.number), home=True)
        [card] = await w.until(lambda: not w.fake.cuts and w.fake.messages("DANA"))
        await w.idle()
        w.now += timedelta(seconds=11)
        await press(w, "UANA", open_button(home, ticket.number), home=True)
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        link = f"https://fake.slack.com/archives/DANA/p{card['ts'].replace('.', '')}"
        assert told["text"] == t("slack.open.in_dm", number=ticket.number, link=link)
        assert [m["ts"] for m in w.fake.messages("DANA")] == [card["ts"]]  # no second card

    run(scenario)


def test_abrir_pressed_on_two_instances_at_once_posts_one_card_in_the_dm(
        run: Callable[[Scenario], None]) -> None:
    """Two quick presses of Abrir on the Home that Slack hands to two instances of the help
    desk (one database) posted two cards in the bot's DM: each instance found no card posted
    lately and posted its own. One is posted; the other press points to it, as on one
    instance."""
    async def scenario(a: SlackWorld) -> None:
        ticket = await a.open_ticket(assunto="Nota fiscal rejeitada")
        button = open_button(await home_blocks(a, "UANA"), ticket.number)
        b = await a.another(SqlStore(a.store.engine.url.render_as_string(hide_password=False)))
        try:
            await asyncio.gather(press(a, "UANA", button, home=True),
                                 press(b, "UANA", button, home=True))
            await a.idle()
            await b.idle()
        finally:
            await b.stop()
            b.store.dispose()
        [card] = [m for m in a.fake.messages("DANA") if "blocks" in m]
        assert "Nota fiscal rejeitada" in flat(card["blocks"])
        link = f"https://fake.slack.com/archives/DANA/p{card['ts'].replace('.', '')}"
        [told] = a.fake.of("chat.postEphemeral")
        assert told["text"] == t("slack.open.in_dm", number=ticket.number, link=link)

    run(scenario)


def test_a_button_of_the_card_in_the_dm_redraws_that_card(
        run: Callable[[Scenario], None]) -> None:
    """The card Abrir posts in the bot's DM is no triage card the outbox keeps up: a click on
    it answers with the card as it now stands, in its place."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(assunto="Nota fiscal rejeitada")
        home = await home_blocks(w, "UANA")
        await press(w, "UANA", open_button(home, ticket.number), home=True)
        [card] = await w.until(lambda: w.fake.messages("DANA"))
        await w.click("UANA", "tk.take", str(ticket.id), channel="DANA", message_ts=card["ts"])
        [redrawn] = await w.until(lambda: [c.args for c in w.fake.calls
                                           if c.method.startswith("response_url:a")])
        assert redrawn["replace_original"] is True
        assert "Ana Atendente" in flat(redrawn["blocks"])

    run(scenario)


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_a_customer_in_two_companies_searches_the_tickets_of_both_never_a_thirds(
        run: Callable[[Scenario], None], lang: str) -> None:
    """/ticket busca searched the whole company's tickets only for someone in one company;
    Duda, in two, found only her own. Now each of her companies is searched, each line naming
    its company; a company she is not in is never searched."""
    from core.services import users

    async def scenario(w: SlackWorld) -> None:
        await w.core(users.add_company, "Padaria Sol")
        for key, companies, slack in (("duda", ["Mercado Exemplo", "Loja Rival"], "UDUDA"),
                                      ("pedro", ["Padaria Sol"], "UPEDRO")):
            person = await w.core(users.add_user, name=key.title(), email=f"{key}@example.com",
                                  company_names=companies, trained=True, slack_id=slack,
                                  language=lang)
            w.ids[key] = person.id or 0
        mercado = await w.open_ticket("carla", assunto="PDV não abre o caixa")
        rival = await w.open_ticket("rita", assunto="PDV da Loja Rival")
        padaria = await w.open_ticket("pedro", assunto="PDV da padaria")
        reply = (await answer(w, "UDUDA", "busca PDV"))["blocks"]
        assert t("slack.cmd.search_title", lang, text="PDV") in flat(reply)
        found = lines(reply)
        assert len(found) == 2, flat(reply)
        assert f"*{rival.number}*" in found[0]  # newest first, each with its company
        assert "Loja Rival" in found[0]
        assert f"*{mercado.number}*" in found[1]
        assert "Mercado Exemplo" in found[1]
        assert padaria.number not in flat(reply)

    run(scenario)


@pytest.mark.parametrize("typed", ["busca", "busca   ", "busca %", "busca _ -"])
def test_r8_a_search_for_nothing_asks_what_to_search_instead_of_listing_everything(
        run: Callable[[Scenario], None], typed: str) -> None:
    """'/ticket busca' with no words (or only signs, which the search cannot look for) showed
    '*Busca:* %' above every ticket the agent may see, as if each one matched."""
    async def scenario(w: SlackWorld) -> None:
        first = await w.open_ticket()
        reply = await answer(w, "UANA", typed)
        said = json.dumps(reply, ensure_ascii=False)
        assert t("slack.cmd.search_missing", "pt_BR") in said
        assert first.number not in said
        assert "Busca:" not in said
        await w.core(users.set_language, "carla@example.com", "en")
        said = json.dumps(await answer(w, "UCARLA", typed), ensure_ascii=False)
        assert "Say what to search for" in said
        assert first.number not in said

    run(scenario)


def test_abrir_finds_its_card_past_the_dms_latest_page(
        run: Callable[[Scenario], None]) -> None:
    """Abrir's card posted in the agent's DM, its answer lost; 20 messages came after it in
    the DM before the next press, whose lookup read the latest 15 only and posted a second
    card. It pages back to when the card may have gone."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(assunto="Nota fiscal rejeitada")
        home = await home_blocks(w, "UANA")
        w.fake.cut("chat.postMessage", channel="DANA")
        await press(w, "UANA", open_button(home, ticket.number), home=True)
        [card] = await w.until(lambda: not w.fake.cuts and w.fake.messages("DANA"))
        await w.idle()
        for n in range(20):
            w.fake.channels["DANA"].append({"ts": w.fake._next_ts(), "user": "UANA",
                                            "text": f"nota {n}"})
        w.now += timedelta(seconds=11)
        await press(w, "UANA", open_button(home, ticket.number), home=True)
        await w.idle()
        assert [m for m in w.fake.messages("DANA") if "blocks" in m] == [card]
        [told] = w.fake.of("chat.postEphemeral")  # the link to it
        assert card["ts"].replace(".", "") in told["text"]

    run(scenario)


def test_ticket_agente_mentioning_two_people_asks_for_one_by_name(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket agente @Ana @Bruno` said "Mais de um atendente se chama “@Ana Atendente
    @Bruno Suporte”", as if one agent had that name. It says one person at a time, naming
    whom it was given; a person mentioned twice is one person."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(assunto="Com o Bruno")
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        two = await answer(w, "UANA", "agente <@UANA> <@UBRUNO|bruno>")
        assert two["text"] == t("slack.cmd.agent_one", names="Ana Atendente, Bruno Suporte")
        assert "blocks" not in two
        with_customer = await answer(w, "UANA", "agente <@UBRUNO> <@UCARLA>")
        assert with_customer["text"] == t("slack.cmd.agent_one",
                                          names="Bruno Suporte, Carla Souza")
        twice = await answer(w, "UANA", "agente <@UBRUNO> <@UBRUNO|bruno>")
        assert "Tickets abertos com Bruno Suporte" in flat(twice)
        assert f"*{ticket.number}*" in flat(twice)

    run(scenario)


def test_ticket_fila_and_meus_read_a_page_number_and_say_what_they_did_not_understand(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket meus 2` and `/ticket fila x` showed the first page as if nothing followed the
    word. A number is the page shown (the first one says how to see the next); anything else,
    or a page past the end, is said, nothing listed (aprovacao, atrasados and agente page
    alike: the next test)."""
    async def scenario(w: SlackWorld) -> None:
        opened = [await w.open_ticket(assunto=f"Pedido {n} não confirma") for n in range(23)]
        for ticket in opened:
            await w.core(handling.take, w.ids["ana"], ticket.id)
        for word in ("fila", "meus"):
            first = await answer(w, "UANA", word)
            assert t("slack.cmd.next_page", word=word, page=2) in flat(first), word
            second = await answer(w, "UANA", f"{word} 2")
            shown = lines(second["blocks"])
            assert len(shown) == 3, word
            assert not set(lines(first["blocks"])) & set(shown), word  # the rest, not again
            assert t("slack.cmd.page", page=2, pages=2, first=21, last=23, total=23) \
                in flat(second), word
            assert t("slack.cmd.next_page", word=word, page=3) not in flat(second), word
            for typed in ("x", "2 x", "-1", "0"):
                told = await answer(w, "UANA", f"{word} {typed}")
                assert told["text"] == t("slack.cmd.page_only", word=word, extra=typed), typed
            far = await answer(w, "UANA", f"{word} 99999999999999999999")
            assert far["text"] == t("slack.cmd.no_page", word=word,
                                    page="99999999999999999999", pages=2)
        mine = await answer(w, "UCARLA", "meus 2")  # a customer's own tickets page alike
        assert len(lines(mine["blocks"])) == 3

    run(scenario)


def test_abrir_pressed_twice_on_a_listing_on_two_instances_shows_one_card(
        run: Callable[[Scenario], None]) -> None:
    """A double click on a /ticket list's Abrir that Slack hands to two instances of the help
    desk (one database): each found no card shown there and showed its own, two copies of
    the card below the list. One shows the card; the other says it is just above, as on one
    instance. No ticket is touched."""
    async def scenario(a: SlackWorld) -> None:
        ticket = await a.open_ticket(assunto="Nota fiscal rejeitada")
        listing = (await answer(a, "UANA", "fila"))["blocks"]
        button = open_button(listing, ticket.number)
        b = await a.another(SqlStore(a.store.engine.url.render_as_string(hide_password=False)))
        try:
            for _ in range(3):  # a fresh place, then one where the card was shown
                where = "1700000700.1"
                keys = await asyncio.gather(press(a, "UANA", button, listing_ts=where),
                                            press(b, "UANA", button, listing_ts=where))
                shown = [await responded(a, key) for key in keys]
                cards = [s for s in shown if "blocks" in s]
                assert len(cards) == 1, [s.get("text") for s in shown]
                assert "Nota fiscal rejeitada" in flat(cards[0]["blocks"])
                [pointer] = [s for s in shown if "blocks" not in s]
                assert pointer["text"] == t("slack.open.above", number=ticket.number)
            await a.idle()
            await b.idle()
        finally:
            await b.stop()
            b.store.dispose()
        now = await a.ticket(ticket.id)
        assert (now.status.value, now.assignee_id) == ("novo", None)

    run(scenario)


def test_ticket_agente_with_a_mention_says_what_else_it_did_not_understand(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket agente @Bruno atrasados` listed all of Bruno's open tickets as if nothing
    followed the mention. What follows is said not understood, nothing listed; the mention
    alone (or twice the same person) lists as before."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(assunto="Com o Bruno")
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        for typed, extra in (("agente <@UBRUNO> atrasados", "atrasados"),
                             ("agente 2 <@UBRUNO|bruno>", "2")):
            told = await answer(w, "UANA", typed)
            assert told["text"] == t("slack.cmd.agent_extra", name="Bruno Suporte",
                                     extra=extra), typed
        for typed in ("agente <@UBRUNO>", "agente  <@UBRUNO|bruno> ", "agente\n<@UBRUNO>"):
            assert f"*{ticket.number}*" in flat(await answer(w, "UANA", typed)), typed

    run(scenario)


def test_ticket_aprovacao_atrasados_and_agente_read_a_page_number_as_fila_does(
        run: Callable[[Scenario], None]) -> None:
    """`/ticket aprovacao`, `atrasados` and `agente NOME` showed their first 20 tickets and no
    way to the rest (`aprovacao 2` said it did not understand the 2). They page as `fila` and
    `meus` do: the first page says how to see the next, `… 2` shows the rest, anything else
    or a page past the end is said, nothing listed. `agente` takes the page after the name or
    the mention, and its next page names the agent."""
    async def scenario(w: SlackWorld) -> None:
        opened = [await w.open_ticket(assunto=f"Pedido {n} não confirma") for n in range(23)]
        for ticket in opened:
            await w.core(handling.take, w.ids["bruno"], ticket.id)
        w.now += timedelta(days=30)  # every prazo passed
        agent = "agente Bruno Suporte"

        async def paged(word: str, typed: str | None = None) -> None:
            first = await answer(w, "UANA", typed or word)
            assert t("slack.cmd.next_page", word=word, page=2) in flat(first), word
            second = await answer(w, "UANA", f"{typed or word} 2")
            shown = lines(second["blocks"])
            assert len(shown) == 3, word
            assert not set(lines(first["blocks"])) & set(shown), word  # the rest, not again
            assert t("slack.cmd.page", page=2, pages=2, first=21, last=23, total=23) \
                in flat(second), word
            far = await answer(w, "UANA", f"{typed or word} 3")
            assert far["text"] == t("slack.cmd.no_page", word=word, page="3", pages=2)
            told = await answer(w, "UANA", f"{typed or word} 0")
            assert told["text"] == t("slack.cmd.page_only", word=word, extra="0")

        await paged("atrasados")
        await paged(agent, "agente bruno")
        await paged(agent, "agente <@UBRUNO>")
        for ticket in opened:
            await w.core(closing.request_approval, w.ids["bruno"], ticket.id, "Corrigido.",
                         origin_id="erro_sistema")
        await paged("aprovacao")
        for word in ("aprovacao", "atrasados"):
            told = await answer(w, "UANA", f"{word} x")
            assert told["text"] == t("slack.cmd.page_only", word=word, extra="x")

    run(scenario)


def test_an_english_speaking_agent_lists_with_the_english_words(
        run: Callable[[Scenario], None]) -> None:
    """With LANGUAGE=en (or her own), `/ticket queue` answered 'I did not recognize “queue”'
    though the usage glossed `/ticket fila` as '(queue)', and `/ticket new`, `help` and
    `view` were understood. The listings' English words work as their Portuguese ones, the
    next page and a page past the end said with the word typed; the usage names them."""
    from test_slack_own_language import speaks

    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        for n in range(21):
            ticket = await w.open_ticket(assunto=f"Pedido {n} não confirma")
            await w.core(handling.take, w.ids["bruno"], ticket.id)
        for english, portuguese in (("queue", "fila"), ("mine", "meus"),
                                    ("search pedido", "busca pedido"),
                                    ("agent Bruno", "agente Bruno"),
                                    ("overdue", "atrasados"), ("approval", "aprovacao")):
            said, expected = await answer(w, "UANA", english), await answer(w, "UANA", portuguese)
            assert "blocks" in said, english
            assert lines(said["blocks"]) == lines(expected["blocks"]), english
            assert said["blocks"][0] == expected["blocks"][0], english  # the title
        assert "`/ticket queue 2`" in flat(await answer(w, "UANA", "queue"))
        assert (await answer(w, "UANA", "queue 9"))["text"] == t(
            "slack.cmd.no_page", "en", word="queue", page="9", pages=2)
        assert "`/ticket agent Bruno Suporte 2`" in flat(await answer(w, "UANA", "agent Bruno"))
        usage = (await answer(w, "UANA", "help"))["text"]
        for word in ("/ticket queue", "/ticket mine", "/ticket search", "/ticket approval",
                     "/ticket overdue", "/ticket agent NAME"):
            assert word in usage

    run(scenario)


def test_r12_assumir_o_proximo_on_the_app_home_takes_the_next_and_opens_its_card_in_the_dm(
        run: Callable[[Scenario], None]) -> None:
    """The Home tab's Assumir o próximo takes the queue's next ticket nobody has (critical
    first, then the oldest), as /ticket proximo does, and brings its card to the agent's DM
    with the bot; with none left it says so there."""
    async def scenario(w: SlackWorld) -> None:
        older = await w.open_ticket(assunto="Esperando na fila")
        w.now = w.now + timedelta(minutes=10)
        urgent = await w.open_ticket(assunto="Não emite notas")
        await w.core(handling.set_priority, w.ids["ana"], urgent.id, Priority.CRITICAL,
                     CriticalReason.AREA_STOPPED)
        home = await home_blocks(w, "UANA")
        [button] = [e for blk in home if blk["type"] == "actions" for e in blk["elements"]
                    if e["action_id"] == "home.take_next"]
        assert button["text"]["text"] == t("conv.queue.take_next")
        for expected in (urgent, older):
            w.now = w.now + timedelta(seconds=10)  # pressed again once the card came
            before = len(w.fake.of("chat.postMessage"))
            await press(w, "UANA", button, home=True)
            [sent] = await w.until(lambda n=before: w.fake.of("chat.postMessage")[n:])
            assert sent["channel"] == "DANA"
            assert expected.number in sent["text"]
            assert await w.read(lambda uow, i=expected.id: uow.tickets.get(i).assignee_id) \
                == w.ids["ana"]
        w.now = w.now + timedelta(seconds=10)
        told = len(w.fake.of("chat.postEphemeral"))
        await press(w, "UANA", button, home=True)
        said = await w.until(lambda: [c["text"] for c in w.fake.of("chat.postEphemeral")[told:]
                                      if c["text"] == t("error.queue_nothing_new")])
        assert said

    run(scenario)


def test_r12_a_double_click_on_assumir_o_proximo_takes_one_ticket_and_says_which(
        run: Callable[[Scenario], None]) -> None:
    """Two presses of the Home's Assumir o próximo a moment apart (a double click) took two
    tickets, the second Ana's unseen: the second press names the first and takes none."""
    async def scenario(w: SlackWorld) -> None:
        first = await w.open_ticket(assunto="Primeiro na fila")
        w.now = w.now + timedelta(minutes=5)
        second = await w.open_ticket(assunto="Segundo na fila")
        home = await home_blocks(w, "UANA")
        [button] = [e for blk in home if blk["type"] == "actions" for e in blk["elements"]
                    if e["action_id"] == "home.take_next"]
        await press(w, "UANA", button, home=True)
        took = t("slack.cmd.took_next", number=first.number)
        await w.until(lambda: [c for c in w.fake.of("chat.postEphemeral") if c["text"] == took])
        told = len(w.fake.of("chat.postEphemeral"))
        w.now = w.now + timedelta(seconds=1)
        await press(w, "UANA", button, home=True)
        said = await w.until(lambda: [c["text"] for c in w.fake.of("chat.postEphemeral")[told:]
                                      if first.number in c["text"]])
        assert said == [t("error.just_took", number=first.number)]
        assert await w.read(lambda uow: uow.tickets.get(first.id).assignee_id) == w.ids["ana"]
        assert await w.read(lambda uow: uow.tickets.get(second.id).assignee_id) is None

    run(scenario)


def test_r12_a_double_click_on_assumir_o_proximo_after_a_ticket_back_in_the_queue_takes_one(
        run: Callable[[Scenario], None]) -> None:
    """A ticket back in the queue (Bruno deactivated) kept its first take's moment: the Home's
    Assumir o próximo pressed twice took it and, unseen, the next one. The second press now
    names it and takes none."""
    async def scenario(w: SlackWorld) -> None:
        back = await w.open_ticket(assunto="De volta à fila")
        w.now = w.now + timedelta(minutes=5)
        second = await w.open_ticket(assunto="Segundo na fila")
        await w.core(handling.take, w.ids["bruno"], back.id)
        w.now = w.now + timedelta(hours=2)
        await w.core(users.deactivate, "bruno@example.com")
        w.now = w.now + timedelta(minutes=10)
        home = await home_blocks(w, "UANA")
        [button] = [e for blk in home if blk["type"] == "actions" for e in blk["elements"]
                    if e["action_id"] == "home.take_next"]
        await press(w, "UANA", button, home=True)
        took = t("slack.cmd.took_next", number=back.number)
        await w.until(lambda: [c for c in w.fake.of("chat.postEphemeral") if c["text"] == took])
        told = len(w.fake.of("chat.postEphemeral"))
        w.now = w.now + timedelta(seconds=1)
        await press(w, "UANA", button, home=True)
        said = await w.until(lambda: [c["text"] for c in w.fake.of("chat.postEphemeral")[told:]
                                      if back.number in c["text"]])
        assert said == [t("error.just_took", number=back.number)]
        assert await w.read(lambda uow: uow.tickets.get(back.id).assignee_id) == w.ids["ana"]
        assert await w.read(lambda uow: uow.tickets.get(second.id).assignee_id) is None

    run(scenario)


def test_ticket_cliente_and_empresa_list_one_customers_or_companys_tickets(
        run: Callable[[Scenario], None]) -> None:
    """An agent had no way in Slack to see one customer's or one company's tickets: /ticket
    busca searched the name in the tickets' words, which no ticket holds."""
    async def scenario(w: SlackWorld) -> None:
        carlas = await w.open_ticket(assunto="Da Carla")
        closed = await w.open_ticket(assunto="Da Carla, encerrado")
        ritas = await w.open_ticket("rita", assunto="Da Rita")
        await w.core(handling.take, w.ids["bruno"], closed.id)
        await w.core(closing.request_approval, w.ids["bruno"], closed.id, "Feito.",
                     origin_id="erro_sistema")
        await w.core(closing.approve, w.ids["carla"], closed.id)
        for typed in ("cliente carla", "cliente Carla Souza", "customer carla"):
            reply = await answer(w, "UANA", typed)
            assert "Tickets de Carla Souza" in flat(reply) or "Tickets of Carla Souza" \
                in flat(reply), typed
            shown = lines(reply["blocks"])
            assert len(shown) == 2, typed  # the closed one too: every status
            assert f"*{ritas.number}*" not in flat(reply), typed
            opened = await responded(w, await press(w, "UANA", open_button(reply["blocks"],
                                                                            carlas.number)))
            assert "Da Carla" in flat(opened["blocks"])
        company = await answer(w, "UANA", "empresa loja rival")
        assert "Tickets da empresa Loja Rival" in flat(company)
        assert [f"*{ritas.number}*" in line for line in lines(company["blocks"])] == [True]
        assert (await answer(w, "UANA", "cliente Zeca"))["text"] == \
            t("error.customer_not_found", name="Zeca")
        assert (await answer(w, "UANA", "empresa"))["text"] == t("slack.cmd.empresa_missing")
        assert (await answer(w, "UCARLA", "cliente rita"))["text"] == t("error.staff_only")

    run(scenario)


def test_r13_a_late_tickets_line_says_its_prazo_passed(
        run: Callable[[Scenario], None]) -> None:
    """Slack's lines said 'prazo 29/11' whether it had passed or not; the Home's counts said
    how many were late, the lines not which."""
    async def scenario(w: SlackWorld) -> None:
        late = await w.open_ticket(assunto="Atrasado")
        await w.core(handling.take, w.ids["ana"], late.id)
        w.now += timedelta(days=8)
        fresh = await w.open_ticket(assunto="Em dia")
        await w.core(handling.take, w.ids["ana"], fresh.id)
        reply = await answer(w, "UANA", "busca atrasado")
        [line] = lines(reply["blocks"])
        assert "🔴 prazo vencido em" in line
        reply = await answer(w, "UANA", "busca em dia")
        [line] = lines(reply["blocks"])
        assert "vencido" not in line
        assert " · prazo " in line

    run(scenario)
