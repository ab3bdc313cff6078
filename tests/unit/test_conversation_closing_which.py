"""A decision in words while several tickets await approval and none is named (R10, R19): the
customer picks which ticket, then carries on with the words already typed."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.conversation import prompt_for_ticket_event
from core.models import Decision, Status
from core.services import billing, closing, handling

SOLVED = "funcionou, obrigada!"


def awaiting(world, assunto):
    ticket = world.open("carla", assunto=assunto)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "erro_sistema")
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3: reinstale e confirme.")
    return ticket


def two_awaiting(world):
    return (awaiting(world, "Erro ao confirmar pedido de venda"),
            awaiting(world, "Boleto com vencimento errado"))


def test_r10_r19_words_as_the_first_message_ask_which_ticket_then_confirm_the_approval(world):
    first, second = two_awaiting(world)
    chat = chat_for(world, "carla")
    chat.send(SOLVED)  # was kept "for after the approvals", then offered as a new ticket
    assert chat.prompt.text == pt("conv.closing.which", text=SOLVED)
    assert chat.labels == [f"{first.number} — Erro ao confirmar pedido de venda",
                           f"{second.number} — Boleto com vencimento errado", "Agora não"]
    assert pt("conv.closing.typed_kept") not in chat.text
    chat.click(second.number)
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=second.number)
    assert world.ticket(second.id).status == Status.AWAITING_APPROVAL  # confirmed first
    chat.click("Sim")
    assert world.ticket(second.id).decision == Decision.APPROVED
    assert world.ticket(first.id).status == Status.AWAITING_APPROVAL


def test_r19_not_solved_at_the_offer_asks_which_then_offers_the_words_as_the_reason(world):
    first, second = two_awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    said = "não resolveu, o saldo continua negativo"
    chat.send(said)  # "Guardei o que você escreveu" before, and no ticket answered
    assert chat.prompt.text == pt("conv.closing.which", text=said)
    chat.click(first.number)
    assert chat.prompt.text.startswith(pt("conv.closing.ask_reason", number=first.number))
    assert pt("conv.closing.said", text=said) in chat.prompt.text
    chat.click("Usar o que escrevi")
    stored = world.ticket(first.id)
    assert (stored.status, stored.decision_comment) == (Status.IN_PROGRESS, said)
    assert world.ticket(second.id).status == Status.AWAITING_APPROVAL
    assert chat.prompt.text.startswith(pt("conv.closing.offer", count=1))


def test_r19_a_ticket_picked_by_typing_its_number_takes_the_restriction_typed(world):
    first, second = two_awaiting(world)
    chat = chat_for(world, "carla")
    said = "funcionou em parte, mas o relatório ainda sai sem a margem"
    chat.send(said)
    chat.send(f"é o {second.number.split('/')[1]}")
    assert chat.prompt.text.startswith(pt("conv.closing.ask_comment", number=second.number))
    assert pt("conv.closing.said", text=said) in chat.prompt.text
    chat.click("Usar o que escrevi")
    stored = world.ticket(second.id)
    assert (stored.decision, stored.decision_comment) == (
        Decision.APPROVED_WITH_RESTRICTIONS, said)
    assert world.ticket(first.id).status == Status.AWAITING_APPROVAL


def test_r19_a_ticket_picked_by_words_of_its_assunto(world):
    first, _ = two_awaiting(world)
    chat = chat_for(world, "carla")
    chat.send(SOLVED)
    chat.send("o do pedido de venda")
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=first.number)


def test_r19_not_now_at_which_ticket_changes_no_ticket(world):
    first, second = two_awaiting(world)
    chat = chat_for(world, "carla")
    chat.send(SOLVED)
    chat.send("talvez")
    assert chat.replies[0].text == pt("conv.error.choose")
    assert chat.prompt.text == pt("conv.closing.which", text=SOLVED)
    chat.click("Agora não")
    assert pt("conv.closing.later") in chat.text
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert {world.ticket(t.id).status for t in (first, second)} == {Status.AWAITING_APPROVAL}


def test_r19_words_naming_two_of_three_ask_between_those_two(world):
    first, second = two_awaiting(world)
    third = awaiting(world, "Relatório de margem lento")
    chat = chat_for(world, "carla")
    seq = [t.number.split("/")[1] for t in (first, third)]
    chat.send(f"tudo certo com o {seq[0]} e o {seq[1]}")
    assert [c.split(" — ")[0] for c in chat.labels] == [first.number, third.number, "Agora não"]


def test_r19_the_end_of_a_ticket_number_typed_alone_picks_that_ticket_not_an_option(world):
    first = world.open("carla", assunto="Erro ao confirmar pedido de venda")
    second = awaiting(world, "Boleto com vencimento errado")  # awaits longer: listed first
    world.advance(minutes=5)
    world.run(handling.take, world.ids["ana"], first.id)
    world.run(billing.classify_origin, world.ids["ana"], first.id, "erro_sistema")
    world.run(closing.request_approval, world.ids["ana"], first.id, "Corrigido.")
    chat = chat_for(world, "carla")
    chat.send(SOLVED)
    assert chat.labels[0].startswith(second.number)
    chat.send(first.number.split("/")[1])  # "0001" picked the first option, the other ticket
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=first.number)


def test_r19_the_words_kept_at_which_ticket_survive_a_command_and_a_pushed_prompt(world):
    first, second = two_awaiting(world)
    chat = chat_for(world, "carla")
    chat.send(SOLVED)
    third = awaiting(world, "Etiqueta sem preço")  # its approval question is pushed now
    assert world.run(prompt_for_ticket_event, chat.key, third.id,
                     "ticket.approval_requested") == []  # the plain notice goes instead
    chat.send("menu")
    assert pt("conv.error.busy_which", command="menu") in chat.text
    assert chat.prompt.text == pt("conv.closing.which", text=SOLVED)
    chat.click(first.number)
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=first.number)


def test_r19_a_decision_in_words_at_the_menu_answers_the_ticket_awaiting_approval(world):
    """Typed at the menu later in the session, it was offered as a new ticket."""
    ticket = awaiting(world, "Erro ao confirmar pedido de venda")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    said = "nao resolveu, continua dando rejeicao 225"
    chat.send(said)
    assert chat.prompt.text.startswith(pt("conv.closing.ask_reason", number=ticket.number))
    assert pt("conv.closing.said", text=said) in chat.prompt.text
    chat.click("Usar o que escrevi")
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    assert "Quer abrir um ticket" not in chat.text


def test_r10_a_matter_with_decision_words_and_nothing_awaiting_is_offered_as_a_ticket(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O caixa 3 travou ao fechar a venda 4431")  # asked which of no tickets it was
    assert chat.state().step == "menu.typed"
    assert pt("conv.typed.offer", text="O caixa 3 travou ao fechar a venda 4431") in chat.text


def colleagues(world, who="joao"):
    """A ticket of someone else's, answered by Ana: it awaits approval."""
    ticket = world.open(who, assunto="Saldo de estoque divergente")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Inventário reaberto.",
              origin_id="erro_sistema")
    return ticket


def test_r19_a_decision_naming_a_colleagues_ticket_answers_that_one_not_ones_own(world):
    """The one awaiting was taken for the one named: "aprovar o <João's>" asked to close
    Carla's own ticket, "não resolveu o <João's>" asked the reason for hers."""
    mine = awaiting(world, "Erro ao confirmar pedido de venda")
    joaos = colleagues(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    chat.send(f"aprovar o {joaos.number}")
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=joaos.number) + "\n" \
        + pt("conv.closing.colleague_ticket", name="João Lima")  # whose it is (R8)
    chat.click("Voltar")
    chat.send("menu")
    chat.send(f"não resolveu o {joaos.number}, o saldo continua errado")
    assert chat.prompt.text.startswith(pt("conv.closing.ask_reason", number=joaos.number))
    chat.click("Usar o que escrevi")
    assert world.ticket(joaos.id).status == Status.IN_PROGRESS
    assert world.ticket(mine.id).status == Status.AWAITING_APPROVAL


def test_r8_r19_a_decision_naming_a_ticket_not_visible_decides_nothing(world):
    """Another company's number (or none at all) answered the customer's own ticket; the
    words are kept as any message is."""
    mine = awaiting(world, "Erro ao confirmar pedido de venda")
    rivals = colleagues(world, "rival")
    chat = chat_for(world, "carla")
    chat.send("oi")
    for number in (rivals.number, "209901/0001"):
        chat.send(f"aprovar o {number}")
        assert chat.state().step == "closing.offer"
        assert pt("conv.closing.typed_kept") in chat.text
    chat.click("Agora não")
    said = f"aprovar o {rivals.number}"
    chat.send(said)
    assert chat.state().step == "menu.typed"  # kept with those before, offered as a ticket
    assert chat.text.endswith(f"{said}”\n" + pt("conv.typed.offer", text="").split("\n")[-1])
    world.advance(days=2)  # a new session
    first = chat_for(world, "carla")
    first.send(f"funcionou o {rivals.number}, obrigada")  # its first message
    assert first.state().step == "closing.offer"
    assert pt("conv.closing.typed_kept") in first.text
    assert world.ticket(rivals.id).status == Status.AWAITING_APPROVAL
    assert world.ticket(mine.id).status == Status.AWAITING_APPROVAL


def test_r19_a_decision_naming_a_ticket_not_awaiting_is_no_decision_on_another(world):
    mine = awaiting(world, "Erro ao confirmar pedido de venda")
    other = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    said = f"o {other.number} não resolveu, o boleto continua com a data errada"
    chat.send(said)
    assert pt("conv.closing.ask_reason", number=mine.number) not in chat.text
    assert chat.state().step == "menu.typed"
    assert world.ticket(mine.id).status == Status.AWAITING_APPROVAL
