"""Demo data through the real use cases: a client company, its people, a ticket in every tab."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bots.runtime import Desk
from core.models import CriticalReason, Priority, Rating, Role, Ticket, User
from core.ports import TicketQuery
from core.services import billing, closing, handling, tramites, users
from core.services.context import Ctx
from core.services.intake import TicketDraft, open_ticket
from core.services.sweeps import calendar_for

COMPANY = "Mercado Exemplo Ltda"


@dataclass(frozen=True)
class Person:
    """A demo user."""

    name: str
    email: str
    role: Role = Role.CUSTOMER
    trained: bool = True
    note: str = ""
    """Who they are, as a catalog key (cli.demo.note.*)."""


PEOPLE = (
    Person("Carla Souza", "carla@mercadoexemplo.com.br", note="cli.demo.note.trained_f"),
    Person("João Pereira", "joao@mercadoexemplo.com.br", note="cli.demo.note.trained"),
    Person("Pedro Alves", "pedro@mercadoexemplo.com.br", trained=False,
           note="cli.demo.note.untrained"),
    Person("Ana Ribeiro", "ana@suporte.exemplo.com.br", Role.AGENT, note="cli.demo.note.agent"),
    Person("Marcos Lima", "marcos@suporte.exemplo.com.br", Role.COORDINATOR,
           note="cli.demo.note.coordinator"),
)


@dataclass
class DemoReport:
    """What the demo created this time and who to log in as."""

    company_created: bool = False
    users_created: list[str] = field(default_factory=list)
    tickets_created: list[str] = field(default_factory=list)
    tickets_existing: int = 0
    people: tuple[Person, ...] = PEOPLE


def _draft(servico: str, assunto: str, descricao: str, item: str = "suporte",
           **extra: object) -> TicketDraft:
    return TicketDraft(tipo_id="varejo", item_id=item, servico_id=servico, versao="2026.11",
                       assunto=assunto, descricao=descricao, **extra)  # type: ignore[arg-type]


def _people(ctx: Ctx, report: DemoReport) -> None:
    if ctx.uow.companies.by_name(COMPANY) is None:
        users.add_company(ctx, COMPANY)
        report.company_created = True
    for p in PEOPLE:
        if ctx.uow.users.by_email(p.email) is None:
            users.add_user(ctx, name=p.name, email=p.email, role=p.role, trained=p.trained,
                           company_names=[COMPANY] if p.role == Role.CUSTOMER else [])
            report.users_created.append(p.email)


def _count(ctx: Ctx) -> int:
    company = ctx.uow.companies.by_name(COMPANY)
    if company is None:
        return 0
    return ctx.uow.tickets.count(TicketQuery(company_id=company.id))


def _ids(ctx: Ctx) -> dict[str, int]:
    found: dict[str, User | None] = {p.email: ctx.uow.users.by_email(p.email) for p in PEOPLE}
    return {email: u.id for email, u in found.items() if u is not None and u.id is not None}


DEMO_DAY = timedelta(hours=9)
DEMO_QUOTE = "16 h de desenvolvimento e testes, R$ 2.880,00"
"""The quote of the demo's billable ticket (R23)."""


def demo_day_start(desk: Desk) -> datetime:
    """08:30 of the latest business day whose whole demo day is over: tickets opened and
    answered at 2 a.m. would not read like a support team's day."""
    calendar = calendar_for(desk.policy.timezone)
    now = desk.clock()
    day = now.astimezone(calendar.zone).date()
    while True:
        start = datetime.combine(day, time(8, 30), calendar.zone)
        if calendar.is_business_day(day) and start + DEMO_DAY <= now:
            return start.astimezone(UTC)
        day -= timedelta(days=1)


def seed_demo(desk: Desk) -> DemoReport:
    """Create the demo company, people and tickets unless they exist (safe to run twice)."""
    report = DemoReport()
    desk.call(_people, report)
    report.tickets_existing = desk.call(_count)
    if report.tickets_existing:
        return report
    ids = desk.call(_ids)
    carla, joao = ids["carla@mercadoexemplo.com.br"], ids["joao@mercadoexemplo.com.br"]
    ana, marcos = ids["ana@suporte.exemplo.com.br"], ids["marcos@suporte.exemplo.com.br"]
    start = demo_day_start(desk)
    step = iter(range(1000))

    def at(fn: Callable[..., Any], *args: object, **kwargs: object) -> Any:
        # Each step a few minutes after the previous, so the listing reads like a real day.
        return desk.at(start + timedelta(minutes=17 * next(step))).call(fn, *args, **kwargs)

    def opened(actor: int, draft: TicketDraft) -> Ticket:
        ticket: Ticket = at(open_ticket, actor, draft, alone=True)
        report.tickets_created.append(ticket.number)
        return ticket

    nfe = opened(carla, _draft(
        "nfe", "NF-e rejeitada: 539 Duplicidade de NF-e",
        "Menu Fiscal > NF-e > Emitir. Ao transmitir a nota fiscal 10125 a SEFAZ devolve "
        "'539 Duplicidade de NF-e com diferença na chave de acesso'. Versão 2026.11."))
    opened(joao, _draft(
        "pdv", "PDV não abre o caixa na loja 2",
        "Frente de caixa > Abertura. Desde as 8h o PDV da loja 2 trava na abertura do caixa; "
        "as vendas estão paradas.", priority=Priority.CRITICAL,
        critical_reason=CriticalReason.AREA_STOPPED))
    custom = opened(carla, _draft(
        "relatorios", "Relatório de vendas por vendedor com margem",
        "Precisamos de um relatório de vendas por vendedor mostrando a margem de cada venda, "
        "filtrado por período e loja.", item="implementacao"))
    # Outside the contract (R22): billable, quoted, and Carla authorized the charge (R23).
    at(billing.classify_origin, marcos, custom.id, "nao_atendidas", quote=DEMO_QUOTE)
    at(billing.record_billing_authorization, carla, custom.id, True)
    working = opened(carla, _draft(
        "contratos", "Erro reajuste contrato de venda",
        "Contratos > Reajuste. Ao reajustar o contrato 4411 pelo índice IGP-M o valor da "
        "parcela fica zerado."))
    at(handling.take, ana, working.id)
    at(handling.set_justificativa, ana, working.id, "Em análise e Simulação")
    at(tramites.add_internal_note, ana, working.id, "Reproduzi na base de testes; parece o "
       "arredondamento do índice.")
    passed = opened(joao, _draft(
        "contratos", "Módulo Contratos - campos ocultos",
        "Contratos > Cadastro. Os campos de observação e vigência sumiram da tela."))
    at(handling.assign, marcos, passed.id, ana)
    waiting = opened(joao, _draft(
        "estoque", "Saldo de estoque divergente após inventário",
        "Estoque > Inventário. Depois de fechar o inventário de 10/11 o saldo do produto "
        "7891234 ficou negativo."))
    at(handling.take, ana, waiting.id)
    at(closing.request_approval, ana, waiting.id,
       "O inventário foi fechado com a data do dia anterior. Reabrimos e fechamos com a data "
       "correta; o saldo voltou ao normal. Confira, por favor.", origin_id="instrucao")
    done = opened(carla, _draft(
        "financeiro", "Boleto com vencimento errado",
        "Financeiro > Contas a receber > Boletos. O boleto da duplicata 5521 saiu com "
        "vencimento em 2025."))
    at(handling.take, ana, done.id)
    at(closing.request_approval, ana, done.id,
       "A condição de pagamento estava com prazo de -365 dias; corrigimos o cadastro e "
       "reemitimos o boleto.", origin_id="erro_sistema")
    at(closing.approve, carla, done.id)
    at(closing.rate, carla, done.id, Rating.GREAT)
    duplicate = opened(carla, _draft(
        "nfe", "Nota rejeitada duplicidade",
        "A nota 10125 continua rejeitada por duplicidade."))
    at(handling.reject_duplicate, ana, duplicate.id, nfe.number)
    return report
