"""A customer's own words read in Slack as typed: their *, _, ~, ``` and > format nothing
(only & < > were escaped, so '*urgente*' showed bold), <!channel> pings nobody; an agent's
words keep their formatting."""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_harness import TRIAGE, Scenario, SlackWorld, as_read, card_fields, slack_escape

from bots.slack.text import esc, formatted, verbatim
from core.services import tramites

TYPED = "*urgente* _hoje_ ~sem~ `nfe` (*nota*)\n```\nlog\n```\n> citação <!channel> <@UANA>"
"""What a customer may type: every mark Slack's mrkdwn formats, and a mention."""
PLAIN = ["ERR_NFE_1", "nota_fiscal_10125.xml", "2*3", "2 * 3 = 6", "a ~ b"]
"""Marks that format nothing: left as typed, so what is copied is what was typed."""
OPEN = r"(?:^|(?<=[\s(\[{\"'“]))"
INSIDE = r"(?=[^\s\u200b])[^\n]*?(?<=[^\s\u200b])"
CLOSE = r"(?=$|[\s.,;:!?)\]}\"'”])"
FORMATTED = re.compile(r"(?m)" + OPEN + r"([*_~`])" + INSIDE + r"\1" + CLOSE + r"|```|^&gt;")


def formats(mrkdwn: str) -> list[str]:
    """What Slack's mrkdwn formats in a text, as its rule goes: a mark with a start, a space or
    an opening punctuation outside and a visible character inside (a zero-width space is not
    one), closed alike on the same line; ``` anywhere; &gt; starting a line (a quote)."""
    return [match.group(0) for match in FORMATTED.finditer(mrkdwn)]


def test_a_customer_s_marks_format_nothing_and_read_as_typed() -> None:
    """Each mark Slack would format gets a zero-width space on both sides; a mark inside a word
    or between spaces is left alone; an agent's words still format."""
    shown = verbatim(TYPED)
    assert formats(shown) == []
    assert as_read(shown) == slack_escape(TYPED)
    assert "<!channel>" not in shown
    assert "<@UANA>" not in shown
    for typed in PLAIN:
        assert verbatim(typed) == slack_escape(typed)
    assert formats(formatted("**Atenção**: rode `nfe --check`")) == ["*Atenção*", "`nfe --check`"]
    assert formats(esc(TYPED))  # what escaping alone left formatted


def test_r7_a_customer_s_words_in_the_card_the_thread_and_the_page_read_as_typed(
        run: Callable[[Scenario], None]) -> None:
    """The card's descrição, the trâmite's line in the card's thread and the ticket's page in
    the customer's DM show her marks as typed, never formatted, and ping nobody."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(descricao=TYPED, assunto="Nota *10125* rejeitada")
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        card = w.fake.find(TRIAGE, ts)
        assert card is not None
        descricao = next(blk["text"]["text"] for blk in card["blocks"]
                         if blk["type"] == "section" and "text" in blk)
        assert formats(descricao.removeprefix("*Descrição*")) == []
        assert slack_escape(TYPED) in as_read(descricao)
        assert formats(card["text"]) == []
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, TYPED)
        await w.deliver()
        [line] = [m["text"] for m in w.fake.thread(TRIAGE, ts) if "urgente" in m["text"]]
        said = line.split("\n", 1)[1]
        assert formats(said) == []
        assert as_read(said) == slack_escape(TYPED)
        await w.dm("UCARLA", f"ticket {ticket.number}")
        page = await w.until(lambda: next((m for m in w.fake.messages("DCARLA")
                                           if f"Ticket {ticket.number}" in m["text"]), None))
        text = "\n".join(blk["text"]["text"] for blk in page["blocks"]
                         if blk["type"] == "section")
        assert formats(text) == []
        assert slack_escape(TYPED) in as_read(text)
        assert "<!channel>" not in card_fields(page) + line + descricao
        assert "<@UANA>" not in card_fields(page) + line + descricao

    run(scenario)


def test_a_choice_pressed_redraws_the_question_as_it_read(
        run: Callable[[Scenario], None]) -> None:
    """A choice pressed redraws its message as the question and the choice. The question is
    the message's text as Slack holds it, already escaped: escaped again, 'Nota <10125> &'
    read 'Nota &lt;10125&gt; &amp;'. It reads as before, the customer's marks still plain."""
    async def scenario(w: SlackWorld) -> None:
        dm = "DCARLA"
        ticket = await w.open_ticket(assunto="Nota <10125> & *rejeição*")
        await w.dm("UCARLA", f"ticket {ticket.number}")
        page = await w.until(lambda: next((m for m in w.fake.messages(dm)
                                           if f"Ticket {ticket.number}" in m["text"]), None))
        choice = next(el for blk in page["blocks"] if blk["type"] == "actions"
                      for el in blk["elements"])
        await w.click("UCARLA", choice["action_id"], choice["value"], channel=dm,
                      message_ts=page["ts"], message_text=page["text"])
        [update] = await w.until(lambda: w.fake.of("chat.update"))
        shown = "\n".join(blk["text"]["text"] for blk in update["blocks"])
        assert "Nota &lt;10125&gt; &amp; *rejeição*" in as_read(shown)
        assert formats(shown) == [shown.rsplit("→ ", 1)[1]]  # only the choice, bold

    run(scenario)


def test_a_choice_pressed_keeps_the_whole_question_as_shown(
        run: Callable[[Scenario], None]) -> None:
    """A choice pressed on a long question (a ticket's page past 3 900 characters, an agent's
    formatted words) redraws it as it was shown: its blocks as posted, the buttons replaced by
    the choice, marked. It kept the first 3 900 characters of its text, plain."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket(descricao="A nota *10125* & o XML não batem. " * 30)
        said = [f"Passo {i}: rode **nfe --check {i}** & confira a nota." + " Ok." * 150
                for i in range(5)]
        for words in said:
            await w.core(tramites.add_tramite, w.ids["ana"], ticket.id, words)
        await w.dm("UCARLA", f"ticket {ticket.number}")
        page = await w.until(lambda: next((m for m in w.fake.messages("DCARLA")
                                           if f"Ticket {ticket.number}" in m["text"]), None))
        asked = [blk for blk in page["blocks"] if blk["type"] != "actions"]
        assert len(card_fields({"blocks": asked})) > 3900
        choice = next(el for blk in page["blocks"] if blk["type"] == "actions"
                      for el in blk["elements"])
        await w.click("UCARLA", choice["action_id"], choice["value"], channel="DCARLA",
                      message_ts=page["ts"], message_text=page["text"])
        [update] = await w.until(lambda: w.fake.of("chat.update"))
        assert update["blocks"][:-1] == asked
        assert update["blocks"][-1]["text"]["text"] == f"→ *{verbatim(choice['text']['text'])}*"
        shown = card_fields(w.fake.find("DCARLA", page["ts"]))
        assert "Passo 4: rode *nfe --check 4* &amp; confira" in shown
        assert verbatim("A nota *10125* & o XML") in shown

    run(scenario)
