"""An agent's day in Slack: the loose ends an agent trips on (a colleague's ticket asked for,
an old card clicked, a note's files)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_harness import DEV, TRIAGE, Scenario, SlackWorld
from test_slack_commands import answer, flat
from test_slack_development import in_development
from test_slack_lists import home_blocks, press

from bots.blobs import store_bytes
from core.i18n import t
from core.services import closing, handling, tramites


def test_r6_ticket_assumir_on_a_colleagues_ticket_shows_its_card_to_hand_it_on(
        run: Callable[[Scenario], None]) -> None:
    """/ticket assumir 1 on the ticket Bruno holds said 'use Repassar para…' and nothing to
    use it with: the refusal now comes with the ticket's card, its Repassar select there;
    one already hers too. Nothing is taken."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        reply = await answer(w, "UANA", "assumir 1")
        said = flat(reply)
        assert t("error.taken_by_other", number=ticket.number,
                 assignee="Bruno Suporte").replace('"', '\\"') in said
        assert "tk.assign" in said
        assert reply["response_type"] == "ephemeral"
        assert (await w.ticket(ticket.id)).assignee_id == w.ids["bruno"]
        reply = await answer(w, "UBRUNO", f"assumir {ticket.number}")
        said = flat(reply)
        assert t("error.already_yours", number=ticket.number).replace('"', '\\"') in said
        assert "tk.assign" in said

    run(scenario)


LOG = b"2026-11-24 10:02 ERRO rejeicao 539 no pedido 10125\n" * 20


def test_r7_the_files_of_an_internal_note_reach_the_cards_thread_as_files(
        run: Callable[[Scenario], None]) -> None:
    """Bruno's note with the server's log, written in the chat (the terminal, Telegram): the
    card's thread said '📎 log-servidor.txt' and nobody in Slack could open it. The file is
    now shared in the thread after the note's line, as a customer's are; never to Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        card = await w.card_ts(ticket.id)
        log = store_bytes(w.settings.files_dir, "log-servidor.txt", LOG, "text/plain")
        await w.core(tramites.add_internal_note, w.ids["bruno"], ticket.id, "o log do erro",
                     [log])
        await w.deliver()
        thread = w.fake.thread(TRIAGE, card)
        said = next(i for i, m in enumerate(thread) if "o log do erro" in m.get("text", ""))
        assert [f["name"] for m in thread[said + 1:] for f in m.get("files", [])] == \
            ["log-servidor.txt"]
        assert [(f["channel"], f["thread_ts"], f["content"]) for f in w.fake.shared] == \
            [(TRIAGE, card, LOG)]

    run(scenario)


def test_r7_a_notes_files_typed_in_the_cards_thread_are_not_shared_there_again(
        run: Callable[[Scenario], None]) -> None:
    """Ana's '!nota' with a print, written in the card's thread, has it there already."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        card = await w.card_ts(ticket.id)
        shot = w.fake.add_file("tela.png", b"\x89PNG tela", "image/png")
        await w.thread_reply("UANA", card, "!nota a tela do erro", subtype="file_share",
                             files=[shot])

        async def noted() -> bool:
            return any(m.kind == "ticket.internal_note" for m in await w.outbox())

        await w.until(noted)
        await w.idle()
        await w.deliver()
        assert w.fake.shared == []

    run(scenario)


def test_r15_r7_files_between_the_development_thread_and_the_cards_thread_go_as_files(
        run: Callable[[Scenario], None]) -> None:
    """A developer's print in the development thread reached the card's thread as its name
    alone, and a note's log the development thread so: each is shared where it was not."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        shot = w.fake.add_file("aliquota-rs.png", b"\x89PNG aliquota", "image/png")
        await w.thread_reply("UBRUNO", post_ts, "o erro", channel=DEV, subtype="file_share",
                             files=[shot])

        async def noted() -> bool:
            return any(m.kind == "ticket.internal_note" for m in await w.outbox())

        await w.until(noted)
        await w.idle()
        await w.deliver()
        assert [(f["channel"], f["thread_ts"], f["name"]) for f in w.fake.shared] == \
            [(TRIAGE, ts, "aliquota-rs.png")]
        log = store_bytes(w.settings.files_dir, "log-servidor.txt", LOG, "text/plain")
        await w.core(tramites.add_internal_note, w.ids["ana"], ticket.id, "o log", [log])
        await w.deliver()
        assert sorted((f["channel"], f["thread_ts"], f["name"]) for f in w.fake.shared[1:]) \
            == [(DEV, post_ts, "log-servidor.txt"), (TRIAGE, ts, "log-servidor.txt")]
        assert not [f for f in w.fake.shared if f["channel"].startswith("D")]

    run(scenario)


async def dm_card(w: SlackWorld, ticket: Any) -> dict[str, Any]:
    """Ana's Abrir on the Home (a line of hers, or of a listing there): the card posted in her
    DM with the bot (no sender redraws it)."""
    before = len(w.fake.messages("DANA"))
    button = {"action_id": "ls.open", "value": str(ticket.id),
              "text": {"type": "plain_text", "text": "Abrir"}}
    await press(w, "UANA", button, home=True)
    [card] = await w.until(lambda: [m for m in w.fake.messages("DANA")[before:]
                                    if "blocks" in m])
    return card


def value_of(card: dict[str, Any], action_id: str) -> str:
    """The value of a button of the card as drawn."""
    [value] = [el["value"] for blk in card["blocks"] if blk["type"] == "actions"
               for el in blk["elements"] if el.get("action_id") == action_id]
    return str(value)


async def click_old(w: SlackWorld, card: dict[str, Any], action_id: str) -> tuple[str, str]:
    """Ana clicks a button of the old card in her DM: (what she is told, the card redrawn)."""
    told = len(w.fake.of("chat.postEphemeral"))
    opened = len(w.fake.of("views.open"))
    await w.click("UANA", action_id, value_of(card, action_id), channel="DANA",
                  message_ts=card["ts"])
    [said] = await w.until(lambda: w.fake.of("chat.postEphemeral")[told:])
    [redrawn] = await w.until(lambda: [c.args for c in w.fake.calls
                                       if c.method.startswith("response_url:a")][-1:])
    await w.idle()
    assert w.fake.of("views.open")[opened:] == [], "no form opened on the old card"
    return said["text"], flat(redrawn["blocks"])


def test_r6_an_old_cards_button_in_the_dm_says_what_happened_and_shows_the_card(
        run: Callable[[Scenario], None]) -> None:
    """The card Abrir posted in Ana's DM showed her ticket Em atendimento; Bruno took it over
    meanwhile, and her Solicitar aprovação opened the form on his ticket, as if nothing had
    happened. A form's button on a card the ticket moved away from now says what happened
    (handed on, closed, reopened), does nothing and shows the card as it is now."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        card = await dm_card(w, ticket)
        await w.core(handling.assign, w.ids["bruno"], ticket.id, w.ids["bruno"])
        said, shown = await click_old(w, card, "tk.approval")
        assert said == t("slack.refuse.card_handed", number=ticket.number,
                         assignee="Bruno Suporte", status="Em atendimento")
        assert "Bruno Suporte" in shown
        await w.core(closing.request_approval, w.ids["bruno"], ticket.id, "Feito.",
                     origin_id="erro_sistema")
        w.now += timedelta(minutes=31)  # opened again later: a card of its own
        awaiting = await dm_card(w, ticket)
        await w.core(closing.not_approve, w.ids["carla"], ticket.id, "Continua o erro")
        said, shown = await click_old(w, awaiting, "tk.article")
        assert said == t("slack.refuse.card_reopened", number=ticket.number,
                         status="Em atendimento", assignee="Bruno Suporte")
        await w.core(closing.request_approval, w.ids["bruno"], ticket.id, "Agora sim.",
                     origin_id="erro_sistema")
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        said, _ = await click_old(w, card, "tk.workaround")
        assert said == t("slack.refuse.card_closed", number=ticket.number, status="Encerrado")
        stored = await w.ticket(ticket.id)
        assert stored.assignee_id == w.ids["bruno"]

    run(scenario)


def test_r6_a_form_on_a_card_the_agent_took_since_still_opens(
        run: Callable[[Scenario], None]) -> None:
    """Her own Assumir since the card was drawn is no news to Ana: the form opens."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        card = await dm_card(w, ticket)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        opened = len(w.fake.of("views.open"))
        await w.click("UANA", "tk.approval", value_of(card, "tk.approval"), channel="DANA",
                      message_ts=card["ts"])
        await w.until(lambda: w.fake.of("views.open")[opened:])

    run(scenario)


def test_r12_ticket_assumir_o_proximo_takes_the_next_and_assumir_alone_says_how(
        run: Callable[[Scenario], None]) -> None:
    """'/ticket assumir o próximo' (as the chat and the Home say it) answered 'Não reconheci',
    and '/ticket assumir' alone too. The first takes the queue's next as /ticket proximo does;
    the second says the number is missing and names /ticket proximo."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        reply = await answer(w, "UANA", "assumir")
        said = flat(reply)
        assert t("slack.cmd.take_number_missing", number=ticket.number) in said
        assert (await w.ticket(ticket.id)).assignee_id is None
        reply = await answer(w, "UANA", "assumir o próximo")
        assert t("slack.cmd.took_next", number=ticket.number) in flat(reply)
        assert (await w.ticket(ticket.id)).assignee_id == w.ids["ana"]

    run(scenario)


def test_r12_assumir_on_the_queues_head_then_ticket_proximo_takes_the_next_one(
        run: Callable[[Scenario], None]) -> None:
    """Ana pressed Assumir on the card of the queue's first ticket and, a second later, typed
    /ticket próximo for the one after it: she was told 'um segundo toque em Assumir o próximo
    não pega outro' (a double click she never made) and nothing was taken. A typed command is
    meant: it takes the next; and Assumir on a card right after /ticket próximo takes that
    card's ticket."""
    async def scenario(w: SlackWorld) -> None:
        first = await w.open_ticket(assunto="Primeiro na fila")
        w.now += timedelta(minutes=5)
        second = await w.open_ticket(assunto="Segundo na fila")
        w.now += timedelta(minutes=5)
        third = await w.open_ticket(assunto="Terceiro na fila")
        await w.deliver()

        async def assumir(ticket: Any) -> None:
            ts = await w.card_ts(ticket.id)
            await w.click("UANA", "tk.take", value_of(w.fake.find(TRIAGE, ts), "tk.take"),
                          message_ts=ts)

            async def taken() -> bool:
                return (await w.ticket(ticket.id)).assignee_id == w.ids["ana"]

            await w.until(taken)

        await assumir(first)
        w.now += timedelta(seconds=1)
        reply = flat(await answer(w, "UANA", "próximo"))
        assert t("slack.cmd.took_next", number=second.number) in reply
        assert t("error.just_took", number=first.number) not in reply
        assert (await w.ticket(second.id)).assignee_id == w.ids["ana"]
        w.now += timedelta(seconds=1)
        await assumir(third)

    run(scenario)


def test_r12_assumir_on_the_queues_head_then_the_homes_assumir_o_proximo_takes_the_next(
        run: Callable[[Scenario], None]) -> None:
    """Ana pressed Assumir on the card of the queue's first ticket, then, two seconds later,
    the Home's Assumir o próximo: she was told 'um segundo toque em Assumir o próximo não pega
    outro' (she had pressed it once) and nothing was taken. The Home's button is taken for
    pressed twice only when its own press took the ticket: it takes the next; pressed twice
    in a row, it still takes one."""
    async def scenario(w: SlackWorld) -> None:
        first = await w.open_ticket(assunto="Primeiro na fila")
        w.now += timedelta(minutes=5)
        second = await w.open_ticket(assunto="Segundo na fila")
        w.now += timedelta(minutes=5)
        third = await w.open_ticket(assunto="Terceiro na fila")
        await w.deliver()
        ts = await w.card_ts(first.id)
        await w.click("UANA", "tk.take", value_of(w.fake.find(TRIAGE, ts), "tk.take"),
                      message_ts=ts)

        async def took(ticket: Any) -> bool:
            return (await w.ticket(ticket.id)).assignee_id == w.ids["ana"]

        await w.until(lambda: took(first))
        home = await home_blocks(w, "UANA")
        [button] = [e for blk in home if blk["type"] == "actions" for e in blk["elements"]
                    if e["action_id"] == "home.take_next"]
        w.now += timedelta(seconds=2)
        told = len(w.fake.of("chat.postEphemeral"))
        await press(w, "UANA", button, home=True)
        said = await w.until(lambda: [c["text"] for c in w.fake.of("chat.postEphemeral")[told:]])
        assert said == [t("slack.cmd.took_next", number=second.number)]
        assert await took(second)
        told = len(w.fake.of("chat.postEphemeral"))
        w.now += timedelta(seconds=1)
        await press(w, "UANA", button, home=True)  # a double click
        said = await w.until(lambda: [c["text"] for c in w.fake.of("chat.postEphemeral")[told:]
                                      if second.number in c["text"]])
        assert said == [t("error.just_took", number=second.number)]
        assert (await w.ticket(third.id)).assignee_id is None

    run(scenario)


async def pick_old(w: SlackWorld, card: dict[str, Any], action_id: str, label: str
                   ) -> tuple[list[str], str]:
    """Ana picks the option labelled `label` of a select of the old card in her DM: (what she
    is told, the card redrawn)."""
    [value] = [o["value"] for blk in card["blocks"] if blk["type"] == "actions"
               for el in blk["elements"] if el.get("action_id") == action_id
               for o in el["options"] if label in o["text"]["text"]]
    told = len(w.fake.of("chat.postEphemeral"))
    redraws = len([c for c in w.fake.calls if c.method.startswith("response_url:a")])
    await w.click("UANA", action_id, value, select=True, channel="DANA", message_ts=card["ts"])
    said = await w.until(lambda: w.fake.of("chat.postEphemeral")[told:])
    [redrawn] = await w.until(lambda: [c.args for c in w.fake.calls
                                       if c.method.startswith("response_url:a")][redraws:])
    await w.idle()
    return [m["text"] for m in said], flat(redrawn["blocks"])


def test_r6_r12_r22_an_old_dm_cards_selects_say_what_changed_and_change_nothing(
        run: Callable[[Scenario], None]) -> None:
    """The card Abrir posted in Ana's DM days ago (nothing redraws it) showed her ticket at
    Padrão, unclassified; Bruno has since made it critical and classified it, then it was
    solved and approved. Her picks there acted on what the card showed: a priority over his, an
    origin over his. Each now says what changed (the priority, the origin, the ticket closed),
    does nothing and shows the card as it is now, as Repassar para… on it does."""
    from core.i18n import label
    from core.models import CriticalReason, Priority
    from core.services import billing
    from core.services.reference import load_coverage

    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        card = await dm_card(w, ticket)
        w.now += timedelta(days=2)
        await w.core(handling.set_priority, w.ids["bruno"], ticket.id, Priority.CRITICAL,
                     CriticalReason.AREA_STOPPED)
        await w.core(billing.classify_origin, w.ids["bruno"], ticket.id, "instrucao")
        stopped = label("critical_reason", CriticalReason.AREA_STOPPED)
        said, shown = await pick_old(w, card, "tk.priority", "Obrigação acessória")
        assert said == [t("slack.refuse.priority_changed", number=ticket.number,
                          priority=f"Crítico: {stopped}")]
        assert "Repassar" in shown  # the card as it is now, its selects drawn anew
        said, _ = await pick_old(w, card, "tk.origin", "Erro de sistema")
        origin = await w.read(lambda uow: load_coverage(uow).origin("instrucao").label)
        assert said == [t("slack.refuse.origin_changed", number=ticket.number, origin=origin)]
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Feito.",
                     origin_id="instrucao")
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        said, _ = await pick_old(w, card, "tk.origin", "Erro de sistema")
        assert said == [t("slack.refuse.card_closed", number=ticket.number, status="Encerrado")]
        said, _ = await pick_old(w, card, "tk.priority", "Obrigação acessória")
        assert said == [t("slack.refuse.card_closed", number=ticket.number, status="Encerrado")]
        stored = await w.ticket(ticket.id)
        assert (stored.priority, stored.critical_reason, stored.origin) == (
            Priority.CRITICAL, CriticalReason.AREA_STOPPED, "instrucao")

    run(scenario)
