"""`helpdesk user add|invite|list|train|deactivate|reactivate`: customers, agents and
coordinators (R2, R11)."""

from __future__ import annotations

from typing import Annotated

import typer

from bots.clikit import company_named, container, local_time, table, user_by_email
from core.models import Invite, Role, User
from core.services.context import Ctx
from core.services.users import (
    AccountChange,
    add_user,
    create_invite,
    deactivate,
    reactivate,
    set_trained,
)

user = typer.Typer(help="cli.help.user", no_args_is_help=True)

ROLE_LABELS = {Role.CUSTOMER: "cliente", Role.AGENT: "atendente", Role.COORDINATOR: "coordenador"}


@user.command("add", help="cli.help.user.add")
def add(
    name: Annotated[str, typer.Option(metavar="cli.metavar.name", help="cli.help.user.add.name")],
    email: Annotated[str, typer.Option(metavar="EMAIL", help="cli.help.user.add.email")],
    companies: Annotated[list[str] | None, typer.Option(
        "--company", metavar="cli.metavar.company", help="cli.help.user.add.company")] = None,
    trained: Annotated[bool, typer.Option(
        "--trained", help="cli.help.user.add.trained")] = False,
    role: Annotated[Role, typer.Option(help="cli.help.user.add.role")] = Role.CUSTOMER,
    slack_id: Annotated[str | None, typer.Option(
        metavar="ID", help="cli.help.user.add.slack_id")] = None,
    phone: Annotated[str | None, typer.Option(
        metavar="cli.metavar.phone", help="cli.help.user.add.phone")] = None,
) -> None:
    """Register a customer, agent or coordinator."""
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


@user.command("invite", help="cli.help.user.invite")
def invite(email: Annotated[str, typer.Argument(metavar="EMAIL",
                                                help="cli.help.user.invite.email")]) -> None:
    """Make an invite code for a registered user."""
    c = container()
    code, who = c.desk.call(_invite, email)
    typer.echo(f"Código de convite de {who.name}: {code.code}")
    typer.echo(f"Válido até {local_time(code.expires_at, c.policy.timezone)}, uma única vez.")
    typer.echo(f"No Telegram, envie ao bot: /start {code.code}")


def _users(ctx: Ctx) -> tuple[list[User], dict[int, str]]:
    names = {c.id: c.name for c in ctx.uow.companies.list() if c.id is not None}
    return ctx.uow.users.list(), names


@user.command("list", help="cli.help.user.list")
def list_(
    inactive: Annotated[bool, typer.Option(
        "--inativos", help="cli.help.user.list.inactive")] = False,
) -> None:
    """Print the users, or only the deactivated ones."""
    c = container()
    users, names = c.desk.call(_users)
    if not users:
        typer.echo("Nenhum usuário cadastrado. Use `helpdesk user add`.")
        return
    if inactive:
        _list_inactive([u for u in users if not u.active], names, c.policy.timezone)
        return
    rows = [
        (u.id, u.name, u.email, ROLE_LABELS[u.role], "sim" if u.trained else "não",
         _companies(u, names), "sim" if u.telegram_id else "", u.slack_id or "",
         "sim" if u.active else "não")
        for u in users
    ]
    typer.echo(table(["Id", "Nome", "E-mail", "Papel", "Treinado", "Empresas", "Telegram",
                      "Slack", "Ativo"], rows, {1: 30, 2: 40, 5: 40}))


def _companies(u: User, names: dict[int, str]) -> str:
    return ", ".join(names.get(i, str(i)) for i in u.company_ids)


def _list_inactive(users: list[User], names: dict[int, str], tz: str) -> None:
    if not users:
        typer.echo("Nenhum usuário desativado.")
        return
    rows = [(u.id, u.name, u.email, ROLE_LABELS[u.role], _companies(u, names),
             local_time(u.deactivated_at, tz), u.deactivation_reason or "") for u in users]
    typer.echo(table(["Id", "Nome", "E-mail", "Papel", "Empresas", "Desativado em", "Motivo"],
                     rows, {1: 30, 2: 40, 4: 40, 6: 60}))


def _train(ctx: Ctx, email: str, trained: bool) -> User:
    return set_trained(ctx, user_by_email(ctx, email).id or 0, trained)


@user.command("train", help="cli.help.user.train")
def train(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="cli.help.user.email")],
    undo: Annotated[bool, typer.Option("--undo", help="cli.help.user.train.undo")] = False,
) -> None:
    """Mark a user as trained, or not with --undo."""
    changed = container().desk.call(_train, email, not undo)
    state = "treinado" if changed.trained else "não treinado"
    typer.echo(f"{changed.name} <{changed.email}> agora está {state}.")


def _since(change: AccountChange, tz: str) -> str:
    u = change.user
    when = f"desde {local_time(u.deactivated_at, tz)}" if u.deactivated_at else ""
    why = f"motivo: {u.deactivation_reason}" if u.deactivation_reason else ""
    said = "; ".join(part for part in (when, why) if part)
    return f" ({said})" if said else ""


@user.command("deactivate", help="cli.help.user.deactivate")
def deactivate_(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="cli.help.user.email")],
    reason: Annotated[str | None, typer.Option(
        "--motivo", metavar="cli.metavar.text", help="cli.help.user.deactivate.reason",
    )] = None,
) -> None:
    """Deactivate an account; nothing is deleted."""
    c = container()
    change = c.desk.call(deactivate, email, reason)
    u = change.user
    if not change.changed:
        typer.echo(f"A conta de {u.name} <{u.email}> já estava desativada"
                   f"{_since(change, c.policy.timezone)}. Nada mudou.")
        return
    typer.echo(f"Conta desativada: {u.name} <{u.email}> ({ROLE_LABELS[u.role]}).")
    if u.deactivation_reason:
        typer.echo(f"Motivo: {u.deactivation_reason}")
    if change.returned:
        numbers = ", ".join(t.number for t in sorted(change.returned, key=lambda t: t.number))
        typer.echo(f"Tickets devolvidos à fila, sem responsável ({len(change.returned)}): "
                   f"{numbers}")
    if change.invites_revoked:
        typer.echo(f"Convites pendentes revogados: {change.invites_revoked}")
    typer.echo("Nada foi apagado: os tickets seguem com a empresa e o histórico com o nome da "
               "pessoa; as contas de chat seguem ligadas, mas não são atendidas.")
    typer.echo(f"Para devolver o acesso sem novo convite: helpdesk user reactivate {u.email}")


@user.command("reactivate", help="cli.help.user.reactivate")
def reactivate_(email: Annotated[str, typer.Argument(metavar="EMAIL",
                                                     help="cli.help.user.email")]) -> None:
    """Reactivate a deactivated account."""
    change = container().desk.call(reactivate, email)
    u = change.user
    if not change.changed:
        typer.echo(f"A conta de {u.name} <{u.email}> já estava ativa. Nada mudou.")
        return
    typer.echo(f"Conta reativada: {u.name} <{u.email}> ({ROLE_LABELS[u.role]}).")
    linked = [name for name, on in (("Telegram", u.telegram_id), ("Slack", u.slack_id)) if on]
    if linked:
        typer.echo(f"As contas de chat já ligadas ({', '.join(linked)}) voltam a ser "
                   "atendidas, sem novo convite.")
    else:
        typer.echo(f"Nenhuma conta de chat ligada: gere um convite com "
                   f"`helpdesk user invite {u.email}`.")
    if u.is_staff:
        typer.echo("Os tickets devolvidos à fila na desativação não voltam sozinhos: "
                   "repasse-os se for o caso.")


def register(app: typer.Typer) -> None:
    """Add the `user` group."""
    app.add_typer(user, name="user")


