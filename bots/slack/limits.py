"""Slack's limits on one message, and a long reply cut into messages that keep within them."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]

SECTION_MAX = 3000
"""Slack's limit on a section's text."""
MAX_BLOCKS = 50
"""Slack's limit on a message's blocks."""
BLOCKS_TEXT = 10_000
"""The most text we put in one message's blocks: past about 12 000 in all, Slack refuses the
message (msg_blocks_too_long, not in its documentation), though 50 sections could hold more."""


def text_size(block: Any) -> int:
    """How many characters of text a block (or a list of them) holds, in all its texts."""
    if isinstance(block, list):
        return sum(text_size(item) for item in block)
    if not isinstance(block, dict):
        return 0
    own = block.get("text")
    size = len(own) if isinstance(own, str) else 0
    return size + sum(text_size(value) for value in block.values()
                      if isinstance(value, dict | list))


def messages(blocks: list[Block]) -> list[list[Block]]:
    """A reply's blocks, in order, as messages of at most MAX_BLOCKS blocks and BLOCKS_TEXT
    characters each (a block never split: sections are cut to SECTION_MAX before)."""
    parts: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        length = text_size(block)
        if parts[-1] and (len(parts[-1]) == MAX_BLOCKS or size + length > BLOCKS_TEXT):
            parts.append([])
            size = 0
        parts[-1].append(block)
        size += length
    return parts
