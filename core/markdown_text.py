"""Markdown (knowledge-base articles) as chat text: paragraphs joined, lists with bullets and
numbers, links spelled out. `plain_text` leaves no `**` or `[]()` for the reader to decode;
a channel that shows bold, italics and links passes its own Style to `render`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable("table")
BULLET = "•"


def _spelled_out(words: str, href: str) -> str:
    bare = href.removeprefix("mailto:")
    return words if words in (href, bare) or not href else f"{words} ({bare})"


@dataclass(frozen=True)
class Style:
    """How a channel writes text, emphasis, code and links (plain text by default)."""

    escape: Callable[[str], str] = str
    bold: tuple[str, str] = ("", "")
    italic: tuple[str, str] = ("", "")
    code: tuple[str, str] = ("", "")
    pre: tuple[str, str] = ("", "")
    link: Callable[[str, str], str] = _spelled_out


PLAIN = Style()

_MARKS = {"strong_open": ("bold", 0), "strong_close": ("bold", 1),
          "em_open": ("italic", 0), "em_close": ("italic", 1)}


def _inline(token: Token, style: Style) -> str:
    """The words of an inline run in the style: line wraps joined, links written out."""
    out: list[str] = []
    links: list[tuple[int, str]] = []  # where each open link's words start, and its address
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "html_inline"):
            out.append(style.escape(child.content))
        elif kind == "code_inline":
            out.append(style.code[0] + style.escape(child.content) + style.code[1])
        elif kind in _MARKS:
            name, side = _MARKS[kind]
            out.append(getattr(style, name)[side])
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "image":
            out.append(style.escape(child.content or str(child.attrs.get("alt") or "")))
        elif kind == "link_open":
            links.append((len(out), str(child.attrs.get("href") or "")))
        elif kind == "link_close" and links:
            start, href = links.pop()
            words = "".join(out[start:])
            del out[start:]
            out.append(style.link(words, href))
    return "".join(out)


def render(markdown: str, style: Style = PLAIN) -> str:
    """The article as chat text (blocks separated by a blank line, list items by a newline)."""
    blocks: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] (0 for bullets)
    row: list[str] = []
    pending = ""  # a list item's marker, waiting for its first paragraph
    quote = 0
    heading = False
    for token in _PARSER.parse(markdown):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append([0])
        elif kind == "ordered_list_open":
            lists.append([int(str(token.attrs.get("start") or 1))])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            counter = lists[-1]
            pending = f"{counter[0]}." if counter[0] else BULLET
            counter[0] += 1 if counter[0] else 0
        elif kind in ("blockquote_open", "blockquote_close"):
            quote += 1 if kind == "blockquote_open" else -1
        elif kind in ("heading_open", "heading_close"):
            heading = kind == "heading_open"
        elif kind in ("th_open", "td_open"):
            row.append("")
        elif kind == "tr_close":
            blocks.append(" | ".join(cell.strip() for cell in row))
            row = []
        elif kind == "inline" and row:
            row[-1] = _inline(token, style)
        elif kind == "inline":
            text = _inline(token, style)
            if heading:
                text = style.bold[0] + text + style.bold[1]
            indent = "  " * max(0, len(lists) - 1)
            if pending:
                text, pending = f"{indent}{pending} {text}", ""
            elif lists:
                text = f"{indent}  {text}"
            blocks.append(style.escape("> ") * quote + text)
        elif kind in ("fence", "code_block"):
            code = style.escape(token.content.rstrip("\n"))
            blocks.append(style.pre[0] + code + style.pre[1])
        elif kind == "hr":
            blocks.append("———")
        elif kind == "html_block":
            blocks.append(style.escape(token.content.strip()))
        if kind in ("paragraph_close", "heading_close", "fence", "code_block", "hr",
                    "bullet_list_close", "ordered_list_close", "table_close") and not lists:
            blocks.append("")
    text = "\n".join(blocks)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def plain_text(markdown: str) -> str:
    """The article as plain chat text: no `**` or `[]()` left over."""
    return render(markdown, PLAIN)


_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]()#+-.!<>|{}~"})


def escape_markdown(text: str) -> str:
    """A plain text (a title) safe inside Markdown: its punctuation read as itself."""
    return text.translate(_SPECIAL)
