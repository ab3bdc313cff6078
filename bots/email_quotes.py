"""The new words of an e-mail reply: the quoted history and the signature cut, HTML read as
text. Mail clients quote in their own ways; those of the usual ones are known here."""

from __future__ import annotations

import re
from html.parser import HTMLParser

QUOTED = re.compile(r"^\s*>")
ATTRIBUTION = re.compile(
    r"^\s*(Em|On|Le|El|Am)\s.{0,400}\s(escreveu|wrote|a écrit|escribió|schrieb)\s*:\s*$",
    re.IGNORECASE | re.DOTALL)
"""Gmail's and Apple Mail's 'Em seg., 7 de dez. de 2026 às 09:00, Suporte <…> escreveu:'."""
ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(Original Message|Mensagem original|Mensagem encaminhada|Forwarded message)"
    r"\s*-{2,}\s*$", re.IGNORECASE)
RULE = re.compile(r"^\s*_{20,}\s*$")
"""Outlook's line above the quoted message's headers."""
HEADER = re.compile(r"^\s*\**(De|From|Enviado|Enviada|Sent|Date|Data|Para|To|Assunto|Subject)"
                    r"\**\s*:", re.IGNORECASE)
SIGNATURE = re.compile(r"^--\s?$")
"""'-- ' alone on a line starts a signature (RFC 3676); some clients drop its space."""


def _outlook_headers(lines: list[str], at: int) -> bool:
    """Whether a 'De:'/'From:' line starts a quoted message's header block (2 more of them
    in the next 4 lines)."""
    if not re.match(r"^\s*\**(De|From)\**\s*:", lines[at], re.IGNORECASE):
        return False
    return sum(1 for line in lines[at + 1:at + 5] if HEADER.match(line)) >= 2


def new_text(text: str) -> str:
    """The reply's own words: every line from the first quote marker on is dropped (the
    attribution line, an original-message banner, Outlook's header block, the signature),
    and '>' lines anywhere."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        two = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line
        if SIGNATURE.match(line) or ORIGINAL.match(line) or RULE.match(line) \
                or ATTRIBUTION.match(line) or _outlook_headers(lines, i):
            break
        if ATTRIBUTION.match(two) and not ATTRIBUTION.match(lines[i + 1]):
            break  # the attribution wrapped over two lines
        if not QUOTED.match(line):
            kept.append(line.rstrip())
    return "\n".join(kept).strip()


class _Text(HTMLParser):
    """The text of an HTML body: blocks as lines, quotes (blockquote, Gmail's and Outlook's
    quoted divs) and what is never shown (head, style, script) left out."""

    SKIP = frozenset({"head", "style", "script", "title", "blockquote"})
    BREAK = frozenset({"br", "p", "div", "tr", "h1", "h2", "h3", "h4", "table", "ul", "ol"})
    QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix")
    QUOTE_IDS = ("divRplyFwdMsg", "appendonsend")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # open tags, whether each hides its content
        self.done = False
        self.links: list[tuple[str, int]] = []  # open links: their address, where their text starts

    def hidden(self) -> bool:
        return any(hides for _, hides in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = values.get("class") or ""
        if values.get("id") in self.QUOTE_IDS or any(c in classes for c in self.QUOTE_CLASSES):
            self.done = True  # everything after the quoted message's start is history
        if tag in self.BREAK:
            self.parts.append("\n")
        elif tag == "li" and not self.done and not self.hidden():
            self.parts.append("\n- ")
        elif tag == "a":
            self.links.append((values.get("href") or "", len(self.parts)))
        if tag not in ("br", "img", "hr", "meta", "link", "input"):
            self.stack.append((tag, tag in self.SKIP))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in self.BREAK:
            self.parts.append("\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.parts[start:])
            if href.startswith(("https://", "http://")) and href not in shown \
                    and shown.strip() and not self.done and not self.hidden():
                self.parts.append(f" ({href})")  # the address the words pointed to

    def handle_data(self, data: str) -> None:
        if not self.done and not self.hidden():
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_text(html: str) -> str:
    """The visible text of an HTML body, up to its quoted history."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
