"""Shared set-up through the real use cases: companies, trained customers, an agent."""

from __future__ import annotations

from dataclasses import dataclass

from bots.runtime import Desk
from core.models import Role
from core.services import users
from core.services.context import Ctx
from core.services.intake import TicketDraft

ASSUNTO = "Rejeição 539 ao transmitir NF-e de venda para cliente do PR"
DESCRICAO = (
    "O erro ocorre ao transmitir a nota fiscal 10125 para um cliente do estado do PR: a SEFAZ "
    "devolve a rejeição 539 (duplicidade de NF-e com diferença na chave de acesso). Começou "
    "depois da atualização para a versão 2026.11; segue o XML gerado e a imagem da rejeição."
)


def draft() -> TicketDraft:
    """A complete intake, as a customer finishes it in the chat."""
    return TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="nfe", versao="2026.11",
                       assunto=ASSUNTO, descricao=DESCRICAO)


@dataclass
class People:
    """Ids of the people a part acts as."""

    company_id: int
    customer_id: int
    agent_id: int


def _link_telegram(ctx: Ctx, user_id: int, telegram_id: int) -> None:
    user = ctx.uow.users.get(user_id)
    assert user is not None
    user.telegram_id = telegram_id
    ctx.uow.users.update(user)


def setup_people(desk: Desk, company: str = "Mercado Exemplo Ltda", telegram_id: int = 5001
                 ) -> People:
    """A client company, a trained customer linked to Telegram, and an agent."""
    comp = desk.call(users.add_company, company)
    customer = desk.call(users.add_user, name="Carla Souza", email="carla@mercado.example.com",
                         company_names=[company], trained=True)
    agent = desk.call(users.add_user, name="Ana Ribeiro", email="ana@suporte.example.com",
                      role=Role.AGENT)
    assert comp.id is not None
    assert customer.id is not None
    assert agent.id is not None
    desk.call(_link_telegram, customer.id, telegram_id)
    return People(company_id=comp.id, customer_id=customer.id, agent_id=agent.id)
