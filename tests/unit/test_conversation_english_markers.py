"""R7, R9: the English team reads the markers in its own words: "!note" for an internal note
and "!article" for a knowledge-base article, which the chat and Slack's threads take as they
take "!nota" and "!artigo"; English texts said "start with !nota" to an English agent."""

from __future__ import annotations

import re

from fakes.chat import chat_for

from core.i18n import catalog, t
from core.models import EntryKind
from core.services.articles_sent import MARKER
from core.services.tramites import NOTE_MARKER


def test_r7_every_marker_an_english_text_names_is_an_english_one():
    named = {(key, m) for key, text in catalog("en").items()
             for m in re.findall(r"!\w+", text)}
    portuguese = {(key, m) for key, m in named if m in ("!nota", "!artigo", "!cliente")}
    assert portuguese == set()
    slack_only = ("!justificativa", "!justification",  # Slack's threads: beside the status
                  "!customer")  # and what alone reads as the team's, sent to the customer
    for key, marker in named - {(k, m) for k, m in named if m.startswith(slack_only)}:
        assert NOTE_MARKER.match(marker) or MARKER.match(marker), (key, marker)


def test_r7_an_english_agent_writing_as_told_keeps_the_note_internal(world):
    world.speaks("ana", "en")
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.click(t("conv.ticket.add_tramite", "en"))
    assert "!note" in chat.prompt.text
    chat.send("!note checking with development")
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    assert [e.text for e in entries if e.kind == EntryKind.INTERNAL] == [
        "checking with development"]
    assert [e for e in entries if e.kind == EntryKind.PUBLIC] == []
