"""A message built run by run (Reply.pieces): the catalog's and customers' words as they are,
an agent's words with their Markdown or Slack marks, and where each trâmite starts."""

from __future__ import annotations

from typing import Any

from core.conversation.replies import Piece
from core.i18n import t
from core.markdown_text import agent_plain

_SPOT = "\ue000"


class Runs:
    """The runs of one message in a language; `text` is what a plain reader sees."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._runs: list[Piece] = []

    def add(self, text: str, typed: bool = False, breaks: bool = False) -> None:
        """Words as they are, or (typed) as an agent wrote them; breaks: a trâmite starts."""
        if not text:
            return
        last = self._runs[-1] if self._runs else None
        if last is not None and not typed and not breaks and not last.typed:
            self._runs[-1] = last.model_copy(update={"text": last.text + text})
        else:
            self._runs.append(Piece(text=text, typed=typed, breaks=breaks))

    def quote(self, key: str, words: str, typed: bool, breaks: bool = False,
              **params: Any) -> None:
        """A catalog text quoting `words` as its {text}: typed ones keep their marks."""
        chunks = t(key, self.lang, **params, text=_SPOT).split(_SPOT)
        if not typed or len(chunks) != 2:
            self.add(t(key, self.lang, **params, text=agent_plain(words) if typed else words),
                     breaks=breaks)
            return
        self.add(chunks[0], breaks=breaks)
        self.add(words, typed=True, breaks=breaks and not chunks[0])
        self.add(chunks[1])

    @property
    def text(self) -> str:
        """The message in plain words: an agent's marks left out."""
        return "".join(agent_plain(p.text) if p.typed else p.text for p in self._runs)

    @property
    def pieces(self) -> list[Piece]:
        """The runs for a channel that formats ([] when nobody's marks are in them)."""
        return list(self._runs) if any(p.typed for p in self._runs) else []
