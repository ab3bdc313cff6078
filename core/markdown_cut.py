"""An agent's text cut to a length where no mark, link or ``` block is split (a Slack section,
a message's text): between lines, a block between its lines, a line between words."""

from __future__ import annotations

from collections.abc import Callable

from core.markdown_text import agent_cuts, agent_units


def _largest(count: int, fits: Callable[[int], bool]) -> int:
    """The largest n in 0..count for which fits(n) holds (fits(0) assumed; monotone)."""
    low, high = 0, count
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    return low


def _split_unit(unit: str, render: Callable[[str], str], room: int, inside: bool
                ) -> tuple[str, str]:
    """One line or ``` block too long for `room`, in two: a block between its lines (each
    part a block of its own), a line between words outside its marks; with `inside`, a word
    or a code line too long is cut inside. ("", unit) when nothing fits so."""
    def fits(part: str) -> bool:
        return len(render(part)) <= room

    lines = unit.split("\n")
    if len(lines) > 1:  # a ``` block
        opener, code = lines[0], lines[1:-1]

        def block(part: list[str]) -> str:
            return "\n".join([opener, *part, "```"])

        kept = _largest(len(code), lambda n: fits(block(code[:n])))
        if kept:
            return block(code[:kept]), block(code[kept:])
        first, after = _cut_words(code[0] if code else "", lambda part: fits(block([part])),
                                  inside)
        return (block([first]), block([after, *code[1:]])) if first else ("", unit)
    return _cut_words(unit, fits, inside)


def _cut_words(line: str, fits: Callable[[str], bool], inside: bool) -> tuple[str, str]:
    """A line in two between words outside its marks, else (with `inside`) where a
    character no longer fits; ("", line) when nothing fits so."""
    cuts = [cut for cut in agent_cuts(line) if line[:cut].strip()]
    kept = _largest(len(cuts), lambda n: fits(line[:cuts[n - 1]].rstrip()))
    if kept:
        return line[:cuts[kept - 1]].rstrip(), line[cuts[kept - 1]:].lstrip()
    chars = _largest(len(line), lambda n: fits(line[:n])) if inside else 0
    return line[:chars], line[chars:]


def agent_split(text: str, render: Callable[[str], str], limit: int) -> tuple[str, str]:
    """An agent's text in two: the longest head that `render` (which writes an agent's text
    line by line, as agent_text or a quote) makes at most `limit` characters long, cut where
    no mark, link or ``` block is split, and the rest ("" when all of it fits).

    The cut falls at a line's end (before a line or block that fits a part of its own);
    else a ``` block is cut between its lines, each part a closed block, and a line between
    words outside its marks. `limit` must hold a few characters of a quote or a block."""
    units = agent_units(text)
    used = -1
    for count, unit in enumerate(units):
        size = len(render(unit))
        if used + 1 + size <= limit:
            used += 1 + size
            continue
        head, rest = ("", unit) if count and size <= limit else \
            _split_unit(unit, render, limit - used - 1 if count else limit, inside=not count)
        if not head and count:  # the line or block starts the rest
            return "\n".join(units[:count]), "\n".join(units[count:])
        if not head:  # not a character fits: one goes anyway, so that the rest gets shorter
            head, rest = unit[:1], unit[1:]
        return "\n".join([*units[:count], head]), "\n".join([rest, *units[count + 1:]])
    return text, ""
