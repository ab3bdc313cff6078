"""R9: the chat's export opens in columns in the reader's spreadsheet: `;`-separated for
pt-BR (Excel in Brazil, where the comma is the decimal mark), `,`-separated in English (Excel in
English splits a CSV at commas: a `;` file opened as one column per row, every heading in A1)."""

from __future__ import annotations

import csv
import io

import pytest
from fakes.chat import chat_for

from core.conversation.export import delimiter


def exported(world, lang):
    world.open("carla", assunto="Relatório errado; com ponto e vírgula, e vírgula")
    world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send("exportar")
    [file_reply] = [r for r in chat.replies if r.file]
    return file_reply.file.content.decode("utf-8-sig")


@pytest.mark.parametrize(("lang", "sep"), [("en", ","), ("pt_BR", ";")])
def test_r9_the_chats_export_is_separated_as_the_readers_spreadsheet_splits_it(world, lang,
                                                                              sep):
    text = exported(world, lang)
    header = text.splitlines()[0]
    assert len(header.split(sep)) == 13
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    assert rows[1][3] == "Relatório errado; com ponto e vírgula, e vírgula"
    assert delimiter(lang) == sep
