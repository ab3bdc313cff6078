"""The Slack sender's other rows: deadline warnings, DMs to agents, files, invites, gone cards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from slack_harness import TRIAGE, Scenario, SlackWorld, card_fields

from bots.delivery.results import Permanent, Sent, Transient
from bots.slack import direct
from bots.slack import sender as slack_sender
from core.conversation.replies import FilePayload, Reply
from core.models import Status
from core.outbox import DeliveryStatus
from core.services import closing, handling, notify, tramites, users
from core.services.context import Ctx


def test_r13_r14_deadline_warnings_go_to_the_thread(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        due = (w.now + timedelta(days=1)).isoformat()

        def warn(ctx: Ctx) -> None:
            stored = ctx.uow.tickets.get(ticket.id)
            notify.to_triage(ctx, stored, "ticket.first_response_overdue")
            notify.to_triage(ctx, stored, "ticket.due_soon", due_at=due)
            notify.to_triage(ctx, stored, "ticket.overdue", due_at=due)

        await w.core(warn)
        assert all(isinstance(r, Sent) for r in await w.deliver())
        texts = [m["text"] for m in w.fake.thread(TRIAGE, ts)]
        assert "não assumido" in texts[-3]
        assert "25/11/2026 10:00" in texts[-2]
        assert "venceu" in texts[-1]
        broadcast = [m.get("reply_broadcast") for m in w.fake.thread(TRIAGE, ts)]
        assert broadcast[-3:] == [True, False, True]

    run(scenario)


def test_agent_dm_when_assigned(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.assign, w.ids["ana"], ticket.id, w.ids["bruno"])
        await w.deliver()
        opened = [c["users"] for c in w.fake.of("conversations.open")]
        assert "UBRUNO" in opened
        dm = w.fake.messages("DBRUNO")
        assert dm
        assert ticket.number in dm[-1]["text"]

    run(scenario)


def test_deleted_card_is_posted_again(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        old = await w.card_ts(ticket.id)
        w.fake.channels[TRIAGE].clear()  # someone deleted the card
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.deliver()
        new = await w.card_ts(ticket.id)
        assert new != old
        assert "Em atendimento" in card_fields(w.fake.find(TRIAGE, new))

    run(scenario)


def test_unknown_person_in_dm_is_unreachable(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.open_ticket()
        w.fake.fail("conversations.open", body={"ok": False, "error": "user_not_found"})
        results = await w.deliver()
        assert Permanent("slack user_not_found", unreachable=True, unposted=True) in results

    run(scenario)


def test_r7_agent_file_in_the_thread_reaches_the_customer(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        pacote = w.fake.add_file("pacote-10125.zip", b"PK fake zip", "application/zip")
        await w.thread_reply("UANA", ts, "Segue o pacote de correção", subtype="file_share",
                             files=[pacote])

        async def sent() -> list[Any]:
            return [m for m in await w.outbox()
                    if m.kind == "ticket.tramite" and m.target == "user:UCARLA"]

        rows = await w.until(sent)
        assert rows[0].params["files"] == ["pacote-10125.zip"]
        attachments = await w.read(lambda uow, i: uow.entries.attachments(i), ticket.id)
        assert [a.filename for a in attachments] == ["pacote-10125.zip"]

    run(scenario)


def test_r2_invite_code_links_a_slack_account(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        invite = await w.core(users.create_invite, "dora@example.com")
        count = lambda: len(w.fake.messages("DDORA"))  # noqa: E731
        before = count()
        await w.dm("UDORA", invite.code)
        await w.quiet(count, before)
        dora = await w.read(lambda uow: uow.users.by_slack("UDORA"))
        assert dora is not None
        assert dora.id == w.ids["dora"]
        await w.click("UDORA", "tk.take", str(ticket.id))

        async def taken() -> bool:
            return (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

        await w.until(taken)

    run(scenario)


def test_r7_agent_tramite_written_elsewhere_is_shown_in_the_thread(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(tramites.add_tramite, w.ids["bruno"], ticket.id, "Liguei para a Carla")
        await w.thread_reply("UANA", ts, "Escrevi aqui mesmo")
        await w.until(lambda: w.fake.of("reactions.add"))
        await w.deliver()
        texts = [m["text"] for m in w.fake.thread(TRIAGE, ts)]
        assert any("Bruno Suporte" in t and "Liguei para a Carla" in t for t in texts)
        assert not any("Escrevi aqui mesmo" in t for t in texts)

    run(scenario)


def test_r7_an_agent_s_tramite_reaches_a_slack_customer_s_dm_as_mrkdwn(
        run: Callable[[Scenario], None]) -> None:
    """The notice of an agent's trâmite in a customer's Slack DM shows its marks as Slack
    does, as the ticket's page there does (it read plain words); '<!channel>' pings nobody."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(assunto="Nota <10125>")
        await w.core(tramites.add_tramite, w.ids["ana"], ticket.id,
                     "**Atenção**: rode `nfe --check` <!channel>\n- veja [o manual]"
                     "(https://ex.com/manual_nfe)")
        await w.deliver()
        [notice] = [m["text"] for m in w.fake.messages("DCARLA") if "Atenção" in m["text"]]
        assert "*Atenção*: rode `nfe --check` &lt;!channel&gt;\n" \
               "• veja <https://ex.com/manual_nfe|o manual>" in notice
        assert "Nota &lt;10125&gt;" in notice

    run(scenario)


def test_r7_a_long_notice_in_a_slack_dm_is_cut_where_no_block_or_link_is_split(
        run: Callable[[Scenario], None]) -> None:
    """A trâmite longer than a Slack message was cut at 3 900 characters wherever they fell:
    inside its ``` block (the rest of the DM then read as code) or a link, and its files' line
    was lost. It is cut between lines, the block closed, and the notice still names its files
    and says where the whole text is; its line in the card's thread alike."""
    async def scenario(w: SlackWorld) -> None:
        from core.models import Attachment

        ticket = await w.open_ticket()
        steps = "\n".join(f"- passo {i}: confira o **campo {i}** em [a tela](https://ex.com/t{i})"
                          for i in range(40))
        log = "\n".join(f"linha {i} do log <erro> & aviso" for i in range(120))
        xml = Attachment(filename="nota-10125.xml", content_type="application/xml", size=10,
                         sha256="ab" * 32)
        await w.core(tramites.add_tramite, w.ids["ana"], ticket.id,
                     f"{steps}\n```\n{log}\n```\nFim.", [xml])
        await w.deliver()
        [notice] = [m["text"] for m in w.fake.messages("DCARLA") if "passo 0:" in m["text"]]
        assert len(notice) <= 3900
        assert notice.count("```") % 2 == 0
        assert "• passo 39: confira o *campo 39* em <https://ex.com/t39|a tela>\n" in notice
        shown = notice.split("```")[1]  # the block, closed where the notice cuts it
        assert shown.rstrip("\n").endswith(" do log &lt;erro&gt; &amp; aviso")
        assert "Fim." not in notice
        assert notice.endswith(f"\n…\n_O texto continua: escreva *ticket {ticket.number}* aqui e "
                               "escolha “Ver o histórico completo”._\nAnexos: nota-10125.xml")
        [line] = [m["text"] for m in w.fake.thread(TRIAGE, await w.card_ts(ticket.id))
                  if "passo 0:" in m["text"]]
        assert len(line) <= 3900
        assert line.count("```") % 2 == 0
        assert line.endswith(f"\n…\n_O texto continua: escreva *ticket {ticket.number}* na "
                             "conversa com o bot e escolha “Ver o histórico completo”._"
                             "\n📎 nota-10125.xml")

    run(scenario)


def test_a_prompts_file_slack_failed_on_is_retried_one_it_refused_fails_the_row(
        run: Callable[[Scenario], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """A prompt with a file (no prompt has one today: a stand-in file is added to the
    approval prompt): Slack answering the file's bytes with a 503 is a failure of the moment,
    the row tried again (the file then shared once); with a 413, a refusal, the row fails
    with the reason. Before, SlackRequestError left the sender unclassified: the dispatcher's
    catch-all retried both (with a sender-bug traceback), the refusal for 72 hours."""
    monkeypatch.setattr(direct, "POST_ATTEMPTS", 1)
    real = slack_sender.ticket_prompt

    def with_file(ctx: Ctx, *args: Any) -> list[Reply]:
        replies = real(ctx, *args)
        pdf = FilePayload(filename="orcamento.pdf", content=b"%PDF-1.4 orcamento",
                          mime="application/pdf")
        return [*replies, Reply(text="", file=pdf)] if replies else replies

    monkeypatch.setattr(slack_sender, "ticket_prompt", with_file)

    async def approval_asked(w: SlackWorld, status: int) -> list[Any]:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.deliver()
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Ajustamos o cadastro.",
                     origin_id="erro_sistema")
        w.fake.fail("upload", status=status)
        return await w.deliver()

    async def scenario(w: SlackWorld) -> None:
        results = await approval_asked(w, 503)
        assert Transient("slack upload http 503") in results
        await w.deliver()
        assert [(f["channel"], f["name"]) for f in w.fake.shared] == \
            [("DCARLA", "orcamento.pdf")]
        results = await approval_asked(w, 413)
        assert Permanent("slack upload refused (http 413)") in results
        rows = [m for m in await w.outbox()
                if m.kind == "ticket.approval_requested" and m.target == "user:UCARLA"]
        assert [m.status for m in rows] == [DeliveryStatus.SENT, DeliveryStatus.FAILED]
        assert len(w.fake.shared) == 1

    run(scenario)
