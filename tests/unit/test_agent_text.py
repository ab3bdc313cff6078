"""An agent's trâmite written with Markdown or Slack habits, as each channel shows it (R7)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bots.slack.typed import typed_text
from bots.telegram.render import agent_html
from core.i18n import render_notification
from core.markdown_cut import agent_split
from core.markdown_text import agent_plain, agent_text


@pytest.mark.parametrize(("typed", "html"), [
    ("Use **negrito** aqui", "Use <b>negrito</b> aqui"),
    ("Veja __isto__.", "Veja <b>isto</b>."),
    ("Como no Slack: *negrito* e _itálico_", "Como no Slack: <b>negrito</b> e <i>itálico</i>"),
    ("Rode `nfe --check` agora", "Rode <code>nfe --check</code> agora"),
    ("```\nif a < b && c:\n    pass\n```", "<pre>if a &lt; b &amp;&amp; c:\n    pass</pre>"),
    ("- um\n- dois", "• um\n• dois"),
    ("[o manual](https://ex.com/a_b?x=1&y=2)",
     '<a href="https://ex.com/a_b?x=1&amp;y=2">o manual</a>'),
    ("**[o manual](https://ex.com)**", '<b><a href="https://ex.com">o manual</a></b>'),
])
def test_common_forms_become_telegram_html(typed: str, html: str) -> None:
    assert agent_html(typed) == html


@pytest.mark.parametrize("typed", [
    "2 ** 3 = 8", "**", "** sozinho", "C:\\__temp__\\file", "https://ex.com/a_b_c",
    "https://ex.com/__init__/*x*", "a variável nota_fiscal_id", "joao_da_silva@ex.com",
    "2 * 3 * 4", "__init__.py", "```sem fim", "a < b & c > d", '<https://x.example">x</a>',
])
def test_what_is_not_markdown_reads_as_typed(typed: str) -> None:
    assert agent_plain(typed) == typed
    assert agent_html(typed) == typed.replace("&", "&amp;").replace("<", "&lt;") \
        .replace(">", "&gt;")


def test_a_slack_link_reads_as_its_words_and_address() -> None:
    typed = typed_text("Veja *<https://ex.com/nota_fiscal|a nota>*")
    assert agent_html(typed) == "Veja <b>a nota (https://ex.com/nota_fiscal)</b>"


def test_plain_reading_drops_the_marks_and_spells_links_out() -> None:
    typed = "**Atenção**: rode `x` e veja [o manual](https://ex.com).\n- um\n```\ncode\n```"
    assert agent_plain(typed) == "Atenção: rode x e veja o manual (https://ex.com).\n• um\ncode"


def test_the_e_mail_of_a_tramite_has_no_asterisks() -> None:
    _, text = render_notification("ticket.tramite", {"number": "2026-0001", "author": "Ana",
                                                     "assunto": "Nota", "text": "**Pronto**."})
    assert text.endswith(":\nPronto.")


def test_r19_the_e_mail_of_a_solution_has_no_asterisks() -> None:
    """The solution an agent sends for approval is an agent's text too: the customer's e-mail
    reads its words, not '**Atenção**' or '`nfe --check`'."""
    _, text = render_notification("ticket.approval_requested", {
        "number": "202612/0001", "author": "Ana", "assunto": "Nota",
        "solution": "**Atenção**: rode `nfe --check` e veja [o manual](https://ex.com/m)."})
    assert "Atenção: rode nfe --check" in text
    assert "**" not in text
    assert "`" not in text


def test_r19_a_question_quoting_an_agent_reads_as_mrkdwn_in_a_slack_dm() -> None:
    from bots.slack.sections import reply_blocks
    from core.conversation.replies import Piece, Reply

    reply = Reply(text="Ticket <1>:\nAtenção: rode x", pieces=[
        Piece(text="Ticket <1>:\n"), Piece(text="**Atenção**: rode `x`", typed=True)])
    assert reply_blocks(reply)[0]["text"]["text"] == "Ticket &lt;1&gt;:\n*Atenção*: rode `x`"


_TOKENS = ["nota", "fiscal", "**negrito**", "`nfe --check`", "[o manual](https://ex.com/m)",
           "<!channel>", "a & b", "*x y*", "_itálico_", "\n", "\n- ", "\n  - ", "\n```\n",
           "\n```\nif a < b:\n    pass\n```\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=80), st.integers(min_value=60, max_value=400))
def test_an_agent_s_text_cut_to_fit_splits_no_mark_link_or_block(
        tokens: list[str], limit: int) -> None:
    """Cut again and again to `limit` (a Slack section, a DM notice), every part fits, keeps
    each ``` block closed, and holds whole the links, code and bold of the uncut text; no
    word is lost."""
    from bots.slack.text import MRKDWN

    def render(part: str) -> str:
        return agent_text(part, MRKDWN)

    text = " ".join(tokens)
    parts: list[str] = []
    rest = text
    while rest:
        head, rest = agent_split(rest, render, limit)
        parts.append(render(head))
        assert len(parts[-1]) <= limit
        assert len(parts) <= len(text) + 1
    whole = render(text)  # a ``` left without its closing line reads as typed, in one part
    assert sum(part.count("```") % 2 for part in parts) == whole.count("```") % 2
    for mark in ("<https://ex.com/m|o manual>", "*negrito*", "`nfe --check`", "_itálico_",
                 "*x y*"):
        assert sum(part.count(mark) for part in parts) == whole.count(mark)

    def words(shown: str) -> str:
        return "".join(shown.replace("```", "").split())

    assert words("".join(parts)) == words(whole)
