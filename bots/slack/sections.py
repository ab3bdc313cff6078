"""Long text as mrkdwn sections within Slack's limits: an answer, an article, a reply's runs,
an agent's quoted words."""

from __future__ import annotations

from bots.slack.limits import BLOCKS_TEXT, MAX_BLOCKS, SECTION_MAX, messages, text_size
from bots.slack.text import MRKDWN, Block, cut, formatted, mrkdwn, plain, quoted, verbatim
from core.conversation.replies import Piece, Reply
from core.markdown_cut import agent_split
from core.markdown_text import render

CHOICE = "cv.choice"
"""A reply's choice buttons: action_id cv.choice.<i>, value the choice's id."""
MAX_SECTIONS = 40
"""Slack allows 50 blocks a message; the rest are left for buttons."""


def sections(text: str) -> list[Block]:
    """Text as mrkdwn sections of at most 3 000 characters each, cut at line or word ends, so
    a long answer or article arrives whole (one section cut it at 3 000); as many as it takes
    (limits.messages puts them in as many messages)."""
    chunks: list[str] = []
    rest = text
    while len(rest) > SECTION_MAX:
        cut = rest.rfind("\n", 0, SECTION_MAX)
        if cut < SECTION_MAX // 2:
            cut = rest.rfind(" ", 0, SECTION_MAX)
        if cut <= 0:
            entity = rest.rfind("&", SECTION_MAX - 6, SECTION_MAX)  # keep "&amp;" whole
            cut = entity if entity > 0 else SECTION_MAX
        chunks.append(rest[:cut])
        rest = rest[cut:].lstrip("\n ")
    chunks.append(rest)
    return [{"type": "section", "text": mrkdwn(chunk)} for chunk in chunks]


def quoted_sections(typed: str, room: int = MAX_SECTIONS, budget: int = BLOCKS_TEXT,
                    more: str = "") -> list[Block]:
    """Words an agent typed, quoted, as sections of at most 3 000 characters each (at most
    `room` of them and `budget` characters in all; when that is too little, the last ends in
    "…" and `more`, where the rest is), cut between lines, a ``` block closed at a section's
    end and opened again in the next."""
    tail = "\n…" + (f"\n{more}" if more else "")
    texts: list[str] = []
    rest, used = typed, 0
    while rest and len(texts) < room:
        limit = min(SECTION_MAX, budget - used) - len(tail)
        if limit < SECTION_MAX // 10:  # too little left for a part of its own
            break
        head, rest = agent_split(rest, quoted, limit)
        texts.append(quoted(head))
        used += len(texts[-1])
    if rest:
        texts[-1:] = [(texts[-1] if texts else "") + tail]
    return [{"type": "section", "text": mrkdwn(text.lstrip("\n"))} for text in texts]


def _shown(piece: Piece) -> str:
    return formatted(piece.text) if piece.typed else verbatim(piece.text)


def _cut_runs(runs: list[Piece]) -> list[str]:
    """One trâmite's runs too long for a section, as section texts: an agent's words cut by
    agent_split (no ``` block, *bold* or link split), the others at a line's or word's end."""
    texts = [""]
    for run in runs:
        shown = _shown(run)
        if len(texts[-1] + shown) <= SECTION_MAX:
            texts[-1] += shown
        elif not run.typed:
            texts += [block["text"]["text"] for block in sections(shown.lstrip("\n"))]
        else:
            rest = run.text
            while rest:
                room = SECTION_MAX - len(texts[-1])
                if room < SECTION_MAX // 10:  # too little left here: a section of its own
                    texts.append("")
                    continue
                head, rest = agent_split(rest, formatted, room)
                texts[-1] += formatted(head)
                if rest:
                    texts.append("")
    return texts


def piece_sections(pieces: list[Piece]) -> list[Block]:
    """A message's runs as mrkdwn sections (the catalog's and customers' words escaped, an
    agent's marks as Slack shows them), cut where a trâmite starts (Piece.breaks) so that no
    ``` block or *bold* is split across two; a trâmite longer than a section is cut inside,
    where none of its marks or links is split (_cut_runs)."""
    trams: list[list[Piece]] = []
    for piece in pieces:
        if piece.breaks or not trams:
            trams.append([piece])
        else:
            trams[-1].append(piece)
    packed: list[str] = []
    for runs in trams:
        chunk = "".join(_shown(run) for run in runs)
        if packed and len(packed[-1] + chunk) <= SECTION_MAX:
            packed[-1] += chunk
        elif len(chunk) <= SECTION_MAX:
            packed.append(chunk)
        else:
            packed += _cut_runs(runs)
    texts = [text.strip() for text in packed if text.strip()]
    return [{"type": "section", "text": mrkdwn(text)} for text in texts or ["…"]]


def reply_blocks(reply: Reply) -> list[Block]:
    """One conversation reply: its text, and its choices as buttons carrying the choice id."""
    blocks: list[Block] = sections(render(reply.markdown, MRKDWN)) if reply.markdown else \
        piece_sections(reply.pieces) if reply.pieces else sections(verbatim(reply.text or "…"))
    buttons = [{"type": "button", "text": plain(c.label), "action_id": f"{CHOICE}.{i}",
                "value": c.id} for i, c in enumerate(reply.choices)]
    for start in range(0, len(buttons), 25):
        blocks.append({"type": "actions", "elements": buttons[start:start + 25]})
    return blocks


def text_blocks(text: str, more: str = "") -> list[Block]:
    """A plain message as mrkdwn sections, as many as one message takes: past that the last
    ends in "…" and `more`, where the rest is."""
    built = sections(text)
    kept = messages(built)[0]
    if len(kept) < len(built):
        tail = "\n…" + (f"\n{more}" if more else "")
        last = kept[-1]["text"]["text"]
        kept[-1] = {"type": "section", "text": mrkdwn(
            cut(last, SECTION_MAX - len(tail) + 1).removesuffix("…") + tail)}
    return kept


def answered(shown: list[Block], chosen: str) -> list[Block]:
    """A question's blocks as Slack holds them (escaped already), its buttons replaced by the
    choice pressed, marked, within one message's limits: a text past them loses its end."""
    mark: Block = {"type": "section", "text": mrkdwn(f"→ *{verbatim(chosen)}*")}
    kept = [blk for blk in shown if isinstance(blk, dict) and blk.get("type") != "actions"]
    kept = kept[:MAX_BLOCKS - 1]
    over = text_size(kept) + text_size(mark) - BLOCKS_TEXT
    while over > 0 and kept:
        last = kept.pop()
        text = (last.get("text") or {}).get("text") if last.get("type") == "section" else None
        if isinstance(text, str) and len(text) > over + 1:
            kept.append({**last, "text": {**last["text"], "text": cut(text, len(text) - over)}})
        over = text_size(kept) + text_size(mark) - BLOCKS_TEXT
    return [*kept, mark]
