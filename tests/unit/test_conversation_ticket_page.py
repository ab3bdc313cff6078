"""Words and files sent while a ticket's page is shown: kept and offered as its trâmite (R7)."""

from __future__ import annotations

import pytest
from fakes.chat import attachment, chat_for, pt

from core.conversation import UserInput
from core.models import EntryKind
from core.services import closing, handling, tramites


def public_entries(world, ticket):
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    return [e for e in entries if e.kind == EntryKind.PUBLIC]


def on_page(world, who="carla", **fields):
    ticket = world.open(who, **fields)
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert chat.state().step == "ticket.view"
    return ticket, chat


def test_r7_a_message_typed_at_an_open_tickets_page_is_offered_and_sent_as_its_tramite(world):
    ticket, chat = on_page(world)
    chat.send("Ainda está com erro, podem verificar?")  # was "Não entendi", and the text lost
    assert "Ainda está com erro, podem verificar?" in chat.prompt.text
    assert pt("conv.tramite.offer", number=ticket.number) in chat.prompt.text
    assert chat.labels == [pt("conv.tramite.send_said"), pt("conv.tramite.drop")]
    assert public_entries(world, ticket) == []  # nothing sent before the click
    chat.send("O pedido 4431 segue travado")  # a second message joins the first
    assert "O pedido 4431 segue travado" in chat.prompt.text
    chat.click(pt("conv.tramite.send_said"))
    assert pt("conv.tramite.added", number=ticket.number) in chat.text
    assert chat.state().step == "ticket.view"
    [entry] = public_entries(world, ticket)
    assert entry.text == "Ainda está com erro, podem verificar?\nO pedido 4431 segue travado"


def test_r7_the_offered_tramite_can_be_dropped_and_is_not_lost_to_a_command(world):
    ticket, chat = on_page(world)
    chat.send("Ainda está com erro")
    chat.send("menu")  # a command would drop the message: refused while it is on offer
    assert pt("conv.error.busy_tramite", command="menu") in chat.text  # not "filling in"
    assert "Ainda está com erro" in chat.prompt.text
    chat.click(pt("conv.tramite.drop"))
    assert pt("conv.tramite.dropped") in chat.text  # said, not silently gone
    assert chat.state().step == "ticket.view"
    assert "tramite" not in chat.state().data
    assert public_entries(world, ticket) == []


def test_r7_files_at_a_tickets_page_join_the_offered_tramite_with_their_caption(world):
    ticket, chat = on_page(world)
    chat.send(UserInput.of_files([attachment("erro.png")], "Print do erro"))
    assert "erro.png" in chat.prompt.text
    assert "Print do erro" in chat.prompt.text
    chat.click(pt("conv.tramite.send_said"))
    [entry] = public_entries(world, ticket)
    assert entry.text == "Print do erro"
    assert [a.filename for a in entry.attachments] == ["erro.png"]


def test_small_talk_at_a_tickets_page_is_answered_and_a_stray_word_refused(world):
    ticket, chat = on_page(world)
    chat.send("obrigada")
    assert pt("conv.smalltalk.thanks") in chat.text
    assert chat.state().step == "ticket.view"
    chat.send("x")
    assert pt("conv.error.choose") in chat.text
    assert public_entries(world, ticket) == []


def test_r7_an_overlong_message_keeps_what_fits_to_send_or_drop(world):
    ticket, chat = on_page(world)
    chat.send("Ainda está com erro")
    chat.send("a" * world.policy.text_max)  # refused whole before
    kept = "Ainda está com erro\n" + "a" * (world.policy.text_max - 20)
    assert pt("conv.tramite.cut", length=world.policy.text_max + 20, kept=len(kept),
              end="a" * 60) in chat.text
    assert "Ainda está com erro" in chat.prompt.text
    chat.click(pt("conv.tramite.send_said"))
    assert [e.text for e in public_entries(world, ticket)] == [kept]


def test_r7_a_message_at_a_closed_tickets_page_is_offered_as_a_new_ticket(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido o vencimento",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], ticket.id)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    before = public_entries(world, ticket)
    chat.send("O boleto voltou a sair com vencimento errado")
    assert chat.prompt.text == pt("conv.typed.offer",
                                  text="O boleto voltou a sair com vencimento errado") + "\n" \
        + pt("conv.typed.follows_note", number=ticket.number)
    assert public_entries(world, ticket) == before


def test_r7_the_whole_thread_is_one_click_away_when_the_page_cuts_it_short(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], ticket.id)
    long_answer = "Passo a passo da correção: " + "revise a condição de pagamento; " * 40 + "FIM."
    for i in range(6):
        world.run(tramites.add_tramite, world.ids["carla"], ticket.id, f"Mensagem {i}", [])
    world.run(tramites.add_tramite, world.ids["ana"], ticket.id, long_answer, [])
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert "FIM." not in chat.prompt.text  # the page shows 500 characters of it
    assert "Mensagem 0" not in chat.prompt.text  # and the latest 5 trâmites
    chat.click(pt("conv.ticket.whole_thread"))
    thread = chat.prompt.text
    assert thread.startswith(pt("conv.thread.title", number=ticket.number, total=7))
    assert long_answer in thread
    assert all(f"Mensagem {i}" in thread for i in range(6))
    assert chat.labels == [pt("conv.ticket.add_tramite"), pt("conv.tramite.back"),
                           pt("conv.menu.back")]
    chat.click(pt("conv.tramite.back"))
    assert chat.state().step == "ticket.view"


def test_r7_a_short_thread_offers_no_second_view(world):
    ticket, chat = on_page(world)
    world.run(tramites.add_tramite, world.ids["carla"], ticket.id, "Segue o print.", [])
    chat.send(f"ticket {ticket.number}")
    assert pt("conv.ticket.whole_thread") not in chat.labels


def test_r7_the_whole_thread_shows_a_long_descricao_in_full(world):
    descricao = "Vendas / Pedidos: " + "o pedido 4431 não confirma e mostra erro; " * 30 + "FIM."
    ticket = world.open("carla", descricao=descricao)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert "FIM." not in chat.prompt.text
    chat.click(pt("conv.ticket.whole_thread"))
    assert descricao in chat.prompt.text


def test_r20_a_closed_tickets_page_says_when_and_how_it_closed(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido o vencimento",
              origin_id="erro_sistema")
    world.run(closing.approve_with_restrictions, world.ids["carla"], ticket.id,
              "O boleto antigo ainda aparece no relatório")
    world.run(closing.rate, world.ids["carla"], ticket.id, "bom")
    chat = chat_for(world, "joao")  # a colleague, following the whole company
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    page = chat.prompt.text
    assert "Aprovado com restrições — O boleto antigo ainda aparece no relatório" in page
    assert pt("conv.ticket.rated", rating="Bom") in page


def test_r7_an_agents_message_at_a_tickets_page_is_offered_as_a_public_tramite(world):
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send("Pode reinstalar o pacote 2026.11.3?")
    assert pt("conv.tramite.offer_staff", number=ticket.number) in chat.prompt.text
    chat.click(pt("conv.tramite.send_said"))
    [entry] = public_entries(world, ticket)
    assert entry.author_id == world.ids["ana"]


def test_r7_a_page_with_few_trámites_counts_them_plainly(world):
    ticket, chat = on_page(world)
    chat.send("Ainda está com erro")
    chat.click(pt("conv.tramite.send_said"))
    assert pt("conv.ticket.entries_all", total=1) in chat.prompt.text
    assert "1 de 1" not in chat.prompt.text


def test_r7_staff_read_the_internal_notes_marked_the_customer_never(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(tramites.add_tramite, world.ids["ana"], ticket.id, "Pode enviar o XML?")
    world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "cliente já ligou 2x")
    bruno = chat_for(world, "bruno")  # another agent, covering for Ana
    bruno.send(f"ticket {ticket.number}")
    note = pt("conv.ticket.internal_author", author="Ana Atendente") + ": cliente já ligou 2x"
    assert note in bruno.prompt.text  # an agent's page left the team's notes out
    assert "Ana Atendente: Pode enviar o XML?" in bruno.prompt.text
    carla = chat_for(world, "carla")
    carla.send(f"ticket {ticket.number}")
    assert "cliente já ligou" not in carla.prompt.text
    assert "🔒" not in carla.prompt.text


def test_r7_an_agent_keeps_a_message_at_a_page_as_an_internal_note(world):
    ticket, _ = on_page(world)
    ana = chat_for(world, "ana")
    ana.send(f"ticket {ticket.number}")
    ana.send("cliente ligou, pediu retorno até as 16h")
    assert pt("conv.tramite.send_note") in ana.labels
    outbox_before = len(world.outbox())
    ana.click(pt("conv.tramite.send_note"))
    assert pt("conv.tramite.note_added", number=ticket.number) in ana.text
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    assert [e.text for e in entries if e.kind == EntryKind.INTERNAL] == [
        "cliente ligou, pediu retorno até as 16h"]
    assert public_entries(world, ticket) == []
    assert [m.kind for m in world.outbox()[outbox_before:]
            if m.kind == "ticket.tramite"] == []  # nothing goes to the customer


def test_r7_r15_the_whole_history_tells_the_tickets_course_team_notes_and_delivery_aside(world):
    from core.services.tramites import add_system_entry

    ticket = world.open("carla", assunto="Saldo negativo no estoque")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id,
              "Reproduzido na base do cliente; ver trigger de saldo")
    world.run(handling.return_from_development, world.ids["ana"], ticket.id, "2026.11.3")
    world.run(lambda ctx: add_system_entry(ctx, world.ticket(ticket.id), None,
                                           "delivery_failed", target="carla@x", error="550"))
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")  # no trâmite yet: the history was out of reach
    chat.click(pt("conv.ticket.whole_thread"))
    history = chat.prompt.text
    assert "Ana Atendente assumiu o ticket." in history
    assert "Pacote: 2026.11.3." in history
    assert history.index("assumiu") < history.index("2026.11.3")
    assert "trigger de saldo" not in history  # written to development, for the team
    assert "carla@x" not in history
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.ticket.whole_thread"))
    assert "trigger de saldo" in chat.prompt.text
    assert "carla@x" in chat.prompt.text


def test_r7_a_yes_or_no_at_the_offer_sends_or_drops_the_message_not_joins_it(world):
    ticket, chat = on_page(world)
    chat.send("o contrato 4412 também está com o mesmo problema")
    chat.send("sim, pode enviar")  # was added to the message, and the question asked again
    assert [e.text for e in public_entries(world, ticket)] == [
        "o contrato 4412 também está com o mesmo problema"]
    chat.send("mais uma coisa: o 4413 também")
    chat.send("não, descarta")
    assert pt("conv.tramite.dropped") in chat.text
    assert len(public_entries(world, ticket)) == 1


@pytest.mark.parametrize("no", ["agora não", "not now", "ainda não", "melhor não"])
def test_r7_a_no_with_a_word_around_it_drops_the_message_not_joins_it(world, no):
    """"agora não" was joined to the message waiting ("o erro voltou…\nagora não")."""
    ticket, chat = on_page(world)
    chat.send("o erro voltou depois da atualização de ontem")
    chat.send(no)
    assert pt("conv.tramite.dropped") in chat.text
    assert public_entries(world, ticket) == []
    assert chat.state().step != "ticket.said"


@pytest.mark.parametrize("words", ["agora", "obrigado", "ainda"])
def test_r7_a_word_around_a_yes_or_no_alone_is_neither(world, words):
    ticket, chat = on_page(world)
    chat.send("o erro voltou depois da atualização de ontem")
    chat.send(words)
    assert chat.state().step == "ticket.said"
    assert public_entries(world, ticket) == []


def test_r7_an_agent_keeps_a_note_on_a_closed_ticket_from_its_page(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], ticket.id)
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.send("Cliente ligou pedindo o XML de novo")  # refused: 'não recebe novos trâmites'
    assert pt("conv.tramite.offer_note", number=ticket.number) in chat.prompt.text
    assert chat.labels == [pt("conv.tramite.send_note"), pt("conv.tramite.drop")]
    chat.click(pt("conv.tramite.send_note"))
    notes = [e for e in world.read(lambda uow: uow.entries.list(ticket.id, True))
             if e.kind == EntryKind.INTERNAL]
    assert [n.text for n in notes] == ["Cliente ligou pedindo o XML de novo"]


def test_r6_r7_the_justificativa_on_the_page_is_the_agent_s_words_formatted_in_slack(world):
    """The page showed the justificativa as typed, its ** and ` to the customer in a Slack
    DM (and in plain text), while the Slack card formats it (be31fe6)."""
    from bots.slack.sections import reply_blocks

    ticket = world.open("carla", assunto="Nota *10125* & rejeição")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.set_justificativa, world.ids["ana"], ticket.id,
              "**Aguardando** o `XML` & <!channel>")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert "(Aguardando o XML & <!channel>)" in chat.prompt.text  # plain: no marks
    shown = " ".join(b["text"]["text"] for b in reply_blocks(chat.prompt)
                     if b["type"] == "section")
    assert "(*Aguardando* o `XML` &amp; &lt;!channel&gt;)" in shown
    # the customer's words as typed, the zero-width spaces around their * not seen
    assert "Nota *10125* &amp; rejeição" in shown.replace("\u200b", "")
    assert "Nota *10125*" not in shown  # and not bold


def test_r6_a_customer_s_words_holding_the_page_s_spot_leave_the_justificativa_plain(world):
    """The page marks where the justificativa goes with a private-use character; an assunto
    holding that character too shows the justificativa in plain words, nothing moved."""
    ticket = world.open("carla", assunto="Nota \ue001 rejeitada")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.set_justificativa, world.ids["ana"], ticket.id, "**Aguardando** o XML")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert f"Ticket {ticket.number} — Nota \ue001 rejeitada\n" in chat.prompt.text
    assert "(Aguardando o XML)\n" in chat.prompt.text
    assert chat.prompt.pieces == []


def test_r7_r18_the_note_offer_on_a_rejected_ticket_says_rejected_not_closed(world):
    """An agent's words at a duplicate's page: the offer said 'está encerrado' of a ticket the
    page shows as rejected."""
    original = world.open("carla", assunto="NF-e rejeitada")
    ticket = world.open("carla", assunto="NF-e rejeitada de novo")
    world.run(handling.reject_duplicate, world.ids["ana"], ticket.id, original.number)
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.send("Cliente ligou de novo sobre isto")
    assert pt("conv.tramite.offer_note_rejected", number=ticket.number) in chat.prompt.text
    assert "encerrado" not in chat.prompt.text
    assert chat.labels == [pt("conv.tramite.send_note"), pt("conv.tramite.drop")]


@pytest.mark.parametrize("who", ["carla", "ana"])
def test_r18_a_duplicates_page_opens_its_original(world, who):
    """The page said 'o ticket original é o …/0001' with no way there but typing its number."""
    original = world.open("carla", assunto="NF-e rejeitada")
    ticket = world.open("carla", assunto="NF-e rejeitada de novo")
    world.run(handling.reject_duplicate, world.ids["ana"], ticket.id, original.number)
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.ticket.see_original", number=original.number))
    assert chat.prompt.text.startswith(f"Ticket {original.number} — NF-e rejeitada\n")
    chat.click(pt("conv.ticket.back_to_list"))
    assert chat.state().step == "list.view"


def test_r18_a_page_not_of_a_duplicate_has_no_such_button(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert not [label for label in chat.labels if "original" in label]
