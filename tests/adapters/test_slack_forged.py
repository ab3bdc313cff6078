"""Forged, stale, huge or garbled Slack payloads: each is refused in words the person reads,
what they typed stays where they typed it, and no other ticket, person or chat is touched."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

from slack_harness import TRIAGE, Scenario, SlackWorld

from core.i18n import t


async def posted_card(w: SlackWorld, **fields: Any) -> tuple[Any, str]:
    """A ticket whose card is in the triage channel."""
    ticket = await w.open_ticket(**fields)
    await w.deliver()
    return ticket, await w.card_ts(ticket.id)


def test_a_modal_with_garbled_private_metadata_says_so_and_keeps_the_text_typed(
        run: Callable[[Scenario], None]) -> None:
    """Metadata that names no ticket (garbage, empty, an id beyond any integer column) was a
    500: Slack showed only its own 'trouble connecting' and the note was lost with the modal."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        for meta in ("abc", "", "|||", "99999999999999999999|C|1", f"{ticket.id}x|{TRIAGE}"):
            status, body = await w.submit("UANA", "md.note", meta, "Cliente ligou às 10h")
            assert status == 200, meta
            answer = json.loads(body)
            assert answer["response_action"] == "errors"  # the modal stays open, text in it
            assert answer["errors"]["input"] == t("slack.modal.stale"), meta
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        assert not [e for e in entries if "Cliente ligou" in e.text]

    run(scenario)


def test_a_button_naming_an_id_beyond_any_ticket_gets_a_clear_refusal(
        run: Callable[[Scenario], None]) -> None:
    """An id too large for the database failed inside it: the agent was told nothing."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.click("UANA", "tk.take", "99999999999999999999", message_ts=ts)
        await w.click("UANA", "tk.note", "99999999999", message_ts=ts)
        refusals = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                                 and w.fake.of("chat.postEphemeral"))
        assert [r["text"] for r in refusals] == [t("error.ticket_not_found")] * 2
        assert not w.fake.of("views.open")

    run(scenario)


PRESSES = itertools.count(1)


async def click_in_row(w: SlackWorld, user: str, action_id: str, value: str, block_id: str,
                       message_ts: str, select: bool = False) -> tuple[int, str]:
    """Press a button (or pick an option) in a card's row named `block_id` (each press its
    own trigger_id, as Slack gives: the same one is the same press delivered again)."""
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "action_ts": "1"}
    if select:
        action |= {"type": "static_select", "selected_option": {
            "value": value, "text": {"type": "plain_text", "text": value}}}
    else:
        action |= {"type": "button", "value": value,
                   "text": {"type": "plain_text", "text": value}}
    return await w.interactive({
        "type": "block_actions", "user": {"id": user, "team_id": "T1"}, "team": {"id": "T1"},
        "api_app_id": "AHELP", "trigger_id": f"tr-row{next(PRESSES)}", "channel": {"id": TRIAGE},
        "container": {"type": "message", "message_ts": message_ts},
        "message": {"ts": message_ts, "text": "card", "type": "message"},
        "actions": [action]})


def test_r12_an_option_of_another_tickets_card_changes_neither_ticket(
        run: Callable[[Scenario], None]) -> None:
    """A select's value names its ticket (A:…); sent from the row of B's card it made A
    critical while the agent looked at B."""
    async def scenario(w: SlackWorld) -> None:
        a, _ = await posted_card(w)
        b, ts_b = await posted_card(w, assunto="Impressora fiscal não imprime")
        await click_in_row(w, "UANA", "tk.priority", f"{a.id}:area_parada",
                           f"card.0.{b.id}", ts_b, select=True)
        await click_in_row(w, "UANA", "tk.take", str(a.id), f"card.0.{b.id}", ts_b)
        refusals = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                                 and w.fake.of("chat.postEphemeral"))
        assert [r["text"] for r in refusals] == [t("slack.refuse.other_card")] * 2
        assert {r["thread_ts"] for r in refusals} == {ts_b}
        for ticket in (a, b):
            stored = await w.ticket(ticket.id)
            assert stored.priority.value == "padrao"
            assert stored.assignee_id is None
        # From its own card the same option still works.
        await click_in_row(w, "UANA", "tk.priority", f"{b.id}:area_parada",
                           f"card.0.{b.id}", ts_b, select=True)
        assert await w.until(lambda: _critical(w, b.id))

    run(scenario)


async def _critical(w: SlackWorld, ticket_id: int) -> bool:
    return (await w.ticket(ticket_id)).priority.value == "critico"


def test_r3_control_characters_typed_in_a_dm_are_dropped_and_the_words_kept(
        run: Callable[[Scenario], None]) -> None:
    """A NUL typed (PostgreSQL refuses it in text and JSON) made the step fail: the customer
    got no answer at all and the words were lost."""
    async def scenario(w: SlackWorld) -> None:
        await w.dm("UCARLA", "oi")
        await w.until(lambda: w.fake.of("chat.postMessage"))
        await w.idle()
        before = len(w.fake.of("chat.postMessage"))
        await w.dm("UCARLA", "A nota\x00 10125 não\x07 sai na impressora")
        await w.until(lambda: len(w.fake.of("chat.postMessage")) > before)
        await w.idle()
        answer = "\n".join(m["text"] for m in w.fake.of("chat.postMessage")[before:])
        assert "A nota 10125 não sai na impressora" in answer

    run(scenario)


def test_r7_a_file_whose_name_has_control_characters_arrives_under_a_clean_name(
        run: Callable[[Scenario], None]) -> None:
    """The name was stored as sent: shown to the customer with the control characters, and on
    PostgreSQL (no NUL in text) the whole reply was lost without a word to the agent."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        shared = w.fake.add_file("nota.xml", b"<nfeProc/>", "text/xml")
        shared["name"] = "C:\\Notas\\nota\x00 10125\x07.xml"
        await w.thread_reply("UANA", ts, "Segue o XML corrigido", subtype="file_share",
                             files=[shared])
        await w.until(lambda: w.fake.of("reactions.add"))
        attachments = await w.read(lambda uow, i: uow.entries.attachments(i), ticket.id)
        assert [a.filename for a in attachments] == ["nota 10125.xml"]

    run(scenario)


def test_r7_a_file_slack_will_not_hand_over_is_named_and_nothing_is_half_sent(
        run: Callable[[Scenario], None]) -> None:
    """A shared file whose download fails (deleted meanwhile, no access) failed the listener:
    the agent's reply and the customer's message were lost without a word to either."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        gone = w.fake.add_file("nota.xml", b"<nfeProc/>", "text/xml")
        gone["name"] = "rejeicao-539.xml"
        gone["url_private_download"] = gone["url_private_download"].replace("nota.xml",
                                                                            "apagado.xml")
        await w.thread_reply("UANA", ts, "Segue o XML", subtype="file_share", files=[gone])
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told[-1]["user"] == "UANA"
        assert told[-1]["text"] == t("slack.file.failed", name="rejeicao-539.xml")
        assert not w.fake.of("reactions.add")
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        assert not [e for e in entries if "Segue o XML" in e.text]
        before = len(w.fake.of("chat.postMessage"))
        await w.dm("UCARLA", "print da rejeição", files=[gone])
        said = await w.until(lambda: w.fake.of("chat.postMessage")[before:])
        assert said[-1]["channel"] == "DCARLA"
        assert said[-1]["text"] == t("slack.file.failed", name="rejeicao-539.xml")

    run(scenario)


async def press_choice(w: SlackWorld, user: str, channel: str, button: dict[str, Any],
                       message_ts: str) -> tuple[int, str]:
    """Press a conversation reply's button on the message `message_ts` of `channel`."""
    return await w.interactive({
        "type": "block_actions", "user": {"id": user, "team_id": "T1"}, "team": {"id": "T1"},
        "api_app_id": "AHELP", "trigger_id": "tr-choice", "channel": {"id": channel},
        "container": {"type": "message", "message_ts": message_ts},
        "message": {"ts": message_ts, "text": "Como posso ajudar?", "type": "message"},
        "actions": [{**button, "block_id": "b1", "action_ts": "1"}]})


def test_r8_a_choice_pressed_outside_ones_own_conversation_touches_nothing(
        run: Callable[[Scenario], None]) -> None:
    """A conversation button pressed in another person's DM edited the bot's message there
    ('→ Meus tickets'); one left from a conversation that is over did the same in one's own DM
    and then nothing at all, without a word."""
    async def scenario(w: SlackWorld) -> None:
        from core.conversation.identity import slack_key

        await w.dm("URITA", "oi")
        await w.dm("UCARLA", "oi")
        menu = await w.until(lambda: [m for m in w.fake.of("chat.postMessage")
                                      if m["channel"] == "DCARLA" and "blocks" in m
                                      and any(b["type"] == "actions" for b in m["blocks"])])
        button = next(e for b in menu[-1]["blocks"] if b["type"] == "actions"
                      for e in b["elements"])
        await w.idle()
        posted = len(w.fake.of("chat.postMessage"))
        await press_choice(w, "UCARLA", "DRITA", button, "1700000300.000001")
        await w.core(lambda ctx: ctx.uow.conversations.delete(slack_key("DCARLA", "UCARLA")))
        await press_choice(w, "UCARLA", "DCARLA", button, "1700000300.000002")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                             and w.fake.of("chat.postEphemeral"))
        assert [(m["channel"], m["user"], m["text"]) for m in told] == [
            ("DRITA", "UCARLA", t("slack.choice.expired")),
            ("DCARLA", "UCARLA", t("slack.choice.expired"))]
        await w.idle()
        assert not w.fake.of("chat.update")
        assert len(w.fake.of("chat.postMessage")) == posted

    run(scenario)


def test_a_huge_ticket_command_is_answered_within_slacks_limits(
        run: Callable[[Scenario], None]) -> None:
    """/ticket with 100 kB of text answered 'Nenhum ticket tem o número aaaa…' with all of it
    (and /ticket busca repeated it as the message's text): Slack refuses a message that long,
    so the agent saw nothing."""
    async def scenario(w: SlackWorld) -> None:
        await w.command("UANA", "1" * 100_000)
        await w.command("UANA", "busca " + "nota " * 20_000)
        answers = await w.until(lambda: len(responses(w)) >= 2 and responses(w))
        missing, found = sorted(answers, key=lambda r: "blocks" in r)  # either may come first
        assert missing["text"].startswith("Nenhum ticket tem o número 1111")
        assert len(missing["text"]) < 200
        await w.command("UANA", "a" * 100_000)  # a word, not a number: echoed cut, with usage
        unknown = await w.until(lambda: len(responses(w)) >= 3 and responses(w)[2])
        assert unknown["text"].startswith("Não reconheci “aaaa")
        assert len(unknown["text"]) < len(t("slack.cmd.help")) + 200  # the echo cut short
        assert len(found["text"]) <= 3000
        assert all(len(block["text"]["text"]) <= 3000 for block in found["blocks"])

    run(scenario)


def responses(w: SlackWorld) -> list[dict[str, Any]]:
    """What was sent back through response_urls, in order."""
    return [c.args for c in w.fake.calls if c.method.startswith("response_url:")]


def test_a_deactivated_agent_is_told_the_account_is_deactivated_not_to_link_it(
        run: Callable[[Scenario], None]) -> None:
    """A deactivated account was told to link its Slack account or to ask for an invite code,
    which it already has and which would not help."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)

        def deactivate(ctx: Any, user_id: int) -> None:
            user = ctx.uow.users.get(user_id)
            user.active = False
            ctx.uow.users.update(user)

        await w.core(deactivate, w.ids["ana"])
        await w.click("UANA", "tk.take", str(ticket.id), message_ts=ts)
        await w.thread_reply("UANA", ts, "Já estou vendo")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                             and w.fake.of("chat.postEphemeral"))
        _, body = await w.submit("UANA", "md.note", f"{ticket.id}|{TRIAGE}|{ts}", "Nota")
        await w.command("UANA", "fila")
        answers = await w.until(lambda: responses(w))
        inactive = t("slack.refuse.inactive")
        assert [m["text"] for m in told] == [inactive, inactive]
        assert json.loads(body)["errors"]["input"] == inactive
        assert answers[-1]["text"] == inactive
        stored = await w.ticket(ticket.id)
        assert stored.assignee_id is None
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        assert not [e for e in entries if "Já estou vendo" in e.text]

    run(scenario)


def test_r15_a_modal_refused_after_slack_closed_it_gives_back_the_text_typed(
        run: Callable[[Scenario], None], monkeypatch: Any) -> None:
    """On a slow database the modal is acked (closed) before core answers; a refusal then
    said what was wrong, but what the agent typed in the modal was gone with it."""
    from bots.slack import actions

    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)  # Novo: not in development, nothing to return
        typed = "Pacote 2026.11.3 corrige a rejeição 539; instalar no servidor e nos caixas"
        status, body = await w.submit("UANA", "md.dev_return", f"{ticket.id}|{TRIAGE}|{ts}",
                                      typed)
        assert (status, body) == (200, "")  # closed at once
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert (told[-1]["user"], told[-1]["thread_ts"]) == ("UANA", ts)
        assert told[-1]["text"] == t("slack.refuse.form_outdated", number=ticket.number,
                                     status="Novo") \
            + "\n" + t("slack.modal.typed", text=typed)
        assert typed in told[-1]["text"]

    run(scenario)


def test_r7_a_mistyped_marker_keeps_an_intended_note_from_the_customer(
        run: Callable[[Scenario], None]) -> None:
    """'!notas …', '! nota …' or '!interno …' did not match the note marker and went to the
    customer as a trâmite: an internal remark, sent for good."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        for typed in ("!notas cliente irritado, cuidado com o tom",
                      "! nota cliente irritado", "!interno ligar para o gerente"):
            await w.thread_reply("UANA", ts, typed)
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 3
                             and w.fake.of("chat.postEphemeral"))
        assert sorted(m["text"] for m in told) == sorted(  # events run side by side
            t("slack.refuse.unknown_marker", marker=marker)
            for marker in ("!notas", "! nota", "!interno"))
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        assert not [e for e in entries if "cliente irritado" in e.text or "gerente" in e.text]
        assert not [m for m in await w.outbox() if m.kind == "ticket.tramite"]
        assert not w.fake.of("reactions.add")
        # A reply that only starts with punctuation still reaches the customer.
        await w.thread_reply("UANA", ts, "!!! Atualize para a versão 2026.11 e reinicie")
        await w.until(lambda: w.fake.of("reactions.add"))
        assert [m for m in await w.outbox() if m.kind == "ticket.tramite"]

    run(scenario)


def test_r7_a_file_outside_slacks_hosts_is_named_not_silently_dropped(
        run: Callable[[Scenario], None]) -> None:
    """A file whose address is not Slack's is never fetched (the bot token goes only to Slack);
    it was dropped without a word, the message sent without it, and the sender believed the
    file had gone along."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        foreign = w.fake.add_file("nota.xml", b"<nfeProc/>", "text/xml")
        foreign["name"] = "print-da-tela.png"
        foreign["url_private_download"] = foreign["url_private"] = "https://evil.example/p.png"
        await w.thread_reply("UANA", ts, "Veja o print", subtype="file_share", files=[foreign])
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told[-1]["text"] == t("slack.file.failed", name="print-da-tela.png")
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        assert not [e for e in entries if "Veja o print" in e.text]
        assert not [c for c in w.fake.calls if c.method.startswith("file:")]

    run(scenario)


def test_r18_r19_a_reply_in_the_thread_of_a_rejected_or_closed_card_reaches_nobody(
        run: Callable[[Scenario], None]) -> None:
    """Core refuses a trâmite on a ticket that is no longer open: the customer receives
    nothing, and the agent reads that the message was not sent and that !nota still is taken
    (they read the customer's "Se precisar, abra um novo ticket", which is no agent's job)."""
    from core.services import closing, handling

    async def scenario(w: SlackWorld) -> None:
        original, _ = await posted_card(w)
        duplicate, dup_ts = await posted_card(w, assunto="Pedido 10125 não confirma")
        closed, closed_ts = await posted_card(w, assunto="Boleto sem juros")
        await w.core(handling.reject_duplicate, w.ids["ana"], duplicate.id, original.number)
        await w.core(closing.request_approval, w.ids["ana"], closed.id,
                     "Ajustado o cadastro de juros.", "erro_sistema")
        await w.core(closing.approve, w.ids["carla"], closed.id)
        await w.deliver()
        rows = len(await w.outbox())
        await w.thread_reply("UANA", dup_ts, "Veja o ticket original")
        await w.thread_reply("UANA", closed_ts, "Mais uma dica sobre juros")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                             and w.fake.of("chat.postEphemeral"))
        assert sorted(m["text"] for m in told) == sorted([
            t("slack.refuse.reply_closed", number=duplicate.number, status="Rejeitado"),
            t("slack.refuse.reply_closed", number=closed.number, status="Encerrado")])
        assert "*não* foi enviada ao cliente" in told[-1]["text"]
        assert "!nota" in told[-1]["text"]
        assert len(await w.outbox()) == rows
        await w.thread_reply("UANA", closed_ts, "!nota cliente aprovou por telefone")
        await w.until(lambda: w.fake.of("reactions.add"))
        assert w.fake.of("reactions.add")[-1]["name"] == "lock"

    run(scenario)


def test_a_customer_submitting_an_agents_modal_with_forged_metadata_changes_nothing(
        run: Callable[[Scenario], None]) -> None:
    """Already so (every modal runs as the agent behind the Slack id): a customer registered
    with a Slack id is refused in the modal, whatever callback and ticket it names."""
    async def scenario(w: SlackWorld) -> None:
        mine, ts = await posted_card(w)
        theirs = await w.open_ticket("rita", assunto="Segredo da Loja Rival")
        rows = len(await w.outbox())
        for callback in ("md.note", "md.reject", "md.approval", "md.dev", "md.dev_return",
                         "md.quote"):
            for target in (mine, theirs):
                _, body = await w.submit("UCARLA", callback, f"{target.id}|{TRIAGE}|{ts}",
                                         "202611/0001 resolvido")
                assert json.loads(body)["errors"]["input"] == t("slack.refuse.not_agent")
        for target in (mine, theirs):
            stored = await w.ticket(target.id)
            assert stored.status.value == "novo"
        assert len(await w.outbox()) == rows

    run(scenario)


def test_r2_an_invite_redeemed_by_a_slack_account_of_a_deactivated_user_links_the_new_one(
        run: Callable[[Scenario], None]) -> None:
    """Carla moved to Loja Rival: her old account was deactivated and a new one invited. Her
    code said 'Pronto, Carla' but Slack kept finding the old account (the first with that id):
    every button, command and message afterwards said the account was deactivated."""
    from core.models import Role
    from core.services import users

    async def scenario(w: SlackWorld) -> None:
        def move(ctx: Any) -> str:
            old = ctx.uow.users.get(w.ids["carla"])
            old.active = False
            ctx.uow.users.update(old)
            new = users.add_user(ctx, name="Carla Souza", email="carla@lojarival.com.br",
                                 company_names=["Loja Rival"], role=Role.CUSTOMER,
                                 trained=True)
            w.ids["carla_new"] = new.id or 0
            return users.create_invite(ctx, "carla@lojarival.com.br").code

        code = await w.core(move)
        count = lambda: len(w.fake.messages("DCARLA"))  # noqa: E731
        before = count()
        await w.dm("UCARLA", code)
        await w.quiet(count, before)
        found = await w.read(lambda uow: uow.users.by_slack("UCARLA"))
        assert found is not None
        assert found.id == w.ids["carla_new"]
        await w.command("UCARLA", "meus")
        answer = await w.until(lambda: responses(w))
        assert answer[-1]["text"] != t("slack.refuse.inactive")

    run(scenario)


def test_a_refusal_slack_cannot_show_where_the_click_was_arrives_in_the_bots_dm(
        run: Callable[[Scenario], None]) -> None:
    """A card shown by /ticket in a conversation the bot is not in (a DM with a colleague):
    its buttons work, but an ephemeral refusal there fails (channel_not_found) and the agent
    was told nothing."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        w.fake.fail("chat.postEphemeral", body={"ok": False, "error": "channel_not_found"})
        await w.click("UANA", "tk.take", "999999", channel="DCOLEGA", message_ts="1.5")
        sent = await w.until(lambda: [m for m in w.fake.of("chat.postMessage")
                                      if m["channel"] == "UANA"])
        assert sent[-1]["text"] == t("error.ticket_not_found")

    run(scenario)


def test_r2_files_a_stranger_shares_in_a_dm_are_not_downloaded(
        run: Callable[[Scenario], None]) -> None:
    """Anyone in the workspace could DM the bot files: each was downloaded with the bot token
    and kept for good before being told they are not registered."""
    async def scenario(w: SlackWorld) -> None:
        shared = w.fake.add_file("backup.zip", b"PK" + b"x" * 4096, "application/zip")
        await w.dm("USTRANGER", "segue o backup", files=[shared])
        said = await w.until(lambda: [m for m in w.fake.of("chat.postMessage")
                                      if m["channel"] == "DSTRANGER"])
        assert "código de convite" in said[-1]["text"]
        assert not [c for c in w.fake.calls if c.method.startswith("file:")]

    run(scenario)


def test_r7_a_repeated_modal_submission_is_recorded_once(
        run: Callable[[Scenario], None]) -> None:
    """The same signed submission delivered again (a retry, X-Slack-Retry-Num) added the
    internal note twice."""
    import time
    from urllib.parse import urlencode

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        body = urlencode({"payload": json.dumps({
            "type": "view_submission", "user": {"id": "UANA", "team_id": "T1"},
            "team": {"id": "T1"}, "api_app_id": "AHELP", "trigger_id": "1234.5678.abcd",
            "view": {"id": "V9", "type": "modal", "callback_id": "md.note",
                     "private_metadata": f"{ticket.id}|{TRIAGE}|{ts}",
                     "state": {"values": {"input": {"value": {
                         "type": "plain_text_input", "value": "Cliente pediu retorno às 15h"}}}}},
        })})
        stamp = str(int(time.time()))
        first = await w.post(body, "application/x-www-form-urlencoded", timestamp=stamp)
        again = await w.post(body, "application/x-www-form-urlencoded", timestamp=stamp,
                             headers={"X-Slack-Retry-Num": "1",
                                      "X-Slack-Retry-Reason": "http_timeout"})
        assert first == again == (200, "")
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        assert [e.text for e in entries].count("Cliente pediu retorno às 15h") == 1
        notes = [m for m in await w.outbox() if m.kind == "ticket.internal_note"]
        assert len(notes) == 1

    run(scenario)


def test_r6_r12_a_repeated_click_is_taken_once(run: Callable[[Scenario], None]) -> None:
    """The same signed click delivered again wrote 'assigned' and 'priority' twice in the
    history and told the customer twice; a repeated Em estimativa told the agent the ticket
    did not allow it."""
    import time
    from urllib.parse import urlencode

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        clicks = (("tk.assign", f"{ticket.id}:{w.ids['bruno']}"),
                  ("tk.priority", f"{ticket.id}:area_parada"), ("tk.estimate", str(ticket.id)))
        for action_id, value in clicks:
            action: dict[str, Any] = {"action_id": action_id, "block_id": f"card.0.{ticket.id}",
                                      "action_ts": "1700000500.1"}
            if action_id == "tk.estimate":
                action |= {"type": "button", "value": value,
                           "text": {"type": "plain_text", "text": value}}
            else:
                action |= {"type": "static_select", "selected_option": {
                    "value": value, "text": {"type": "plain_text", "text": value}}}
            body = urlencode({"payload": json.dumps({
                "type": "block_actions", "user": {"id": "UANA", "team_id": "T1"},
                "team": {"id": "T1"}, "api_app_id": "AHELP", "trigger_id": f"9.9.{action_id}",
                "channel": {"id": TRIAGE}, "container": {"type": "message", "message_ts": ts},
                "message": {"ts": ts, "text": "card", "type": "message"}, "actions": [action]})})
            stamp = str(int(time.time()))
            for retry in ({}, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}):
                await w.post(body, "application/x-www-form-urlencoded", timestamp=stamp,
                             headers=retry)
        await w.idle()
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        history = [e.text.split(" ")[0] for e in entries]
        assert (history.count("assigned"), history.count("priority"),
                history.count("estimate")) == (1, 1, 1)
        assert not w.fake.of("chat.postEphemeral")
        stored = await w.ticket(ticket.id)
        assert stored.assignee_id == w.ids["bruno"]

    run(scenario)


def test_a_repeated_conversation_click_is_answered_once(
        run: Callable[[Scenario], None]) -> None:
    """The same signed click on a DM button delivered again was taken as a second click on an
    old button: 'Esse botão é de uma pergunta anterior' and the question again."""
    import time
    from urllib.parse import urlencode

    async def scenario(w: SlackWorld) -> None:
        await w.dm("UCARLA", "oi")
        menu = await w.until(lambda: [m for m in w.fake.messages("DCARLA")
                                      if any(b["type"] == "actions" for b in m["blocks"])])
        button = next(e for b in menu[-1]["blocks"] if b["type"] == "actions"
                      for e in b["elements"] if "Meus tickets" in e["text"]["text"])
        await w.idle()
        before = len(w.fake.of("chat.postMessage"))
        body = urlencode({"payload": json.dumps({
            "type": "block_actions", "user": {"id": "UCARLA", "team_id": "T1"},
            "team": {"id": "T1"}, "api_app_id": "AHELP", "trigger_id": "7.7.menu",
            "channel": {"id": "DCARLA"}, "container": {"type": "message",
                                                        "message_ts": menu[-1]["ts"]},
            "message": {"ts": menu[-1]["ts"], "text": "Como posso ajudar?", "type": "message"},
            "actions": [{**button, "block_id": "b1", "action_ts": "1"}]})})
        stamp = str(int(time.time()))
        for retry in ({}, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}):
            await w.post(body, "application/x-www-form-urlencoded", timestamp=stamp,
                         headers=retry)
        await w.until(lambda: len(w.fake.of("chat.postMessage")) > before)
        await w.idle()
        said = "\n".join(m["text"] for m in w.fake.of("chat.postMessage")[before:])
        assert said.count("Tickets —") == 1
        assert t("conv.error.old_prompt")[:30] not in said

    run(scenario)


def test_r5_an_answer_slack_refuses_for_a_moment_still_reaches_the_dm(
        run: Callable[[Scenario], None]) -> None:
    """The step is saved before its answer is posted: a 503 or a rate limit on that post lost
    the answer (a registered ticket's number, the next question) for good, while the
    conversation had moved on."""
    async def scenario(w: SlackWorld) -> None:
        await w.dm("UCARLA", "oi")
        await w.until(lambda: w.fake.messages("DCARLA"))
        await w.idle()
        before = len(w.fake.messages("DCARLA"))
        w.fake.fail("chat.postMessage", status=503, body="upstream down")
        w.fake.fail("chat.postMessage", status=429, headers={"Retry-After": "1"},
                    body={"ok": False, "error": "ratelimited"})
        await w.dm("UCARLA", "meus tickets")
        said = await w.until(lambda: w.fake.messages("DCARLA")[before:])
        assert said[0]["text"].startswith("Tickets —")

    run(scenario)


def test_r5_an_answer_whose_slack_answer_was_lost_reaches_the_dm_once(
        run: Callable[[Scenario], None]) -> None:
    """Slack posted a DM step's answer and the line was cut before its answer (or Slack
    answered a 5xx after posting): the next try looks for it by its metadata first instead
    of posting it a second time."""
    async def scenario(w: SlackWorld) -> None:
        await w.dm("UCARLA", "oi")
        await w.until(lambda: w.fake.messages("DCARLA"))
        await w.idle()
        before = len(w.fake.messages("DCARLA"))
        w.fake.cut("chat.postMessage", channel="DCARLA")
        await w.dm("UCARLA", "meus tickets")
        await w.until(lambda: not w.fake.cuts and w.fake.messages("DCARLA")[before:])
        await w.idle()
        said = [m["text"] for m in w.fake.messages("DCARLA")[before:]]
        assert len(said) == 1, said
        assert said[0].startswith("Tickets —")
        assert [c["channel"] for c in w.fake.of("conversations.history")] == ["DCARLA"]

    run(scenario)


def test_a_button_whose_form_slack_no_longer_opens_says_to_click_again(
        run: Callable[[Scenario], None]) -> None:
    """Slack opens a form only within 3 seconds of the click; under load views.open answered
    expired_trigger_id and the agent's click did nothing, without a word."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        w.fake.fail("views.open", body={"ok": False, "error": "expired_trigger_id"})
        await w.click("UANA", "tk.note", str(ticket.id), message_ts=ts)
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told[-1]["text"] == t("slack.modal.expired")

    run(scenario)


def test_r7_a_thread_reply_addressed_to_a_colleague_is_not_sent_to_the_customer(
        run: Callable[[Scenario], None]) -> None:
    """'@Bruno pode olhar o XML?' in the card's thread is talk within the team: it went to the
    customer as a trâmite. Addressed to the customer herself it still goes."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.thread_reply("UANA", ts, "<@UBRUNO> pode olhar o XML? parece erro nosso")
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told[-1]["text"] == t("slack.refuse.mention")
        assert not [m for m in await w.outbox() if m.kind == "ticket.tramite"]
        await w.thread_reply("UANA", ts, "<@UCARLA> segue a correção do cadastro")
        await w.until(lambda: w.fake.of("reactions.add"))
        sent = [m for m in await w.outbox() if m.kind == "ticket.tramite"]
        assert "user:UCARLA" in {m.target for m in sent}
        assert all("segue a correção do cadastro" in m.params["text"] for m in sent)

    run(scenario)


def test_r6_a_forged_option_assigning_the_ticket_to_a_customer_names_who_is_not_staff(
        run: Callable[[Scenario], None]) -> None:
    """Repassar to a customer (a forged option) said 'Só a equipe de suporte pode fazer isso',
    which read as if the agent clicking were not staff: it names the person chosen."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await click_in_row(w, "UANA", "tk.assign", f"{ticket.id}:{w.ids['carla']}",
                           f"card.0.{ticket.id}", ts, select=True)
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told[-1]["text"] == t("error.assignee_not_staff", name="Carla Souza")
        assert "não faz parte da equipe de suporte" in told[-1]["text"]
        stored = await w.ticket(ticket.id)
        assert (stored.assignee_id, stored.status.value) == (None, "novo")

    run(scenario)


def test_r19_a_form_for_an_action_the_status_no_longer_allows_is_refused_before_it_opens(
        run: Callable[[Scenario], None]) -> None:
    """Solicitar aprovação on the outdated card of a ticket already closed opened the form and
    refused only after the agent had written the solution: the agent is told at once and no
    form opens. An internal note still opens on any status."""
    from core.services import closing

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id,
                     "Ajustado o cadastro de juros.", "erro_sistema")
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        for action in ("tk.approval", "tk.reject", "tk.dev", "tk.dev_return"):
            await w.click("UANA", action, str(ticket.id), message_ts=ts)
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 4
                             and w.fake.of("chat.postEphemeral"))
        assert [m["text"] for m in told] == [
            t("slack.refuse.outdated_card", number=ticket.number, status="Encerrado")] * 4
        assert not w.fake.of("views.open")
        await w.click("UANA", "tk.quote", str(ticket.id), message_ts=ts)
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 5
                             and w.fake.of("chat.postEphemeral"))
        assert told[-1]["text"] == t("error.quote_not_billable", number=ticket.number)
        await w.click("UANA", "tk.note", str(ticket.id), message_ts=ts)
        await w.until(lambda: w.fake.of("views.open"))

    run(scenario)


def test_r6_a_button_or_select_of_an_outdated_card_names_the_status_it_is_now_in(
        run: Callable[[Scenario], None]) -> None:
    """Assumir, Em estimativa, Repassar or Prioridade on the card of a ticket closed meanwhile
    said only 'não permite essa ação no status atual': the agent is told the status, and that
    the card was out of date, as the card's forms say."""
    from core.services import closing

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id,
                     "Ajustado o cadastro de juros.", "erro_sistema")
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        await w.click("UANA", "tk.take", str(ticket.id), message_ts=ts)
        await w.click("UANA", "tk.estimate", str(ticket.id), message_ts=ts)
        await w.click("UANA", "tk.assign", f"{ticket.id}:{w.ids['bruno']}", select=True,
                      message_ts=ts)
        await w.click("UANA", "tk.priority", f"{ticket.id}:area_parada", select=True,
                      message_ts=ts)
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 4
                             and w.fake.of("chat.postEphemeral"))
        assert [m["text"] for m in told] == [
            t("slack.refuse.outdated_card", number=ticket.number, status="Encerrado")] * 4
        assert (await w.ticket(ticket.id)).status.value == "encerrado"

    run(scenario)


def test_r15_r16_a_double_click_on_em_estimativa_or_encaminhar_says_it_is_already_there(
        run: Callable[[Scenario], None]) -> None:
    """The second click of a double click on Em estimativa, or on Encaminhar ao
    desenvolvimento (or a second form sent), found the ticket already there and said the card
    was out of date: it says where the ticket is and that nothing changed."""
    from core.services import handling

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        for _ in range(2):
            await w.click("UANA", "tk.estimate", str(ticket.id), message_ts=ts)
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert [m["text"] for m in told] == [
            f"O ticket {ticket.number} já está em estimativa: nada mudou."]
        other, other_ts = await posted_card(w)
        await w.core(handling.take, w.ids["ana"], other.id)
        meta = f"{other.id}|{TRIAGE}|{other_ts}"
        status, _ = await w.submit("UANA", "md.dev", meta, "Erro no cálculo do ICMS-ST")
        assert status == 200
        assert (await w.ticket(other.id)).status.value == "em_desenvolvimento"
        status, body = await w.submit("UANA", "md.dev", meta, "Erro no cálculo do ICMS-ST")
        already = f"O ticket {other.number} já está em desenvolvimento: nada mudou."
        assert json.loads(body)["errors"]["input"] == already  # the modal stays open
        await w.click("UANA", "tk.dev", str(other.id), message_ts=other_ts)
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                             and w.fake.of("chat.postEphemeral"))
        assert told[-1]["text"] == already
        assert not w.fake.of("views.open")
        entries = await w.read(lambda uow: uow.entries.list(other.id, True))
        assert sum("ICMS-ST" in e.text for e in entries) == 1

    run(scenario)


def test_r7_a_thread_reply_calling_the_channel_or_a_team_is_not_sent_to_the_customer(
        run: Callable[[Scenario], None]) -> None:
    """'@here alguém já viu essa rejeição?' or '@suporte-fiscal podem olhar?' (a user group)
    in the card's thread calls the team: it went to the customer as a trâmite, by e-mail
    too. A mention later in the text is the agent's words to the customer, as before."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        for typed in ("<!here> alguém já viu essa rejeição?",
                      "<!channel|@channel> urgente, cliente parado",
                      "<!subteam^S0FISCAL|@suporte-fiscal> podem olhar o XML?"):
            before = len(w.fake.of("chat.postEphemeral"))
            await w.thread_reply("UANA", ts, typed)
            told = await w.until(lambda b=before: w.fake.of("chat.postEphemeral")[b:])
            assert told[-1]["text"] == t("slack.refuse.mention"), typed
        assert not [m for m in await w.outbox() if m.kind == "ticket.tramite"]
        await w.thread_reply("UANA", ts, "Corrigido; avise aqui se <!here> der erro de novo")
        await w.until(lambda: w.fake.of("reactions.add"))
        assert [m for m in await w.outbox() if m.kind == "ticket.tramite"]

    run(scenario)


def test_r8_a_customer_pressing_a_forged_kept_note_button_learns_nothing_of_the_ticket(
        run: Callable[[Scenario], None]) -> None:
    """The button that offers a refused note as *Nota interna*, forged by a customer with
    another company's ticket and a token no note has: she read 'a nota guardada do ticket
    <its number> não existe mais'. Now she is told only agents act on tickets, and no form
    opens, whatever the token (one gone, one of an agent's note kept, a card's form)."""
    async def scenario(w: SlackWorld) -> None:
        _, ts = await posted_card(w)
        theirs = await w.open_ticket("rita", assunto="Segredo da Loja Rival")
        ana_note = await w.open_ticket("rita", assunto="Outra da Loja Rival")

        def keep(uow: Any) -> None:
            from datetime import UTC, datetime

            from storage.extras import SlackKeptNote
            uow.slack_kept_notes.keep(SlackKeptNote(
                token="tok-ana", ticket_id=ana_note.id, slack_id="UANA",
                text="cliente rival pediu desconto", kept_at=datetime.now(UTC)))

        await w.read(keep)
        for action, target, token in (
                ("tk.note_saved", theirs, "nao-existe"),
                ("tk.note_saved", ana_note, "tok-ana"),
                ("tk.note_kept", theirs, "o que eu quiser"),
                ("tk.note", theirs, "")):
            before = len(w.fake.of("chat.postEphemeral"))
            await w.click("UCARLA", action, f"{target.id}:{token}", message_ts=ts)
            [said] = await w.until(lambda b=before: w.fake.of("chat.postEphemeral")[b:])
            assert said["text"] == t("slack.refuse.not_agent"), action
            assert theirs.number not in said["text"]
            assert ana_note.number not in said["text"]
        assert not w.fake.of("views.open")

    run(scenario)
