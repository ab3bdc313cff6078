"""R19, R21: a closed ticket is never reopened; what a customer writes about it afterwards is
offered as a new ticket, and that ticket names the closed one so the team finds its history."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.services import closing, handling, sweeps


def closed(world, how="auto"):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido o vencimento",
              origin_id="erro_sistema")
    if how == "auto":
        world.advance(days=15, minutes=1)
        world.run(sweeps.run_all)
    else:
        world.run(closing.approve, world.ids["carla"], ticket.id)
    return ticket


def register_offered(chat):
    """Walk the intake opened from the offer, keeping the descrição, and register."""
    chat.click(pt("conv.typed.open"))
    chat.click("Suporte")
    chat.click("Financeiro")
    chat.click("atual")
    chat.send("Boleto voltou a vencer errado")
    descricao_question = chat.prompt.text
    chat.click("Manter")
    for _ in range(5):  # the coaching, the anexos and the priority, whichever are asked
        if any("Registrar" in label for label in chat.labels):
            break
        chat.click(next(c for c in ("Seguir assim", "Concluir", "Padrão")
                        if any(c in label for label in chat.labels)))
    chat.click("Registrar")
    return descricao_question


def newest(world):
    return world.read(lambda uow: uow.tickets.get(max(uow.data.rows["tickets"])))


def test_r21_words_written_to_an_auto_closed_ticket_open_a_new_one_that_names_it(world):
    """The new ticket held the words alone: the agent had no way to tell which closed ticket
    the customer meant by 'voltou a acontecer'."""
    ticket = closed(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send("O boleto 5531 voltou a sair com vencimento errado")
    assert chat.replies[0].text == pt("conv.tramite.not_open_closed", number=ticket.number)
    assert pt("conv.typed.follows_note", number=ticket.number) in chat.prompt.text
    question = register_offered(chat)
    follows = pt("conv.typed.follows", number=ticket.number)
    assert follows in question
    created = newest(world)
    assert created.id != ticket.id
    assert created.descricao == (f"{follows}\n"
                                 "O boleto 5531 voltou a sair com vencimento errado")


def test_r19_a_reason_for_a_ticket_approved_meanwhile_opens_a_new_one_that_names_it(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido o vencimento",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.click("Não aprovar")
    world.run(closing.approve, world.ids["joao"], ticket.id)
    chat.send("O boleto 5531 continua com vencimento errado")
    assert pt("conv.typed.follows_note", number=ticket.number) in chat.prompt.text
    register_offered(chat)
    assert newest(world).descricao.startswith(pt("conv.typed.follows", number=ticket.number))


def test_r7_words_at_the_menu_open_a_ticket_that_names_none(world):
    closed(world, how="approved")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O boleto 5531 saiu com vencimento errado")
    assert "encerrado" not in chat.prompt.text
    register_offered(chat)
    assert newest(world).descricao == "O boleto 5531 saiu com vencimento errado"
