"""R9: the chat's export opens in columns in the reader's spreadsheet: `;`-separated for
pt-BR (Excel in Brazil, where the comma is the decimal mark), `,`-separated in English (Excel in
English splits a CSV at commas: a `;` file opened as one column per row, every heading in A1)."""

from __future__ import annotations

import csv
import io

import pytest
from fakes.chat import chat_for

from core.conversation.export import delimiter
from core.models import Tab
from core.services.reference import load_catalog


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


def test_r9_the_english_export_names_the_type_item_and_service_as_the_tickets_page_does(world):
    """The page said 'Retail Systems / Support (TOTALL SISTEMAS) / Sales / Sales orders', the
    English export 'Sistemas de Varejo', 'Suporte TOTALL SISTEMAS', 'Vendas / Pedidos'."""
    text = exported(world, "en")
    row = dict(zip(*list(csv.reader(io.StringIO(text), delimiter=","))[:2], strict=True))
    ticket = world.ticket(1)
    tipo, item, servico = world.read(load_catalog).shown_labels(ticket.tipo, ticket.item,
                                                              ticket.servico, "en")
    assert (row["Type"], row["Item"], row["Service"]) == (tipo, item, servico)
    assert (tipo, item, servico) != (ticket.tipo, ticket.item, ticket.servico)


def test_r9_helpdesk_tickets_export_in_english_names_them_so_too(world):
    """`helpdesk tickets export` with LANGUAGE=en wrote the type, item and service in pt-BR."""
    from bots.commands.tickets import _export

    ticket = world.open("carla")
    [row] = world.run(_export, Tab.ALL, None, None, "America/Sao_Paulo", lang="en")
    assert tuple(row[4:7]) == world.read(load_catalog).shown_labels(
        ticket.tipo, ticket.item, ticket.servico, "en")
    assert row[4] != ticket.tipo


def test_helpdesk_tickets_show_in_english_names_the_type_item_and_service_in_english(world):
    """`helpdesk tickets show` with LANGUAGE=en printed 'Sistemas de Varejo / Suporte …'."""
    from bots.commands.tickets import _detail, render_detail

    ticket = world.open("carla")
    world.policy = world.policy.model_copy(update={"language": "en"})
    shown = render_detail(world.run(_detail, ticket.number), "America/Sao_Paulo", "en")
    assert " / ".join(world.read(load_catalog).shown_labels(
        ticket.tipo, ticket.item, ticket.servico, "en")) in shown
    assert ticket.tipo not in shown
