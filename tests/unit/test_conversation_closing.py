"""Closing by chat: pending approvals first (R10), the decision (R19), the rating (R20), billing
(R23), and pushing those prompts into a chat when their notification arrives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fakes.chat import attachment, chat_for, pt

from core.conversation import UserInput, prompt_for_ticket_event, telegram_key
from core.i18n import t
from core.models import Decision, EntryKind, Rating, Status
from core.services import billing, closing, handling, users
from core.services.context import Ctx


def awaiting(world, who="carla", assunto="Erro ao confirmar pedido de venda"):
    ticket = world.open(who, assunto=assunto)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3: reinstale e confirme o pedido.",
              origin_id="erro_sistema")
    return ticket


def at_decision(world):
    """Carla's chat at the approval question of a ticket an agent answered."""
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    return ticket, chat


def test_r10_pending_approvals_are_offered_first_when_a_session_starts(world):
    first = awaiting(world)
    second = awaiting(world, assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("tickets")  # whatever was asked, the approvals come first
    assert pt("conv.closing.offer", count=2) in chat.prompt.text
    assert chat.labels == [f"Responder {first.number}", f"Responder {second.number}",
                           "Agora não"]
    chat.click(f"Responder {second.number}")
    assert "Corrigido no pacote 2026.11.3" in chat.prompt.text
    assert "Ana Atendente" in chat.prompt.text
    assert chat.labels == ["Aprovar", "Não aprovar", "Aprovar com restrições", "Decidir depois"]


def test_r10_not_now_leads_to_the_menu(world):
    awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_r10_a_matter_sent_as_the_first_message_is_kept_past_the_approvals(world):
    awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("O PDV da loja 2 travou de novo")  # it was dropped for the approvals offer
    assert pt("conv.closing.typed_kept") in chat.text
    assert pt("conv.closing.offer", count=1) in chat.prompt.text
    chat.click("Agora não")
    assert chat.prompt.text == pt("conv.typed.offer", text="O PDV da loja 2 travou de novo")


def test_r10_a_matter_typed_at_the_offer_waits_until_the_approval_and_rating_are_done(world):
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("obrigada")  # small talk: answered, the offer stays
    assert pt("conv.smalltalk.thanks") in chat.text
    assert chat.state().step == "closing.offer"
    chat.send("x")
    assert chat.replies[0].text == pt("conv.error.choose")
    chat.send("Outra coisa: o boleto saiu com vencimento errado")
    assert pt("conv.closing.typed_kept") in chat.text
    assert chat.state().step == "closing.offer"
    chat.click("Responder")
    chat.click("Aprovar")
    chat.click("Ótimo")
    assert world.ticket(ticket.id).rating == Rating.GREAT
    assert chat.prompt.text == pt("conv.typed.offer",
                                  text="Outra coisa: o boleto saiu com vencimento errado")


def test_r10_a_request_in_words_at_the_offer_runs(world):
    awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("quero ver meus chamados")  # was "Não entendi"
    assert chat.state().step == "list.view"


def test_r10_no_offer_without_pending_approvals_and_colleagues_are_not_asked(world):
    awaiting(world, who="carla")
    chat = chat_for(world, "joao")
    chat.send("oi")
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_r19_r20_approve_then_rate(world):
    ticket, chat = at_decision(world)
    chat.click("Aprovar")
    assert pt("conv.closing.approved", number=ticket.number) in chat.text
    assert chat.labels == ["Ótimo", "Bom", "Regular", "Ruim", "Péssimo", "Agora não"]
    chat.click("Ótimo")
    assert pt("conv.closing.thanks") in chat.text
    stored = world.ticket(ticket.id)
    assert stored.status == Status.CLOSED
    assert stored.decision == Decision.APPROVED
    assert stored.rating == Rating.GREAT
    # one question offers a comment (R20), skipped with a tap
    assert chat.prompt.text == pt("conv.closing.ask_rate_comment", number=ticket.number)
    chat.click(pt("conv.closing.no_comment"))
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_r19_not_approve_needs_a_reason_and_returns_the_ticket_to_attendance(world):
    ticket, chat = at_decision(world)
    chat.click("Não aprovar")
    assert chat.prompt.text == pt("conv.closing.ask_reason", number=ticket.number)
    chat.send("   ")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    chat.send("não")  # no reason the team could act on
    assert chat.replies[0].text == pt("conv.closing.reason_small_talk", text="não")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    chat.send("O pedido 4431 continua sem confirmar depois do pacote")
    assert pt("conv.closing.not_approved", number=ticket.number) in chat.text
    stored = world.ticket(ticket.id)
    assert stored.status == Status.IN_PROGRESS
    assert stored.decision == Decision.NOT_APPROVED
    assert stored.decision_comment == "O pedido 4431 continua sem confirmar depois do pacote"
    assert any(m.kind == "agent.not_approved" for m in world.outbox())


@pytest.mark.parametrize("asked", ["reject", "partial"])
@pytest.mark.parametrize(("lang", "typed"), [("pt_BR", "aprovar"), ("pt_BR", "funcionou"),
                                             ("en", "approve"), ("en", "it works")])
def test_r19_approving_words_typed_for_the_reason_ask_to_approve_not_reopen(world, lang, typed,
                                                                           asked):
    """Carla clicked Não aprovar, then changed her mind and typed "aprovar": it was taken as
    the reason, the ticket back in attendance with "aprovar" as why the solution failed. Now
    those words ask to confirm the approval, as they do at the decision. So at the restriction
    asked by Aprovar com restrições, where "aprovar" was kept as the restriction."""
    world.run(lambda ctx: users.change_language(ctx, ctx.uow.users.get(world.ids["carla"]),
                                                lang))
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(t("conv.closing.offer_item", lang, number=ticket.number))
    chat.click(t(f"conv.closing.{asked}", lang))
    chat.send(typed)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.prompt.text == t("conv.closing.confirm_approve", lang, number=ticket.number)
    chat.click(t("conv.closing.confirm_yes", lang))
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert world.ticket(ticket.id).decision == Decision.APPROVED


def test_r19_a_print_sent_at_the_decision_goes_with_the_reason(world):
    """A screenshot of the error still there, sent at the approval question, was refused
    ("Agora não estou esperando arquivos"): the customer showing the solution failed had to
    find the trâmite. Now it is kept and goes with the reason once Não aprovar is chosen;
    its caption counts as words typed at the question."""
    ticket, chat = at_decision(world)
    chat.files("erro.png")
    assert chat.replies[0].text == pt("conv.closing.files_for_decision.one")
    assert chat.state().step == "closing.decide"
    chat.send(UserInput.of_files([attachment("erro2.png")], "ainda trava no pedido 4431"))
    assert pt("conv.closing.files_for_decision", count=2) in chat.text
    # the error still there is a Não aprovar: the reason asked, offering the caption
    assert pt("conv.closing.ask_reason", number=ticket.number) in chat.prompt.text
    chat.click(pt("conv.closing.use_said"))
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    [reason] = [e for e in entries if e.text == "ainda trava no pedido 4431"]
    assert [a.filename for a in reason.attachments] == ["erro.png", "erro2.png"]


@pytest.mark.parametrize(("choice", "typed"), [("reject", "sim"), ("reject", "pode usar"),
                                               ("partial", "yes"), ("partial", "ok")])
def test_r19_yes_typed_where_the_words_kept_are_offered_uses_them(world, choice, typed):
    """Words typed at the decision are offered at the reason or restriction question ("Usar o
    que escrevi"); "sim" typed there was refused as small talk ("“sim” não explica …") and
    "ok" closed the ticket with "ok" as its restriction. A bare yes now uses the words kept."""
    ticket, chat = at_decision(world)
    words = "o pedido 4431 ainda não confirma quando tem desconto"
    chat.send(words)
    chat.click(pt(f"conv.closing.{choice}"))
    chat.send(typed)
    stored = world.ticket(ticket.id)
    assert stored.decision_comment == words
    assert stored.status == (Status.IN_PROGRESS if choice == "reject" else Status.CLOSED)


def test_r19_words_typed_at_the_decision_become_the_reason_once_not_approve_is_chosen(world):
    ticket, chat = at_decision(world)
    said = "O contrato 4412 zera a parcela"
    chat.send(said)
    assert chat.replies[0].text == pt("conv.closing.said_kept")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    chat.click("Não aprovar")
    assert pt("conv.closing.said", text=said) in chat.prompt.text
    assert chat.labels == ["Usar o que escrevi", "Voltar"]
    chat.click("Usar o que escrevi")
    stored = world.ticket(ticket.id)
    assert stored.decision == Decision.NOT_APPROVED
    assert stored.decision_comment == said


def test_r19_words_typed_at_the_decision_may_be_the_restriction_or_be_replaced(world):
    ticket, chat = at_decision(world)
    chat.send("A tela de reajuste ficou lenta")
    chat.click("restrições")
    chat.send("Resolvido, mas a tela de reajuste ficou lenta")  # typed anew: this one counts
    assert world.ticket(ticket.id).decision_comment == \
        "Resolvido, mas a tela de reajuste ficou lenta"


def test_r19_approve_with_restrictions_takes_a_comment_then_the_rating(world):
    ticket, chat = at_decision(world)
    chat.click("restrições")
    chat.click("Voltar")
    assert chat.labels[0] == "Aprovar"
    chat.click("restrições")
    chat.send("ok")
    assert chat.replies[0].text == pt("conv.closing.comment_small_talk", text="ok")
    assert world.ticket(ticket.id).decision is None
    chat.send("Resolvido, mas a tela ficou lenta")
    assert pt("conv.closing.approved_partial", number=ticket.number) in chat.text
    chat.click("Bom")
    stored = world.ticket(ticket.id)
    assert stored.decision == Decision.APPROVED_WITH_RESTRICTIONS
    assert stored.decision_comment == "Resolvido, mas a tela ficou lenta"
    assert stored.rating == Rating.GOOD


def test_r19_an_approved_ticket_cannot_be_answered_again(world):
    ticket, chat = at_decision(world)
    old_approve = chat.choice_id("Aprovar")
    chat.click("Aprovar")
    chat.send(f"ticket {ticket.number}")
    assert "Aprovar ou não a solução" not in chat.labels
    assert "Avaliar o atendimento" in chat.labels
    from core.conversation import UserInput

    chat.send(UserInput.of_choice(old_approve))
    assert pt("conv.error.old_prompt") in chat.text
    assert world.ticket(ticket.id).decision == Decision.APPROVED


def test_r20_words_typed_at_the_rating_are_kept_and_offered_as_a_new_ticket(world):
    ticket, chat = at_decision(world)
    chat.click("restrições")
    chat.send("Funcionou no contrato 4411")
    typed = "O contrato 4412 ainda zera a parcela"
    chat.send(typed)
    assert chat.replies[0].text == pt("conv.closing.rate_later", number=ticket.number)
    assert chat.prompt.text == pt("conv.typed.offer", text=typed)
    assert world.ticket(ticket.id).rating is None  # still to be rated from its page
    chat.click("Abrir ticket com essa mensagem")
    assert chat.state().data["intake"]["draft"]["descricao"] == typed
    chat.send("cancelar")
    chat.click("Descartar")
    chat.send(f"ticket {ticket.number}")
    chat.click("Avaliar")
    chat.click("Bom")
    assert world.ticket(ticket.id).rating == Rating.GOOD


def test_r20_rate_later_from_the_ticket(world):
    ticket, chat = at_decision(world)
    chat.click("Aprovar")
    chat.click("Agora não")
    chat.send(f"ticket {ticket.number}")
    chat.click("Avaliar")
    chat.click("Regular")
    assert world.ticket(ticket.id).rating == Rating.FAIR


def test_r19_prompt_pushed_into_the_chat_when_the_notification_arrives(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "carla")
    chat.send("oi")
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustado o cadastro.",
              origin_id="erro_sistema")
    replies = world.run(prompt_for_ticket_event, chat.key, ticket.id,
                        "ticket.approval_requested")
    assert "Ajustado o cadastro." in replies[-1].text
    assert [c.label for c in replies[-1].choices][0] == "Aprovar"
    chat.replies = replies
    chat.click("Aprovar")
    assert world.ticket(ticket.id).status == Status.CLOSED


def test_prompt_for_ticket_event_never_interrupts_typing(world):
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Agora não")
    chat.send("novo")
    chat.click("Suporte")
    before = chat.state()
    assert world.run(prompt_for_ticket_event, chat.key, ticket.id,
                     "ticket.approval_reminder") == []
    assert chat.state() == before
    assert world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.tramite") == []


def test_prompt_for_ticket_event_on_telegram_and_unknown_accounts(world):
    ticket = awaiting(world)
    invite = world.run(users.create_invite, "carla@exemplo.com.br")
    key = telegram_key(777, 777)
    assert world.run(prompt_for_ticket_event, key, ticket.id, "ticket.approval_requested") == []
    chat_for(world, "carla", key=key).send(f"/start {invite.code}")
    replies = world.run(prompt_for_ticket_event, key, ticket.id, "ticket.approval_requested")
    assert replies[-1].choices


def test_r23_billing_authorization_prompt(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id,
              _uncovered_origin(world))
    chat = chat_for(world, "carla")
    chat.send("oi")
    replies = world.run(prompt_for_ticket_event, chat.key, ticket.id, "ticket.billing_prompt")
    chat.replies = replies
    assert chat.labels == ["Autorizo", "Não autorizo", "Decidir depois"]
    chat.click("Decidir depois")
    assert world.ticket(ticket.id).billing_authorized is None
    chat.send(f"ticket {ticket.number}")
    chat.click("Autorizar cobrança")
    chat.send("sim, pode fazer")  # "Não entendi" before
    assert pt("conv.closing.billing_authorized", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).billing_authorized is True
    chat.send(f"ticket {ticket.number}")
    assert "Autorizar cobrança" not in chat.labels


def test_r21_auto_closed_ticket_can_still_be_rated(world):
    ticket = awaiting(world)
    world.advance(days=16)
    from core.services import sweeps

    world.run(sweeps.run_all)
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    assert "Encerrado" in chat.prompt.text
    chat.click("Avaliar")
    chat.click("Bom")
    assert world.ticket(ticket.id).rating == Rating.GOOD


def test_the_approval_prompt_shows_the_latest_agent_answer_not_the_customer_text(world):
    ticket = awaiting(world)
    with world.store() as uow:
        ctx = Ctx(uow, world.now + timedelta(minutes=1), world.policy)
        from core.services import tramites

        tramites.add_tramite(ctx, world.ids["carla"], ticket.id, "Vou testar amanhã")
        uow.commit()
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    assert "Corrigido no pacote" in chat.prompt.text
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert entries[-1].kind == EntryKind.PUBLIC


def _uncovered_origin(world):
    from core.services.reference import load_coverage

    table = world.read(load_coverage)
    return next(o.id for o in table.origins if not o.covered)


def test_r19_a_long_answer_is_sent_whole_before_the_approval_question(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    solution = "Corrigido. " + "Siga o passo a passo da reinstalação. " * 60 + "Fim da resposta."
    world.run(closing.request_approval, world.ids["ana"], ticket.id, solution,
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    assert solution in [r.text for r in chat.replies]  # it was cut at 1 500 characters
    assert pt("conv.closing.solution_above") in chat.prompt.text
    assert solution not in chat.prompt.text  # the question itself stays short
    chat.click("Aprovar")
    assert world.ticket(ticket.id).decision == Decision.APPROVED


def test_r10_files_sent_first_wait_past_the_approvals(world):
    awaiting(world)
    chat = chat_for(world, "carla")
    chat.send(UserInput.of_files([attachment("erro.png")]))
    assert pt("conv.closing.typed_kept") in chat.text
    chat.click("Agora não")
    assert chat.prompt.text == pt("conv.typed.offer_files", count=1, names="erro.png")


def test_r19_typed_words_that_say_it_worked_approve_after_a_confirmation(world):
    ticket, chat = at_decision(world)
    chat.send("funcionou, obrigada!")  # "Não entendi" before
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=ticket.number)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL  # closing is for good
    chat.click("Voltar")
    assert chat.labels == ["Aprovar", "Não aprovar", "Aprovar com restrições", "Decidir depois"]
    chat.send("sim")
    chat.send("sim")  # "Sim, aprovar e encerrar"
    assert world.ticket(ticket.id).decision == Decision.APPROVED
    chat.send("foi muito bom, obrigada")  # offered as a new ticket before
    assert world.ticket(ticket.id).rating == Rating.GOOD
    assert pt("conv.closing.rated_as", rating="Bom") in chat.text


def test_r19_typed_words_that_say_it_did_not_work_ask_the_reason_offering_them(world):
    ticket, chat = at_decision(world)
    chat.send("não aprovo")  # no reason in it: the question, nothing to offer
    assert chat.prompt.text == pt("conv.closing.ask_reason", number=ticket.number)
    chat.click("Voltar")
    said = "Ainda não funciona no contrato 4412"
    chat.send(said)
    assert pt("conv.closing.said", text=said) in chat.prompt.text
    chat.click("Usar o que escrevi")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.decision_comment) == (Status.IN_PROGRESS, said)


def test_r19_an_approval_with_a_but_offers_approving_with_restrictions_with_those_words(world):
    ticket, chat = at_decision(world)
    said = "funcionou em parte, mas o relatório ainda sai sem a margem"
    chat.send(said)  # closed it as fully approved, the caveat lost
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.prompt.text.startswith(pt("conv.closing.ask_comment", number=ticket.number))
    assert pt("conv.closing.said", text=said) in chat.prompt.text
    chat.click("Usar o que escrevi")
    stored = world.ticket(ticket.id)
    assert (stored.decision, stored.decision_comment) == (
        Decision.APPROVED_WITH_RESTRICTIONS, said)


@pytest.mark.parametrize(("typed", "rating"), [
    ("nota 10", Rating.GREAT), ("5 estrelas", Rating.GREAT), ("nota 8", Rating.GOOD),
    ("gostei muito", Rating.GOOD), ("mais ou menos", Rating.FAIR), ("nota 3", Rating.POOR),
    ("1 estrela", Rating.TERRIBLE)])
def test_r20_a_rating_given_as_a_mark_stars_or_words_is_recorded(world, typed, rating):
    ticket, chat = at_decision(world)
    chat.click("Aprovar")
    chat.send(typed)  # "nota 10" was offered as a new ticket
    assert world.ticket(ticket.id).rating == rating


def test_r19_a_print_sent_at_the_reason_goes_with_it(world):
    ticket, chat = at_decision(world)
    chat.click("Não aprovar")
    chat.send(UserInput.of_files([attachment("rejeicao.png")]))  # "not expecting files"
    assert pt("conv.closing.files_for_reason", count=1) in chat.text
    chat.send("A nota continua rejeitada, veja o print")
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    said = [e for e in entries if e.text == "A nota continua rejeitada, veja o print"]
    assert [a.filename for a in said[0].attachments] == ["rejeicao.png"]
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r19_a_print_sent_for_the_reason_is_not_dropped_by_a_command(world):
    """"menu" after the print went to the menu in silence; the reason typed there later went
    without it."""
    ticket, chat = at_decision(world)
    chat.click("Não aprovar")
    chat.send(UserInput.of_files([attachment("rejeicao.png")]))
    chat.send("menu")
    assert chat.replies[0].text == pt("conv.error.busy_reason", command="menu")
    assert chat.state().step == "closing.reason"
    chat.send("A nota continua rejeitada")
    said = [e for e in world.read(lambda uow: uow.entries.list(ticket.id, False))
            if e.text == "A nota continua rejeitada"]
    assert [a.filename for a in said[0].attachments] == ["rejeicao.png"]


def test_r19_cancelar_after_a_print_for_the_reason_asks_before_dropping_it(world):
    ticket, chat = at_decision(world)
    chat.click("Não aprovar")
    chat.send(UserInput.of_files([attachment("rejeicao.png")]))
    chat.send("cancelar")
    assert chat.prompt.text == pt("conv.cancel.confirm")
    chat.click(pt("conv.cancel.yes"))
    assert chat.state().step == "menu.main"
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r10_r19_a_decision_in_words_as_the_first_message_answers_the_ticket_awaiting(world):
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("funcionou, obrigada!")  # kept "for after the approvals", then offered as a ticket
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=ticket.number)
    chat.send("sim")
    assert world.ticket(ticket.id).decision == Decision.APPROVED


def test_r10_r19_with_several_awaiting_words_naming_one_decide_that_one(world):
    first = awaiting(world)
    awaiting(world, assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    said = f"o {first.number.split('/')[1]} ainda não foi resolvido, continua dando rejeição"
    chat.send(said)
    assert chat.prompt.text.startswith(pt("conv.closing.ask_reason", number=first.number))
    assert pt("conv.closing.said", text=said) in chat.prompt.text


def test_r23_a_charge_awaiting_authorization_is_asked_when_a_session_starts(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, _uncovered_origin(world))
    chat = chat_for(world, "carla")
    chat.send("oi")  # the menu before: the question was only inside the ticket's page
    assert chat.labels == ["Autorizo", "Não autorizo", "Decidir depois"]
    chat.click("Decidir depois")
    assert chat.prompt.text == pt("conv.menu.prompt")
    chat = chat_for(world, "joao")  # a colleague is not asked: the requester authorizes
    chat.send("oi")
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_r23_a_question_at_the_billing_prompt_goes_to_the_team_and_the_answer_waits(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, _uncovered_origin(world))
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("quanto vai custar esse serviço?")  # "Não entendi" before
    assert pt("conv.closing.billing_asked", number=ticket.number) in chat.text
    chat.send("sim, pode enviar")
    entries = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert entries[-1].text == "quanto vai custar esse serviço?"
    assert world.ticket(ticket.id).billing_authorized is None


def test_r19_a_reason_longer_than_the_limit_is_cut_and_the_customer_told_where(world):
    """Words typed at the decision past policy.text_max were cut without a word."""
    ticket, chat = at_decision(world)
    limit = world.policy.text_max
    reason = "Não resolveu: o pedido continua travado. " + "log da tela de erro " * (limit // 10)
    chat.send(reason)
    said = chat.state().data["closing"]["said"]
    assert len(said) <= limit
    told = [r.text for r in chat.replies if r.text.startswith("O texto tem")]
    assert told
    assert f"O texto tem {len(reason.strip())} caracteres" in told[0]
    assert f"guardei os primeiros {len(said)}" in told[0]


def test_r19_r7_a_long_answer_with_markdown_reads_as_words_with_its_runs_kept(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    solution = "**Atenção**: " + "siga o passo a passo da reinstalação. " * 60 + "`nfe --check`"
    world.run(closing.request_approval, world.ids["ana"], ticket.id, solution,
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    [whole] = [r for r in chat.replies if r.pieces and r.pieces[0].typed]
    assert whole.text.startswith("Atenção: siga")
    assert whole.text.endswith(". nfe --check")
    assert whole.pieces[0].text == solution  # a channel that formats shows the marks as such


@pytest.mark.parametrize("praise", ["ótimo atendimento", "excelente, obrigada!", "valeu, muito bom",
                                    "excellent service"])
def test_r19_praise_at_the_approval_s_confirmation_approves(world, praise):
    """Carla typed "funcionou" and, asked to confirm, "ótimo atendimento": it was kept as a
    reason ("com Não aprovar … você pode usá-lo como o motivo") and the approval asked again."""
    ticket, chat = at_decision(world)
    chat.send("funcionou")
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=ticket.number)
    chat.send(praise)
    assert pt("conv.closing.said_kept") not in chat.text
    assert pt("conv.closing.approved", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)


@pytest.mark.parametrize("typed", ["excelente atendimento, obrigada", "obrigada, ficou ótimo"])
def test_r19_praise_at_the_approval_question_asks_to_confirm_it(world, typed):
    ticket, chat = at_decision(world)
    chat.send(typed)  # kept "to use as the reason" of Não aprovar
    assert chat.prompt.text == pt("conv.closing.confirm_approve", number=ticket.number)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


@pytest.mark.parametrize("typed", ["bom dia", "boa tarde, tudo bem?",
                                   "a nota boa é a 10125 mas a 10126 continua rejeitada"])
def test_r19_a_greeting_or_a_matter_with_a_good_word_is_no_approval(world, typed):
    ticket, chat = at_decision(world)
    chat.send(typed)
    assert chat.prompt.text != pt("conv.closing.confirm_approve", number=ticket.number)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r19_deciding_later_names_the_ticket_to_come_back_to(world):
    ticket, chat = at_decision(world)
    chat.click(pt("conv.closing.decide_later"))
    # it said "use: ticket NÚMERO", the number known
    assert pt("conv.closing.later_one", number=ticket.number) in chat.text
    assert "NÚMERO" not in chat.text
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


@pytest.mark.parametrize("typed", ["aprovar com restrições", "Aprovo com ressalvas",
                                   "approve with restrictions"])
def test_r19_the_choice_typed_in_words_is_not_offered_as_its_own_restriction(world, typed):
    """"aprovar com restrições" typed at the decision asked the restriction offering "Usar o
    que escrevi" with those very words as the comment that closes the ticket."""
    ticket, chat = at_decision(world)
    chat.send(typed)
    assert chat.prompt.text.startswith(pt("conv.closing.ask_comment", number=ticket.number))
    assert pt("conv.closing.use_said") not in chat.labels
    chat.send("o relatório ainda sai sem a margem")
    stored = world.ticket(ticket.id)
    assert (stored.decision, stored.decision_comment) == (
        Decision.APPROVED_WITH_RESTRICTIONS, "o relatório ainda sai sem a margem")
