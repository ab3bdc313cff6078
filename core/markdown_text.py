"""Markdown (knowledge-base articles) as chat text: paragraphs joined, lists with bullets and
numbers, links spelled out. `plain_text` leaves no `**` or `[]()` for the reader to decode;
a channel that shows bold, italics and links passes its own Style to `render`."""

from __future__ import annotations

import re
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
    url: Callable[[str], str] | None = None
    """A bare web address in an agent's text (None: escaped as it is, the reader links it)."""


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


# An agent's text (a trâmite typed in Slack or the terminal) is not an article: only the marks
# people mean are read, and never inside a word, a path or an address (snake_case, C:\__x__).
# Slack's <https://…|words> was already written out as "words (https://…)" when it came in.
_OPEN = r"(?<![^\s(\[{\"'“])"
_CLOSE = r"(?![^\s.,;:!?)\]}\"'”])(?![.,;:!?]\w)"  # "__init__.py" is a file name
_AGENT_INLINE = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|\[(?P<words>[^\[\]\n]+)\]\((?P<href>(?:https?://|mailto:)[^\s()]+)\)"
    r"|(?P<url>(?:https?://|www\.)[^\s<>]+)"
    rf"|{_OPEN}(?P<strong>\*\*|__)(?=\S)(?P<bold>.+?)(?<=\S)(?P=strong){_CLOSE}"
    rf"|{_OPEN}(?P<one>[*_])(?=[^\s*_])(?P<single>.+?)(?<=[^\s*_])(?P=one){_CLOSE}")
_ITEM = re.compile(r"^(\s*)[-*+] (?=\S)")


def _agent_inline(text: str, style: Style) -> str:
    """One line's marks in the style; a single *x* is bold as Slack shows it, _x_ italic."""
    out: list[str] = []
    last = 0
    for match in _AGENT_INLINE.finditer(text):
        out.append(style.escape(text[last:match.start()]))
        last = match.end()
        found = match.groupdict()
        if found["code"] is not None:
            out.append(style.code[0] + style.escape(found["code"]) + style.code[1])
        elif found["href"] is not None:
            out.append(style.link(style.escape(found["words"]), found["href"]))
        elif found["url"] is not None:
            out.append(style.url(found["url"]) if style.url else style.escape(found["url"]))
        else:
            inner = found["bold"] if found["bold"] is not None else found["single"]
            kind = style.italic if found["one"] == "_" else style.bold
            out.append(kind[0] + _agent_inline(inner, style) + kind[1])
    out.append(style.escape(text[last:]))
    return "".join(out)


def _fence_end(lines: list[str], index: int) -> int | None:
    """Where the ``` block opened at lines[index] closes (None: no block opens there)."""
    if not lines[index].startswith("```"):
        return None
    return next((j for j in range(index + 1, len(lines)) if lines[j].strip() == "```"), None)


def agent_blocks(text: str, style: Style = PLAIN) -> list[tuple[str, str, str]]:
    """An agent's text line by line as (kind, indent, words in the style): "pre" for a ```
    block (its lines escaped), "item" for a "- " line, "line" for any other (blank ones too)."""
    out: list[tuple[str, str, str]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        end = _fence_end(lines, index)
        if end is not None:
            out.append(("pre", "", style.escape("\n".join(lines[index + 1:end]))))
            index = end + 1
            continue
        item = _ITEM.match(line)
        if item:
            out.append(("item", item.group(1), _agent_inline(line[item.end():], style)))
        else:
            out.append(("line", "", _agent_inline(line, style)))
        index += 1
    return out


def agent_text(text: str, style: Style = PLAIN) -> str:
    """An agent's text in the style: line breaks kept, ``` blocks, "- " items as bullets."""
    out: list[str] = []
    for kind, indent, words in agent_blocks(text, style):
        if kind == "pre":
            out.append(style.pre[0] + words + style.pre[1])
        else:
            out.append(f"{indent}{BULLET} {words}" if kind == "item" else words)
    return "\n".join(out)


def agent_plain(text: str) -> str:
    """An agent's text for e-mail and terminals: no `**`, backticks or `[]()` left over."""
    return agent_text(text, PLAIN)


def agent_units(text: str) -> list[str]:
    """An agent's text as its readers' lines: a ``` block (fences included) or one line."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        end = _fence_end(lines, index)
        out.append("\n".join(lines[index:(end if end is not None else index) + 1]))
        index = (end if end is not None else index) + 1
    return out


def agent_cuts(line: str) -> list[int]:
    """Where a line may be cut: its spaces outside every code, link and bold or italic run."""
    spans = [match.span() for match in _AGENT_INLINE.finditer(line)]
    cuts: list[int] = []
    at = 0
    for index, char in enumerate(line):
        while at < len(spans) and spans[at][1] <= index:
            at += 1
        if char == " " and not (at < len(spans) and spans[at][0] <= index):
            cuts.append(index)
    return cuts
