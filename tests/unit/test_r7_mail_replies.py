"""A reply by e-mail in core (R7): added as the person's trâmite with the chat's notices, or
refused by an e-mail to the sender in their language, nothing added."""

from __future__ import annotations

from core.models import EntryKind, Status
from core.services import mail_replies
from core.services.mail_replies import MailReply


def public(world, ticket_id):  # type: ignore[no-untyped-def]
    entries = world.read(lambda uow: uow.entries.list(ticket_id, include_internal=True))
    return [e.text for e in entries if e.kind == EntryKind.PUBLIC]


def mails(world, kind_start="mail_reply."):  # type: ignore[no-untyped-def]
    return [m for m in world.outbox() if m.kind.startswith(kind_start)]


def test_r7_a_reply_is_the_customer_s_trâmite_with_the_team_told(world) -> None:  # type: ignore[no-untyped-def]
    ticket = world.open("carla")
    reply = MailReply("Carla@Exemplo.com.br", "Re: x", "Funcionou, obrigada.")
    assert world.run(mail_replies.receive, ticket.id, world.ids["carla"], reply) == "added"
    assert public(world, ticket.id) == ["Funcionou, obrigada."]
    assert any(m.kind == "ticket.tramite" for m in world.outbox())
    assert mails(world) == []


def test_r7_another_company_s_ticket_is_a_bad_token_and_nothing_is_said_of_it(world) -> None:  # type: ignore[no-untyped-def]
    theirs = world.open("rival")
    reply = MailReply("carla@exemplo.com.br", "Re: x", "Quero ver.")
    assert world.run(mail_replies.receive, theirs.id, world.ids["carla"], reply) == "bad_token"
    assert public(world, theirs.id) == []
    (answer,) = mails(world)
    assert (answer.kind, answer.target, answer.ticket_id) == (
        "mail_reply.bad_token", "carla@exemplo.com.br", None)
    assert "number" not in answer.params


def test_r7_refusals_speak_the_person_s_language(world) -> None:  # type: ignore[no-untyped-def]
    world.speaks("carla", "en")
    ticket = world.open("carla")
    world.run(lambda ctx: setattr_status(ctx, ticket.id, Status.REJECTED))
    reply = MailReply("carla@exemplo.com.br", "Re: x", "Ainda preciso.")
    assert world.run(mail_replies.receive, ticket.id, world.ids["carla"], reply) == "rejected"
    (answer,) = mails(world)
    assert answer.params["language"] == "en"
    assert answer.ticket_id == ticket.id


def setattr_status(ctx, ticket_id, status) -> None:  # type: ignore[no-untyped-def]
    ticket = ctx.uow.tickets.get(ticket_id)
    ticket.status = status
    ctx.uow.tickets.update(ticket)


def test_r7_the_same_reply_again_within_30_minutes_counts_once_after_that_it_is_new(  # type: ignore[no-untyped-def]
        world) -> None:
    """The same words and files on the same reply address (bots.email_inbound.kept): under
    another Message-ID within 30 minutes, one reply; over an hour later, a new one."""
    from bots.email_inbound import kept

    ticket = world.open("carla")
    named = (ticket.id, world.ids["carla"])
    reply = MailReply("carla@exemplo.com.br", "Re: x", "De novo.")
    outcomes = []
    for message_id, minutes in (("a", 0), ("b", 29), ("c", 32), ("d", 29)):
        world.advance(minutes=minutes)  # 0, 29, 61 and 90 minutes after the first
        outcomes.append(world.run(kept, (message_id, "same words"), named, reply))
    assert outcomes == ["added", "duplicate", "added", "duplicate"]
    assert public(world, ticket.id) == ["De novo.", "De novo."]
    other = world.run(kept, ("f", "other words"), named, reply)
    assert other == "added"


def test_r7_two_reply_addresses_of_one_ticket_are_one_the_senders_own(world) -> None:  # type: ignore[no-untyped-def]
    """A message to Ana's and Carla's reply addresses of the same ticket, and to another
    ticket's: one per ticket, Carla's own where she sent it (Ana's would refuse her From)."""
    ticket, other = world.open("carla"), world.open("carla")
    named = [(ticket.id, world.ids["ana"]), (ticket.id, world.ids["carla"]),
             (other.id, world.ids["carla"])]
    plan = world.run(mail_replies.each_ticket, named, "carla@exemplo.com.br")
    assert plan == [(ticket.id, world.ids["carla"], None), (other.id, world.ids["carla"], None)]
    from_ana = world.run(mail_replies.each_ticket, named[:1], "carla@exemplo.com.br")
    assert from_ana == [(ticket.id, world.ids["ana"], "wrong_from")]
