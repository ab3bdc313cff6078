"""R15 in Slack: the development channel's post follows the ticket, and its thread is heard."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_harness import DEV, TRIAGE, Scenario, SlackWorld, as_read, card_fields
from test_slack_cycle import modal, open_and_take, status_is

from bots.blobs import store_bytes
from bots.delivery.results import RetryAfter
from core.models import EntryKind, Status
from core.services import closing, handling, tramites


async def in_development(w: SlackWorld, note: str = "Erro no cálculo do ICMS-ST"
                         ) -> tuple[Any, str, str]:
    """A ticket Ana took and sent to development through the card: (ticket, card ts, post ts)."""
    ticket, ts = await open_and_take(w)
    view = await modal(w, "UANA", "tk.dev", ticket.id, ts)
    await w.submit("UANA", "md.dev", view["private_metadata"], note)
    await status_is(w, ticket.id, Status.IN_DEVELOPMENT)
    await w.deliver()
    [post] = w.fake.messages(DEV)
    assert "Em desenvolvimento" in card_fields(post)
    return ticket, ts, post["ts"]




async def entries(w: SlackWorld, ticket_id: int) -> list[Any]:
    return await w.read(lambda uow: uow.entries.list(ticket_id, include_internal=True))


def test_r15_the_development_post_shows_the_return_and_then_the_close(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        view = await modal(w, "UANA", "tk.dev_return", ticket.id, ts)
        await w.submit("UANA", "md.dev_return", view["private_metadata"], "pacote-2026.11.3")
        await status_is(w, ticket.id, Status.IN_PROGRESS)
        await w.deliver()
        assert len(top_level(w)) == 1, "the post is updated, not posted again"
        post = w.fake.find(DEV, post_ts) or {}
        shown = card_fields(post)
        assert "Em desenvolvimento" not in shown
        assert "Em atendimento" in shown
        assert "Saiu do desenvolvimento" in shown
        assert "Ana Atendente" in shown  # who sent it, and why, stay
        assert "Erro no cálculo do ICMS-ST" in shown
        assert "[Em atendimento]" in post["text"]
        assert "tk." not in shown, "developers get no buttons"
        assert "pacote-2026.11.3" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Pacote aplicado.",
                     origin_id="erro_sistema")
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        await w.deliver()
        shown = card_fields(w.fake.find(DEV, post_ts))
        assert "Encerrado" in shown
        assert "Em atendimento" not in shown

    run(scenario)


def test_r15_r18_a_ticket_rejected_while_in_development_says_so_in_the_post(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        original = await w.open_ticket(assunto="Erro no ICMS-ST (primeiro)")
        ticket, ts, post_ts = await in_development(w)
        await w.core(handling.reject_duplicate, w.ids["ana"], ticket.id, original.number)
        await w.deliver()
        shown = card_fields(w.fake.find(DEV, post_ts))
        assert "Rejeitado" in shown
        assert "Em desenvolvimento" not in shown

    run(scenario)


def test_r15_a_development_post_deleted_in_slack_does_not_hold_the_triage_thread(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        w.fake.channels[DEV].clear()  # a developer tidied the channel
        view = await modal(w, "UANA", "tk.dev_return", ticket.id, ts)
        await w.submit("UANA", "md.dev_return", view["private_metadata"], "pacote-2026.11.3")
        await status_is(w, ticket.id, Status.IN_PROGRESS)
        await w.deliver()
        assert "pacote-2026.11.3" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert "Em atendimento" in card_fields(w.fake.find(TRIAGE, ts))
        assert top_level(w) == [], "a deleted post is not posted again"

    run(scenario)


def test_r15_slack_limiting_the_post_update_holds_the_row_and_the_thread_line_goes_once(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        await w.core(handling.return_from_development, w.ids["ana"], ticket.id, "pacote-9")
        w.fake.fail("chat.update", body={"ok": True, "channel": TRIAGE, "ts": ts})  # the card
        w.fake.fail("chat.update", status=429, headers={"Retry-After": "3"},
                    body={"ok": False, "error": "ratelimited"})
        await w.deliver()
        [held] = [r for m, r in w.results if m.kind == "card" and m.params["event"] == "returned"]
        assert isinstance(held, RetryAfter)
        assert held.seconds == 3
        assert not [m for m in w.fake.thread(TRIAGE, ts) if "pacote-9" in m["text"]]
        await w.deliver()
        assert len([m for m in w.fake.thread(TRIAGE, ts) if "pacote-9" in m["text"]]) == 1
        assert "Saiu do desenvolvimento" in card_fields(w.fake.find(DEV, post_ts))

    run(scenario)


def test_r15_r7_a_reply_in_the_development_thread_is_an_internal_note(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        sent_before = len(w.fake.of("chat.postMessage"))
        status, _ = await w.thread_reply("UBRUNO", post_ts,
                                         "Achei: a alíquota do RS estava &lt;errada&gt;",
                                         channel=DEV)
        assert status == 200

        async def noted() -> list[Any]:
            return [e for e in await entries(w, ticket.id) if e.kind == EntryKind.INTERNAL]

        [note] = await w.until(noted)
        assert note.text == "Achei: a alíquota do RS estava <errada>"
        assert note.author_id == w.ids["bruno"]
        reactions = await w.until(lambda: w.fake.of("reactions.add"))
        assert reactions[-1]["name"] == "lock"
        assert reactions[-1]["channel"] == DEV
        await w.deliver()
        assert "🔒 Nota interna de *Bruno Suporte*" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        said = json.dumps([m.params for m in await w.outbox()
                           if m.target in ("user:UCARLA", "carla@example.com")],
                          ensure_ascii=False)
        assert "alíquota" not in said
        to_carla = [c for c in w.fake.of("chat.postMessage")[sent_before:]
                    if c["channel"] == "DCARLA"]
        assert to_carla == []
        assert (await w.ticket(ticket.id)).status == Status.IN_DEVELOPMENT

    run(scenario)


def test_r15_a_note_written_elsewhere_reaches_the_development_thread_after_a_failed_post(
        run: Callable[[Scenario], None]) -> None:
    """Ana's internal note, written in the chat while the ticket is in development, goes to the
    development post's thread; its post failed once (a 500) and the retry took it for one
    written in that thread and dropped it: the developers never saw it."""
    async def scenario(w: SlackWorld) -> None:
        ticket, _, post_ts = await in_development(w)
        await w.core(tramites.add_internal_note, w.ids["ana"], ticket.id,
                     "Cliente confirmou: só no RS")
        w.fake.fail("chat.postMessage", status=500, body={"ok": False, "error": "internal_error"},
                    when=lambda args: args.get("thread_ts") == post_ts
                    and "só no RS" in str(args.get("text")))
        await w.deliver()
        await w.deliver()
        lines = [m for m in w.fake.thread(DEV, post_ts) if "só no RS" in m["text"]]
        assert len(lines) == 1

    run(scenario)


def test_r15_the_development_thread_takes_nota_markers_and_no_justificativa(
        run: Callable[[Scenario], None]) -> None:
    """'!nota' there is what it is anyway; a justificativa (customers see it) is refused."""
    async def scenario(w: SlackWorld) -> None:
        ticket, _, post_ts = await in_development(w)
        await w.thread_reply("UBRUNO", post_ts, "!nota corrigido na 2026.11.4", channel=DEV)

        async def noted() -> list[Any]:
            return [e.text for e in await entries(w, ticket.id) if e.kind == EntryKind.INTERNAL]

        assert await w.until(noted) == ["corrigido na 2026.11.4"]
        await w.thread_reply("UBRUNO", post_ts, "!justificativa Aguardando versão", channel=DEV)
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert "justificativa" in told[-1]["text"]
        assert told[-1]["user"] == "UBRUNO"
        assert (await w.ticket(ticket.id)).justificativa is None
        assert await noted() == ["corrigido na 2026.11.4"]

    run(scenario)


def test_r15_someone_unregistered_replying_in_the_development_thread_is_told(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, _, post_ts = await in_development(w)
        await w.thread_reply("UDEVNOVO", post_ts, "Vou olhar amanhã", channel=DEV)
        told = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told[-1]["user"] == "UDEVNOVO"
        assert "*não* foi registrada no ticket" in told[-1]["text"]
        assert not [e for e in await entries(w, ticket.id) if e.kind == EntryKind.INTERNAL]

    run(scenario)


def test_r15_sent_to_development_twice_both_posts_follow_and_both_threads_are_heard(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, first_ts = await in_development(w)
        await w.core(handling.return_from_development, w.ids["ana"], ticket.id, "pacote-1")
        await w.core(handling.forward_to_development, w.ids["ana"], ticket.id,
                     "Ainda falha no RS")
        await w.deliver()
        first, second = top_level(w)
        assert first["ts"] == first_ts
        assert "Ainda falha no RS" in card_fields(second)
        for post in (first, second):
            assert "Em desenvolvimento" in card_fields(post)
            assert "Saiu do desenvolvimento" not in card_fields(post)
        await w.thread_reply("UBRUNO", first_ts, "Era outra alíquota", channel=DEV)

        async def noted() -> list[Any]:
            return [e.text for e in await entries(w, ticket.id) if e.kind == EntryKind.INTERNAL]

        assert await w.until(noted) == ["Era outra alíquota"]

    run(scenario)


def test_r15_r7_a_file_in_the_development_thread_joins_the_note_and_both_cards(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        shot = w.fake.add_file("aliquota-rs.png", b"\x89PNG...", "image/png")
        await w.thread_reply("UBRUNO", post_ts, "o erro", channel=DEV, subtype="file_share",
                             files=[shot])

        async def noted() -> list[Any]:
            return [e for e in await entries(w, ticket.id) if e.kind == EntryKind.INTERNAL]

        [note] = await w.until(noted)
        assert [a.filename for a in note.attachments] == ["aliquota-rs.png"]
        await w.deliver()
        assert "aliquota-rs.png" in card_fields(w.fake.find(TRIAGE, ts))
        assert "aliquota-rs.png" in card_fields(w.fake.find(DEV, post_ts))
        assert not [m for m in await w.outbox()
                    if m.target == "user:UCARLA" and "aliquota" in json.dumps(m.params)]

    run(scenario)


def top_level(w: SlackWorld) -> list[dict[str, Any]]:
    """The development channel's posts, without their threads' replies."""
    return [m for m in w.fake.messages(DEV) if not m.get("thread_ts")]


async def noted(w: SlackWorld, ticket_id: int, count: int) -> list[Any]:
    """Wait until the ticket has `count` internal notes; return them."""

    async def check() -> list[Any]:
        found = [e for e in await entries(w, ticket_id) if e.kind == EntryKind.INTERNAL]
        return found if len(found) >= count else []

    return await w.until(check)


def test_r15_r7_a_note_in_the_triage_thread_or_the_chat_reaches_the_developers(
        run: Callable[[Scenario], None]) -> None:
    """Developers work from their post: the team's notes about the ticket (and their files)
    join its thread while it is in development, with who wrote them."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        await w.thread_reply("UANA", ts, "!nota o cliente usa a alíquota &lt;antiga&gt; do RS")
        await noted(w, ticket.id, 1)
        log = store_bytes(w.settings.files_dir, "log-servidor.txt", b"stack trace")
        await w.core(tramites.add_internal_note, w.ids["bruno"], ticket.id, "o log do erro",
                     [log])
        await w.deliver()
        first, second, shared = w.fake.thread(DEV, post_ts)
        first, second = first["text"], second["text"]
        assert [f["name"] for f in shared["files"]] == ["log-servidor.txt"]  # to open
        assert "🔒 Nota interna de *Ana Atendente*" in first
        assert "alíquota &lt;antiga&gt; do RS" in first
        assert "🔒 Nota interna de *Bruno Suporte*" in second
        assert "o log do erro" in second
        assert "📎 log-servidor.txt" in second
        assert "log-servidor.txt" in card_fields(w.fake.find(DEV, post_ts))
        assert len(top_level(w)) == 1, "in the post's thread, not as new posts"

    run(scenario)


def test_r15_a_note_written_in_the_development_thread_is_not_copied_back_into_it(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        await w.thread_reply("UBRUNO", post_ts, "Achei o erro", channel=DEV)
        await noted(w, ticket.id, 1)
        await w.deliver()
        await w.deliver()
        assert "Achei o erro" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert w.fake.thread(DEV, post_ts) == [], "the developers already have it"

    run(scenario)


def test_r15_the_customers_words_reach_the_developers_in_short_the_agents_answers_do_not(
        run: Callable[[Scenario], None]) -> None:
    """What the customer writes while the fix is made helps the developers (a short line);
    what the agents answer the customer stays in the triage thread."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        told = "Acontece também no pedido 10126. " + "Detalhes do erro. " * 40
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, told)
        await w.thread_reply("UANA", ts, "Carla, já estamos corrigindo.")
        await w.until(lambda: len(w.fake.of("reactions.add")) >= 1)
        await w.deliver()
        [line] = [m["text"] for m in w.fake.thread(DEV, post_ts)]
        assert "O cliente *Carla Souza* escreveu" in line
        assert "pedido 10126" in line
        assert len(line) < 400, "a short line, not the whole trâmite"
        assert "já estamos corrigindo" not in json.dumps(w.fake.messages(DEV),
                                                         ensure_ascii=False)

    run(scenario)


def test_r15_the_return_package_reaches_the_developers_and_later_notes_do_not(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        await w.core(handling.return_from_development, w.ids["ana"], ticket.id,
                     "pacote-2026.11.3")
        await w.core(tramites.add_internal_note, w.ids["ana"], ticket.id,
                     "Cliente vai instalar amanhã")
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Instalo amanhã")
        await w.deliver()
        [line] = [m["text"] for m in w.fake.thread(DEV, post_ts)]
        assert "*Ana Atendente* devolveu o ticket" in line
        assert "pacote-2026.11.3" in line
        assert "Saiu do desenvolvimento" in card_fields(w.fake.find(DEV, post_ts))

    run(scenario)


def test_r15_sent_to_development_again_the_notes_go_to_the_newer_post(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, first_ts = await in_development(w)
        await w.core(handling.return_from_development, w.ids["ana"], ticket.id, "pacote-1")
        await w.core(handling.forward_to_development, w.ids["ana"], ticket.id,
                     "Ainda falha no RS")
        await w.core(tramites.add_internal_note, w.ids["ana"], ticket.id, "vale para SC também")
        await w.deliver()
        first, second = top_level(w)
        assert [m["text"] for m in w.fake.thread(DEV, first["ts"])
                if "vale para SC" in m["text"]] == []
        [line] = [m["text"] for m in w.fake.thread(DEV, second["ts"])]
        assert "vale para SC também" in line

    run(scenario)


def test_r15_r7_markdown_in_a_note_reads_as_slack_formatting_and_pings_nobody(
        run: Callable[[Scenario], None]) -> None:
    """A note typed in a chat with Markdown habits (**bold**, [words](url), - items) reads as
    Slack shows bold, code and links, in the development and the triage threads; the
    customer's words read as typed, as on the ticket's page; no one's words ping the
    channel."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        await w.core(tramites.add_internal_note, w.ids["bruno"], ticket.id,
                     "**Atenção**: rode `nfe --check` <!channel>\n- veja [o manual]"
                     "(https://ex.com/manual_nfe)\n```\nif a < b: *x*\n```")
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id,
                     "<!channel> **urgente**, veja [isto](https://ex.com/a)")
        await w.deliver()
        note, customer = [m["text"] for m in w.fake.thread(DEV, post_ts)]
        assert "*Atenção*: rode `nfe --check` &lt;!channel&gt;\n" in note
        assert "• veja <https://ex.com/manual_nfe|o manual>" in note
        assert "```\nif a &lt; b: *x*\n```" in note
        assert "**" not in note
        assert "<!" not in note + customer
        triage = [m["text"] for m in w.fake.thread(TRIAGE, ts)]  # the triage thread alike
        assert any("*Atenção*: rode `nfe --check` &lt;!channel&gt;\n" in m for m in triage)

    run(scenario)


def test_r15_r7_the_customers_words_in_the_threads_read_as_on_the_ticket_page(
        run: Callable[[Scenario], None]) -> None:
    """A customer's trâmite, in the development and the triage threads, is escaped and not
    formatted, as the ticket's page shows it: their **x** and [words](url) stay as typed
    (they read as an agent's bold and link), '<!channel>' pings nobody."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts, post_ts = await in_development(w)
        typed = "<!channel> **urgente**, veja [isto](https://ex.com/a)\n- `x` & <b>y</b>"
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, typed)
        await w.deliver()
        [customer] = [m["text"] for m in w.fake.thread(DEV, post_ts)]
        assert as_read(customer).endswith(": &lt;!channel&gt; **urgente**, veja [isto](https://ex.com/a)"
                                 " - `x` &amp; &lt;b&gt;y&lt;/b&gt;")
        [triage] = [m["text"] for m in w.fake.thread(TRIAGE, ts) if "urgente" in m["text"]]
        assert as_read(triage).endswith(":\n&lt;!channel&gt; **urgente**, veja [isto](https://ex.com/a)"
                               "\n- `x` &amp; &lt;b&gt;y&lt;/b&gt;")

    run(scenario)


def test_r15_r7_the_note_on_the_development_post_reads_as_slack_formatting(
        run: Callable[[Scenario], None]) -> None:
    """The note the ticket went to development with, quoted on the post itself and in the
    card's thread, reads as the threads' notes do: *bold*, `code`, <url|words> links and
    • items (on the post each line quoted); a '<!channel>' in it pings nobody."""
    async def scenario(w: SlackWorld) -> None:
        _, ts, post_ts = await in_development(
            w, "**Atenção**: rode `nfe --check` <!channel>\n- veja [o manual]"
               "(https://ex.com/manual_nfe)")
        texts = [b.get("text", {}).get("text", "") for b in w.fake.find(DEV, post_ts)["blocks"]]
        [quote] = [text for text in texts if text.startswith(">")]
        assert quote == ("> *Atenção*: rode `nfe --check` &lt;!channel&gt;\n"
                         "> • veja <https://ex.com/manual_nfe|o manual>")
        [line] = [m["text"] for m in w.fake.thread(TRIAGE, ts) if "ao desenvolvimento" in m["text"]]
        assert line.endswith("ao desenvolvimento. *Atenção*: rode `nfe --check` &lt;!channel&gt;"
                             "\n• veja <https://ex.com/manual_nfe|o manual>")

    run(scenario)


def test_r15_r7_a_long_note_on_the_development_post_is_shown_whole_in_sections(
        run: Callable[[Scenario], None]) -> None:
    """A note over a section's 3 000 characters (a pasted log, from a chat that takes 20 000)
    showed only its first section on the post: the rest was lost to the developers. It is
    shown whole, section after section, each within Slack's limit, cut between lines, a ```
    block closed where a section ends and opened again in the next, every other line quoted
    (one too long for the post: test_slack_limits)."""
    async def scenario(w: SlackWorld) -> None:
        ticket, _ = await open_and_take(w)
        steps = [f"- passo {i}: confira o **campo {i}** em [a tela](https://ex.com/t{i})"
                 for i in range(60)]
        log = [f"linha {i} do log <erro> & aviso" for i in range(90)]
        note = "\n".join([*steps, "```", *log, "```", "Fim da nota."])
        await w.core(handling.forward_to_development, w.ids["ana"], ticket.id, note)
        await w.deliver()
        [post] = w.fake.messages(DEV)
        texts = [b["text"]["text"] for b in post["blocks"] if "text" in b
                 and b["text"]["text"].startswith(("> ", "```"))]
        assert len(texts) > 1
        assert all(len(text) <= 3000 for text in texts)
        assert all(text.count("```") % 2 == 0 for text in texts)
        shown = "\n".join(texts)
        for i in range(60):
            assert f"> • passo {i}: confira o *campo {i}* em <https://ex.com/t{i}|a tela>\n" \
                in shown
        for i in range(90):
            assert f"\nlinha {i} do log &lt;erro&gt; &amp; aviso\n" in shown
        assert shown.endswith("> Fim da nota.")

    run(scenario)


def test_r15_a_forward_refused_because_a_colleague_acted_offers_the_note_as_an_internal_note(
        run: Callable[[Scenario], None]) -> None:
    """Ana wrote a note for development while Bruno forwarded the ticket himself (or sent the
    solution): the form stayed open with her note and a refusal no second try could pass, and
    her note had no way to reach the ticket. The form turns into *Nota interna* with her note
    kept and why it was not forwarded; sent, it is the ticket's internal note (once)."""
    from core.i18n import t

    async def scenario(w: SlackWorld) -> None:
        for colleague_did in ("forwarded", "solved"):
            ticket, ts = await open_and_take(w)
            view = await modal(w, "UANA", "tk.dev", ticket.id, ts)
            if colleague_did == "forwarded":
                await w.core(handling.forward_to_development, w.ids["bruno"], ticket.id,
                             "Bruno: erro no ICMS-ST")
                why = t("error.already_in_development", number=ticket.number)
            else:
                await w.core(closing.request_approval, w.ids["bruno"], ticket.id,
                             "Ajustado o cadastro.", origin_id="erro_sistema")
                why = t("slack.refuse.form_outdated", number=ticket.number,
                        status="Aguardando aprovação")
            note = f"Ana ({colleague_did}): a alíquota do RS <errada> no XML 10125"
            status, body = await w.submit("UANA", "md.dev", view["private_metadata"], note)
            assert status == 200
            answer = json.loads(body)
            assert answer["response_action"] == "update", body
            again = answer["view"]
            assert again["callback_id"] == "md.note"
            assert again["private_metadata"] == view["private_metadata"]
            element = next(blk["element"] for blk in again["blocks"]
                           if blk.get("block_id") == "input")
            assert element["initial_value"] == note
            said = json.dumps(again["blocks"], ensure_ascii=False)
            assert why in said
            assert t("slack.modal.dev_as_note", number=ticket.number) in said
            await w.submit_view("UANA", again, element["initial_value"])

            async def noted(tid: int = ticket.id) -> list[Any]:
                return [e for e in await entries(w, tid)
                        if e.kind == EntryKind.INTERNAL]

            [kept] = await w.until(noted)
            assert kept.text == note
            assert kept.author_id == w.ids["ana"]

    run(scenario)


def test_r15_a_forward_refused_after_a_slow_answer_offers_the_note_as_an_internal_note(
        run: Callable[[Scenario], None], monkeypatch: Any) -> None:
    """The same refusal as above, on a slow database: Slack's window for changing the form had
    passed, so the form closed and Ana only read the refusal and her note as text to copy.
    The message now has a button that opens *Nota interna* with her note in it; sent, it is the
    ticket's internal note. A note the ticket has already (the form sent twice) gets no button.
    A note longer than a button's value (2 000 characters) had none either, only text to copy:
    the note is kept in storage, so its button works for any length."""
    from bots.slack import actions
    from core.i18n import t

    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)  # every answer comes after the ack

    async def refused(w: SlackWorld, view: dict[str, Any], note: str) -> dict[str, Any]:
        before = len(w.fake.of("chat.postEphemeral"))
        status, body = await w.submit("UANA", "md.dev", view["private_metadata"], note)
        assert (status, body) == (200, "")  # closed at once
        return (await w.until(lambda: w.fake.of("chat.postEphemeral")[before:]))[0]

    def kept_button(message: dict[str, Any]) -> dict[str, Any] | None:
        return next((el for blk in message.get("blocks") or [] if blk["type"] == "actions"
                     for el in blk["elements"] if el["action_id"].startswith("tk.note_")),
                    None)

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.dev", ticket.id, ts)
        await w.core(handling.forward_to_development, w.ids["bruno"], ticket.id,
                     "Bruno: erro no ICMS-ST")
        note = "Ana: a alíquota do RS <errada> no XML 10125"
        told = await refused(w, view, note)
        why = t("error.already_in_development", number=ticket.number)
        assert told["text"] == why + "\n" + t("slack.modal.typed", text=note).replace(
            "<", "&lt;").replace(">", "&gt;")
        shown = json.dumps(told["blocks"], ensure_ascii=False)
        assert t("slack.modal.dev_kept", number=ticket.number) in shown
        assert json.dumps(note, ensure_ascii=False)[1:-1] in shown  # as typed, plain text
        button = kept_button(told)
        assert button is not None, told["blocks"]
        opened = len(w.fake.of("views.open"))
        await w.click("UANA", button["action_id"], button["value"], channel=TRIAGE,
                      message_ts="1700000999.1")
        form = (await w.until(lambda: w.fake.of("views.open")[opened:]))[0]["view"]
        assert form["callback_id"] == "md.note"
        element = next(blk["element"] for blk in form["blocks"]
                       if blk.get("block_id") == "input")
        assert element["initial_value"] == note
        await w.submit_view("UANA", form, element["initial_value"])

        async def noted() -> list[Any]:
            return [e for e in await entries(w, ticket.id) if e.kind == EntryKind.INTERNAL]

        [kept] = await w.until(noted)
        assert (kept.text, kept.author_id) == (note, w.ids["ana"])
        again = await refused(w, view, note)  # the same form sent again: noted already
        assert kept_button(again) is None
        long_note = "Ana: " + "\n".join(["linha do log com o erro de ICMS-ST"] * 80)  # 2 884
        button = kept_button(await refused(w, view, long_note))
        assert button is not None
        opened = len(w.fake.of("views.open"))
        await w.click("UANA", button["action_id"], button["value"], channel=TRIAGE,
                      message_ts="1700000999.2")
        form = (await w.until(lambda: w.fake.of("views.open")[opened:]))[0]["view"]
        element = next(blk["element"] for blk in form["blocks"]
                       if blk.get("block_id") == "input")
        assert element["initial_value"] == long_note
        await w.submit_view("UANA", form, element["initial_value"])

        async def noted_twice() -> bool:
            return len(await noted()) == 2

        await w.until(noted_twice)
        assert [e.text for e in await noted()] == [note, long_note]

    run(scenario)


def test_r15_a_refusal_whose_blocks_slack_refuses_still_reaches_the_agent_as_text(
        run: Callable[[Scenario], None], monkeypatch: Any) -> None:
    """The slow refusal above carries blocks (the note and its button). Were Slack to refuse
    them (invalid_blocks, in the channel and in the bot's DM alike), Ana was told nothing: the
    DM retried the same blocks. She now reads the refusal and her note as text, where she was."""
    from bots.slack import actions
    from core.i18n import t

    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)  # every answer comes after the ack

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.dev", ticket.id, ts)
        await w.core(handling.forward_to_development, w.ids["bruno"], ticket.id,
                     "Bruno: erro no ICMS-ST")
        refused = {"ok": False, "error": "invalid_blocks"}
        for method in ("chat.postEphemeral", "chat.postMessage"):
            w.fake.fail(method, body=refused, when=lambda args: args.get("blocks"))
        note = "Ana: a alíquota do RS errada no XML 10125"
        status, body = await w.submit("UANA", "md.dev", view["private_metadata"], note)
        assert (status, body) == (200, "")

        def told() -> list[dict[str, Any]]:
            return [m for m in w.fake.of("chat.postEphemeral")
                    if m.get("user") == "UANA" and not m.get("blocks")]

        [message] = await w.until(told)
        assert message["channel"] == TRIAGE
        assert message["text"] == (t("error.already_in_development", number=ticket.number)
                                   + "\n" + t("slack.modal.typed", text=note))
        await w.idle()

    run(scenario)


async def kept_offer(w: SlackWorld, note: str) -> tuple[Any, dict[str, Any]]:
    """A ticket whose Encaminhar Ana sent after Bruno forwarded it, refused after Slack closed
    the form (MODAL_BUDGET 0): (the ticket, the refusal's Nota interna button)."""
    ticket, ts = await open_and_take(w)
    view = await modal(w, "UANA", "tk.dev", ticket.id, ts)
    await w.core(handling.forward_to_development, w.ids["bruno"], ticket.id,
                 "Bruno: erro no ICMS-ST")
    before = len(w.fake.of("chat.postEphemeral"))
    await w.submit("UANA", "md.dev", view["private_metadata"], note)
    [told] = await w.until(lambda: w.fake.of("chat.postEphemeral")[before:])
    [button] = [el for blk in told.get("blocks") or [] if blk["type"] == "actions"
                for el in blk["elements"]]
    return ticket, button


async def press_kept(w: SlackWorld, button: dict[str, Any]) -> dict[str, Any] | None:
    """Ana presses the refusal's Nota interna button: the form it opened, else None (what she
    was told instead is the latest ephemeral)."""
    opened, told = len(w.fake.of("views.open")), len(w.fake.of("chat.postEphemeral"))
    await w.click("UANA", button["action_id"], button["value"], channel=TRIAGE,
                  message_ts="1700000999.1")
    await w.until(lambda: len(w.fake.of("views.open")) > opened
                  or len(w.fake.of("chat.postEphemeral")) > told)
    forms = w.fake.of("views.open")[opened:]
    return forms[0]["view"] if forms else None


def test_r15_the_kept_notes_button_pressed_twice_adds_the_note_once(
        run: Callable[[Scenario], None], monkeypatch: Any) -> None:
    """Ana pressed the refusal's *Nota interna* button twice (two forms, both sent), or again
    once the note was added: each form added the note, so the ticket had it twice. The
    button's note is added once: a second form sent tells her it was added already, and a
    press after that says so instead of opening the form. So does the button after she typed
    the same note in the card's own *Nota interna*. In her language."""
    from test_slack_own_language import speaks

    from bots.slack import actions
    from core.i18n import t

    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)  # every answer comes after the ack

    async def scenario(w: SlackWorld) -> None:
        note = "Ana: a alíquota do RS errada no XML 10125"
        ticket, button = await kept_offer(w, note)
        first, second = await press_kept(w, button), await press_kept(w, button)
        assert first is not None
        assert second is not None
        await w.submit_view("UANA", first, note)

        async def notes(tid: int = ticket.id) -> list[str]:
            return [e.text for e in await entries(w, tid) if e.kind == EntryKind.INTERNAL]

        await w.until(notes)
        before = len(w.fake.of("chat.postEphemeral"))
        await w.submit_view("UANA", second, note)
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral")[before:])
        added = t("slack.note.already_added", number=ticket.number)
        assert told["text"] == added
        assert await press_kept(w, button) is None
        assert w.fake.of("chat.postEphemeral")[-1]["text"] == added
        await w.idle()
        assert await notes() == [note]

        other = "Ana: o XML 10125 saiu com o CST 60"  # typed again in the card's own form
        ticket, button = await kept_offer(w, other)
        card = await modal(w, "UANA", "tk.note", ticket.id, await w.card_ts(ticket.id))
        await w.submit_view("UANA", card, other)
        await w.until(lambda: notes(ticket.id))
        await w.core(speaks, w.ids["ana"])
        assert await press_kept(w, button) is None
        assert w.fake.of("chat.postEphemeral")[-1]["text"] == t(
            "slack.note.already_added", "en", number=ticket.number)
        await w.idle()
        assert await notes(ticket.id) == [other]

    run(scenario)


def test_r15_another_agents_kept_note_button_or_form_is_refused_and_adds_nothing(
        run: Callable[[Scenario], None], monkeypatch: Any) -> None:
    """The refusal's *Nota interna* button and the card's own note form carry a token of the
    agent they were offered to. Bruno pressing Ana's button (forwarded to him, or forged)
    opened the form with her note, and his form sent with her token added a note and used
    her token up: her own form then said the note was added already. He is now told the
    button or form was Ana's, in his language, and nothing is added; Ana's still work."""
    from test_slack_own_language import speaks

    from bots.slack import actions
    from core.i18n import t

    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)

    async def scenario(w: SlackWorld) -> None:
        note = "Ana: a alíquota do RS errada no XML 10125"
        ticket, button = await kept_offer(w, note)
        ana_form = await press_kept(w, button)
        assert ana_form is not None
        opened = len(w.fake.of("views.open"))
        for lang in ("pt_BR", "en"):
            await w.core(speaks, w.ids["bruno"], lang)
            before = len(w.fake.of("chat.postEphemeral"))
            await w.click("UBRUNO", button["action_id"], button["value"], channel=TRIAGE,
                          message_ts="1700000999.1")
            [told] = await w.until(lambda b=before: w.fake.of("chat.postEphemeral")[b:])
            assert told["user"] == "UBRUNO"
            assert told["text"] == t("slack.note.not_yours", lang, number=ticket.number)
            assert note not in told["text"]
        assert len(w.fake.of("views.open")) == opened

        monkeypatch.setattr(actions, "MODAL_BUDGET", 2.0)  # refused in the form itself
        card = await modal(w, "UANA", "tk.note", ticket.id, await w.card_ts(ticket.id))
        for form in (ana_form, card):
            status, body = await w.submit_view("UBRUNO", form, "Bruno: liguei para o cliente")
            assert status == 200
            assert json.loads(body)["errors"]["input"] == t(
                "slack.note.not_yours", "en", number=ticket.number)
        await w.idle()
        assert not [e for e in await entries(w, ticket.id) if e.kind == EntryKind.INTERNAL]

        await w.submit_view("UANA", ana_form, note)  # hers still add hers, once each
        await w.submit_view("UANA", card, "Ana: cliente confirmou o CST")
        await w.idle()
        assert sorted(e.text for e in await entries(w, ticket.id)
                      if e.kind == EntryKind.INTERNAL) == sorted(
            [note, "Ana: cliente confirmou o CST"])

    run(scenario)
