"""R4 in Slack: files' long names cut as the lists cut them (the extension kept) in the
agents' card and its thread and in the customer's page of the ticket; stored whole."""

from __future__ import annotations

import json
from collections.abc import Callable

from slack_harness import TRIAGE, Scenario, SlackWorld

from bots.delivery.results import Sent
from bots.slack.limits import SECTION_MAX
from bots.slack.text import FILES_SHOWN, file_list
from core.i18n import t
from core.models import Attachment
from core.services import tramites

STEM = "Relatorio_de_rejeicao_da_NF-e_10125_emitida_no_caixa_3_" * 5


def _named(n: int) -> str:
    """A name of 255 characters ending with its number and .xml."""
    end = f"_parte{n:02d}.xml"
    return STEM[: 255 - len(end)] + end


def test_r4_long_file_names_are_cut_on_the_card_its_thread_and_the_customers_page(
        run: Callable[[Scenario], None]) -> None:
    """Carla sent 24 XML files with 255-character names in two trâmites: the thread's lines
    named each whole (3 000 characters of names), the card's 📎 line was cut bare at Slack's
    3 000 characters after 11 of them, and her page of the ticket said them whole. Now each is
    cut with its end and extension kept, all 24 on the card."""
    names = [_named(n) for n in range(1, 25)]
    files = [Attachment(filename=name, sha256=f"{n:064d}", size=6)
             for n, name in enumerate(names)]

    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        for part in (files[:12], files[12:]):
            await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Seguem os XML",
                         part)
        results = await w.deliver()
        assert all(isinstance(r, Sent) for r in results), results
        stored = await w.read(lambda uow, i: uow.entries.attachments(i), ticket.id)
        assert [a.filename for a in stored] == names

        card = w.fake.find(TRIAGE, ts)
        assert card is not None
        [anexos] = [blk["elements"][0]["text"] for blk in card["blocks"]
                    if blk["type"] == "context" and "📎" in blk["elements"][0]["text"]]
        assert len(anexos) <= SECTION_MAX
        assert "parte24.xml" in anexos
        lines = [m["text"] for m in w.fake.thread(TRIAGE, ts) if "Seguem os XML" in m["text"]]
        assert len(lines) == 2
        assert "parte12.xml" in lines[0]
        assert "parte24.xml" in lines[1]
        await w.dm("UCARLA", f"ticket {ticket.number}")
        page = await w.until(lambda: next((m for m in w.fake.messages("DCARLA")
                                           if f"Ticket {ticket.number}" in m["text"]), None))
        assert "parte24.xml" in json.dumps(page, ensure_ascii=False)
        for shown in (json.dumps(card, ensure_ascii=False), *lines,
                      json.dumps(page, ensure_ascii=False)):
            assert not any(name in shown for name in names)

    run(scenario)


def test_r4_names_too_many_for_a_slack_line_are_counted_not_named() -> None:
    """Names that differ only in their middle are cut around where they differ (they were
    shown whole: 9 of 20 filled the line); past FILES_SHOWN characters the rest are counted,
    in the reader's language."""
    names = [f"{'a' * 100}{n:02d}{'b' * 100}.xml" for n in range(60)]
    for lang in ("pt_BR", "en"):
        line = file_list(names, lang)
        assert len(line) <= FILES_SHOWN
        assert names[0] not in line
        assert "aaaaaa00bbbbb" in line
        shown = line.count(".xml")
        assert shown > 40
        assert line.endswith(", " + t("slack.files.more", lang, count=60 - shown))
    assert file_list(["tela.png", "*nota*.xml"], "pt_BR") == \
        "tela.png, \u200b*\u200bnota\u200b*\u200b.xml"  # as typed
