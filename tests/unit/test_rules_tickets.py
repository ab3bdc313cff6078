"""Opening and following tickets through the use cases: R1-R3, R5-R13, R15, R16, R18."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotEligible, NotFound
from core.i18n import render_notification, t
from core.models import Attachment, CriticalReason, EntryKind, Priority, Status, Tab
from core.outbox import Channel
from core.services import closing, handling, queries, sweeps, tramites, worklists
from core.services.intake import TicketDraft, open_ticket


def test_r1_numbers_are_yyyymm_sequence_restarting_each_month(world):
    first = world.open()
    second = world.open()
    assert (first.number, second.number) == ("202611/0001", "202611/0002")
    # 30/11 22:00 in São Paulo is already December in UTC, but the month is São Paulo's.
    world.now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert world.open().number == "202611/0003"
    world.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert world.open().number == "202612/0001"


def test_r2_untrained_user_cannot_open(world):
    with pytest.raises(NotEligible) as err:
        world.open("novato")
    assert err.value.key == "error.not_trained_colleagues"  # Carla and João may open it
    assert err.value.params["names"] == "Carla Souza, João Lima"
    assert world.read(lambda uow: uow.tickets.count(queries.TicketQuery())) == 0


def test_r2_customer_cannot_open_for_another_company(world):
    company_b = world.read(lambda uow: uow.companies.by_name("Loja Rival").id)
    with pytest.raises(NotAllowed):
        world.open("carla", company_id=company_b)


def test_r3_required_fields_and_assunto_limit(world):
    draft = TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas", assunto="x" * 101,
                        descricao="Vendas / Pedidos: nota 10125")
    with pytest.raises(InvalidInput) as err:
        world.run(open_ticket, world.ids["carla"], draft)
    assert err.value.key == "error.too_long"
    assert err.value.params["length"] == 101
    missing = TicketDraft(tipo_id="varejo", item_id="suporte", assunto="Erro")
    with pytest.raises(InvalidInput) as err:
        world.run(open_ticket, world.ids["carla"], missing)
    assert "servico_id" in err.value.params["fields"]
    assert "descricao" in err.value.params["fields"]


def test_r3_unknown_servico_is_refused(world):
    with pytest.raises(InvalidInput):
        world.open(servico_id="nao-existe")
    assert world.outbox() == []


def test_r3_priority_defaults_to_padrao_and_critical_needs_a_reason(world):
    assert world.open().priority == Priority.STANDARD
    with pytest.raises(InvalidInput):
        world.open(priority=Priority.CRITICAL)
    ticket = world.open(priority=Priority.CRITICAL, critical_reason=CriticalReason.AREA_STOPPED)
    assert ticket.priority == Priority.CRITICAL


def test_r5_registration_notifies_requester_by_email_and_triage(world):
    ticket = world.open()
    sent = {(m.channel, m.target, m.kind) for m in world.outbox()}
    assert (Channel.EMAIL, "carla@exemplo.com.br", "ticket.registered") in sent
    assert (Channel.SLACK, "triage", "card") in sent
    assert all(m.params["number"] == ticket.number for m in world.outbox())


def test_r6_take_puts_ticket_in_attendance_with_responsible(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    view = world.run(queries.detail, world.ids["carla"], ticket.id)
    assert view.ticket.status == Status.IN_PROGRESS
    assert view.assignee == "Ana Atendente"


def test_r6_assign_to_another_agent_is_repassada(world):
    ticket = world.open()
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["bruno"])
    stored = world.ticket(ticket.id)
    assert stored.status == Status.ASSIGNED
    assert stored.assignee_id == world.ids["bruno"]
    dm = [m for m in world.outbox() if m.kind == "agent.assigned"]
    assert [m.target for m in dm] == ["user:UBRUNO"]


def test_r6_tabs_list_tickets_by_status(world):
    a, b, c = world.open(), world.open(), world.open()
    world.run(handling.take, world.ids["ana"], b.id)
    world.run(handling.reject_duplicate, world.ids["ana"], c.id, a.number)
    carla = world.read(lambda uow: uow.users.get(world.ids["carla"]))

    def tab(t):
        q = queries.scoped_query(carla, tab=t)
        return [x.number for x in world.run(queries.list_tickets, carla.id, q).tickets]

    assert tab(Tab.NEW) == [a.number]
    assert tab(Tab.IN_PROGRESS) == [b.number]
    assert tab(Tab.REJECTED) == [c.number]
    assert len(tab(Tab.ALL)) == 3


def test_r6_each_tab_shows_exactly_the_statuses_the_manual_puts_under_it(world):
    """§6.1: Novos (not yet taken), Em estimativa, Em atendimento (Repassada, being worked,
    in development: someone responsible), Aguardando aprovação, Encerrados, Rejeitados, and
    Todos with every one; the summary counts them the same way (R9)."""
    ana, bruno = world.ids["ana"], world.ids["bruno"]
    made = {name: world.open() for name in (
        "novo", "estimativa", "repassada", "atendimento", "desenvolvimento", "aguardando",
        "encerrado", "rejeitado")}
    world.run(handling.move_to_estimate, ana, made["estimativa"].id, "Análise de escopo")
    world.run(handling.assign, ana, made["repassada"].id, bruno)
    world.run(handling.take, ana, made["atendimento"].id)
    world.run(handling.forward_to_development, ana, made["desenvolvimento"].id, "Erro no total")
    for name in ("aguardando", "encerrado"):
        world.run(closing.request_approval, ana, made[name].id, "Corrigido no pacote 2026.11.1.",
                  origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], made["encerrado"].id)
    world.run(handling.reject_duplicate, ana, made["rejeitado"].id, made["novo"].number)
    carla = world.read(lambda uow: uow.users.get(world.ids["carla"]))
    names = {t.number: name for name, t in made.items()}

    def tab(t):
        q = queries.scoped_query(carla, tab=t)
        return sorted(names[x.number] for x in world.run(queries.list_tickets, carla.id, q).tickets)

    assert {t: tab(t) for t in Tab} == {
        Tab.NEW: ["novo"], Tab.ESTIMATE: ["estimativa"],
        Tab.IN_PROGRESS: ["atendimento", "desenvolvimento", "repassada"],
        Tab.AWAITING_APPROVAL: ["aguardando"], Tab.CLOSED: ["encerrado"],
        Tab.REJECTED: ["rejeitado"], Tab.ALL: sorted(made)}
    assert world.run(queries.summary, carla.id) == {
        "novos": 1, "em_estimativa": 1, "em_atendimento": 3, "aguardando_aprovacao": 1,
        "encerrados": 1, "rejeitados": 1, "abertos": 6}


def test_r6_customer_cannot_take_a_ticket(world):
    ticket = world.open()
    with pytest.raises(NotAllowed):
        world.run(handling.take, world.ids["carla"], ticket.id)
    assert world.ticket(ticket.id).status == Status.NEW


def test_r7_trâmites_are_emailed_and_internal_notes_stay_internal(world):
    ticket = world.open()
    world.run(tramites.add_tramite, world.ids["ana"], ticket.id, "Pode enviar o XML da nota?")
    world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "Cliente já ligou 3 vezes")
    view = world.run(queries.detail, world.ids["carla"], ticket.id)
    texts = [e.text for e in view.entries]
    assert "Pode enviar o XML da nota?" in texts
    assert not any("ligou" in t for t in texts)
    agent_view = world.run(queries.detail, world.ids["ana"], ticket.id)
    assert any(e.kind == EntryKind.INTERNAL for e in agent_view.entries)
    to_customer = [m for m in world.outbox() if m.target == "carla@exemplo.com.br"]
    assert [m.kind for m in to_customer] == ["ticket.registered", "ticket.tramite"]
    assert not any("ligou" in str(m.params) for m in world.outbox() if m.channel != Channel.SLACK)


def test_r7_colleague_of_same_company_may_add_trâmite(world):
    ticket = world.open("carla")
    entry = world.run(tramites.add_tramite, world.ids["joao"], ticket.id, "Aconteceu aqui também")
    assert entry.author_id == world.ids["joao"]
    with pytest.raises(NotFound):
        world.run(tramites.add_tramite, world.ids["rival"], ticket.id, "intruso")


def test_r7_customer_cannot_write_internal_note(world):
    ticket = world.open()
    with pytest.raises(NotAllowed):
        world.run(tramites.add_internal_note, world.ids["carla"], ticket.id, "nota")


def test_r7_an_internal_note_may_be_only_files_and_they_stay_internal(world):
    ticket = world.open()
    log_file = Attachment(filename="log-interno.txt", size=11, sha256="a" * 64)
    note = world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "  ", [log_file])
    assert (note.kind, note.text) == (EntryKind.INTERNAL, "")
    assert [a.filename for a in note.attachments] == ["log-interno.txt"]
    with pytest.raises(InvalidInput):
        world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "  ")
    view = world.run(queries.detail, world.ids["carla"], ticket.id)
    assert not [a for e in view.entries for a in e.attachments]


def test_r8_own_by_default_whole_company_on_request_never_other_company(world):
    mine = world.open("carla")
    colleague = world.open("joao")
    world.open("rival")
    carla = world.read(lambda uow: uow.users.get(world.ids["carla"]))
    own = world.run(queries.list_tickets, carla.id, queries.scoped_query(carla))
    company = world.run(queries.list_tickets, carla.id,
                        queries.scoped_query(carla, whole_company=True))
    assert [t.number for t in own.tickets] == [mine.number]
    assert {t.number for t in company.tickets} == {mine.number, colleague.number}
    company_b = world.read(lambda uow: uow.companies.by_name("Loja Rival").id)
    with pytest.raises(NotAllowed):
        queries.scoped_query(carla, whole_company=True, company_id=company_b)


def test_r8_time_window_and_search_by_number_assunto_descricao(world):
    old = world.open(assunto="Emissão de NF-e rejeitada")
    world.advance(days=40)
    new = world.open(assunto="Relatório de estoque", descricao="Estoque / Relatórios: saldo")
    carla = world.read(lambda uow: uow.users.get(world.ids["carla"]))

    def numbers(**kw):
        q = queries.scoped_query(carla, **kw)
        return [t.number for t in world.run(queries.list_tickets, carla.id, q).tickets]

    assert numbers(since=world.now - timedelta(days=30)) == [new.number]
    assert numbers(text="emissao") == [old.number]
    assert numbers(text="saldo") == [new.number]


def test_r8_forged_ticket_id_of_other_company_is_not_found(world):
    theirs = world.open("rival")
    with pytest.raises(NotFound):
        world.run(queries.detail, world.ids["carla"], theirs.id)
    with pytest.raises(NotFound):
        world.run(queries.ticket_by_number, world.ids["carla"], theirs.number)


def test_r9_summary_counts(world):
    a = world.open()
    world.open()
    world.run(handling.take, world.ids["ana"], a.id)
    counts = world.run(queries.summary, world.ids["carla"])
    assert counts["novos"] == 1
    assert counts["em_atendimento"] == 1
    assert counts["abertos"] == 2
    assert counts["encerrados"] == 0


def test_r12_queue_critical_first_then_first_come_first_served(world):
    first = world.open()
    world.advance(minutes=5)
    second = world.open()
    world.advance(minutes=5)
    urgent = world.open(priority=Priority.CRITICAL, critical_reason=CriticalReason.TAX_DEADLINE)
    queue = world.run(worklists.queue, world.ids["ana"])
    assert [t.number for t in queue] == [urgent.number, first.number, second.number]
    with pytest.raises(NotAllowed):
        world.run(worklists.queue, world.ids["carla"])


def test_r12_agent_raises_priority_only_with_a_reason(world):
    ticket = world.open()
    with pytest.raises(InvalidInput):
        world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL)
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    assert world.ticket(ticket.id).priority == Priority.CRITICAL


def test_r13_prazo_set_on_assignment_five_days_by_default(world):
    ticket = world.open()
    assert world.ticket(ticket.id).due_at is None
    world.advance(minutes=3)
    world.run(handling.take, world.ids["ana"], ticket.id)
    stored = world.ticket(ticket.id)
    assert stored.due_at == world.now + timedelta(days=5)


def test_r13_prazo_is_configurable_per_priority(world):
    world.policy.prazo_days[Priority.CRITICAL] = 0.5
    ticket = world.open(priority=Priority.CRITICAL, critical_reason=CriticalReason.AREA_STOPPED)
    world.run(handling.take, world.ids["ana"], ticket.id)
    assert world.ticket(ticket.id).due_at == world.now + timedelta(hours=12)


def test_r13_the_prazo_stays_when_the_ticket_changes_hands(world):
    """The prazo shown to the customer is set by the first assignment (the manual's 1.
    Repassada); handing the ticket on, or taking it over, does not push it further."""
    ticket = world.open()
    world.run(handling.assign, world.ids["coord"], ticket.id, world.ids["bruno"])
    due = world.now + timedelta(days=5)
    world.advance(days=2)
    world.run(handling.assign, world.ids["coord"], ticket.id, world.ids["ana"])
    world.advance(days=1)
    world.run(handling.assign, world.ids["bruno"], ticket.id, world.ids["bruno"])
    stored = world.ticket(ticket.id)
    assert (stored.assignee_id, stored.due_at) == (world.ids["bruno"], due)


def test_r15_error_goes_to_development_and_comes_back_with_a_package(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id, "Falha no cálculo")
    assert world.ticket(ticket.id).status == Status.IN_DEVELOPMENT
    assert any(m.kind == "dev.forwarded" for m in world.outbox())
    with pytest.raises(InvalidInput):
        world.run(handling.return_from_development, world.ids["ana"], ticket.id, "  ")
    world.run(handling.return_from_development, world.ids["ana"], ticket.id, "pacote 2026.11.3")
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r16_implementation_request_goes_to_estimate(world):
    ticket = world.open(item_id="implementacao", servico_id="vendas")
    assert ticket.status == Status.ESTIMATE
    plain = world.open()
    world.run(handling.move_to_estimate, world.ids["ana"], plain.id, "Proposta comercial")
    assert world.ticket(plain.id).status == Status.ESTIMATE


def test_r18_duplicate_rejected_with_reference_to_original(world):
    original = world.open()
    duplicate = world.open()
    world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, original.number)
    stored = world.ticket(duplicate.id)
    assert stored.status == Status.REJECTED
    view = world.run(queries.detail, world.ids["carla"], duplicate.id)
    assert view.duplicate_of == original.number
    told = [m for m in world.outbox() if m.kind == "ticket.status" and m.channel == Channel.EMAIL]
    assert told[-1].params["original"] == original.number
    with pytest.raises(InvalidTransition):
        world.run(tramites.add_tramite, world.ids["carla"], duplicate.id, "reabrir?")


def test_r18_duplicate_of_other_company_ticket_is_refused(world):
    theirs = world.open("rival")
    mine = world.open()
    with pytest.raises(InvalidInput) as err:
        world.run(handling.reject_duplicate, world.ids["ana"], mine.id, theirs.number)
    assert err.value.key == "error.duplicate_other_company"
    assert world.ticket(mine.id).status == Status.NEW


def test_r18_agent_is_told_the_original_must_be_of_the_same_company(world):
    theirs = world.open("rival")
    mine = world.open()
    with pytest.raises(InvalidInput) as err:
        world.run(handling.reject_duplicate, world.ids["ana"], mine.id, theirs.number)
    text = t(err.value.key, None, **err.value.params)
    assert theirs.number in text
    assert "mesma empresa" in text
    assert "entre os que você pode ver" not in text


def test_r18_duplicate_of_a_rejected_ticket_points_to_its_live_original(world):
    first, second, third = world.open(), world.open(), world.open()
    world.run(handling.reject_duplicate, world.ids["ana"], second.id, first.number)
    world.run(handling.reject_duplicate, world.ids["ana"], third.id, second.number)
    assert world.ticket(third.id).duplicate_of_id == first.id
    told = [m for m in world.outbox() if m.kind == "ticket.status" and m.channel == Channel.EMAIL]
    assert told[-1].params["original"] == first.number


def test_r18_a_rejected_original_that_leads_nowhere_live_is_refused(world):
    a, b = world.open(), world.open()
    world.run(handling.reject_duplicate, world.ids["ana"], b.id, a.number)
    with pytest.raises(InvalidInput) as err:
        world.run(handling.reject_duplicate, world.ids["ana"], a.id, b.number)
    assert err.value.key == "error.original_rejected"
    assert b.number in t(err.value.key, "en", **err.value.params)
    assert world.ticket(a.id).status == Status.NEW


def test_r7_system_lines_read_back_with_their_parameters(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    restriction = "ok, mas o relatório reason=x ainda demora"
    world.run(closing.approve_with_restrictions, world.ids["carla"], ticket.id, restriction)
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    lines = [tramites.read_system_entry(e.text) for e in entries if e.kind == EntryKind.SYSTEM]
    assert lines == [("assigned", {"assignee": "Ana Atendente"}),
                     ("origin", {"origin": "erro_sistema", "covered": "True"}),
                     ("approval_requested", {"prazo": "on_time"}),
                     ("aprovado_com_restricoes", {"comment": restriction})]
    assert tramites.read_system_entry("weird line k=v") == ("weird line k=v", {})


def test_r7_taking_a_ticket_reads_as_taking_it_not_handing_it_to_oneself():
    took = {"event": "assigned", "actor": "Ana", "assignee": "Ana", "number": "202611/0001"}
    assert render_notification("card", took)[1] == "Ana assumiu o ticket."
    handed = {**took, "assignee": "Bruno"}
    assert render_notification("card", handed)[1] == "Ana repassou o ticket para Bruno."


def test_r15_reassigning_a_ticket_in_development_keeps_it_there(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id, "Falha no cálculo")
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["bruno"])
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_DEVELOPMENT, world.ids["bruno"])
    world.run(handling.return_from_development, world.ids["bruno"], ticket.id, "pacote 3")
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r15_taking_a_ticket_in_development_keeps_it_there(world):
    ticket = world.open()
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id, None)
    world.run(handling.take, world.ids["ana"], ticket.id)
    assert world.ticket(ticket.id).status == Status.IN_DEVELOPMENT
    world.run(handling.return_from_development, world.ids["ana"], ticket.id, "pacote 3")
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r6_take_of_a_ticket_someone_else_has_is_refused_naming_them(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    for who in ("bruno", "coord"):  # coordinators too: "Repassar para…" is for handing over
        with pytest.raises(Conflict) as err:
            world.run(handling.take, world.ids[who], ticket.id)
        assert "Ana Atendente" in t(err.value.key, None, **err.value.params)
    assert world.ticket(ticket.id).assignee_id == world.ids["ana"]
    world.run(handling.assign, world.ids["coord"], ticket.id, world.ids["bruno"])
    world.run(handling.take, world.ids["bruno"], ticket.id)
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r6_taking_again_ones_own_ticket_changes_nothing(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    rows = len(world.outbox())
    world.advance(minutes=5)
    world.run(handling.take, world.ids["ana"], ticket.id)
    assert len(world.outbox()) == rows
    assert world.ticket(ticket.id).updated_at < world.now


def test_r13_answering_an_unassigned_ticket_sets_the_prazo_like_an_assignment(world):
    ticket = world.open()
    world.advance(minutes=3)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Reinstale o pacote.",
              origin_id="erro_sistema")
    stored = world.ticket(ticket.id)
    assert stored.assignee_id == world.ids["ana"]
    assert stored.due_at == world.now + timedelta(days=5)


def test_r13_priority_back_to_padrao_gives_back_the_padrao_prazo(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    assigned = world.now
    world.advance(hours=2)
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    assert world.ticket(ticket.id).due_at == assigned + timedelta(days=1)
    world.advance(days=2, hours=2)  # Thursday 14:00: the sweep warns in business hours (R14)
    world.run(sweeps.run_all)
    assert world.ticket(ticket.id).due_warnings_sent == 2
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.STANDARD)
    stored = world.ticket(ticket.id)
    assert stored.due_at == assigned + timedelta(days=5)
    assert stored.due_warnings_sent == 0


def test_r6_the_justificativa_belongs_to_the_status_it_was_given_with(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.set_justificativa, world.ids["ana"], ticket.id, "Em análise e Simulação")
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["bruno"])
    assert world.ticket(ticket.id).justificativa is None  # Repassada: the analysis is not
    world.run(handling.take, world.ids["bruno"], ticket.id)
    world.run(handling.set_justificativa, world.ids["bruno"], ticket.id, "Aguardando o XML")
    world.run(closing.request_approval, world.ids["bruno"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.justificativa) == (Status.AWAITING_APPROVAL, None)
    other = world.open("carla")
    world.run(handling.move_to_estimate, world.ids["ana"], other.id, "Proposta em elaboração")
    assert world.ticket(other.id).justificativa == "Proposta em elaboração"
