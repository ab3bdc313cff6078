"""R7, R9 from the card: *Enviar artigo* opens a form with the articles the ticket's words
suggest first, every article to pick and a preview of what the customer receives; sending it
is `!artigo`'s trâmite. Only agents, only open tickets, the form's own ticket, an article
still in the base, once; through the real slack-bolt app and signed requests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from fakes.slack_api import TEAM
from slack_harness import TRIAGE, Scenario, SlackWorld, card_fields
from test_slack_cycle import modal
from test_slack_own_language import speaks

from core.i18n import label, t
from core.models import Status
from core.services import closing, knowledge

NFE = "Como enviar a rejeição e o XML de uma NF-e"
PASSOS = "Gravador de passos do Windows (psr.exe)"
ASSUNTO = "Rejeição da NF-e ao enviar o XML"
DESCRICAO = "A SEFAZ rejeitou a nota 10125 da filial 2"


async def nfe_card(w: SlackWorld) -> tuple[Any, str]:
    """A ticket about an NF-e rejection, its card posted."""
    ticket = await w.open_ticket(assunto=ASSUNTO, descricao=DESCRICAO)
    await w.deliver()
    return ticket, await w.card_ts(ticket.id)


def select_of(view: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The form's select of articles: (its block_id, the element)."""
    [block] = [blk for blk in view["blocks"]
               if str(blk.get("block_id", "")).startswith("card.article.")]
    return block["block_id"], block["element"]


def titles(element: dict[str, Any]) -> list[list[str]]:
    """The select's options by group, as the agent reads them."""
    groups = element.get("option_groups") or [{"options": element.get("options") or []}]
    return [[o["text"]["text"] for o in g["options"]] for g in groups]


def shown(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def previewed(view: dict[str, Any]) -> str:
    """What the form shows below its select: the preview, or why there is none."""
    after = [i for i, blk in enumerate(view["blocks"])
             if str(blk.get("block_id", "")).startswith("card.article.")][0] + 1
    return json.dumps(view["blocks"][after:], ensure_ascii=False)


async def pick(w: SlackWorld, user: str, view: dict[str, Any], value: str) -> dict[str, Any]:
    """Pick an option of the form's select, as Slack sends it from an open modal; the form
    the app redrew (views.update)."""
    block_id, _ = select_of(view)
    before = len(w.fake.of("views.update"))
    payload = {
        "type": "block_actions", "user": {"id": user, "team_id": TEAM}, "team": {"id": TEAM},
        "api_app_id": "AHELP", "trigger_id": f"trp{time.time_ns()}",
        "container": {"type": "view", "view_id": "V9"},
        "view": {"id": "V9", "hash": "1700000000.abc", "type": "modal",
                 "callback_id": view["callback_id"],
                 "private_metadata": view["private_metadata"], "state": {"values": {}}},
        "actions": [{"type": "static_select", "action_id": "ar.pick", "block_id": block_id,
                     "action_ts": str(time.time()), "selected_option": {
                         "text": {"type": "plain_text", "text": value}, "value": value}}],
    }
    assert (await w.interactive(payload))[0] == 200
    [update] = await w.until(lambda: w.fake.of("views.update")[before:])
    assert update["view_id"] == "V9"
    assert update["hash"] == "1700000000.abc"
    return dict(update["view"])


async def sent_rows(w: SlackWorld, ticket_id: int) -> list[Any]:
    return [m for m in await w.outbox() if m.kind == "ticket.tramite"
            and m.ticket_id == ticket_id]


def test_r9_enviar_artigo_offers_the_tickets_suggestion_first_and_sends_what_bang_artigo_does(
        run: Callable[[Scenario], None]) -> None:
    """Agents on Slack had to remember `!artigo` and an article's words: the card's button
    opens the articles, the one the ticket's words point to first and previewed; sending it
    is the trâmite, customer notice, thread line and card `!artigo` gives."""
    async def scenario(w: SlackWorld) -> None:
        typed, typed_ts = await nfe_card(w)
        await w.thread_reply("UANA", typed_ts, "!artigo nfe-rejeicao")
        await w.until(lambda: w.fake.of("reactions.add"))
        ticket, ts = await nfe_card(w)
        card = card_fields(w.fake.find(TRIAGE, ts))
        assert "tk.article" in card
        assert "Enviar artigo" in card
        view = await modal(w, "UANA", "tk.article", ticket.id, ts)
        assert view["callback_id"] == "md.article"
        assert view["title"]["text"] == "Enviar artigo"
        _, select = select_of(view)
        groups = titles(select)
        assert groups[0][0] == NFE  # the ticket's words point to it
        assert sorted(groups[0] + groups[1]) == sorted(
            a.title for a in knowledge.default_articles())  # every article, once
        assert select["initial_option"]["value"] == f"{ticket.id}:nfe-rejeicao"
        preview = previewed(view)
        assert t("slack.modal.article.preview", number=ticket.number) in preview
        assert f"> *{NFE}*" in preview
        assert "SEFAZ" in preview
        assert (await w.submit_view("UANA", view, None)) == (200, "")
        row = (await w.until(lambda: sent_rows(w, ticket.id)))[0]
        await w.deliver()

        def same(rows: list[Any], number: str) -> list[tuple[str, str, str]]:
            return [(m.kind, m.channel, json.dumps(
                {k: v for k, v in m.params.items() if k != "entry_id"}, ensure_ascii=False,
                sort_keys=True).replace(number, "N")) for m in rows]

        assert same(await sent_rows(w, ticket.id), ticket.number) == \
            same(await sent_rows(w, typed.id), typed.number)
        assert row.params["text"].startswith(f"**{NFE}**")
        echoed = [m["text"] for m in w.fake.thread(TRIAGE, ts)]
        assert any(NFE in x for x in echoed)
        assert echoed == [m["text"].replace(typed.number, ticket.number)
                          for m in w.fake.thread(TRIAGE, typed_ts)]
        told = [c["text"] for c in w.fake.of("chat.postMessage") if c["channel"] == "DCARLA"]
        assert sum(NFE in x for x in told) == 2  # the customer's notice of each, alike
        for ticket_ts in (ts, typed_ts):  # both taken by Ana, as an answer does
            drawn = card_fields(w.fake.find(TRIAGE, ticket_ts))
            assert "Em atendimento" in drawn
            assert "Ana Atendente" in drawn

    run(scenario)


def test_r9_picking_another_article_previews_it_and_sends_it(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["bruno"])
        ticket = await w.open_ticket()  # words that point to no article in particular
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        view = await modal(w, "UBRUNO", "tk.article", ticket.id, ts)
        assert view["title"]["text"] == t("slack.modal.article.title", "en")
        assert t("slack.modal.article.pick", "en") in previewed(view) \
            or "initial_option" in select_of(view)[1]
        again = await pick(w, "UBRUNO", view, f"{ticket.id}:gravador-de-passos")
        assert select_of(again)[1]["initial_option"]["value"] == \
            f"{ticket.id}:gravador-de-passos"
        assert again["private_metadata"] == view["private_metadata"]  # where it started
        assert t("slack.modal.article.preview", "en", number=ticket.number) in shown(again)
        assert PASSOS in previewed(again)
        assert NFE not in previewed(again)
        assert (await w.submit_view("UBRUNO", again, None)) == (200, "")
        row = (await w.until(lambda: sent_rows(w, ticket.id)))[0]
        assert row.params["text"].startswith(f"**{PASSOS}**")

    run(scenario)


def test_r9_only_agents_open_or_send_the_article_form(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await nfe_card(w)
        view = await modal(w, "UANA", "tk.article", ticket.id, ts)
        opened = len(w.fake.of("views.open"))
        await w.click("UCARLA", "tk.article", str(ticket.id), message_ts=ts)
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == t("slack.refuse.not_agent")
        status, body = await w.submit_view("UCARLA", view, None)
        assert status == 200
        assert json.loads(body) == {"response_action": "errors", "errors": {
            select_of(view)[0]: t("slack.refuse.not_agent")}}
        await w.idle()
        assert len(w.fake.of("views.open")) == opened
        assert not await sent_rows(w, ticket.id)

    run(scenario)


async def closed(w: SlackWorld, ticket: Any) -> None:
    """The ticket solved and approved by its customer."""
    await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Reenvie a nota.",
                 "erro_sistema")
    await w.core(closing.approve, w.ids["carla"], ticket.id)


def test_r9_r19_a_closed_ticket_takes_no_article_from_an_old_card_or_an_open_form(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await nfe_card(w)
        view = await modal(w, "UANA", "tk.article", ticket.id, ts)
        await closed(w, ticket)
        rows = len(await w.outbox())
        refusal = t("slack.refuse.article_closed", number=ticket.number,
                    status=label("status", Status.CLOSED, "pt_BR"))
        status, body = await w.submit_view("UANA", view, None)
        assert json.loads(body) == {"response_action": "errors",
                                    "errors": {select_of(view)[0]: refusal}}
        opened = len(w.fake.of("views.open"))
        await w.click("UANA", "tk.article", str(ticket.id), message_ts=ts)  # a card not redrawn
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == refusal
        await w.idle()
        assert len(w.fake.of("views.open")) == opened
        assert len(await w.outbox()) == rows
        await w.deliver()
        assert "tk.article" not in card_fields(w.fake.find(TRIAGE, ts))  # redrawn: no button

    run(scenario)


def test_r9_a_form_whose_ticket_was_changed_in_its_metadata_sends_nothing(
        run: Callable[[Scenario], None]) -> None:
    """A forged (or replayed) submission: the form drawn for one ticket, its metadata naming
    another. Neither customer gets the article."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await nfe_card(w)
        other = await w.open_ticket(assunto="Outro pedido")
        view = await modal(w, "UANA", "tk.article", ticket.id, ts)
        head, _, rest = view["private_metadata"].partition("|")
        forged = {**view, "private_metadata": f"{other.id}|{rest}"}
        status, body = await w.submit_view("UANA", forged, None)
        assert json.loads(body) == {"response_action": "errors", "errors": {
            select_of(view)[0]: t("slack.refuse.article_other", number=other.number)}}
        await w.idle()
        assert not await sent_rows(w, ticket.id)
        assert not await sent_rows(w, other.id)

    run(scenario)


def test_r9_an_article_removed_while_the_form_was_open_is_not_sent(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await nfe_card(w)
        view = await modal(w, "UANA", "tk.article", ticket.id, ts)
        await w.read(knowledge.remove_article, "nfe-rejeicao")
        status, body = await w.submit_view("UANA", view, None)
        assert json.loads(body) == {"response_action": "errors", "errors": {
            select_of(view)[0]: t("error.article_gone", slug="nfe-rejeicao")}}
        assert not await sent_rows(w, ticket.id)
        again = await pick(w, "UANA", view, f"{ticket.id}:nfe-rejeicao")
        assert t("error.article_gone", slug="nfe-rejeicao") in previewed(again)
        assert NFE not in json.dumps(select_of(again)[1], ensure_ascii=False)

    run(scenario)


def test_r9_the_form_sent_twice_or_after_a_colleagues_same_article_reaches_the_customer_once(
        run: Callable[[Scenario], None]) -> None:
    """A double press of Enviar: the customer got the article twice. The second is told, in
    the agent's language, that it went already and by whom; a new form sends it again."""
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["bruno"])
        ticket, ts = await nfe_card(w)
        first = await modal(w, "UANA", "tk.article", ticket.id, ts)
        bruno = await modal(w, "UBRUNO", "tk.article", ticket.id, ts)
        assert (await w.submit_view("UANA", first, None)) == (200, "")
        once = len(await w.until(lambda: sent_rows(w, ticket.id)))  # the triage, Carla's
        assert (await w.submit_view("UANA", first, None)) == (200, "")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == t("error.article_already_sent", number=ticket.number,
                                 title=NFE, author="Ana Atendente")
        assert (await w.submit_view("UBRUNO", bruno, None)) == (200, "")
        told = (await w.until(lambda: w.fake.of("chat.postEphemeral")[1:]))[0]
        assert told["text"] == t("error.article_already_sent", "en", number=ticket.number,
                                 title=NFE, author="Ana Atendente")
        assert len(await sent_rows(w, ticket.id)) == once
        again = await modal(w, "UBRUNO", "tk.article", ticket.id, ts)
        assert (await w.submit_view("UBRUNO", again, None)) == (200, "")
        await w.idle()
        assert len(await sent_rows(w, ticket.id)) == 2 * once  # sent on purpose: it goes

    run(scenario)


def test_r9_more_articles_than_a_select_holds_are_searched_as_the_agent_types(
        run: Callable[[Scenario], None]) -> None:
    """Slack's static select takes 100 options: a longer base is an external select, the
    ticket's suggestions first when nothing is typed, the words typed searched."""
    def many(uow: Any) -> None:
        for i in range(100):
            knowledge.add_article(uow, f"extra-{i:03d}",
                                  f"# Rotina extra {i:03d}\n\nPasso a passo da rotina {i}.")

    async def scenario(w: SlackWorld) -> None:
        await w.read(many)
        ticket, ts = await nfe_card(w)
        view = await modal(w, "UANA", "tk.article", ticket.id, ts)
        block_id, select = select_of(view)
        assert select["type"] == "external_select"
        assert "options" not in select
        assert select["initial_option"]["value"] == f"{ticket.id}:nfe-rejeicao"
        assert NFE in previewed(view)
        status, body = await w.suggest("UANA", "ar.pick", block_id, "")
        groups = json.loads(body)["option_groups"]
        assert groups[0]["options"][0]["text"]["text"] == NFE
        assert sum(len(g["options"]) for g in groups) == 100
        status, body = await w.suggest("UANA", "ar.pick", block_id, "rotina extra 042")
        found = json.loads(body)["options"]
        assert found[0] == {"text": {"type": "plain_text", "text": "Rotina extra 042",
                                     "emoji": True}, "value": f"{ticket.id}:extra-042"}
        status, body = await w.suggest("UCARLA", "ar.pick", block_id, "rotina")
        assert json.loads(body) == {"options": []}
        again = await pick(w, "UANA", view, f"{ticket.id}:extra-042")
        assert "Passo a passo da rotina 42" in previewed(again)
        assert (await w.submit_view("UANA", again, None)) == (200, "")
        row = (await w.until(lambda: sent_rows(w, ticket.id)))[0]
        assert row.params["text"].startswith("**Rotina extra 042**")

    run(scenario)


def test_r9_two_agents_sending_the_same_article_at_once_reach_the_customer_once(
        run: Callable[[Scenario], None]) -> None:
    """Ana and Bruno sent the same suggestion at the same moment, each form to another
    instance: the first to reach the ticket's row sends it, the other is told who did."""
    import asyncio

    from test_slack_instances import url_of
    from test_slack_workaround import TicketHolder

    from storage.sql import SqlStore

    async def scenario(a: SlackWorld) -> None:
        ticket, ts = await nfe_card(a)
        forms = {who: await modal(a, who, "tk.article", ticket.id, ts)
                 for who in ("UANA", "UBRUNO")}
        b = await a.another(SqlStore(url_of(a.store)))
        try:
            holder = await asyncio.to_thread(TicketHolder, a.store, ticket.id)
            sends = [asyncio.ensure_future(w.submit_view(who, forms[who], None))
                     for w, who in ((a, "UANA"), (b, "UBRUNO"))]
            await asyncio.sleep(0.3)  # both requests reach core, queued behind the holder
            await asyncio.to_thread(holder.release)
            assert await asyncio.gather(*sends) == [(200, ""), (200, "")]
            [told] = await a.until(lambda: a.fake.of("chat.postEphemeral"))
            await a.idle()
            await b.idle()
        finally:
            await b.stop()
            b.store.dispose()
        rows = await sent_rows(a, ticket.id)
        assert len({m.params["entry_id"] for m in rows}) == 1
        winner = "Ana Atendente" if told["user"] == "UBRUNO" else "Bruno Suporte"
        assert told["text"] == t("error.article_already_sent", number=ticket.number,
                                 title=NFE, author=winner)

    run(scenario)
