"""A trâmite's files reach Slack as files, after its text, each once: an agent's answer in the
card's thread reaches the customer's DM, a customer's message the responsible agent's DM and the
card's thread."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fakes.delivery_world import dispatcher
from slack_harness import TRIAGE, Scenario, SlackWorld, as_read

from bots.blobs import MAX_FILE_BYTES, blob_path, store_bytes
from bots.slack import direct
from core.outbox import UNSENT, Channel, DeliveryStatus
from core.services import handling, tramites

PACOTE = b"PK\x03\x04 pacote de correcao 10125" * 40
PRINT = b"\x89PNG tela do erro" * 30


async def answer_with_files(w: SlackWorld, *files: tuple[str, bytes, str]) -> int:
    """Carla's ticket, its card posted; Ana answers in the card's thread with the files (a
    signed event, the files downloaded from Slack): the ticket's id."""
    ticket = await w.open_ticket()
    await w.deliver()
    ts = await w.card_ts(ticket.id)
    shared = [w.fake.add_file(name, content, mime) for name, content, mime in files]
    await w.thread_reply("UANA", ts, "Segue o pacote de correção", subtype="file_share",
                         files=shared)

    async def told() -> bool:
        return any(m.kind == "ticket.tramite" and m.target == "user:UCARLA"
                   for m in await w.outbox())

    await w.until(told)
    await w.idle()
    return int(ticket.id)


async def tramite_row(w: SlackWorld) -> Any:
    """The outbox row that tells Carla's Slack of Ana's answer."""
    [row] = [m for m in await w.outbox()
             if m.kind == "ticket.tramite" and m.target == "user:UCARLA"]
    return row


@contextlib.asynccontextmanager
async def delivering(w: SlackWorld) -> AsyncIterator[None]:
    """The real dispatcher over the world's sender, retrying within a fraction of a second."""
    running = dispatcher(w.desk, {"slack": w.sender})
    await running.start()
    try:
        yield
    finally:
        await running.stop()


async def slack_rows_done(w: SlackWorld) -> bool:
    """Every Slack row delivered or given up."""
    return all(m.status != DeliveryStatus.PENDING for m in await w.outbox()
               if m.channel == Channel.SLACK)


def test_r7_an_agents_files_reach_the_slack_customer_as_files_after_the_text(
        run: Callable[[Scenario], None]) -> None:
    """Ana's answer with a package and a print reaches Carla's DM: the text, then each file
    shared there (its bytes uploaded to Slack), in order; before, only their names."""
    async def scenario(w: SlackWorld) -> None:
        await answer_with_files(w, ("pacote-10125.zip", PACOTE, "application/zip"),
                                ("tela.png", PRINT, "image/png"))
        await w.deliver()
        dm = w.fake.messages("DCARLA")
        text = next(i for i, m in enumerate(dm) if "Segue o pacote" in m.get("text", ""))
        assert [f["name"] for m in dm[text + 1:] for f in m.get("files", [])] == \
            ["pacote-10125.zip", "tela.png"]
        assert [(f["channel"], f["name"], f["content"]) for f in w.fake.shared] == [
            ("DCARLA", "pacote-10125.zip", PACOTE), ("DCARLA", "tela.png", PRINT)]
        assert (await tramite_row(w)).status == DeliveryStatus.SENT

    run(scenario)


def test_a_file_whose_share_was_lost_is_shared_once_when_the_row_is_tried_again(
        run: Callable[[Scenario], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack shared the package, its answer cut, and this attempt tries no more (one try per
    attempt here): the row's next attempt finds the upload among the DM's files by its id, and
    neither posts the text again nor shares the file twice."""
    monkeypatch.setattr(direct, "POST_ATTEMPTS", 1)

    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        await answer_with_files(w, ("pacote-10125.zip", PACOTE, "application/zip"))
        w.fake.cut("files.completeUploadExternal")
        async with delivering(w):
            await w.until(lambda: not w.fake.cuts and slack_rows_done(w))
        texts = [m["text"] for m in w.fake.messages("DCARLA") if "Segue o pacote" in m["text"]]
        assert len(texts) == 1, texts
        assert [(f["channel"], f["name"]) for f in w.fake.shared] == \
            [("DCARLA", "pacote-10125.zip")]
        assert len(w.fake.of("files.getUploadURLExternal")) == 1
        assert [c["channel"] for c in w.fake.of("files.list")] == ["DCARLA"]
        row = await tramite_row(w)
        assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)

    run(scenario)


def test_files_not_shared_when_slack_failed_go_on_the_rows_next_attempt_in_order(
        run: Callable[[Scenario], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack failed on the second file (a 500 asking for its upload URL): the attempt ends
    with the first shared, the second and third kept with the row; the next attempt shares
    those, neither the text nor the first file again."""
    monkeypatch.setattr(direct, "POST_ATTEMPTS", 1)

    async def scenario(w: SlackWorld) -> None:
        await answer_with_files(w, ("pacote-10125.zip", PACOTE, "application/zip"),
                                ("tela.png", PRINT, "image/png"),
                                ("log.txt", b"stack trace", "text/plain"))
        w.fake.fail("files.getUploadURLExternal", status=500,
                    when=lambda args: args.get("filename") == "tela.png")
        await w.deliver()
        row = await tramite_row(w)
        assert row.status == DeliveryStatus.PENDING
        assert [f["filename"] for f in row.params[UNSENT]] == ["tela.png", "log.txt"]
        assert [f["name"] for f in w.fake.shared] == ["pacote-10125.zip"]
        await w.deliver()
        texts = [m["text"] for m in w.fake.messages("DCARLA") if "Segue o pacote" in m["text"]]
        assert len(texts) == 1, texts
        assert [f["name"] for f in w.fake.shared] == ["pacote-10125.zip", "tela.png", "log.txt"]
        assert (await tramite_row(w)).status == DeliveryStatus.SENT

    run(scenario)


def test_a_file_gone_from_files_dir_is_said_in_the_dm_and_the_row_goes_on(
        run: Callable[[Scenario], None]) -> None:
    """The print is no longer in FILES_DIR when the notice goes: Carla's DM says so in her
    language, in its place, and the next file still comes; the row is sent, not stuck."""
    async def scenario(w: SlackWorld) -> None:
        ticket_id = await answer_with_files(w, ("tela.png", PRINT, "image/png"),
                                            ("pacote-10125.zip", PACOTE, "application/zip"))
        number = (await w.ticket(ticket_id)).number
        [gone] = [a for a in await w.read(lambda uow, i: uow.entries.attachments(i), ticket_id)
                  if a.filename == "tela.png"]
        blob_path(w.settings.files_dir, gone.sha256).unlink()
        await w.deliver()
        dm = w.fake.messages("DCARLA")
        text = next(i for i, m in enumerate(dm) if "Segue o pacote" in m.get("text", ""))
        line, shared = dm[text + 1:]
        assert as_read(line["text"]) == (
            f"📎 Não consegui enviar aqui o arquivo “tela.png” do ticket {number}: ele não está "
            "mais guardado. Se precisar dele, peça de novo no ticket.")
        assert [f["name"] for f in shared["files"]] == ["pacote-10125.zip"]
        assert (await tramite_row(w)).status == DeliveryStatus.SENT

    run(scenario)


def test_a_file_whose_bytes_slack_refused_is_said_in_the_dm_and_the_row_goes_on(
        run: Callable[[Scenario], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack's upload URL refused the print's bytes (a 413, not a failure of the moment):
    Carla's DM says Slack did not take it, in its place, and the package still comes; before,
    the row was tried again for 72 hours, the package never sent."""
    monkeypatch.setattr(direct, "POST_ATTEMPTS", 1)

    async def scenario(w: SlackWorld) -> None:
        ticket_id = await answer_with_files(w, ("tela.png", PRINT, "image/png"),
                                            ("pacote-10125.zip", PACOTE, "application/zip"))
        number = (await w.ticket(ticket_id)).number
        w.fake.fail("upload", status=413)
        await w.deliver()
        dm = w.fake.messages("DCARLA")
        text = next(i for i, m in enumerate(dm) if "Segue o pacote" in m.get("text", ""))
        line, shared = dm[text + 1:]
        assert as_read(line["text"]) == (
            f"📎 O Slack não aceitou aqui o arquivo “tela.png” do ticket {number} (http 413). "
            "Se precisar dele, peça no ticket outro jeito de recebê-lo.")
        assert [f["name"] for f in shared["files"]] == ["pacote-10125.zip"]
        assert (await tramite_row(w)).status == DeliveryStatus.SENT

    run(scenario)


def test_a_stored_file_over_the_limit_is_said_in_the_dm_not_uploaded(
        run: Callable[[Scenario], None]) -> None:
    """The package as stored is over the product's 20 MB (the store holds what it was given):
    Carla's DM says it is too big to send there, in her language; nothing is uploaded."""
    async def scenario(w: SlackWorld) -> None:
        ticket_id = await answer_with_files(w, ("pacote-10125.zip", PACOTE, "application/zip"))
        number = (await w.ticket(ticket_id)).number
        [big] = await w.read(lambda uow, i: uow.entries.attachments(i), ticket_id)
        blob_path(w.settings.files_dir, big.sha256).write_bytes(b"0" * (MAX_FILE_BYTES + 1))
        await w.deliver()
        line = w.fake.messages("DCARLA")[-1]["text"]
        assert as_read(line) == (
            f"📎 O arquivo “pacote-10125.zip” do ticket {number} é grande demais para enviar "
            "aqui (o máximo é 20 MB). Se precisar dele, peça no ticket outro jeito de recebê-lo.")
        assert w.fake.shared == []
        assert (await tramite_row(w)).status == DeliveryStatus.SENT

    run(scenario)


def test_a_customers_file_reaches_the_responsible_agents_dm(
        run: Callable[[Scenario], None]) -> None:
    """Carla answers Ana's ticket with a print (here through core, as any chat does): Ana's DM
    tells her and shares the print."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.deliver()
        att = store_bytes(w.settings.files_dir, "erro.png", PRINT)
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Olha o erro", [att])
        await w.deliver()
        dm = w.fake.messages("DANA")
        said = next(i for i, m in enumerate(dm) if "Olha o erro" in m.get("text", ""))
        assert [f["name"] for m in dm[said + 1:] for f in m.get("files", [])] == ["erro.png"]
        assert [(f["channel"], f["content"]) for f in w.fake.shared
                if f["channel"] != TRIAGE] == [("DANA", PRINT)]

    run(scenario)


def test_a_customers_files_reach_the_cards_thread_after_its_line(
        run: Callable[[Scenario], None]) -> None:
    """Carla answers with a print and a log (through core, as any chat does): the card's
    thread gets her line, then each file shared in that thread, for the whole team to open;
    before, only their names."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        card = await w.card_ts(ticket.id)
        files = [store_bytes(w.settings.files_dir, "erro.png", PRINT),
                 store_bytes(w.settings.files_dir, "log.txt", b"stack trace")]
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Olha o erro", files)
        await w.deliver()
        thread = w.fake.thread(TRIAGE, card)
        said = next(i for i, m in enumerate(thread) if "Olha o erro" in m.get("text", ""))
        assert [f["name"] for m in thread[said + 1:] for f in m.get("files", [])] == \
            ["erro.png", "log.txt"]
        assert [(f["channel"], f["thread_ts"], f["content"]) for f in w.fake.shared] == \
            [(TRIAGE, card, PRINT), (TRIAGE, card, b"stack trace")]

    run(scenario)


def test_an_agents_files_typed_in_the_cards_thread_are_not_shared_there_again(
        run: Callable[[Scenario], None]) -> None:
    """Ana's answer with the package, written in the card's thread, is there already: the
    thread gets neither her line nor the package again; Carla's DM gets both."""
    async def scenario(w: SlackWorld) -> None:
        ticket_id = await answer_with_files(w, ("pacote-10125.zip", PACOTE, "application/zip"))
        await w.deliver()
        assert [f["channel"] for f in w.fake.shared] == ["DCARLA"]
        thread = w.fake.thread(TRIAGE, await w.card_ts(ticket_id))
        assert not [m for m in thread if "Segue o pacote" in m.get("text", "")]

    run(scenario)


def test_a_file_the_cards_thread_missed_goes_on_the_next_attempt_the_line_once(
        run: Callable[[Scenario], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack failed on the log (a 500 asking for its upload URL) after the print went: the
    next attempt shares the log in the thread, neither Carla's line nor the print again."""
    monkeypatch.setattr(direct, "POST_ATTEMPTS", 1)

    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        card = await w.card_ts(ticket.id)
        files = [store_bytes(w.settings.files_dir, "erro.png", PRINT),
                 store_bytes(w.settings.files_dir, "log.txt", b"stack trace")]
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Olha o erro", files)
        w.fake.fail("files.getUploadURLExternal", status=500,
                    when=lambda args: args.get("filename") == "log.txt")
        await w.deliver()
        assert [f["name"] for f in w.fake.shared] == ["erro.png"]
        await w.deliver()
        thread = w.fake.thread(TRIAGE, card)
        assert len([m for m in thread if "Olha o erro" in m.get("text", "")]) == 1
        assert [f["name"] for f in w.fake.shared] == ["erro.png", "log.txt"]
        assert {f["thread_ts"] for f in w.fake.shared} == {card}

    run(scenario)


def test_a_file_slack_refuses_is_said_in_the_dm_and_the_next_one_still_goes(
        run: Callable[[Scenario], None]) -> None:
    """The workspace refuses the package (Slack answers file_uploads_disabled sharing it): the
    row did not fail there, the print after it never sent; Carla's DM now says Slack did not
    take the package, in her language, and gets the print; the row is sent."""
    async def scenario(w: SlackWorld) -> None:
        ticket_id = await answer_with_files(w, ("pacote-10125.zip", PACOTE, "application/zip"),
                                            ("tela.png", PRINT, "image/png"))
        number = (await w.ticket(ticket_id)).number
        w.fake.fail("files.completeUploadExternal",
                    body={"ok": False, "error": "file_uploads_disabled"})
        await w.deliver()
        dm = w.fake.messages("DCARLA")
        text = next(i for i, m in enumerate(dm) if "Segue o pacote" in m.get("text", ""))
        line, shared = dm[text + 1:]
        assert as_read(line["text"]) == (
            f"📎 O Slack não aceitou aqui o arquivo “pacote-10125.zip” do ticket {number} "
            "(file_uploads_disabled). Se precisar dele, peça no ticket outro jeito de recebê-lo.")
        assert [f["name"] for f in shared["files"]] == ["tela.png"]
        assert (await tramite_row(w)).status == DeliveryStatus.SENT

    run(scenario)


def test_the_files_a_ticket_was_opened_with_are_shared_in_its_cards_thread(
        run: Callable[[Scenario], None]) -> None:
    """Carla opens a ticket with a print and the NF-e's XML: the card names them (📎) and its
    thread now shares them, in order, for the team to open; before, the names alone. A
    trâmite's files added later are not taken for them."""
    async def scenario(w: SlackWorld) -> None:
        files = [store_bytes(w.settings.files_dir, "rejeicao-225.png", PRINT),
                 store_bytes(w.settings.files_dir, "nfe-10125.xml", b"<nfeProc/>")]
        ticket = await w.open_ticket(attachments=files)
        await w.deliver()
        card = await w.card_ts(ticket.id)
        assert [(f["channel"], f.get("thread_ts"), f["name"], f["content"])
                for f in w.fake.shared] == [(TRIAGE, card, "rejeicao-225.png", PRINT),
                                            (TRIAGE, card, "nfe-10125.xml", b"<nfeProc/>")]
        plain = await w.open_ticket(assunto="Outro erro")
        log = store_bytes(w.settings.files_dir, "log.txt", b"stack trace")
        await w.core(tramites.add_tramite, w.ids["carla"], plain.id, "O log", [log])
        await w.deliver()
        assert [f["name"] for f in w.fake.shared] == ["rejeicao-225.png", "nfe-10125.xml",
                                                      "log.txt"]

    run(scenario)


@pytest.mark.parametrize(("method", "print_call"), [
    ("files.getUploadURLExternal", lambda args: args.get("filename") == "tela.png"),
    ("files.completeUploadExternal", lambda args: "FUP2" in str(args.get("files"))),
], ids=["its_upload_url_late", "its_share_late"])
def test_r7_a_send_stopped_at_its_deadline_between_two_files_shares_none_twice(
        run: Callable[[Scenario], None], method: str,
        print_call: Callable[[dict[str, Any]], bool]) -> None:
    """Ana's answer to Carla's DM, its text posted and the package shared, then Slack slow on
    the print (its upload URL, or its share, which Slack then does): the dispatcher cut the
    send at its deadline (the upload timeout and its margin), and the Slack sender, which
    ignored that deadline, had said nothing of what went. The next attempt found the text by
    its metadata but shared the package again, and the print again when its share had gone:
    Carla read them twice. The sender now stops at the deadline itself and keeps with the row
    the files not shared (the print, with the upload it asked for): the next attempt shares
    the print once, nothing else."""
    async def scenario(w: SlackWorld) -> None:
        w.now = datetime.now(UTC)
        await answer_with_files(w, ("pacote-10125.zip", PACOTE, "application/zip"),
                                ("tela.png", PRINT, "image/png"))
        slow = w.fake.hold(method, when=print_call)
        running = dispatcher(w.desk, {"slack": w.sender}, upload_timeout=3.0)
        await running.start()
        try:
            async def cut() -> bool:  # the first attempt over, its outcome recorded
                row = await tramite_row(w)
                return row.last_error is not None

            # The package shared by then (unless the machine took 3 s for it: no proof then,
            # and no failure: what the attempt shared is kept with the row all the same).
            await w.until(cut)
            slow.set()  # Slack answers the call the attempt no longer waits for
            await w.until(lambda: slack_rows_done(w))
        finally:
            await running.stop()
        texts = [m["text"] for m in w.fake.messages("DCARLA") if "Segue o pacote" in m["text"]]
        assert len(texts) == 1, texts
        assert [f["name"] for f in w.fake.shared] == ["pacote-10125.zip", "tela.png"]
        row = await tramite_row(w)
        assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)

    run(scenario)
