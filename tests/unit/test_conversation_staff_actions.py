"""An agent in the chat has the rest of the Slack card's actions under "Ações da equipe": hand
the ticket on, estimate, priority, origin, development and back, duplicates (R6, R12, R15,
R16, R18, R22, R23)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation import UserInput
from core.models import CriticalReason, EntryKind, Priority, Status
from core.services import closing, handling

ACTIONS = pt("conv.staff.actions")


def actions_of(world, ticket, who="ana"):
    """An agent's chat at the ticket's team actions."""
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(ACTIONS)
    assert chat.state().step == "ticket.actions"
    return chat


def system_lines(world, ticket):
    return [e for e in world.read(lambda uow: uow.entries.list(ticket.id, True))
            if e.kind == EntryKind.SYSTEM]


def test_r6_an_agent_hands_a_new_ticket_to_a_colleague_named_in_words(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    assert chat.labels == [pt("slack.btn.assign"), pt("slack.btn.priority"),
                           pt("conv.staff.estimate"), pt("slack.btn.dev"),
                           pt("slack.btn.origin"), pt("slack.btn.reject"),
                           pt("conv.staff.send_article"), pt("conv.tramite.back")]
    chat.click(pt("slack.btn.assign"))
    assert pt("conv.staff.agent_self", name="Ana Atendente") in chat.labels
    chat.send("bruno")
    assert pt("conv.staff.assigned", number=ticket.number, name="Bruno Suporte") in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.ASSIGNED, world.ids["bruno"])
    assert stored.due_at is not None  # the prazo starts with the assignment (R13)
    assert chat.state().step == "ticket.view"
    assert "Bruno Suporte" in chat.prompt.text
    assert [m for m in world.outbox() if m.kind == "agent.assigned"]


def test_r6_an_agent_takes_over_a_colleagues_ticket_by_handing_it_to_herself(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["bruno"], ticket.id)
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.assign"))
    assert "Bruno Suporte" not in chat.labels  # he has it already
    chat.click(pt("conv.staff.agent_self", name="Ana Atendente"))
    assert pt("conv.staff.taken", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).assignee_id == world.ids["ana"]


def test_r16_an_agent_moves_a_ticket_to_estimate(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("conv.staff.estimate"))
    assert pt("conv.staff.estimated", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).status == Status.ESTIMATE
    chat.click(ACTIONS)  # in estimate: no estimate nor development any more, as on the card
    assert pt("conv.staff.estimate") not in chat.labels
    assert pt("slack.btn.dev") not in chat.labels
    assert pt("slack.btn.assign") in chat.labels


def test_r12_a_critical_reason_named_in_words_then_back_to_standard(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.priority"))
    chat.send("a loja está parada")
    # As the ticket's page and the Slack card say it.
    critical = f"🚨 {pt('priority.critico')} — {pt('critical_reason.area_parada')}"
    assert pt("conv.staff.priority_set", number=ticket.number, priority=critical) in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.priority, stored.critical_reason) == (Priority.CRITICAL,
                                                         CriticalReason.AREA_STOPPED)
    chat.click(ACTIONS)
    chat.click(pt("slack.btn.priority"))
    assert critical in chat.prompt.text  # what it is now
    chat.send("crítico")  # two reasons: named back to choose from
    assert pt("conv.error.ambiguous", text="crítico", options="; ".join(
        pt("slack.btn.critical", reason=pt(f"critical_reason.{r.value}"))
        for r in CriticalReason)) in chat.text
    assert chat.state().step == "ticket.priority"
    chat.send("padrão")
    stored = world.ticket(ticket.id)
    assert (stored.priority, stored.critical_reason) == (Priority.STANDARD, None)


def test_r22_r23_an_origin_outside_the_contract_makes_the_ticket_billable(world):
    ticket = world.open("carla", assunto="Alterar layout do boleto")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.origin"))
    chat.send("backup")
    chat.click(pt("conv.staff.no_quote"))  # the quote may come later (test_r23_quote.py)
    assert pt("conv.staff.classified_billable", number=ticket.number, origin="Backup") \
        in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.origin, stored.billable) == ("backup", True)
    assert [m for m in world.outbox() if m.kind == "ticket.billing_prompt"]
    chat.click(ACTIONS)
    chat.click(pt("slack.btn.origin"))
    chat.click("Erro de sistema")
    assert pt("conv.staff.classified", number=ticket.number, origin="Erro de sistema") \
        in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.origin, stored.billable) == ("erro_sistema", False)


def test_r22_a_ticket_awaiting_approval_offers_only_its_origin_and_a_rejected_one_nothing(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Feito.", "erro_sistema")
    chat = actions_of(world, ticket)
    assert chat.labels == [pt("slack.btn.origin"), pt("conv.staff.send_article"),
                           pt("conv.tramite.back")]
    duplicate = world.open("carla")
    world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, ticket.number)
    chat.send(f"ticket {duplicate.number}")
    assert ACTIONS not in chat.labels


def test_r15_forwarded_with_a_note_then_back_with_the_package(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.dev"))
    chat.send("Falha no cálculo do ICMS-ST, ver log anexo")
    assert pt("conv.staff.forwarded", number=ticket.number) in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_DEVELOPMENT, world.ids["ana"])
    [forwarded] = [m for m in world.outbox() if m.kind == "dev.forwarded"]
    assert forwarded.params["note"] == "Falha no cálculo do ICMS-ST, ver log anexo"
    chat.click(ACTIONS)
    assert pt("slack.btn.dev") not in chat.labels
    assert pt("conv.staff.estimate") not in chat.labels
    chat.click(pt("slack.btn.dev_return"))
    chat.send("   ")
    assert pt("error.empty", field_label=pt("field.pacote")) in chat.text
    assert chat.state().step == "ticket.dev_return"
    chat.send("📦")  # went to the customer as the package
    assert pt("error.no_words", field_label=pt("field.pacote")) in chat.text
    assert chat.state().step == "ticket.dev_return"
    chat.send("\x1b[1mPacote 2026.11.4\x1b[0m (correção do ICMS-ST)")  # pasted from a terminal
    assert pt("conv.staff.returned", number=ticket.number,
              package="Pacote 2026.11.4 (correção do ICMS-ST)") in chat.text
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    told = [m for m in world.outbox() if m.kind == "ticket.status"
            and m.params.get("event") == "returned"]
    assert told
    assert told[0].params["package"] == "Pacote 2026.11.4 (correção do ICMS-ST)"


def test_r15_a_blank_or_symbols_only_note_is_refused_and_a_pasted_one_cleaned(world):
    """A blank note forwarded the ticket with no note, unsaid (Encaminhar sem observação is the
    way to send none); a terminal's escape sequences reached the triage's notice."""
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.dev"))
    chat.send("   ")
    assert pt("error.empty", field_label=pt("field.nota")) in chat.text
    assert chat.state().step == "ticket.dev"
    chat.send("⚠️⚠️")
    assert pt("error.no_words", field_label=pt("field.nota")) in chat.text
    assert world.ticket(ticket.id).status == Status.NEW
    chat.send("\x1b[31mFalha no ICMS-ST\x1b[0m, ver log")
    assert world.ticket(ticket.id).status == Status.IN_DEVELOPMENT
    [forwarded] = [m for m in world.outbox() if m.kind == "dev.forwarded"]
    assert forwarded.params["note"] == "Falha no ICMS-ST, ver log"


def test_r15_forwarded_without_a_note_and_a_request_in_words_leaves_the_step(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.dev"))
    chat.send("meus tickets")  # a request, not a note: nothing was sent
    assert world.ticket(ticket.id).status == Status.NEW
    assert chat.state().step != "ticket.dev"
    chat.send(f"ticket {ticket.number}")
    chat.click(ACTIONS)
    chat.click(pt("slack.btn.dev"))
    chat.click(pt("conv.staff.dev_plain"))
    assert world.ticket(ticket.id).status == Status.IN_DEVELOPMENT


@pytest.mark.parametrize("typed", ["sem observação", "Sem observacao", "encaminhar"])
def test_r15_the_option_typed_in_a_few_words_is_not_taken_as_the_note(world, typed):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.dev"))
    chat.send(typed)
    assert world.ticket(ticket.id).status == Status.IN_DEVELOPMENT
    [forwarded] = [m for m in world.outbox() if m.kind == "dev.forwarded"]
    assert not forwarded.params.get("note")  # development reads no "sem observação" note


def test_r15_a_note_that_only_shares_a_word_with_the_option_is_the_note(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.dev"))
    chat.send("sem estoque negativo")
    [forwarded] = [m for m in world.outbox() if m.kind == "dev.forwarded"]
    assert forwarded.params["note"] == "sem estoque negativo"


def test_r18_a_duplicate_is_confirmed_with_the_original_then_rejected(world):
    original = world.open("carla", assunto="Pedido 4431 não confirma")
    ticket = world.open("joao")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.reject"))
    chat.send(original.number)
    assert chat.state().step == "ticket.duplicate_confirm"
    assert "Pedido 4431 não confirma" in chat.prompt.text
    assert world.ticket(ticket.id).status == Status.NEW  # nothing yet: it is final
    chat.send("menu")
    assert pt("conv.error.busy_duplicate", command="menu") in chat.text
    assert chat.state().step == "ticket.duplicate_confirm"
    chat.click(pt("conv.staff.other_number"))  # not that one after all: type it again
    assert chat.state().step == "ticket.duplicate"
    chat.send(original.number)
    chat.click(pt("conv.staff.reject"))
    assert pt("conv.staff.rejected", number=ticket.number, original=original.number) \
        in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.duplicate_of_id) == (Status.REJECTED, original.id)
    assert pt("conv.ticket.duplicate_of", original=original.number) in chat.prompt.text
    assert ACTIONS not in chat.labels


def test_r18_another_companys_or_an_unknown_original_keeps_the_agent_at_the_number(world):
    ticket = world.open("carla")
    rival = world.open("rival")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.reject"))
    chat.send(rival.number)
    assert pt("error.duplicate_other_company", original=rival.number) in chat.text
    assert chat.state().step == "ticket.duplicate"
    chat.send("209901/0099")
    assert pt("error.no_such_number", number="209901/0099", example="202611/0001") in chat.text
    chat.send(UserInput(text="   "))  # it said "Nenhum ticket tem o número ."
    assert chat.replies[0].text == pt("error.empty", field_label="Número do ticket")
    chat.send(ticket.number)
    assert pt("error.duplicate_of_itself") in chat.text
    assert chat.state().step == "ticket.duplicate"
    assert world.ticket(ticket.id).status == Status.NEW
    chat.click(pt("conv.tramite.back"))
    assert chat.state().step == "ticket.view"


def test_r6_a_refusal_from_core_is_said_and_the_agent_stays_at_the_menu(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    world.run(handling.move_to_estimate, world.ids["bruno"], ticket.id)  # meanwhile
    chat.click(pt("conv.staff.estimate"))
    assert f"O ticket {ticket.number} já está em estimativa: nada mudou." in chat.text
    assert chat.state().step == "ticket.actions"


def test_a_customers_page_offers_no_team_actions_and_a_forged_click_is_refused(world):
    ticket = world.open("carla")
    customer = chat_for(world, "carla")
    customer.send("oi")
    customer.send(f"ticket {ticket.number}")
    assert ACTIONS not in customer.labels
    forged = f"{customer.state().prompt_id}:actions"
    customer.send(UserInput.of_choice(forged))
    assert pt("conv.error.not_offered") in customer.text
    assert customer.state().step == "ticket.view"


def test_the_team_actions_speak_english_to_an_agent_who_chose_it(world):
    world.speaks("ana", "en")
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("hi")
    chat.send(f"ticket {ticket.number}")
    chat.click("Team actions")
    assert "Forward to development" in chat.labels
    assert "What to do with ticket" in chat.prompt.text


def test_voltar_typed_at_a_question_with_a_way_back_takes_it(world):
    """"voltar" at the duplicate's number was read as the number ('Nenhum ticket tem o número
    voltar'); typed where a "Voltar…" option is offered it is that option."""
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.reject"))
    assert chat.state().step == "ticket.duplicate"
    chat.send("voltar")
    assert chat.state().step == "ticket.view"
    assert "Nenhum ticket" not in chat.text
    assert world.ticket(ticket.id).status == Status.NEW


@pytest.mark.parametrize("typed", ["não", "nao", "sim"])
def test_r12_a_yes_or_no_at_the_priority_question_makes_nothing_critical(world, typed):
    """'não' at 'Qual a prioridade do ticket…?' made it Crítico, by the 'não' of the reason's
    example '(ex.: não emite notas)': the ticket jumped the queue."""
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.priority"))
    chat.send(typed)
    assert world.ticket(ticket.id).priority == Priority.STANDARD
    assert chat.state().step == "ticket.priority"


@pytest.mark.parametrize("typed", ["não", "nao", "não é duplicado"])
def test_r18_a_no_at_the_duplicates_question_rejects_nothing_and_goes_back(world, typed):
    """'não' at 'O ticket … é duplicado de qual?' read 'Nenhum ticket tem o número não.'"""
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.reject"))
    chat.send(typed)
    assert chat.replies[0].text == pt("conv.staff.not_rejected", number=ticket.number)
    assert chat.state().step == "ticket.view"
    assert world.ticket(ticket.id).status == Status.NEW


def test_r18_words_with_no_number_at_the_duplicates_question_ask_for_the_number(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("slack.btn.reject"))
    chat.send("o do boleto")
    assert chat.replies[0].text == pt("conv.staff.duplicate_no_number", typed="o do boleto")
    assert chat.state().step == "ticket.duplicate"


@pytest.mark.parametrize("action", ["slack.btn.priority", "slack.btn.assign", "slack.btn.origin",
                                    "slack.btn.reject"])
def test_r6_cancelar_at_a_team_actions_question_goes_back_to_the_ticket(world, action):
    """'cancelar' at 'Qual a prioridade do ticket…?' left the ticket for the main menu."""
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt(action))
    chat.send("cancelar")
    assert chat.replies[0].text == pt("conv.cancel.done")
    assert chat.state().step == "ticket.view"
    assert chat.prompt.text.startswith(f"Ticket {ticket.number}")
    assert world.ticket(ticket.id).status == Status.NEW


def test_r22_a_solution_discarded_with_cancelar_goes_back_to_the_ticket(world):
    ticket = world.open("carla")
    chat = actions_of(world, ticket)
    chat.click(pt("conv.tramite.back"))
    chat.click(pt("conv.staff.send_solution"))
    chat.send("Corrigido no pacote 2026.11.3.")
    assert chat.state().step == "ticket.origin"
    chat.send("cancelar")
    chat.click(pt("conv.cancel.yes"))
    assert chat.replies[0].text == pt("conv.cancel.discarded")
    assert chat.state().step == "ticket.view"
    assert world.ticket(ticket.id).status == Status.NEW
