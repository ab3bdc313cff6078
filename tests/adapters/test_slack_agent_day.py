"""An agent's day in Slack: the loose ends an agent trips on (a colleague's ticket asked for,
an old card clicked, a note's files)."""

from __future__ import annotations

from collections.abc import Callable

from slack_harness import DEV, TRIAGE, Scenario, SlackWorld
from test_slack_commands import answer, flat
from test_slack_development import in_development

from bots.blobs import store_bytes
from core.i18n import t
from core.services import handling, tramites


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
