"""Engine replies as Bot API messages: HTML-escaped text in ≤ 4096-character parts, buttons."""

from __future__ import annotations

import base64
import html
import re
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, Field

from core.conversation.replies import Expect, FilePayload, Piece, Reply
from core.i18n import t
from core.markdown_text import Style, agent_text, render

MAX_TEXT = 4096
"""Telegram's limit for one message, in UTF-16 code units of the text after entity parsing."""
MAX_CALLBACK = 64
SHORT_LABEL = 18
MAX_ROWS = 8
"""Rows of buttons a phone shows under a question without scrolling; a taller list pages."""
PAGE = "pg:"
"""Callback data of a button that turns a page of a question's buttons (no choice id)."""


class Outgoing(BaseModel):
    """One message to send: HTML text with optional buttons, or a document."""

    html: str = ""
    buttons: list[list[tuple[str, str]]] = Field(default_factory=list)
    document: dict[str, str] | None = None
    stored: dict[str, Any] | None = None
    """A trâmite's file in FILES_DIR to send as a document (bots.telegram.notice_files)."""
    ticket_id: int | None = None
    prompt: bool = False

    @property
    def has_keyboard(self) -> bool:
        """Whether the message carries inline buttons."""
        return any(self.buttons)

    def file(self) -> FilePayload | None:
        """The document to upload, if this message is one."""
        if self.document is None:
            return None
        return FilePayload(filename=self.document["filename"], mime=self.document["mime"],
                           content=base64.b64decode(self.document["content"]))

    def markup(self) -> dict[str, Any] | None:
        """The inline keyboard as the Bot API takes it."""
        if not self.has_keyboard:
            return None
        return {"inline_keyboard": [[{"text": label, "callback_data": data} for label, data in row]
                                    for row in self.buttons]}


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (characters outside the BMP count twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut a text into parts Telegram accepts, preferring paragraph, line and word breaks."""
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = _fit(rest, limit)
        window = rest[:cut]
        for sep in ("\n\n", "\n", " "):
            at = window.rfind(sep)
            if at >= cut // 2:
                cut = at + len(sep)
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest.strip() or not parts:
        parts.append(rest)
    return parts


def _fit(text: str, limit: int) -> int:
    """The longest prefix (in characters) within `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def escape(text: str) -> str:
    """Make any text safe inside an HTML-mode message."""
    return html.escape(text, quote=False)


def _link(words: str, href: str) -> str:
    if href.startswith(("http://", "https://")):
        return f'<a href="{html.escape(href)}">{words}</a>'
    bare = href.removeprefix("mailto:")
    return words if words in (href, bare) or not href else f"{words} ({escape(bare)})"


HTML_STYLE = Style(escape=escape, bold=("<b>", "</b>"), italic=("<i>", "</i>"),
                   code=("<code>", "</code>"), pre=("<pre>", "</pre>"), link=_link)
"""Markdown as the HTML subset Telegram shows (bold, italics, code, links)."""
_TAG = re.compile(r"<[^>]+>")


def shown_len(markup: str) -> int:
    """The length Telegram counts for an HTML text: its words, without tags and entities."""
    return utf16_len(html.unescape(_TAG.sub("", markup)))


def agent_html(text: str) -> str:
    """An agent's trâmite (Markdown or Slack habits) as Telegram HTML."""
    return agent_text(text, HTML_STYLE)


def plain_markup(markup: str) -> str:
    """An HTML text's words without its tags, escaped again (what is left of refused HTML)."""
    return escape(html.unescape(_TAG.sub("", markup)))


def pieces_parts(pieces: list[Piece], limit: int = MAX_TEXT) -> list[str] | None:
    """A message's runs as Telegram HTML messages (the catalog's and customers' words escaped,
    an agent's formatted), cut where a trâmite starts (Piece.breaks); one
    trâmite longer than a message is cut between its lines, or, where that would cut a code
    block, sent as plain words. None when there is nothing to send."""
    sections: list[str] = []
    for piece in pieces:
        markup = agent_html(piece.text) if piece.typed else escape(piece.text)
        if piece.breaks or not sections:
            sections.append(markup)
        else:
            sections[-1] += markup
    parts: list[str] = []
    current = ""
    for section in sections:
        if shown_len(current + section) <= limit:
            current += section
            continue
        if current.strip():
            parts.append(current.strip())
        cut = [section] if shown_len(section) <= limit else html_parts(section, limit) or \
            [escape(part) for part in split_text(html.unescape(_TAG.sub("", section)), limit)]
        parts.extend(cut[:-1])
        current = cut[-1]
    if current.strip():
        parts.append(current.strip())
    return parts or None


def rich_parts(markdown: str, limit: int = MAX_TEXT) -> list[str] | None:
    """Markdown as HTML messages cut between lines; None as for html_parts."""
    return html_parts(render(markdown, HTML_STYLE), limit)


def html_parts(markup: str, limit: int = MAX_TEXT) -> list[str] | None:
    """HTML as messages cut between lines (tags never span one); None when a single line or
    a code block is over the limit, or a tag is left open (the plain text is sent instead)."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in markup.split("\n"):
        length = shown_len(line)
        if length > limit:
            return None
        if current and size + 1 + length > limit:
            joined = "\n".join(current)
            if not _balanced(joined):  # a code block longer than a message
                return None
            parts.append(joined.strip())
            current, size = [], 0
        size += length + (1 if current else 0)
        current.append(line)
    if not _balanced("\n".join(current)):
        return None
    parts.append("\n".join(current).strip())
    return [part for part in parts if part] or None


def _balanced(markup: str) -> bool:
    return all(markup.count(f"<{tag}>") + markup.count(f"<{tag} ") == markup.count(f"</{tag}>")
               for tag in ("b", "i", "code", "pre", "a"))


def keyboard(choices: list[tuple[str, str]], lang: str | None = None, page: int = 0
             ) -> list[list[tuple[str, str]]]:
    """One button per row; short labels two by two. A list taller than a phone shows (more
    than MAX_ROWS rows) pairs short neighbours and, if still too tall, is shown a page at a
    time with buttons to turn them (a question's choices only: their ids name it)."""
    for _, data in choices:
        if len(data.encode()) > MAX_CALLBACK:
            raise ValueError(f"callback data over {MAX_CALLBACK} bytes: {data!r}")
    if len(choices) > 3 and all(len(label) <= SHORT_LABEL for label, _ in choices):
        return [choices[i:i + 2] for i in range(0, len(choices), 2)]
    if len(choices) <= MAX_ROWS:
        return [[choice] for choice in choices]
    rows: list[list[tuple[str, str]]] = []
    for choice in choices:
        if rows and len(rows[-1]) == 1 and len(rows[-1][0][0]) <= SHORT_LABEL \
                and len(choice[0]) <= SHORT_LABEL:
            rows[-1].append(choice)
        else:
            rows.append([choice])
    prompts = {data.partition(":")[0] for _, data in choices}
    prompt = prompts.pop() if len(prompts) == 1 else ""
    if len(rows) <= MAX_ROWS or not prompt.isdecimal():
        return rows
    # Even pages (10 rows: 5 + 5, not 7 + 3): turning one keeps the keyboard's height, so the
    # page button stays under the finger that pressed it.
    count = -(-len(rows) // (MAX_ROWS - 1))
    size, longer = divmod(len(rows), count)  # the first `longer` pages take one row more
    starts = [i * size + min(i, longer) for i in range(count + 1)]
    pages = [rows[start:end] for start, end in pairwise(starts)]
    page = min(max(page, 0), len(pages) - 1)
    turn = [(t("telegram.page.previous", lang), f"{PAGE}{prompt}:{page - 1}")] if page else []
    if page < len(pages) - 1:
        turn.append((t("telegram.page.next", lang), f"{PAGE}{prompt}:{page + 1}"))
    return [*pages[page], turn]


def page_of(data: str) -> tuple[str, int] | None:
    """The question and the page a page-turning button names (None for any other data)."""
    if not data.startswith(PAGE):  # every click asks; most are choices
        return None
    found = _PAGE_DATA.fullmatch(data)
    return (found.group(1), int(found.group(2))) if found else None


_PAGE_DATA = re.compile(rf"{PAGE}(\d+):(\d{{1,3}})")


def text_messages(text: str, buttons: list[list[tuple[str, str]]] | None = None,
                  ticket_id: int | None = None) -> list[Outgoing]:
    """A plain text as one or more messages; the buttons go on the last part."""
    parts = split_text(text.strip() or "…")
    out = [Outgoing(html=escape(part), ticket_id=ticket_id) for part in parts]
    if buttons:
        out[-1].buttons = buttons
    return out


def document_message(payload: FilePayload) -> Outgoing:
    """A file the user receives (e.g. the CSV export)."""
    return Outgoing(document={"filename": payload.filename, "mime": payload.mime,
                              "content": base64.b64encode(payload.content).decode()})


def one_message(messages: list[Outgoing], limit: int = MAX_TEXT) -> list[Outgoing]:
    """An answer's consecutive texts as one message, a blank line between them, the buttons
    under it: one notification on the phone. A new message only past Telegram's limit (the
    texts are cut between them, already cut within), after a question's buttons, and around
    a document, which keeps its place. A message keeps the ticket its texts name, if one."""
    if len(messages) == 1:  # the usual answer: nothing to join, the message as it is
        return [messages[0]]
    out: list[Outgoing] = []
    tickets: list[set[int]] = []
    for message in messages:
        last = out[-1] if out else None
        if last is None or message.document is not None or last.document is not None \
                or last.has_keyboard or not message.html \
                or shown_len(last.html) + 2 + shown_len(message.html) > limit:
            out.append(message.model_copy())
            tickets.append(set())
        else:
            last.html = f"{last.html}\n\n{message.html}"
            last.buttons = message.buttons
            last.prompt = last.prompt or message.prompt
        if message.ticket_id is not None:
            tickets[-1].add(message.ticket_id)
    for message, named in zip(out, tickets, strict=True):
        message.ticket_id = next(iter(named)) if len(named) == 1 else None
    return out


def render_replies(replies: list[Reply], lang: str | None = None) -> list[Outgoing]:
    """Every reply of a turn as messages; the last question asked is marked as the prompt."""
    out: list[Outgoing] = []
    prompt_at: int | None = None
    for reply in replies:
        buttons = keyboard([(c.label, c.id) for c in reply.choices], lang) \
            if reply.choices else None
        rich = rich_parts(reply.markdown) if reply.markdown else \
            pieces_parts(reply.pieces) if reply.pieces else None
        if rich:
            out.extend(Outgoing(html=part) for part in rich)
            if buttons:
                out[-1].buttons = buttons
        else:
            out.extend(text_messages(reply.text, buttons))
        if reply.choices or reply.expect != Expect.NONE:
            prompt_at = len(out) - 1
        if reply.file is not None:
            out.append(document_message(reply.file))
    if prompt_at is not None:
        out[prompt_at].prompt = True
    return out
