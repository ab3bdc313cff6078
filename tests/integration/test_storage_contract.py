"""One contract for every store: the in-memory fake, SQLite and PostgreSQL behave alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from storage_world import T0, World

from core.conversation_state import ConversationKey, ConversationState
from core.errors import Conflict
from core.models import (
    Attachment,
    Company,
    CriticalReason,
    Decision,
    Entry,
    EntryKind,
    Invite,
    Priority,
    Rating,
    Role,
    Status,
    Tab,
    Ticket,
    User,
)
from core.outbox import Channel, DeliveryStatus, OutboxMessage
from core.ports import TicketQuery
from core.services.worklists import QUEUE_STATUSES
from storage.extras import SlackCard, SlackDevPost, SlackOpenedCard


@pytest.fixture
def world(store: Any) -> World:
    """A seeded world on each store."""
    return World(store)


# -- companies and users ------------------------------------------------------------------


def test_companies_crud_and_names_unique_without_case_or_accents(world: World) -> None:
    with world.store() as uow:
        assert uow.companies.get(world.a) == Company(id=world.a, name="Mercado Exemplo")
        assert uow.companies.by_name("MERCADO exemplo").id == world.a
        assert uow.companies.get(9999) is None
        assert uow.companies.by_name("Nenhuma") is None
        uow.companies.add(Company(name="Ágil Sistemas"))
        assert [c.name for c in uow.companies.list()] == [
            "Ágil Sistemas", "Loja Rival", "Mercado Exemplo"]
        with pytest.raises(Conflict) as err:
            uow.companies.add(Company(name="agil sistemas"))
        assert err.value.key == "error.company_exists"
        assert len(uow.companies.list()) == 3


def test_users_crud_and_lookups(world: World) -> None:
    with world.store() as uow:
        carla = uow.users.get(world.carla)
        assert carla.name == "Carla"
        assert carla.company_ids == [world.a]
        assert carla.trained
        assert uow.users.by_email("CARLA@Exemplo.com.br").id == world.carla
        assert uow.users.get(9999) is None
        carla.telegram_id, carla.slack_id, carla.phone = 5_000_000_001, "UCARLA", "+55 11 9999"
        carla.company_ids = [world.b, world.a]
        carla.language, carla.active = "en", False
        uow.users.update(carla)
        uow.commit()
    with world.store() as uow:
        assert uow.users.get(world.carla) == carla
        assert uow.users.by_telegram(5_000_000_001).id == world.carla
        assert uow.users.by_slack("UCARLA").id == world.carla
        assert uow.users.by_telegram(1) is None
        assert uow.users.by_slack("U0") is None
        assert [u.id for u in uow.users.list()] == [world.carla, world.joao, world.rita, world.ana]
        assert [u.id for u in uow.users.list(world.a)] == [world.carla, world.joao]
        assert [u.id for u in uow.users.list(world.b)] == [world.carla, world.rita]
        assert uow.users.get(world.ana).role == Role.AGENT


def test_staff_lists_active_agents_and_coordinators_only(world: World) -> None:
    """The Slack card's "Repassar" list: no customer, no deactivated agent."""
    with world.store() as uow:
        boss = uow.users.add(User(name="Bia", email="bia@suporte.com.br", role=Role.COORDINATOR))
        gone = uow.users.add(User(name="Edu", email="edu@suporte.com.br", role=Role.AGENT,
                                  active=False))
        uow.commit()
    with world.store() as uow:
        staff = uow.users.staff()
    assert [u.id for u in staff] == [world.ana, boss.id]
    assert gone.id not in [u.id for u in staff]
    assert all(u.role in (Role.AGENT, Role.COORDINATOR) for u in staff)


def test_user_lookups_in_one_unit_of_work_are_independent_and_current(world: World) -> None:
    with world.store() as uow:
        assert uow.users.by_telegram(555) is None
        carla = uow.users.get(world.carla)
        carla.company_ids.append(world.b)
        carla.name = "Outra"
        again = uow.users.get(world.carla)
        assert (again.name, again.company_ids) == ("Carla", [world.a])
        again.telegram_id = 555
        again.language = "en"
        uow.users.update(again)
        linked = uow.users.by_telegram(555)
        assert (linked.id, linked.language) == (world.carla, "en")
        assert uow.users.get(world.carla).telegram_id == 555
        new = uow.users.add(User(name="Bia", email="bia@exemplo.com.br", company_ids=[world.a],
                                 role=Role.CUSTOMER, telegram_id=777))
        assert uow.users.by_telegram(777).id == new.id
        uow.commit()


def test_user_email_is_unique_without_case(world: World) -> None:
    with world.store() as uow:
        with pytest.raises(Conflict) as err:
            uow.users.add(User(name="Outra", email="Carla@EXEMPLO.com.br"))
        assert err.value.key == "error.email_exists"
        joao = uow.users.get(world.joao)
        joao.email = "CARLA@exemplo.com.br"
        with pytest.raises(Conflict):
            uow.users.update(joao)
        joao.email = "joao.lima@exemplo.com.br"
        uow.users.update(joao)
        assert uow.users.by_email("joao.lima@exemplo.com.br").id == world.joao


def test_invites_crud_and_delete_expired(world: World) -> None:
    with world.store() as uow:
        for code, ttl in (("ABC123", 72), ("OLD000", -1), ("USED00", 72)):
            uow.invites.add(Invite(code=code, user_id=world.carla, created_at=T0,
                                   expires_at=T0 + timedelta(hours=ttl)))
        with pytest.raises(Conflict):
            uow.invites.add(Invite(code="ABC123", user_id=world.joao, created_at=T0,
                                   expires_at=T0))
        used = uow.invites.get("USED00")
        used.used_at = T0 + timedelta(minutes=5)
        uow.invites.update(used)
        uow.commit()
    with world.store() as uow:
        assert uow.invites.get("USED00") == used
        assert uow.invites.get("NOPE") is None
        assert uow.invites.delete_expired(T0) == 2
        assert uow.invites.get("ABC123") is not None
        assert uow.invites.get("OLD000") is None
        assert uow.invites.get("USED00") is None


def test_link_failures_count_per_conversation_and_are_forgotten(world: World) -> None:
    """R2: the invite codes a conversation got wrong lately, with the oldest (for the wait)."""
    zeca = ConversationKey(channel="slack", chat_id="DZECA", user_key="UZECA")
    other_dm = ConversationKey(channel="slack", chat_id="DOTHER", user_key="UZECA")
    rita = ConversationKey(channel="telegram", chat_id="5002", user_key="5002")
    minute = timedelta(minutes=1)
    with world.store() as uow:
        for at in (T0, T0 + 3 * minute, T0 + 6 * minute):
            uow.link_failures.add(zeca, at)
        uow.link_failures.add(rita, T0 + minute)
        uow.commit()
    with world.store() as uow:
        assert uow.link_failures.recent(zeca, T0 - minute) == (3, T0)
        assert uow.link_failures.recent(zeca, T0) == (2, T0 + 3 * minute)  # after, not at
        assert uow.link_failures.recent(rita, T0 - minute) == (1, T0 + minute)
        assert uow.link_failures.recent(other_dm, T0 - minute) == (0, None)
        assert uow.link_failures.delete_before(T0 + 3 * minute) == 2
        uow.commit()
    with world.store() as uow:
        assert uow.link_failures.recent(zeca, T0 - minute) == (2, T0 + 3 * minute)
        assert uow.link_failures.recent(rita, T0 - minute) == (0, None)


# -- tickets ------------------------------------------------------------------------------


def test_ticket_round_trips_every_field(world: World) -> None:
    with world.store() as uow:
        original = world.open(uow)
        assert original.id is not None
        assert original.number == "202611/0001"
        ticket = uow.tickets.get(original.id)
        assert ticket == original
        brt = timezone(timedelta(hours=-3))
        ticket.versao, ticket.priority = "2026.10", Priority.CRITICAL
        ticket.critical_reason, ticket.status = CriticalReason.TAX_DEADLINE, Status.CLOSED
        ticket.justificativa, ticket.assignee_id = "Em análise e Simulação", world.ana
        ticket.assigned_at = datetime(2026, 11, 24, 11, 0, tzinfo=brt)
        ticket.due_at = ticket.awaiting_since = ticket.closed_at = T0 + timedelta(days=5)
        ticket.reminders_sent, ticket.due_warnings_sent = 2, 1
        ticket.first_response_flagged, ticket.decision = True, Decision.APPROVED_WITH_RESTRICTIONS
        ticket.decision_comment, ticket.rating = "ok", Rating.GREAT
        ticket.origin, ticket.covered, ticket.billable = "erro_sistema", False, True
        ticket.billing_authorized, ticket.unreachable_telegram = True, True
        other = world.open(uow)
        ticket.duplicate_of_id = other.id
        uow.tickets.update(ticket)
        uow.commit()
    with world.store() as uow:
        stored = uow.tickets.get(ticket.id)
        assert stored == ticket
        assert stored.assigned_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
        assert stored.opened_at.utcoffset() == timedelta(0)
        assert uow.tickets.by_number("202611", 2).id == other.id
        assert uow.tickets.by_number("202611", 3) is None
        assert uow.tickets.get(9999) is None


def test_r1_numbers_restart_each_month_and_are_unique(world: World) -> None:
    with world.store() as uow:
        assert [uow.tickets.next_seq("202611") for _ in range(3)] == [1, 2, 3]
        assert uow.tickets.next_seq("202612") == 1
        uow.commit()
    with world.store() as uow:
        assert uow.tickets.next_seq("202611") == 4
        uow.rollback()
        assert uow.tickets.next_seq("202611") == 4
        uow.rollback()
        assert world.open(uow, at=T0).seq == 4
        uow.commit()
        dup = Ticket(period="202611", seq=4, company_id=world.a, requester_id=world.carla,
                     tipo="t", item="i", servico="s", assunto="a", descricao="d",
                     opened_at=T0, updated_at=T0)
        with pytest.raises(Conflict) as err:
            uow.tickets.add(dup)
        assert err.value.key == "error.number_taken"
        assert uow.tickets.next_seq("202611") == 5


def test_r1_add_numbered_takes_the_next_number_or_reports_it_taken(world: World) -> None:
    def draft(period: str) -> Ticket:
        return Ticket(period=period, seq=0, company_id=world.a, requester_id=world.carla,
                      tipo="t", item="i", servico="s", assunto="a", descricao="d",
                      opened_at=T0, updated_at=T0)

    with world.store() as uow:
        first = uow.tickets.add_numbered(draft("202611"))
        second = uow.tickets.add_numbered(draft("202611"))
        december = uow.tickets.add_numbered(draft("202612"))
        assert [(t.seq, t.number) for t in (first, second, december)] == [
            (1, "202611/0001"), (2, "202611/0002"), (1, "202612/0001")]
        assert uow.tickets.by_number("202611", 2).id == second.id
        found = uow.tickets.list(TicketQuery(text="202611/0002"))
        assert [t.id for t in found] == [second.id]
        taken = draft("202611")
        taken.seq = 3
        uow.tickets.add(taken)
        with pytest.raises(Conflict) as err:
            uow.tickets.add_numbered(draft("202611"))
        assert (err.value.key, err.value.params) == ("error.number_taken",
                                                      {"number": "202611/0003"})
        assert uow.tickets.add_numbered(draft("202611")).number == "202611/0004"


def test_r1_add_numbered_writes_the_notices_about_the_ticket_with_it(world: World) -> None:
    """Notices quote the new ticket's id and number wherever they do; a notice about nothing
    or another ticket is written as it is; a number found taken writes none of them."""
    def draft() -> Ticket:
        return Ticket(period="202611", seq=0, company_id=world.a, requester_id=world.carla,
                      tipo="t", item="i", servico="s", assunto="a", descricao="d",
                      opened_at=T0, updated_at=T0)

    def notices(ticket: Ticket) -> list[OutboxMessage]:
        quoted = {"number": ticket.number, "assunto": ticket.assunto}
        return [
            OutboxMessage(channel=Channel.TELEGRAM, target="5001", kind="ticket.registered",
                          params={**quoted, "language": "pt-BR"}, ticket_id=ticket.id,
                          created_at=T0, next_attempt_at=T0 + timedelta(seconds=1)),
            OutboxMessage(channel=Channel.SLACK, target="triage", kind="card",
                          params={**quoted, "actor": None}, ticket_id=ticket.id, created_at=T0),
            OutboxMessage(channel=Channel.EMAIL, target="x@example.com", kind="other",
                          params={"number": "202610/0007"}, ticket_id=first.id, created_at=T0),
        ]

    def in_words(ticket: Ticket) -> list[OutboxMessage]:
        return [OutboxMessage(channel=Channel.EMAIL, target="x@example.com", kind="note",
                              params={"text": f"Chamado {ticket.number} aberto"},
                              ticket_id=ticket.id, created_at=T0)]

    with world.store() as uow:
        first = uow.tickets.add_numbered(draft())
        second = uow.tickets.add_numbered(draft(), notices)
        third = uow.tickets.add_numbered(draft(), in_words)
        written = uow.outbox.all()
        assert [(m.target, m.ticket_id, m.params) for m in written] == [
            ("5001", second.id, {"number": "202611/0002", "assunto": "a", "language": "pt-BR"}),
            ("triage", second.id, {"number": "202611/0002", "assunto": "a", "actor": None}),
            ("x@example.com", first.id, {"number": "202610/0007"}),
            ("x@example.com", third.id, {"text": "Chamado 202611/0003 aberto"})]
        assert [m.next_attempt_at for m in written[:2]] == [T0 + timedelta(seconds=1), None]
        assert len({first.id, second.id, third.id}) == 3
        taken = draft()
        taken.seq = 4
        uow.tickets.add(taken)
        with pytest.raises(Conflict):
            uow.tickets.add_numbered(draft(), notices)
        assert len(uow.outbox.all()) == 4
        assert uow.tickets.add_numbered(draft(), notices).number == "202611/0005"
        assert [m.params["number"] for m in uow.outbox.all()[4:]] == [
            "202611/0005", "202611/0005", "202610/0007"]


def _seed_listing(world: World) -> dict[str, Ticket]:
    """Tickets over two companies, several statuses and times."""
    spec = {
        "old_new": dict(at=T0 - timedelta(days=40), status=Status.NEW),
        "carla_new": dict(at=T0, status=Status.NEW),
        "joao_assigned": dict(at=T0 + timedelta(hours=1), requester="joao",
                              status=Status.ASSIGNED, assignee_id="ana"),
        "carla_dev": dict(at=T0 + timedelta(hours=2), status=Status.IN_DEVELOPMENT,
                          assignee_id="ana"),
        "carla_waiting": dict(at=T0 + timedelta(hours=3), status=Status.AWAITING_APPROVAL),
        "carla_closed": dict(at=T0 + timedelta(hours=4), status=Status.CLOSED),
        "rita_new": dict(at=T0 + timedelta(hours=5), company="b", requester="rita"),
        "carla_estimate": dict(at=T0 + timedelta(hours=6), status=Status.ESTIMATE),
    }
    out = {}
    with world.store() as uow:
        for name, kw in spec.items():
            kw = dict(kw)
            kw["company"] = getattr(world, kw.pop("company", "a"))
            kw["requester"] = getattr(world, kw.pop("requester", "carla"))
            if "assignee_id" in kw:
                kw["assignee_id"] = getattr(world, kw["assignee_id"])
            out[name] = world.open(uow, assunto=f"Assunto {name}", **kw)
        uow.commit()
    return out


def _names(tickets: dict[str, Ticket], found: list[Ticket]) -> list[str]:
    by_id = {t.id: n for n, t in tickets.items()}
    return [by_id[t.id] for t in found]


def _both(world: World, seeded: dict[str, Ticket], **query: Any) -> list[str]:
    """List with a query, checking that count agrees with the full listing."""
    with world.store() as uow:
        q = TicketQuery(limit=100, **query)
        found = uow.tickets.list(q)
        assert uow.tickets.count(q) == len(found)
        return _names(seeded, found)


def test_r6_r8_listings_by_tab_company_requester_assignee_and_window(world: World) -> None:
    s = _seed_listing(world)
    assert _both(world, s) == [
        "carla_estimate", "rita_new", "carla_closed", "carla_waiting", "carla_dev",
        "joao_assigned", "carla_new", "old_new"]
    assert _both(world, s, tab=Tab.NEW) == ["rita_new", "carla_new", "old_new"]
    assert _both(world, s, tab=Tab.ESTIMATE) == ["carla_estimate"]
    assert _both(world, s, tab=Tab.IN_PROGRESS) == ["carla_dev", "joao_assigned"]
    assert _both(world, s, tab=Tab.AWAITING_APPROVAL) == ["carla_waiting"]
    assert _both(world, s, tab=Tab.CLOSED) == ["carla_closed"]
    assert _both(world, s, tab=Tab.REJECTED) == []
    assert _both(world, s, company_id=world.b) == ["rita_new"]
    assert _both(world, s, company_id=world.a, tab=Tab.NEW) == ["carla_new", "old_new"]
    assert _both(world, s, requester_id=world.joao) == ["joao_assigned"]
    assert _both(world, s, assignee_id=world.ana) == ["carla_dev", "joao_assigned"]
    assert _both(world, s, tab=Tab.NEW, opened_since=T0 - timedelta(days=30)) == [
        "rita_new", "carla_new"]
    assert _both(world, s, statuses=[Status.CLOSED, Status.NEW], requester_id=world.carla) == [
        "carla_closed", "carla_new", "old_new"]


def test_r8_a_months_listing_has_its_end_excluded_on_both_databases(world: World) -> None:
    """A month's window (opened_since its first moment, opened_before the next month's):
    listed and counted the same by each store, the text search too."""
    s = _seed_listing(world)
    start, end = T0 - timedelta(hours=1), T0 + timedelta(hours=4)  # 4h: carla_closed's time
    assert _both(world, s, opened_since=start, opened_before=end) == [
        "carla_waiting", "carla_dev", "joao_assigned", "carla_new"]
    assert _both(world, s, opened_before=T0) == ["old_new"]
    assert _both(world, s, opened_since=start, opened_before=end, tab=Tab.IN_PROGRESS,
                 company_id=world.a) == ["carla_dev", "joao_assigned"]
    assert _both(world, s, opened_before=end, text="Assunto") == [
        "carla_waiting", "carla_dev", "joao_assigned", "carla_new", "old_new"]


def test_r23_listings_of_charges_awaiting_an_answer_and_of_billable_tickets(world: World) -> None:
    s = _seed_listing(world)
    with world.store() as uow:
        for name, answer in (("carla_dev", None), ("joao_assigned", True), ("carla_new", None)):
            ticket = uow.tickets.get(s[name].id)
            assert ticket is not None
            ticket.billable, ticket.billing_authorized = name != "carla_new", answer
            uow.tickets.update(ticket)
        uow.commit()
    assert _both(world, s, billing_pending=True) == ["carla_dev"]
    assert _both(world, s, billing_pending=True, requester_id=world.joao) == []
    assert _both(world, s, billable=True) == ["carla_dev", "joao_assigned"]  # to invoice
    assert _both(world, s, billable=True, company_id=world.b) == []


def test_listing_pages_newest_first_with_ties_broken_by_id(world: World) -> None:
    with world.store() as uow:
        ids = [world.open(uow, at=T0 + timedelta(hours=i // 2)).id for i in range(7)]
        uow.commit()
    newest_first = sorted(ids, key=lambda i: ((i - ids[0]) // 2, i), reverse=True)
    with world.store() as uow:
        pages = [
            [t.id for t in uow.tickets.list(TicketQuery(limit=3, offset=o))] for o in (0, 3, 6)
        ]
        assert pages == [newest_first[:3], newest_first[3:6], newest_first[6:]]
        assert uow.tickets.list(TicketQuery(limit=3, offset=9)) == []
        assert uow.tickets.count(TicketQuery(limit=3, offset=3)) == 7
        one_status = TicketQuery(tab=Tab.NEW, limit=2, offset=1)
        assert [t.id for t in uow.tickets.list(one_status)] == newest_first[1:3]


def search_ids(world: World, text: str, **kw: Any) -> list[int]:
    """The ids a text search finds (sorted), checked against its count."""
    with world.store() as uow:
        q = TicketQuery(text=text, limit=50, **kw)
        found = [t.id for t in uow.tickets.list(q)]
        assert uow.tickets.count(q) == len(found)
        return sorted(found)


def test_r8_fiscal_abbreviations_are_found_however_they_are_written(world: World) -> None:
    """"nfe" finds NF-e and "nf-e" finds NFe (NFC-e, CT-e, MDF-e alike), in the whole desk
    and in one requester's tickets; a word that only ends in "e" is not split."""
    with world.store() as uow:
        hyphen = world.open(uow, assunto="NF-e rejeitada na transmissão")
        joined = world.open(uow, assunto="NFe não autorizada", descricao="Erro 204 na NFCe")
        cte = world.open(uow, assunto="CT-e cancelado", descricao="Transporte da carga")
        base = world.open(uow, assunto="Base de clientes", descricao="Cadastro de clientes")
        uow.commit()

    def search(text: str, **kw: Any) -> list[int]:
        return search_ids(world, text, **kw)

    assert search("nfe") == sorted([hyphen.id, joined.id])
    assert search("NF-e") == sorted([hyphen.id, joined.id])
    assert search("nfce") == [joined.id]
    assert search("nfc-e") == [joined.id]
    assert search("cte") == [cte.id]
    assert search("nfe rejeitada") == [hyphen.id]
    assert search("nfe", requester_id=world.carla) == sorted([hyphen.id, joined.id])
    assert search("bas e") == []  # "base" is a word, not an abbreviation
    assert search("base") == [base.id]


def test_r8_search_is_accent_insensitive_and_finds_numbers(world: World) -> None:
    with world.store() as uow:
        emissao = world.open(uow, assunto="Emissão de NF-e rejeitada",
                             descricao="Faturamento / Notas: rejeição 539 na nota 10125")
        pedido = world.open(uow, assunto="Pedido não confirma",
                            descricao="Vendas / Pedidos: ERRO ao emitir o cupom")
        other = world.open(uow, company=world.b, requester=world.rita, assunto="Estoque",
                           descricao="Balanço de estoque divergente", at=T0 + timedelta(days=10))
        uow.commit()

    def search(text: str, **kw: Any) -> list[int]:
        return search_ids(world, text, **kw)

    assert search("emissao") == [emissao.id, pedido.id]  # and "emitir", its verb
    assert search("EMISSÃO") == [emissao.id, pedido.id]
    assert search("emiss") == [emissao.id, pedido.id]
    assert search("rejeicao 10125") == [emissao.id]
    assert search("nf-e") == [emissao.id]
    assert search("nfe") == [emissao.id]  # as customers type it (test_r8_fiscal_abbreviations)
    assert search("emit") == [emissao.id, pedido.id]
    assert search("nao confirma") == [pedido.id]
    assert search("balanco") == [other.id]
    assert search("pedido estoque") == []
    assert search("202611/0002") == [pedido.id]
    assert search("202611/2") == [pedido.id]
    assert search("2") == [pedido.id]
    assert search("0001") == sorted([emissao.id, other.id])
    assert search("202612/0001") == [other.id]
    assert search("202611") == [emissao.id, pedido.id]
    assert search("20261") == [emissao.id, pedido.id, other.id]
    assert search("539") == [emissao.id]
    assert search("  ") == [emissao.id, pedido.id, other.id]
    assert search('"emissão" --') == [emissao.id, pedido.id]
    assert search("pedido", company_id=world.b) == []
    assert search("estoque", tab=Tab.NEW, company_id=world.b) == [other.id]


def test_r9_summary_counts_by_status(world: World) -> None:
    s = _seed_listing(world)
    with world.store() as uow:
        moved = uow.tickets.get(s["carla_new"].id)
        moved.status = Status.IN_PROGRESS
        uow.tickets.update(moved)
        uow.commit()
    with world.store() as uow:
        everyone = uow.tickets.summary(None, None)
        assert everyone == {
            **dict.fromkeys(Status, 0),
            Status.NEW: 2, Status.ESTIMATE: 1, Status.ASSIGNED: 1, Status.IN_PROGRESS: 1,
            Status.IN_DEVELOPMENT: 1, Status.AWAITING_APPROVAL: 1, Status.CLOSED: 1,
        }
        company_b = uow.tickets.summary(world.b, None)
        assert company_b[Status.NEW] == 1
        assert sum(company_b.values()) == 1
        joao = uow.tickets.summary(world.a, world.joao)
        assert joao[Status.ASSIGNED] == 1
        assert sum(joao.values()) == 1
        carla = uow.tickets.summary(None, world.carla)
        assert carla[Status.NEW] == 1
        assert carla[Status.IN_PROGRESS] == 1
        assert sum(carla.values()) == 6
        assert uow.tickets.count(TicketQuery(tab=Tab.IN_PROGRESS, requester_id=world.carla)) == 2
        moved.company_id, moved.requester_id = world.b, world.rita
        uow.tickets.update(moved)
        uow.commit()
    with world.store() as uow:
        assert uow.tickets.summary(world.b, None)[Status.IN_PROGRESS] == 1
        assert uow.tickets.summary(None, world.rita)[Status.IN_PROGRESS] == 1
        assert uow.tickets.summary(None, world.carla)[Status.IN_PROGRESS] == 0
        assert uow.tickets.summary(world.a, None)[Status.IN_PROGRESS] == 0
        assert uow.tickets.summary(None, None) == everyone
        assert uow.tickets.count(TicketQuery(company_id=world.b)) == 2


def test_r12_queue_critical_first_then_oldest(world: World) -> None:
    with world.store() as uow:
        old = world.open(uow, at=T0)
        crit_new = world.open(uow, at=T0 + timedelta(hours=3), priority=Priority.CRITICAL)
        mid = world.open(uow, at=T0 + timedelta(hours=1), status=Status.IN_PROGRESS)
        crit_old = world.open(uow, at=T0 + timedelta(hours=2), priority=Priority.CRITICAL,
                              status=Status.ESTIMATE)
        world.open(uow, at=T0 - timedelta(hours=1), status=Status.AWAITING_APPROVAL)
        world.open(uow, at=T0 - timedelta(hours=1), status=Status.CLOSED)
        world.open(uow, at=T0 - timedelta(hours=1), status=Status.REJECTED,
                   priority=Priority.CRITICAL)
        uow.commit()
    with world.store() as uow:
        order = [crit_old.id, crit_new.id, old.id, mid.id]
        assert [t.id for t in uow.tickets.queue(10)] == order
        assert [t.id for t in uow.tickets.queue(2, offset=1)] == order[1:3]
        # The size the chat's queue tells: the same statuses, counted.
        assert uow.tickets.count(TicketQuery(statuses=QUEUE_STATUSES)) == len(order)


def test_r12_a_critical_ticket_given_a_workaround_takes_its_turn_by_opening_time(
        world: World) -> None:
    """The workaround met its urgency (the Padrão prazo, README): in the queue it ranks with
    the Padrão tickets by opening time, still Crítico; a critical one with none goes first."""
    with world.store() as uow:
        old = world.open(uow, at=T0)
        eased = world.open(uow, at=T0 + timedelta(hours=1), priority=Priority.CRITICAL,
                           status=Status.IN_PROGRESS, workaround_at=T0 + timedelta(hours=2))
        new = world.open(uow, at=T0 + timedelta(hours=2))
        urgent = world.open(uow, at=T0 + timedelta(hours=3), priority=Priority.CRITICAL)
        uow.commit()
    with world.store() as uow:
        order = [urgent.id, old.id, eased.id, new.id]
        assert [t.id for t in uow.tickets.queue(10)] == order
        assert [t.id for t in uow.tickets.queue(2, offset=1)] == order[1:3]


def test_r12_the_queue_counts_the_tickets_nobody_has_taken(world: World) -> None:
    """What the agents' greeting and queue header say: N in the queue, M with no one on them."""
    with world.store() as uow:
        free = world.open(uow, at=T0)
        world.open(uow, at=T0, status=Status.ASSIGNED, assignee_id=world.ana)
        triage = world.open(uow, at=T0, status=Status.ESTIMATE)
        world.open(uow, at=T0, status=Status.IN_PROGRESS, assignee_id=world.ana)
        world.open(uow, at=T0, status=Status.AWAITING_APPROVAL)
        world.open(uow, at=T0, status=Status.CLOSED)
        uow.commit()
    with world.store() as uow:
        queued = TicketQuery(statuses=QUEUE_STATUSES)
        unassigned = TicketQuery(statuses=QUEUE_STATUSES, unassigned=True, limit=10)
        assert uow.tickets.count(queued) == 4
        assert uow.tickets.count(unassigned) == 2
        assert {t.id for t in uow.tickets.list(unassigned)} == {free.id, triage.id}


def test_sweep_selectors(world: World) -> None:
    with world.store() as uow:
        waiting = world.open(uow, status=Status.AWAITING_APPROVAL,
                             awaiting_since=T0 - timedelta(days=16))
        reminded = world.open(uow, status=Status.AWAITING_APPROVAL, reminders_sent=2,
                              awaiting_since=T0 - timedelta(days=11))
        world.open(uow, status=Status.AWAITING_APPROVAL, awaiting_since=T0)
        due = world.open(uow, status=Status.IN_PROGRESS, due_at=T0 - timedelta(hours=1))
        warned = world.open(uow, status=Status.ASSIGNED, due_at=T0, due_warnings_sent=1)
        world.open(uow, status=Status.IN_PROGRESS, due_at=T0, due_warnings_sent=2)
        world.open(uow, status=Status.CLOSED, due_at=T0 - timedelta(days=1))
        world.open(uow, status=Status.AWAITING_APPROVAL, due_at=T0 - timedelta(days=1))
        world.open(uow, status=Status.IN_PROGRESS, due_at=T0 + timedelta(hours=1))
        fresh = world.open(uow, at=T0 - timedelta(hours=3))
        world.open(uow, at=T0 - timedelta(hours=3), first_response_flagged=True)
        world.open(uow, at=T0)
        estimate = world.open(uow, at=T0 - timedelta(hours=3), status=Status.ESTIMATE)
        world.open(uow, at=T0 - timedelta(hours=3), status=Status.ESTIMATE, assignee_id=world.ana)
        world.open(uow, at=T0 - timedelta(hours=3), status=Status.ESTIMATE,
                   assigned_at=T0 - timedelta(hours=2))  # taken once, its agent gone since
        oldest = world.open(uow, status=Status.AWAITING_APPROVAL,
                            awaiting_since=T0 - timedelta(days=20))
        overdue = world.open(uow, status=Status.ESTIMATE, due_at=T0 - timedelta(days=3))
        uow.commit()
    with world.store() as uow:
        tickets = uow.tickets
        # Oldest by the sweep's own date first, then by id.
        assert [t.id for t in tickets.awaiting_before(T0 - timedelta(days=10), 10)] == [
            oldest.id, waiting.id, reminded.id]
        assert [t.id for t in tickets.awaiting_before(T0 - timedelta(days=10), 1)] == [oldest.id]
        below = tickets.awaiting_before(T0 - timedelta(days=10), 10, reminders_below=2)
        assert [t.id for t in below] == [oldest.id, waiting.id]
        assert [t.id for t in tickets.due_before(T0, 10)] == [overdue.id, due.id, warned.id]
        assert [t.id for t in tickets.due_before(T0, 10, warnings_below=1)] == [
            overdue.id, due.id]
        # Novo, or Em estimativa never taken (R14, R16).
        assert [t.id for t in tickets.new_before(T0 - timedelta(hours=2), 10)] == [
            fresh.id, estimate.id]
        assert [t.id for t in tickets.new_before(T0 - timedelta(hours=2), 1)] == [fresh.id]


def test_r12_r13_r14_the_sweeps_read_one_priority_for_its_own_alarms(world: World) -> None:
    """R12: a critical ticket's first-response alarm and 'vence em breve' warning come sooner
    than a Padrão one's: each sweep reads the tickets of one priority, in its index's order."""
    with world.store() as uow:
        crit = dict(priority=Priority.CRITICAL)
        due_crit = world.open(uow, status=Status.IN_PROGRESS, due_at=T0, **crit)
        due_std = world.open(uow, status=Status.IN_PROGRESS, due_at=T0 - timedelta(hours=1))
        world.open(uow, status=Status.IN_PROGRESS, due_at=T0, due_warnings_sent=1, **crit)
        new_std = world.open(uow, at=T0 - timedelta(hours=4))
        new_crit = world.open(uow, at=T0 - timedelta(hours=3), **crit)
        est_crit = world.open(uow, at=T0 - timedelta(hours=2), status=Status.ESTIMATE, **crit)
        world.open(uow, at=T0 - timedelta(hours=3), first_response_flagged=True, **crit)
        uow.commit()
    with world.store() as uow:
        tickets = uow.tickets
        assert [t.id for t in tickets.due_before(T0, 10, warnings_below=1,
                                                 priority=Priority.CRITICAL)] == [due_crit.id]
        assert [t.id for t in tickets.due_before(T0, 10, warnings_below=1,
                                                 priority=Priority.STANDARD)] == [due_std.id]
        assert [t.id for t in tickets.new_before(T0, 10, Priority.CRITICAL)] == [
            new_crit.id, est_crit.id]
        assert [t.id for t in tickets.new_before(T0, 10, Priority.STANDARD)] == [new_std.id]
        assert [t.id for t in tickets.new_before(T0, 10)] == [
            new_std.id, new_crit.id, est_crit.id]


def test_r13_r21_views_read_the_sweeps_order_without_locks_and_count_what_is_late(
        world: World) -> None:
    """What /ticket aprovacao and atrasados show: every ticket the sweeps would look at,
    warned or not, without the sweep's row locks; and how many are late in all."""
    with world.store() as uow:
        old = world.open(uow, status=Status.AWAITING_APPROVAL, reminders_sent=2,
                         awaiting_since=T0 - timedelta(days=14))
        new = world.open(uow, status=Status.AWAITING_APPROVAL, awaiting_since=T0)
        warned = world.open(uow, status=Status.ASSIGNED, due_at=T0, due_warnings_sent=2)
        latest = world.open(uow, status=Status.IN_DEVELOPMENT, due_at=T0 - timedelta(days=2))
        world.open(uow, status=Status.IN_PROGRESS, due_at=T0 + timedelta(minutes=1))
        world.open(uow, status=Status.AWAITING_APPROVAL, due_at=T0 - timedelta(days=1))
        world.open(uow, status=Status.CLOSED, due_at=T0 - timedelta(days=1))
        uow.commit()
    with world.store() as uow:
        tickets = uow.tickets
        assert [t.id for t in tickets.awaiting_before(T0, 10, lock=False)] == [old.id, new.id]
        late = tickets.due_before(T0, 10, warnings_below=None, lock=False)
        assert [t.id for t in late] == [latest.id, warned.id]
        assert tickets.count_due_before(T0) == 2
        assert tickets.count_due_before(T0 - timedelta(days=3)) == 0


def test_r7_answer_awaited_is_the_requesters_open_tickets_the_team_spoke_last_in(
        world: World) -> None:
    """The team's public trâmite last (a customer's answer, a note or a system line after it
    changes nothing but the customer's answer); not awaiting approval, not another's."""

    def said(uow: Any, ticket: Ticket, author: int | None, minutes: int,
             kind: EntryKind = EntryKind.PUBLIC) -> None:
        uow.entries.add(Entry(ticket_id=ticket.id, author_id=author, kind=kind, text="…",
                              created_at=T0 + timedelta(minutes=minutes)))

    with world.store() as uow:
        asked = world.open(uow, status=Status.IN_PROGRESS)
        said(uow, asked, world.carla, 0)
        said(uow, asked, world.ana, 1)
        said(uow, asked, world.ana, 2, EntryKind.INTERNAL)
        said(uow, asked, None, 3, EntryKind.SYSTEM)
        answered = world.open(uow, status=Status.IN_PROGRESS, at=T0 + timedelta(hours=1))
        said(uow, answered, world.ana, 0)
        said(uow, answered, world.carla, 1)
        approval = world.open(uow, status=Status.AWAITING_APPROVAL, at=T0 + timedelta(hours=2))
        said(uow, approval, world.ana, 0)
        closed = world.open(uow, status=Status.CLOSED, at=T0 + timedelta(hours=3))
        said(uow, closed, world.ana, 0)
        newer = world.open(uow, status=Status.NEW, at=T0 + timedelta(hours=4))
        said(uow, newer, world.ana, 0)
        colleague = world.open(uow, requester=world.joao, status=Status.IN_PROGRESS)
        said(uow, colleague, world.ana, 0)
        uow.commit()
    with world.store() as uow:
        assert [t.id for t in uow.tickets.answer_awaited(world.carla, 5)] == [newer.id,
                                                                              asked.id]
        assert [t.id for t in uow.tickets.answer_awaited(world.carla, 1)] == [newer.id]
        assert uow.tickets.answer_awaited(world.rita, 5) == []


# -- threads, outbox, conversations, documents ---------------------------------------------


def test_r7_entries_with_attachments_and_internal_notes(world: World) -> None:
    with world.store() as uow:
        ticket = world.open(uow)
        first = uow.entries.add(Entry(
            ticket_id=ticket.id, author_id=world.carla, text="Segue o XML", created_at=T0,
            attachments=[Attachment(filename="nota.xml", content_type="application/xml",
                                    size=1200, sha256="a" * 64)]))
        note = uow.entries.add(Entry(ticket_id=ticket.id, author_id=world.ana,
                                     kind=EntryKind.INTERNAL, text="Nota interna",
                                     created_at=T0 + timedelta(minutes=1)))
        system = uow.entries.add(Entry(ticket_id=ticket.id, kind=EntryKind.SYSTEM,
                                       text="Ticket repassado", created_at=T0))
        loose = uow.entries.add_attachment(Attachment(ticket_id=ticket.id, filename="tela.png",
                                                      sha256="b" * 64, size=10))
        uow.commit()
    with world.store() as uow:
        public = uow.entries.list(ticket.id, include_internal=False)
        assert [e.id for e in public] == [first.id, system.id]
        assert public[0] == first
        assert public[0].attachments[0].entry_id == first.id
        assert public[0].attachments[0].ticket_id == ticket.id
        every = uow.entries.list(ticket.id, include_internal=True)
        assert [e.id for e in every] == [first.id, system.id, note.id]
        files = uow.entries.attachments(ticket.id)
        assert [a.filename for a in files] == ["nota.xml", "tela.png"]
        assert files[1] == loose
        assert uow.entries.list(9999, include_internal=True) == []


def test_outbox_keeps_messages_as_json(world: World) -> None:
    with world.store() as uow:
        ticket = world.open(uow)
        message = uow.outbox.add(OutboxMessage(
            channel=Channel.TELEGRAM, target="123456", kind="ticket.opened",
            params={"number": ticket.number, "when": T0, "status": Status.NEW, "n": (1, 2)},
            ticket_id=ticket.id, created_at=T0))
        uow.outbox.add(OutboxMessage(channel=Channel.EMAIL, target="carla@exemplo.com.br",
                                     kind="ticket.opened", created_at=T0))
        uow.commit()
    with world.store() as uow:
        stored = uow.outbox.all()
        assert [m.id for m in stored] == sorted(m.id for m in stored)
        assert stored[0].id == message.id
        assert stored[0].status == DeliveryStatus.PENDING
        assert stored[0].params == {"number": "202611/0001", "when": "2026-11-24T13:00:00Z",
                                    "status": "novo", "n": [1, 2]}
        assert stored[0].ticket_id == ticket.id
        assert stored[0].created_at == T0
        assert stored[1].params == {}
        assert stored[1].channel == Channel.EMAIL


def test_outbox_add_many_gives_each_message_its_own_row_id(world: World) -> None:
    """Several notifications written in one statement: each id points at its own row."""
    targets = [("telegram", "111"), ("email", "ana@exemplo.com.br"), ("slack", "user:UANA"),
               ("telegram", "222")]
    with world.store() as uow:
        uow.outbox.add(OutboxMessage(channel=Channel.EMAIL, target="antes@exemplo.com.br",
                                     kind="test.note", created_at=T0))
        added = uow.outbox.add_many([
            OutboxMessage(channel=Channel(channel), target=target, kind="test.note",
                          params={"n": n}, created_at=T0)
            for n, (channel, target) in enumerate(targets)])
        uow.commit()
    with world.store() as uow:
        by_id = {m.id: m for m in uow.outbox.all()}
    assert len({m.id for m in added}) == len(targets)
    assert [(by_id[m.id].channel.value, by_id[m.id].target, by_id[m.id].params["n"])
            for m in added] == [(c, t, n) for n, (c, t) in enumerate(targets)]


def test_outbox_take_pending_gives_one_destinations_rows_once_oldest_first(world: World) -> None:
    """The terminal chat's notices: its person's pending rows, marked sent as taken."""
    later = T0 + timedelta(minutes=5)
    with world.store() as uow:
        uow.outbox.add_many([
            OutboxMessage(channel=Channel(channel), target=target, kind="test.note",
                          params={"n": n}, created_at=T0)
            for n, (channel, target) in enumerate([
                ("terminal", "7"), ("terminal", "8"), ("email", "7"), ("terminal", "7")])])
        uow.commit()
    with world.store() as uow:
        taken = uow.outbox.take_pending(Channel.TERMINAL, "7", later)
        uow.commit()
    assert [m.params["n"] for m in taken] == [0, 3]
    with world.store() as uow:
        assert uow.outbox.take_pending(Channel.TERMINAL, "7", later) == []
        by_n = {m.params["n"]: m for m in uow.outbox.all()}
    assert [(by_n[n].status, by_n[n].sent_at) for n in range(4)] == [
        (DeliveryStatus.SENT, later), (DeliveryStatus.PENDING, None),
        (DeliveryStatus.PENDING, None), (DeliveryStatus.SENT, later)]


def test_outbox_add_many_keeps_order_and_values_over_many_rows(world: World) -> None:
    later = T0 + timedelta(minutes=5)
    with world.store() as uow:
        added = uow.outbox.add_many([
            OutboxMessage(channel=Channel.EMAIL, target=f"n{n}@exemplo.com.br", kind="test.note",
                          params={"n": n, "when": T0}, created_at=T0,
                          next_attempt_at=later if n % 2 else None)
            for n in range(41)])
        uow.commit()
    with world.store() as uow:
        by_id = {m.id: m for m in uow.outbox.all()}
    assert len({m.id for m in added}) == 41
    stored = [by_id[m.id] for m in added]
    assert [(m.target, m.params, m.next_attempt_at) for m in stored] == [
        (f"n{n}@exemplo.com.br", {"n": n, "when": "2026-11-24T13:00:00Z"},
         later if n % 2 else None) for n in range(41)]
    assert all(m.status == DeliveryStatus.PENDING and m.created_at == T0 for m in stored)


def test_conversation_versions_guard_concurrent_saves(world: World) -> None:
    key = ConversationKey(channel="telegram", chat_id="42", user_key="42")
    state = ConversationState(key=key, user_id=world.carla, flow="intake", step="assunto",
                              data={"tipo": "varejo", "anexos": ("a",)}, prompt_id=3,
                              updated_at=T0)
    with world.store() as uow:
        assert uow.conversations.get(key) is None
        saved = uow.conversations.save(state)
        assert saved.version == 1
        uow.commit()
    with world.store() as uow:
        stored = uow.conversations.get(key)
        assert stored.data == {"tipo": "varejo", "anexos": ["a"]}
        assert (stored.user_id, stored.flow, stored.step, stored.prompt_id, stored.version) == (
            world.carla, "intake", "assunto", 3, 1)
        assert stored.updated_at == T0
        stale = stored.model_copy(deep=True)
        stored.step = "descricao"
        assert uow.conversations.save(stored).version == 2
        with pytest.raises(Conflict) as err:
            uow.conversations.save(stale)
        assert err.value.key == "error.conversation_moved"
        fresh = ConversationState(key=key, updated_at=T0)
        with pytest.raises(Conflict):
            uow.conversations.save(fresh)
        ghost = ConversationState(key=ConversationKey(channel="slack", chat_id="C1",
                                                      user_key="U1"), version=4)
        with pytest.raises(Conflict):
            uow.conversations.save(ghost)
        uow.commit()
    with world.store() as uow:
        assert uow.conversations.get(key).step == "descricao"
        assert uow.conversations.get(key).version == 2


def test_conversation_reads_in_one_unit_of_work_are_independent_and_current(
        world: World) -> None:
    key = ConversationKey(channel="telegram", chat_id="7", user_key="7")
    with world.store() as uow:
        uow.conversations.save(ConversationState(key=key, flow="intake", step="tipo",
                                                 data={"draft": {"tipo": "varejo"}},
                                                 updated_at=T0))
        first = uow.conversations.get(key)
        first.data["draft"]["tipo"] = "mudado"
        first.step = "outro"
        again = uow.conversations.get(key)
        assert (again.step, again.data, again.version) == ("tipo", {"draft": {"tipo": "varejo"}}, 1)
        again.step = "item"
        uow.conversations.save(again)
        assert (uow.conversations.get(key).step, uow.conversations.get(key).version) == ("item", 2)
        uow.conversations.delete(key)
        assert uow.conversations.get(key) is None
        uow.commit()
    with world.store() as uow:
        assert uow.conversations.get(key) is None


def test_conversations_delete_and_delete_stale(world: World) -> None:
    keys = [ConversationKey(channel="telegram", chat_id=str(i), user_key=str(i)) for i in range(3)]
    with world.store() as uow:
        for i, key in enumerate(keys):
            uow.conversations.save(ConversationState(key=key, updated_at=T0 + timedelta(hours=i)))
        uow.conversations.save(ConversationState(
            key=ConversationKey(channel="slack", chat_id="C", user_key="U")))
        uow.commit()
    with world.store() as uow:
        uow.conversations.delete(keys[2])
        uow.conversations.delete(keys[2])
        assert uow.conversations.delete_stale(T0 + timedelta(minutes=30)) == 1
        assert uow.conversations.get(keys[0]) is None
        assert uow.conversations.get(keys[1]) is not None
        assert uow.conversations.get(keys[2]) is None


def test_documents_put_and_get(world: World) -> None:
    with world.store() as uow:
        assert uow.documents.get("catalog") is None
        uow.documents.put("catalog", {"tipos": [{"id": "varejo", "nome": "Varejo"}], "v": 1})
        uow.documents.put("catalog", {"tipos": [], "v": 2, "when": T0})
        uow.commit()
    with world.store() as uow:
        assert uow.documents.get("catalog") == {"tipos": [], "v": 2,
                                                "when": "2026-11-24T13:00:00Z"}


def test_inbound_events_are_recorded_once(world: World) -> None:
    with world.store() as uow:
        assert uow.inbound.record("telegram", "1001", T0) is True
        assert uow.inbound.record("telegram", "1001", T0) is False
        assert uow.inbound.record("slack", "1001", T0 + timedelta(days=2)) is True
        uow.commit()
    with world.store() as uow:
        assert uow.inbound.record("telegram", "1001", T0) is False
        assert uow.inbound.delete_before(T0 + timedelta(days=1)) == 1
        assert uow.inbound.record("telegram", "1001", T0) is True


def test_slack_cards(world: World) -> None:
    with world.store() as uow:
        ticket = world.open(uow)
        assert uow.slack_cards.get(ticket.id) is None
        uow.slack_cards.put(SlackCard(ticket_id=ticket.id, channel="CTRIAGE", ts="1700.01"))
        uow.slack_cards.put(SlackCard(ticket_id=ticket.id, channel="CTRIAGE", ts="1700.02"))
        uow.commit()
    with world.store() as uow:
        card = SlackCard(ticket_id=ticket.id, channel="CTRIAGE", ts="1700.02")
        assert uow.slack_cards.get(ticket.id) == card
        assert uow.slack_cards.by_ts("CTRIAGE", "1700.02") == card
        assert uow.slack_cards.by_ts("CTRIAGE", "1700.01") is None
        other = world.open(uow)
        with pytest.raises(Conflict):
            uow.slack_cards.put(SlackCard(ticket_id=other.id, channel="CTRIAGE", ts="1700.02"))


def test_slack_dev_posts(world: World) -> None:
    """R15: every post of a ticket in the development channel, found again by its thread."""
    first = SlackDevPost(ticket_id=0, channel="CDEV", ts="1700.01", actor="Ana", note="ICMS")
    with world.store() as uow:
        ticket = world.open(uow)
        assert uow.slack_dev_posts.for_ticket(ticket.id) == []
        first.ticket_id = ticket.id
        second = first.model_copy(update={"ts": "1700.02", "note": None})
        uow.slack_dev_posts.add(second)
        uow.slack_dev_posts.add(first)
        uow.commit()
    with world.store() as uow:
        assert uow.slack_dev_posts.for_ticket(ticket.id) == [first, second]
        assert uow.slack_dev_posts.by_ts("CDEV", "1700.02") == second
        assert uow.slack_dev_posts.by_ts("CTRIAGE", "1700.02") is None
        other = world.open(uow)
        with pytest.raises(Conflict):
            uow.slack_dev_posts.add(first.model_copy(update={"ticket_id": other.id}))
        assert uow.slack_dev_posts.for_ticket(other.id) == []


def test_a_card_redraw_waiting_covers_the_next_of_its_ticket(world: World) -> None:
    """A redraw already pending for a ticket's card (or its update with a line, `also`) covers
    the next one of that ticket; another ticket's, or one already sent, does not."""
    def redraw(ticket_id: int | None) -> OutboxMessage:
        return OutboxMessage(channel=Channel.SLACK, target="cards", kind="card.redraw",
                             ticket_id=ticket_id, created_at=T0, next_attempt_at=T0)

    with world.store() as uow:
        a, b, c = (world.open(uow).id for _ in range(3))
        card = redraw(c).model_copy(update={"target": "triage", "kind": "card"})
        uow.outbox.add_many([redraw(a), card])
        uow.commit()
    with world.store() as uow:
        also = [("triage", "card")]
        added = uow.outbox.add_unless_pending([redraw(a), redraw(b), redraw(c)], T0, also)
        assert [m.ticket_id for m in added] == [b]
        assert [m.ticket_id for m in uow.outbox.add_unless_pending([redraw(c)], T0)] == [c]
        uow.commit()
    with world.store() as uow:
        rows = [(m.target, m.ticket_id) for m in uow.outbox.all()]
        assert rows == [("cards", a), ("triage", c), ("cards", b), ("cards", c)]


def test_slack_homes_and_a_redraw_waiting_once(world: World) -> None:
    """Who opened the Home lately; a redraw already waiting for a person covers the next."""
    with world.store() as uow:
        uow.slack_homes.opened("UANA", T0 - timedelta(days=2))
        uow.slack_homes.opened("UBRUNO", T0)
        uow.slack_homes.opened("UANA", T0 + timedelta(hours=1))
        uow.commit()
    with world.store() as uow:
        assert uow.slack_homes.viewers(T0) == ["UANA", "UBRUNO"]
        assert uow.slack_homes.viewers(T0 + timedelta(minutes=1)) == ["UANA"]
        home = OutboxMessage(channel=Channel.SLACK, target="home:UANA", kind="home",
                             created_at=T0, next_attempt_at=T0)
        assert uow.outbox.add_unless_waiting(home, T0) is True
        assert uow.outbox.add_unless_waiting(home.model_copy(update={"id": None}), T0) is False
        dm = home.model_copy(update={"id": None, "target": "user:UANA"})
        assert uow.outbox.add_unless_waiting(dm, T0) is True
        uow.commit()
    with world.store() as uow:
        assert [m.target for m in uow.outbox.all()] == ["home:UANA", "user:UANA"]


def test_slack_opened_cards_per_person_place_and_ticket_and_forgotten_when_old(
        world: World) -> None:
    """The cards Abrir showed: one per person, conversation and ticket, replaced by the next;
    a person's older than a moment are dropped, nobody else's."""
    with world.store() as uow:
        ticket = world.open(uow)
        tid = ticket.id or 0
        dm = SlackOpenedCard(slack_id="UANA", channel="DANA", ticket_id=tid, ts="1700.01",
                             drawn="abc", opened_at=T0 - timedelta(hours=1))
        below = SlackOpenedCard(slack_id="UANA", channel="CTRIAGE/1700.05", ticket_id=tid,
                                drawn="abc", opened_at=T0)
        bruno = dm.model_copy(update={"slack_id": "UBRUNO", "channel": "DBRUNO"})
        for card in (dm, below, bruno):
            uow.slack_opened_cards.put(card)
        uow.commit()
    with world.store() as uow:
        assert uow.slack_opened_cards.get("UANA", "DANA", tid) == dm
        assert uow.slack_opened_cards.get("UANA", "CTRIAGE/1700.05", tid) == below
        assert uow.slack_opened_cards.get("UANA", "DBRUNO", tid) is None
        pointed = below.model_copy(update={"pointed": True, "drawn": "def"})
        uow.slack_opened_cards.put(pointed)
        assert uow.slack_opened_cards.forget("UANA", T0 - timedelta(minutes=30)) == 1
        uow.commit()
    with world.store() as uow:
        assert uow.slack_opened_cards.get("UANA", "DANA", tid) is None
        assert uow.slack_opened_cards.get("UANA", "CTRIAGE/1700.05", tid) == pointed
        assert uow.slack_opened_cards.get("UBRUNO", "DBRUNO", tid) == bruno


def test_a_slack_opened_card_is_claimed_once(world: World) -> None:
    """The press that posts a card in the DM claims it first: a second claim of that person,
    conversation and ticket gets the first one back and records nothing."""
    with world.store() as uow:
        tid = world.open(uow).id or 0
        posting = SlackOpenedCard(slack_id="UANA", channel="DANA", ticket_id=tid, drawn="abc",
                                  opened_at=T0)
        assert uow.slack_opened_cards.claim(posting) is None
        uow.commit()
    with world.store() as uow:
        later = posting.model_copy(update={"drawn": "def", "opened_at": T0 + timedelta(1)})
        assert uow.slack_opened_cards.claim(later) == posting
        assert uow.slack_opened_cards.claim(later.model_copy(update={"channel": "DX"})) is None
        uow.commit()
    with world.store() as uow:
        assert uow.slack_opened_cards.get("UANA", "DANA", tid) == posting


# -- the unit of work ---------------------------------------------------------------------


def test_rollback_and_uncommitted_work_are_discarded(world: World) -> None:
    with world.store() as uow:
        kept = world.open(uow)
        uow.commit()
        lost = world.open(uow)
        uow.documents.put("x", {"a": 1})
        uow.rollback()
        assert uow.tickets.get(lost.id) is None
        assert uow.documents.get("x") is None
        after = world.open(uow)
        uow.commit()
        assert after.seq == 2
    with world.store() as uow:
        world.open(uow)
        uow.companies.add(Company(name="Fantasma"))
    with world.store() as uow:
        assert uow.companies.by_name("Fantasma") is None
        assert [t.id for t in uow.tickets.list(TicketQuery())] == [after.id, kept.id]
        assert uow.tickets.next_seq("202611") == 3


def test_a_failed_insert_leaves_the_transaction_usable(world: World) -> None:
    with world.store() as uow:
        with pytest.raises(Conflict):
            uow.companies.add(Company(name="Loja Rival"))
        uow.companies.add(Company(name="Nova"))
        uow.commit()
    with world.store() as uow:
        assert uow.companies.by_name("nova") is not None


def test_lock_is_granted(world: World) -> None:
    with world.store() as uow:
        assert uow.lock("sweeps") is True
