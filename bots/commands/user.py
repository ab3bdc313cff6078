"""`helpdesk user add|invite|list|train`: customers, agents and coordinators (R2, R11)."""

from __future__ import annotations

from typing import Annotated

import typer

from bots.clikit import company_named, container, local_time, table, user_by_email
from core.models import Invite, Role, User
from core.services.context import Ctx
from core.services.users import add_user, create_invite, set_trained

user = typer.Typer(help="Usuários: clientes, atendentes e coordenadores.", no_args_is_help=True)

ROLE_LABELS = {Role.CUSTOMER: "cliente", Role.AGENT: "atendente", Role.COORDINATOR: "coordenador"}


@user.command("add")
def add(
    name: Annotated[str, typer.Option(metavar="NOME", help="Nome completo.")],
    email: Annotated[str, typer.Option(metavar="EMAIL", help="E-mail (também o login).")],
    companies: Annotated[list[str] | None, typer.Option(
        "--company", metavar="EMPRESA",
        help="Empresa do cliente; repita para mais de uma.")] = None,
    trained: Annotated[bool, typer.Option(
        "--trained", help="Já treinado: pode abrir tickets (R2).")] = False,
    role: Annotated[Role, typer.Option(help="Papel no helpdesk.")] = Role.CUSTOMER,
    slack_id: Annotated[str | None, typer.Option(
        metavar="ID", help="ID do usuário no Slack (atendentes), p.ex. U0123ABCD.")] = None,
    phone: Annotated[str | None, typer.Option(
        metavar="TELEFONE", help="Telefone com DDD.")] = None,
) -> None:
    """Cadastra um usuário de uma ou mais empresas, ou da equipe de suporte."""
    desk = container().desk
    # "Padaria" for "Padaria Pão Quente Ltda", as `tickets --company` takes it.
    named = desk.call(lambda ctx: [company_named(ctx, c).name for c in companies or []])
    created = desk.call(
        add_user, name=name, email=email, company_names=named, role=role,
        trained=trained, slack_id=slack_id, phone=phone,
    )
    typer.echo(f"Usuário cadastrado: {created.name} <{created.email}> "
               f"({ROLE_LABELS[created.role]}, id {created.id})")
    if not created.trained and created.role == Role.CUSTOMER:
        typer.echo("Ainda não treinado: só poderá abrir tickets depois de "
                   f"`helpdesk user train {created.email}`.")


def _invite(ctx: Ctx, email: str) -> tuple[Invite, User]:
    return create_invite(ctx, email), user_by_email(ctx, email)


@user.command("invite")
def invite(email: Annotated[str, typer.Argument(help="E-mail do usuário cadastrado.")]) -> None:
    """Gera um código de uso único que liga a conta de chat ao usuário (R2)."""
    c = container()
    code, who = c.desk.call(_invite, email)
    typer.echo(f"Código de convite de {who.name}: {code.code}")
    typer.echo(f"Válido até {local_time(code.expires_at, c.policy.timezone)}, uma única vez.")
    typer.echo(f"No Telegram, envie ao bot: /start {code.code}")


def _users(ctx: Ctx) -> tuple[list[User], dict[int, str]]:
    names = {c.id: c.name for c in ctx.uow.companies.list() if c.id is not None}
    return ctx.uow.users.list(), names


@user.command("list")
def list_() -> None:
    """Lista os usuários com papel, treinamento, empresas e contas de chat ligadas."""
    users, names = container().desk.call(_users)
    if not users:
        typer.echo("Nenhum usuário cadastrado. Use `helpdesk user add`.")
        return
    rows = [
        (u.id, u.name, u.email, ROLE_LABELS[u.role], "sim" if u.trained else "não",
         ", ".join(names.get(i, str(i)) for i in u.company_ids),
         "sim" if u.telegram_id else "", u.slack_id or "", "" if u.active else "inativo")
        for u in users
    ]
    typer.echo(table(["Id", "Nome", "E-mail", "Papel", "Treinado", "Empresas", "Telegram",
                      "Slack", ""], rows, {1: 30, 2: 40, 5: 40}))


def _train(ctx: Ctx, email: str, trained: bool) -> User:
    return set_trained(ctx, user_by_email(ctx, email).id or 0, trained)


@user.command("train")
def train(
    email: Annotated[str, typer.Argument(help="E-mail do usuário.")],
    undo: Annotated[bool, typer.Option("--undo", help="Marca como não treinado.")] = False,
) -> None:
    """Marca o usuário como treinado: passa a poder abrir tickets (R2)."""
    changed = container().desk.call(_train, email, not undo)
    state = "treinado" if changed.trained else "não treinado"
    typer.echo(f"{changed.name} <{changed.email}> agora está {state}.")


def register(app: typer.Typer) -> None:
    """Add the `user` group."""
    app.add_typer(user, name="user")


