"""R12: two agents sending different workarounds from their chats at once reach the customer
once, as Slack's form does (4aca4f3).

Ana and Bruno each opened *Enviar solução de contorno* on the same ticket's page in their chats
(each on another instance) and sent different words at the same moment: Carla got two
workarounds, each told as "the" one. The first to reach the ticket goes; the other agent is
told, in their language, who sent what meanwhile, their words kept: sent anyway on purpose,
they go as a second workaround; discarded, nothing more goes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fakes.chat import Chat
from test_slack_instances import url_of
from test_slack_workaround import TicketHolder

from core.conversation import terminal_key
from core.i18n import t
from core.models import Role, Status
from core.policy import Policy
from core.services import handling, intake, users
from core.services.context import Ctx
from core.services.intake import TicketDraft
from storage.sql import SqlStore

T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
WORDS = {"ana": "Emita em contingência (Fiscal / NF-e / Contingência) até a correção.",
         "bruno": "Use o PDV 2 até a correção."}
NAMES = {"ana": "Ana Atendente", "bruno": "Bruno Suporte"}
LANG = {"ana": "pt_BR", "bruno": "en"}


@pytest.fixture
def desk(sql_store: Any) -> Iterator[tuple[SqlStore, SqlStore, int, dict[str, int]]]:
    """Two instances on one database, a ticket of Carla's that Ana took; Bruno reads English."""
    with sql_store() as uow:
        ctx = Ctx(uow, T0, Policy())
        users.add_company(ctx, "Mercado Exemplo")
        carla = users.add_user(ctx, name="Carla Souza", email="carla@example.com",
                               company_names=["Mercado Exemplo"], trained=True)
        ids = {who: users.add_user(ctx, name=NAMES[who], email=f"{who}@example.com",
                                   role=Role.AGENT, trained=True).id or 0 for who in NAMES}
        draft = TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas",
                            versao="2026.11", assunto="Não consigo emitir NF-e",
                            descricao="A nota 10125 é rejeitada.")
        ticket = intake.open_ticket(ctx, carla.id or 0, draft)
        handling.take(ctx, ids["ana"], ticket.id or 0)
        bruno = uow.users.get(ids["bruno"])
        bruno.language = "en"
        uow.users.update(bruno)
        uow.commit()
    other = SqlStore(url_of(sql_store))
    yield sql_store, other, ticket.id or 0, ids
    other.dispose()


def _at_the_question(store: SqlStore, user_id: int, number: str, lang: str) -> Chat:
    chat = Chat(store, terminal_key(user_id), lambda: T0)
    chat.send("oi")
    chat.send(f"ticket {number}")
    chat.click(t("conv.staff.send_workaround", lang))
    assert chat.state().step == "ticket.workaround"
    return chat



@pytest.mark.parametrize("then", ["send", "discard"])
def test_r12_two_agents_sending_different_workarounds_from_their_chats_reach_the_customer_once(
        desk: tuple[SqlStore, SqlStore, int, dict[str, int]], then: str) -> None:
    one, other, ticket_id, ids = desk
    with one() as uow:
        ticket = uow.tickets.get(ticket_id)
    chats = {"ana": _at_the_question(one, ids["ana"], ticket.number, "pt_BR"),
             "bruno": _at_the_question(other, ids["bruno"], ticket.number, "en")}
    holder = TicketHolder(one, ticket_id)
    sends = [threading.Thread(target=chats[who].send, args=(WORDS[who],)) for who in chats]
    for thread in sends:
        thread.start()
    threading.Event().wait(0.3)  # both requests reach core, queued behind the holder
    holder.release()
    for thread in sends:
        thread.join(30)

    def workarounds() -> list[str]:
        with one() as uow:
            return [e.text for e in workaround_entries(uow, ticket_id)]

    [first] = workarounds()
    winner = next(who for who in WORDS if WORDS[who] == first)
    loser = next(who for who in WORDS if who != winner)
    lang, chat = LANG[loser], chats[loser]
    assert t("conv.staff.workaround_sent", LANG[winner], number=ticket.number) \
        in chats[winner].text
    assert t("conv.staff.workaround_meanwhile", lang, number=ticket.number,
             author=NAMES[winner], solution=WORDS[winner]) in chat.text
    assert WORDS[loser] in chat.prompt.text  # nothing typed is lost
    assert chat.state().step == "ticket.workaround_again"
    if then == "send":
        chat.click(t("conv.staff.workaround_anyway", lang))
        assert t("conv.staff.workaround_sent", lang, number=ticket.number) in chat.text
        assert sorted(workarounds()) == sorted(WORDS.values())  # sent on purpose: it goes
    else:
        chat.click(t("conv.staff.workaround_discard", lang))
        assert t("conv.staff.workaround_discarded", lang) in chat.text
        assert workarounds() == [first]
    with one() as uow:
        assert uow.tickets.get(ticket_id).status == Status.IN_PROGRESS


def workaround_entries(uow: Any, ticket_id: int) -> list[Any]:
    """The workarounds sent on the ticket, as core counts them."""
    from core.services import workaround
    from core.services.context import Ctx as _Ctx

    return workaround.sent(_Ctx(uow, T0, Policy()), ticket_id)
