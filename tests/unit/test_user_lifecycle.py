"""R2: a person who leaves a client (or the support team) is deactivated, and may come back.

Nothing is deleted: tickets stay with the company, the history keeps the name, chat links stay
for a reactivation; pending invites are revoked; an agent's open tickets go back to the queue."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_linking import ASK, linked_chat

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.models import EntryKind, Role, Status
from core.ports import TicketQuery
from core.services import closing, handling, queries, sweeps, users, worklists
from core.services.system_lines import system_text

CARLA = "carla@exemplo.com.br"
ANA = "ana@exemplo.com.br"
LEFT = pt("notify.card.unassigned", assignee="Ana Atendente")


def system_texts(world, ticket, for_customer=False):
    """The ticket's system lines as the team (or the customer) reads them."""
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    return [system_text(e, None, {}, "pt_BR", for_customer)
            for e in entries if e.kind == EntryKind.SYSTEM]


def test_r2_a_deactivated_customer_s_tickets_stay_with_her_company_under_her_name(world):
    ticket = world.open("carla")
    change = world.run(users.deactivate, CARLA, "Saiu da empresa em novembro")
    assert change.changed
    assert (change.invites_revoked, change.returned) == (0, [])
    carla = world.read(lambda uow: uow.users.get(world.ids["carla"]))
    assert not carla.active
    assert (carla.deactivated_at, carla.deactivation_reason) == (
        world.now, "Saiu da empresa em novembro")
    # João, her colleague, still follows the company's tickets, hers among them.
    query = world.run(lambda ctx: queries.scoped_query(
        ctx.uow.users.get(world.ids["joao"]), whole_company=True))
    page = world.run(queries.list_tickets, world.ids["joao"], query)
    assert [t.id for t in page.tickets] == [ticket.id]
    view = world.run(queries.detail, world.ids["joao"], ticket.id)
    assert view.requester == "Carla Souza"
    assert view.authors[world.ids["carla"]] == "Carla Souza"
    assert world.ticket(ticket.id).requester_id == world.ids["carla"]


def test_r2_deactivating_revokes_pending_invites_and_keeps_the_chat_link(world):
    """A reactivated person is recognised again in the chat already linked, with no new
    invite; a code issued before the deactivation no longer links anyone."""
    chat = linked_chat(world)  # Carla's Telegram, linked with a redeemed invite
    pending = world.run(users.create_invite, CARLA)
    change = world.run(users.deactivate, CARLA)
    assert change.invites_revoked == 1
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).telegram_id == 5550001
    chat.send("oi")
    assert chat.text.startswith(pt("conv.eligibility.inactive", contact=ASK))
    reactivated = world.run(users.reactivate, CARLA)
    assert reactivated.changed
    assert reactivated.user.active
    assert reactivated.user.deactivated_at is None
    assert reactivated.user.deactivation_reason is None
    chat.send("oi")
    assert "Carla" in chat.text
    assert pt("conv.eligibility.inactive", contact=ASK) not in chat.text
    with pytest.raises(InvalidInput) as err:
        world.run(users.redeem_invite, pending.code, telegram_id=777)
    assert err.value.key == "error.invite_expired"


def test_r2_deactivate_and_reactivate_are_idempotent_and_name_an_unknown_e_mail(world):
    assert world.run(users.deactivate, CARLA, "Saiu").changed
    again = world.run(users.deactivate, CARLA, "Outro motivo")
    assert not again.changed
    assert again.user.deactivation_reason == "Saiu"  # the first word stays
    assert world.run(users.reactivate, CARLA).changed
    assert not world.run(users.reactivate, CARLA).changed
    with pytest.raises(NotFound) as err:
        world.run(users.deactivate, "ninguem@exemplo.com.br")
    assert err.value.key == "error.no_user_with_email"
    assert err.value.params["email"] == "ninguem@exemplo.com.br"
    with pytest.raises(NotFound):
        world.run(users.reactivate, "NINGUEM@exemplo.com.br")


def test_r2_a_reason_longer_than_200_characters_is_refused(world):
    with pytest.raises(InvalidInput) as err:
        world.run(users.deactivate, CARLA, "x" * 201)
    assert err.value.key == "error.too_long"
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).active


def test_r12_a_deactivated_agent_s_open_tickets_go_back_to_the_queue_with_nobody(world):
    """Her tickets would otherwise wait for someone who no longer works them."""
    ana, bruno = world.ids["ana"], world.ids["bruno"]
    taken, handed, dev, answered, his, done = (world.open("carla", assunto=f"Erro {i}")
                                               for i in range(6))
    world.run(handling.take, ana, taken.id)
    world.run(handling.assign, bruno, handed.id, ana)
    world.run(handling.forward_to_development, ana, dev.id, "Rever o cálculo")
    world.run(closing.request_approval, ana, answered.id, "Ajustado o cadastro", "erro_sistema")
    world.run(handling.take, bruno, his.id)
    world.run(handling.take, ana, done.id)
    world.run(closing.request_approval, ana, done.id, "Resolvido", "erro_sistema")
    world.run(closing.approve, world.ids["carla"], done.id)
    due = world.ticket(taken.id).due_at
    world.advance(hours=1)
    world.deliver()  # the cards are drawn as they stand
    before = len(world.outbox())
    change = world.run(users.deactivate, ANA, "Deixou a empresa")
    assert sorted(t.number for t in change.returned) == sorted(
        t.number for t in (taken, handed, dev, answered))
    for ticket, status in ((taken, Status.NEW), (handed, Status.NEW),
                           (dev, Status.IN_DEVELOPMENT), (answered, Status.AWAITING_APPROVAL)):
        stored = world.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (status, None), ticket.assunto
        assert LEFT in system_texts(world, ticket)
        assert LEFT in system_texts(world, ticket, for_customer=True)  # why it is Novo again
    assert world.ticket(taken.id).due_at == due  # the prazo promised to the customer holds
    assert world.ticket(his.id).assignee_id == bruno
    assert world.ticket(done.id).assignee_id == ana  # a closed ticket keeps who solved it
    sent = world.outbox()[before:]
    assert {m.params.get("event") for m in sent if m.kind == "card"} == {"unassigned"}
    assert not [m for m in sent if m.kind not in ("card", "card.redraw")]  # no customer pinged
    # Bruno's card still offered her: redrawn, with no line in its thread.
    assert [m.ticket_id for m in sent if m.kind == "card.redraw"] == [his.id]
    # Back in the queue, in order, and not flagged as never answered.
    queue = world.run(worklists.queue, bruno)
    assert {taken.id, handed.id} <= {t.id for t in queue}
    world.advance(days=1)
    report = world.run(sweeps.run_all)
    assert report.first_response_flagged == 0


def test_r19_a_not_approved_ticket_with_nobody_responsible_goes_back_to_the_queue(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Feito", "erro_sistema")
    world.run(users.deactivate, ANA)
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "Continua com erro")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.NEW, None)


def test_r15_a_fix_back_from_development_with_nobody_responsible_goes_to_the_queue(world):
    ticket = world.open("carla")
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id, "Rever")
    world.run(users.deactivate, ANA)
    world.run(handling.return_from_development, world.ids["bruno"], ticket.id, "2026.11.1")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.NEW, None)


def test_r2_the_last_active_coordinator_cannot_be_deactivated(world):
    with pytest.raises(Conflict) as err:
        world.run(users.deactivate, "coord@exemplo.com.br")
    assert err.value.key == "error.last_coordinator"
    assert err.value.params["name"] == "Anderson Coordenação"
    world.run(users.add_user, name="Beatriz Coord", email="bia@exemplo.com.br",
              role=Role.COORDINATOR)
    assert world.run(users.deactivate, "coord@exemplo.com.br").changed
    with pytest.raises(Conflict):
        world.run(users.deactivate, "bia@exemplo.com.br")


def test_r6_a_deactivated_agent_is_no_longer_offered_to_hand_a_ticket_to(world):
    ticket = world.open("carla")
    world.run(users.deactivate, ANA)
    chat = chat_for(world, "bruno")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.actions"))
    chat.click(pt("slack.btn.assign"))
    assert "Ana Atendente" not in " ".join(chat.labels)
    assert "Anderson Coordenação" in chat.labels
    # A card drawn while she was active still lists her: the click says why it fails.
    with pytest.raises(NotAllowed) as err:
        world.run(handling.assign, world.ids["bruno"], ticket.id, world.ids["ana"])
    assert err.value.key == "error.assignee_inactive"
    assert pt(err.value.key, **err.value.params).startswith("Ana Atendente")
    held = TicketQuery(assignee_id=world.ids["ana"])
    assert world.read(lambda uow: uow.tickets.list(held)) == []


def _on_telegram(world, key, telegram_id):
    with world.store() as uow:
        user = uow.users.get(world.ids[key])
        user.telegram_id = telegram_id
        uow.users.update(user)
        uow.commit()


def test_r2_r12_a_deactivated_agent_s_telegram_chat_loses_the_team_menu_and_gets_it_back(world):
    """The team's "/" menu (/fila) was set on Ana's own chat and stayed there after she left;
    the reset and the return go through the outbox, one row each, to her chat only."""
    _on_telegram(world, "ana", 5003)
    _on_telegram(world, "carla", 5001)
    world.run(users.deactivate, ANA)
    world.run(users.deactivate, CARLA)  # a customer's chat has the customers' menu already
    world.run(users.deactivate, "bruno@exemplo.com.br")  # no Telegram: nothing to reset

    def menus():
        return [(m.channel.value, m.target, m.params["menu"]) for m in world.outbox()
                if m.kind == "telegram.menu"]

    assert menus() == [("telegram", "5003", "default")]
    world.run(users.deactivate, ANA)  # already deactivated: nothing new
    world.run(users.reactivate, ANA)
    world.run(users.reactivate, CARLA)
    assert menus() == [("telegram", "5003", "default"), ("telegram", "5003", "team")]


def test_r6_the_open_cards_listing_the_team_are_redrawn_when_an_agent_leaves_not_a_customer(
        world):
    queued = world.open("carla")
    held = world.open("carla")
    answered = world.open("carla")
    world.run(handling.take, world.ids["bruno"], held.id)
    world.run(handling.take, world.ids["bruno"], answered.id)
    world.run(closing.request_approval, world.ids["bruno"], answered.id, "Feito.",
              origin_id="erro_sistema")

    def redrawn():
        return sorted(m.ticket_id for m in world.outbox() if m.kind == "card.redraw")

    world.deliver()  # the cards are drawn as they stand
    world.run(users.deactivate, CARLA)
    assert redrawn() == []
    world.run(users.deactivate, ANA)
    assert redrawn() == sorted([queued.id, held.id])  # awaiting approval: no Repassar
    world.run(users.reactivate, ANA)  # those redraws, still waiting, will draw her back
    assert redrawn() == sorted([queued.id, held.id])
    world.deliver()
    world.run(users.deactivate, ANA)
    assert redrawn() == sorted([queued.id, queued.id, held.id, held.id])
