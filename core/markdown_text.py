"""Markdown (knowledge-base articles) as chat text: paragraphs joined, lists with bullets and
numbers, links as "text (address)", no `**` or `[]()` left for the reader to decode."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable("table")
BULLET = "•"


def _inline(token: Token) -> str:
    """The words of an inline run: emphasis dropped, line wraps joined, links spelled out."""
    out: list[str] = []
    links: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content or str(child.attrs.get("alt") or ""))
        elif child.type == "link_open":
            links.append(str(child.attrs.get("href") or ""))
            out.append("\0")  # where the link's words start
        elif child.type == "link_close" and links:
            href = links.pop()
            start = max(i for i, part in enumerate(out) if part == "\0")
            words = "".join(out[start + 1:])
            del out[start:]
            bare = href.removeprefix("mailto:")
            out.append(words if words in (href, bare) or not href else f"{words} ({bare})")
    return "".join(out)


def plain_text(markdown: str) -> str:
    """The article as chat text (blocks separated by a blank line, list items by a newline)."""
    blocks: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] (0 for bullets)
    row: list[str] = []
    pending = ""  # a list item's marker, waiting for its first paragraph
    quote = 0
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
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind in ("th_open", "td_open"):
            row.append("")
        elif kind == "tr_close":
            blocks.append(" | ".join(cell.strip() for cell in row))
            row = []
        elif kind == "inline" and row:
            row[-1] = _inline(token)
        elif kind == "inline":
            text = _inline(token)
            indent = "  " * max(0, len(lists) - 1)
            if pending:
                text, pending = f"{indent}{pending} {text}", ""
            elif lists:
                text = f"{indent}  {text}"
            blocks.append(("> " * quote) + text)
        elif kind in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif kind == "hr":
            blocks.append("———")
        elif kind == "html_block":
            blocks.append(token.content.strip())
        if kind in ("paragraph_close", "heading_close", "fence", "code_block", "hr",
                    "bullet_list_close", "ordered_list_close", "table_close") and not lists:
            blocks.append("")
    text = "\n".join(blocks)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
