"""A ticket being opened, put aside while the customer looks at something else (R3)."""

from __future__ import annotations

from fakes.chat import attachment, chat_for, pt

from core.conversation import UserInput
from core.ports import TicketQuery


def at_descricao(world):
    """Carla's intake at the descrição, with an assunto typed."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido de venda não confirma")
    assert chat.state().step == "intake.descricao"
    return chat


def tickets(world):
    return world.read(lambda uow: uow.tickets.list(TicketQuery(limit=100)))


def test_r3_meus_tickets_mid_intake_shows_the_tickets_and_the_menu_offers_to_continue(world):
    world.open("carla", assunto="Etiqueta sem preço")
    chat = at_descricao(world)
    chat.send("meus tickets")  # was "Termine este passo ou digite cancelar"
    assert chat.state().step == "list.view"
    assert "Etiqueta sem preço" in chat.text
    assert pt("conv.parked.kept", about=pt("conv.parked.about",
                                            assunto="Pedido de venda não confirma")) in chat.text
    chat.send("menu")
    offer = pt("conv.parked.offer", about=pt("conv.parked.about",
                                              assunto="Pedido de venda não confirma"))
    assert chat.prompt.text.startswith(offer)
    assert chat.labels[:3] == [pt("conv.parked.continue"), pt("conv.parked.discard"),
                               pt("conv.menu.new")]
    chat.click(pt("conv.parked.continue"))
    assert chat.state().step == "intake.descricao"  # where she stopped
    chat.send("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma")
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")
    assert "registrado" in chat.text
    assert [t.assunto for t in tickets(world)].count("Pedido de venda não confirma") == 1
    chat.send("menu")
    assert pt("conv.parked.continue") not in chat.labels


def test_r3_the_greeting_offers_the_ticket_put_aside_and_the_files_come_back(world):
    chat = at_descricao(world)
    chat.send("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma")
    chat.files("tela.png", "nota.xml")
    chat.send("quero ver meus chamados")
    world.advance(hours=30)  # the next day: the conversation starts over, the draft is kept
    chat.send("bom dia")
    assert pt("conv.parked.offer", about=pt("conv.parked.about",
                                             assunto="Pedido de venda não confirma")) in chat.text
    chat.send("1")  # the first option: Continuar o ticket
    assert chat.state().step == "intake.anexos"
    assert "tela.png, nota.xml" in chat.prompt.text
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")
    [ticket] = tickets(world)
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    assert [a.filename for e in entries for a in e.attachments] == ["tela.png", "nota.xml"]


def test_r3_descartar_at_the_menu_drops_the_ticket_put_aside(world):
    chat = at_descricao(world)
    chat.send("menu")  # was refused mid-intake
    chat.click(pt("conv.parked.discard"))
    assert pt("conv.parked.discarded") in chat.text
    assert chat.labels[0] == pt("conv.menu.new")
    assert "parked" not in chat.state().data
    assert tickets(world) == []


def test_r3_a_new_ticket_while_one_is_put_aside_asks_continue_or_start_over(world):
    chat = at_descricao(world)
    chat.send("menu")
    chat.click(pt("conv.menu.new"))
    assert chat.prompt.text == pt("conv.parked.ask_new", about=pt(
        "conv.parked.about", assunto="Pedido de venda não confirma"))
    chat.click(pt("conv.parked.start_over"))
    assert chat.prompt.text == pt("conv.intake.ask_item")
    assert chat.state().data["intake"]["draft"]["assunto"] is None
    assert "parked" not in chat.state().data  # one draft put aside at most
    chat.click("Suporte")
    chat.send("perfil")  # the new one is put aside in turn, the old one stays gone
    chat.send("novo")
    assert pt("conv.parked.about_none") in chat.prompt.text
    chat.click(pt("conv.parked.continue"))
    assert chat.state().step == "intake.servico"


def test_r3_a_message_offered_as_a_ticket_while_one_is_put_aside_is_not_lost(world):
    chat = at_descricao(world)
    chat.send("menu")
    chat.send(UserInput.of_files([attachment("caixa.png")], "O caixa 3 travou ao fechar"))
    chat.click(pt("conv.typed.open_files"))
    assert chat.state().step == "menu.parked"
    chat.click(pt("conv.parked.continue"))  # the files join it, the words are shown back
    assert pt("conv.parked.typed_unused", text="O caixa 3 travou ao fechar") in chat.text
    assert chat.state().step == "intake.descricao"
    assert chat.state().data["intake"]["draft"]["attachments"][0]["filename"] == "caixa.png"


def test_r3_start_over_from_a_message_makes_it_the_new_tickets_descricao(world):
    chat = at_descricao(world)
    chat.send("menu")
    chat.send("Etiqueta da venda 4431 sai sem preço")
    chat.click(pt("conv.typed.open"))
    chat.click(pt("conv.parked.start_over"))
    assert chat.state().data["intake"]["draft"]["descricao"] == \
        "Etiqueta da venda 4431 sai sem preço"


def test_a_command_refused_is_named_as_the_user_typed_it(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send("Ainda está com erro")  # offered as a trâmite: a command would lose it
    chat.send("chamados")
    assert chat.replies[0].text == pt("conv.error.busy_tramite", command="chamados")
    chat.send("quero ver meus chamados")
    assert chat.replies[0].text == pt("conv.error.busy_tramite",
                                      command="quero ver meus chamados")
    assert "Ainda está com erro" in chat.prompt.text


def test_r3_the_intake_and_ajuda_say_that_menu_or_meus_tickets_keep_the_ticket(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    assert "(menu, meus tickets), o ticket fica guardado" in chat.text
    chat.click("Suporte")
    chat.send("ajuda")  # the commands, and what becomes of the ticket being opened
    assert "menu ou meus tickets no meio dele o deixam guardado" in chat.text
    assert pt("conv.parked.continue") in chat.replies[0].text  # said, not only a button
    chat.send("meus tickets")  # as told: set aside, then continued where it stopped
    chat.send("menu")
    chat.click(pt("conv.parked.continue"))
    assert chat.state().step == "intake.servico"


def test_r3_abrir_chamado_typed_mid_intake_asks_continue_or_start_over_and_nothing_more(world):
    chat = at_descricao(world)
    chat.send("abrir chamado")  # was "Guardei... escolha Continuar o ticket no menu", then asked
    about = pt("conv.parked.about", assunto="Pedido de venda não confirma")
    assert chat.prompt.text == pt("conv.parked.ask_new", about=about)
    assert pt("conv.parked.kept", about=about) not in chat.text
    chat.click(pt("conv.parked.continue"))
    assert chat.state().step == "intake.descricao"
    assert chat.state().data["intake"]["draft"]["assunto"] == "Pedido de venda não confirma"
