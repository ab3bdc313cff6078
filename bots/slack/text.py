"""Text for Slack: text objects, mrkdwn escaping, words shown as typed or as an agent
formatted them, cut to a length."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bots.slack.limits import SECTION_MAX
from core.conversation.fmt import short_names
from core.i18n import t
from core.markdown_cut import agent_split
from core.markdown_text import BULLET, Style, agent_blocks, agent_text

Block = dict[str, Any]


def esc(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


ZW = "\u200b"
"""A zero-width space, put on both sides of a mark: whether Slack reads it as a space, a
letter or punctuation, a mark between two of them opens and closes nothing."""


MARKS = frozenset("*_~`")
QUOTE_START = re.compile(r"^(?=&gt;)", re.MULTILINE)


def verbatim(text: str) -> str:
    """Words someone typed (a customer's, the catalog's), shown as typed in mrkdwn: escaped,
    a zero-width space on both sides of each *, _, ~ and ` that could format ("*a*" would be
    bold: Slack has no backslash escape), and before a > that starts a line. A mark inside a
    word (ERR_NFE_1, 2*3) or between spaces formats nothing and is left alone, so what is
    copied is what was typed."""
    out: list[str] = []
    for i, char in enumerate(text):
        before, after = text[i - 1:i] or " ", text[i + 1:i + 2] or " "
        if char not in MARKS or (before.isalnum() and after.isalnum()) \
                or (before.isspace() and after.isspace()):
            out.append(char)
            continue
        out += [ZW, char, ZW] if out[-1:] != [ZW] else [char, ZW]
    return QUOTE_START.sub(ZW, esc("".join(out)))


def plain(text: str, limit: int = 75) -> Block:
    """A plain_text object cut to Slack's limit."""
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn(text: str) -> Block:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": clip(text, 3000)}


def clip(text: str, limit: int) -> str:
    """text cut to `limit` characters, its last one "…" when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link(words: str, href: str) -> str:
    if href.startswith(("http://", "https://", "mailto:")) and not set(href) & set("|<> "):
        return f"<{esc(href)}|{words}>"
    return words if words == esc(href) or not href else f"{words} ({esc(href)})"


MRKDWN = Style(escape=esc, bold=("*", "*"), italic=("_", "_"), code=("`", "`"),
               pre=("```\n", "\n```"), link=_link)
"""Markdown as Slack's mrkdwn (bold, italics, code, links)."""


MAX_TEXT = 3900
"""The most a message's text takes here (Slack advises 4 000 and cuts longer ones)."""
SPOT = "\ue000"
"""Where the words someone typed go in a catalog's text, before they are shown."""


def fit_words(text: str, words: str, show: Callable[[str], str], more: str,
              limit: int = MAX_TEXT) -> str:
    """`text` with `words` shown (by `show`) at SPOT; past `limit` the words are cut where no
    ``` block, *bold* or link is split and `more` says where they go on, the catalog's words
    after them (a files' line, what to answer) kept. Only a text still too long is cut bare."""
    shown = show(words)
    if len(text) - len(SPOT) + len(shown) > limit:
        tail = "\n…" + (f"\n{more}" if more else "")
        room = max(limit - len(text) + len(SPOT) - len(tail), SECTION_MAX // 10)
        head, _ = agent_split(words, show, room)
        shown = show(head) + tail
    return cut(text.replace(SPOT, shown, 1), limit)


def formatted(typed: str) -> str:
    """Words an agent typed, as Slack shows them (R7)."""
    return agent_text(typed, MRKDWN)


def more_line(key: str, params: dict[str, Any], language: str) -> str:
    """Where a cut notice's words go on: the ticket's whole history, in a chat with the bot."""
    number = params.get("number")
    if not number:
        return ""
    return t(key, language, number=esc(str(number)),
             choice=t("conv.ticket.whole_thread", language))


def cut(text: str, limit: int = MAX_TEXT) -> str:
    """A text at most `limit` long: past it, cut at a line's or word's end (never inside an
    "&amp;"), with "…"."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    end = max(head.rfind("\n"), head.rfind(" "))
    if end > limit // 2:
        head = head[:end]
    elif "&" in head[-6:]:
        head = head[:head.rfind("&")]
    return head + "…"


def quoted(typed: str) -> str:
    """Words an agent typed as a Slack quote, their marks as Slack shows them (R7): each line
    quoted, a ``` block left out of the quote to show as a block; <!channel> escaped."""
    out = []
    for kind, indent, words in agent_blocks(typed, MRKDWN):
        if kind == "pre":
            out.append(MRKDWN.pre[0] + words + MRKDWN.pre[1])
        else:
            out.append("> " + (f"{indent}{BULLET} {words}" if kind == "item" else words))
    return "\n".join(out)


FILES_SHOWN = 2000
"""The most a line of files' names takes in a Slack text (a section holds 3 000)."""


def file_list(names: list[Any], lang: str | None, limit: int = FILES_SHOWN) -> str:
    """Files' names for a Slack line: each long one cut as the chats' lists cut it (R4), as
    typed; those past `limit` counted, not named."""
    shown = [verbatim(name) for name in short_names([str(n) for n in names])]
    line = ", ".join(shown)
    if len(line) <= limit:
        return line
    kept: list[str] = []
    room = limit - len(t("slack.files.more", lang, count=len(shown)))
    while len(", ".join([*kept, shown[len(kept)]])) + 2 <= room:
        kept.append(shown[len(kept)])
    return ", ".join([*kept, t("slack.files.more", lang, count=len(shown) - len(kept))])

