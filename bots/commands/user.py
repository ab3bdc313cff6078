"""`helpdesk user add|invite|list|train|language|email|company|deactivate|reactivate`: customers,
agents and coordinators (R2, R8, R11)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bots.clikit import (
    cli_language,
    container,
    existing_container,
    fail,
    local_time,
    table,
    user_by_email,
)
from bots.clinames import Words
from core.errors import Conflict
from core.i18n import LANGUAGES, t
from core.models import Invite, Role, User
from core.services.company_names import company_named
from core.services.context import Ctx
from core.services.email_change import set_by_support
from core.services.memberships import change_companies
from core.services.users import (
    AccountChange,
    add_user,
    create_invite,
    deactivate,
    reactivate,
    set_language,
    set_trained,
)
from core.textmatch import fold

user = typer.Typer(help="cli.help.user", no_args_is_help=True)


class Language(StrEnum):
    """What `--language` takes: the catalogs people may read (core.i18n.LANGUAGES)."""

    PT_BR = "pt_BR"
    EN = "en"


LANGUAGE_NAMES = {"pt_BR": ("pt", "pt br", "portugues", "portuguese", "portugues do brasil",
                            "brazilian portuguese"),
                  "en": ("en us", "en gb", "english", "ingles")}
"""Other words for each language, folded, beside its code and its catalogs' names."""


def language_code(typed: str) -> str:
    """The code of a language typed by its name in either language ('english', 'Inglês',
    'português', 'pt-BR'); anything else as typed, for the choice to refuse it."""
    folded = fold(typed)
    for code in LANGUAGES:
        names = {fold(code), *LANGUAGE_NAMES.get(code, ()),
                 *(fold(t(f"language.{code}", lang)) for lang in LANGUAGES)}
        if folded in names:
            return code
    return typed


BY_NAME = {"token_normalize_func": language_code}
"""A command whose language is taken by its name too (typer compares a choice's values
through it)."""


ROLE_WORDS = Words({Role.CUSTOMER: ("cliente", "customer"), Role.AGENT: ("atendente", "agent"),
                    Role.COORDINATOR: ("coordenador", "coordinator")})
"""The roles as --role takes them, in either language (the help lists LANGUAGE's)."""


def role_label(role: Role, lang: str) -> str:
    """The role as the listings write it (cliente, atendente, coordenador)."""
    return t(f"cli.role.{role.value}", lang)


def yes(value: object, lang: str, no: bool = True) -> str:
    """sim/não (yes/no); with no=False, blank for a false value."""
    return t("cli.yes", lang) if value else (t("cli.no", lang) if no else "")


@user.command("add", help="cli.help.user.add", short_help="cli.help.user.add.short",
              context_settings=BY_NAME)
def add(
    name: Annotated[str, typer.Option(metavar="cli.metavar.name", help="cli.help.user.add.name")],
    email: Annotated[str, typer.Option(metavar="EMAIL", help="cli.help.user.add.email")],
    companies: Annotated[list[str] | None, typer.Option(
        "--company", metavar="cli.metavar.company", help="cli.help.user.add.company")] = None,
    trained: Annotated[bool, typer.Option(
        "--trained", help="cli.help.user.add.trained")] = False,
    role: Annotated[Role, typer.Option(parser=ROLE_WORDS, help="cli.help.user.add.role")
                    ] = Role.CUSTOMER,
    slack_id: Annotated[str | None, typer.Option(
        metavar="ID", help="cli.help.user.add.slack_id")] = None,
    phone: Annotated[str | None, typer.Option(
        metavar="cli.metavar.phone", help="cli.help.user.add.phone")] = None,
    language: Annotated[Language | None, typer.Option(
        help="cli.help.user.add.language")] = None,
) -> None:
    """Register a customer, agent or coordinator."""
    desk = container().desk
    # "Padaria" for "Padaria Pão Quente Ltda", as `tickets --company` takes it.
    named = desk.call(lambda ctx: [company_named(ctx, c).name for c in companies or []])
    try:
        created = desk.call(
            add_user, name=name, email=email, company_names=named, role=role,
            trained=trained, slack_id=slack_id, phone=phone,
            language=language.value if language else None,
        )
    except Conflict as exc:
        other = desk.call(_not_theirs, str(exc.params.get("email", "")), named) \
            if exc.key == "error.email_exists" else None
        if other:  # the way to another company of theirs, said
            fail("cli.user.exists_add_company", email=exc.params["email"], company=other)
        raise
    lang = cli_language()
    typer.echo(t("cli.user.added", lang, name=created.name, email=created.email,
                 role=role_label(created.role, lang), id=created.id))
    if not created.trained and created.role == Role.CUSTOMER:
        typer.echo(t("cli.user.not_trained_yet", lang, email=created.email))


def _not_theirs(ctx: Ctx, email: str, names: list[str]) -> str | None:
    """The first of the companies named that the registered customer is not one of."""
    found = ctx.uow.users.by_email(email)
    if found is None or found.is_staff:
        return None
    theirs = {c.name for i in found.company_ids if (c := ctx.uow.companies.get(i))}
    return next((name for name in names if name not in theirs), None)


def _invite(ctx: Ctx, email: str) -> tuple[Invite, User]:
    return create_invite(ctx, email), user_by_email(ctx, email)


@user.command("invite", help="cli.help.user.invite", short_help="cli.help.user.invite.short")
def invite(email: Annotated[str, typer.Argument(metavar="EMAIL",
                                                help="cli.help.user.invite.email")]) -> None:
    """Make an invite code for a registered user."""
    c = existing_container()
    code, who = c.desk.call(_invite, email)
    lang = cli_language()
    typer.echo(t("cli.user.invite_code", lang, name=who.name, code=code.code))
    typer.echo(t("cli.user.invite_valid", lang,
                 when=local_time(code.expires_at, c.policy.timezone)))
    typer.echo(t("cli.user.invite_telegram", lang, code=code.code))
    typer.echo(t("cli.user.invite_slack", lang, code=code.code))


def _users(ctx: Ctx) -> tuple[list[User], dict[int, str]]:
    names = {c.id: c.name for c in ctx.uow.companies.list() if c.id is not None}
    return ctx.uow.users.list(), names


@user.command("list", help="cli.help.user.list", short_help="cli.help.user.list.short")
def list_(
    inactive: Annotated[bool, typer.Option(
        "--inativos", "--inactive", help="cli.help.user.list.inactive")] = False,
) -> None:
    """Print the users, or only the deactivated ones."""
    c = existing_container()
    users, names = c.desk.call(_users)
    lang = cli_language()
    if not users:
        typer.echo(t("cli.user.none", lang))
        return
    if inactive:
        _list_inactive([u for u in users if not u.active], names, c.policy.timezone, lang)
        return
    rows = [
        (u.id, u.name, u.email, role_label(u.role, lang), yes(u.trained, lang),
         _companies(u, names), yes(u.telegram_id, lang, no=False), u.slack_id or "",
         u.language or "", yes(u.active, lang))
        for u in users
    ]
    headers = [t(f"cli.col.{c}", lang) for c in ("id", "name", "email", "role", "trained",
                                                 "companies")]
    typer.echo(table([*headers, "Telegram", "Slack", t("cli.col.language", lang),
                      t("cli.col.active", lang)], rows, {1: 30, 2: 40, 5: 40}))


def _companies(u: User, names: dict[int, str]) -> str:
    return ", ".join(names.get(i, str(i)) for i in u.company_ids)


def _list_inactive(users: list[User], names: dict[int, str], tz: str, lang: str) -> None:
    if not users:
        typer.echo(t("cli.user.none_inactive", lang))
        return
    rows = [(u.id, u.name, u.email, role_label(u.role, lang), _companies(u, names),
             local_time(u.deactivated_at, tz, lang), u.deactivation_reason or "") for u in users]
    headers = [t(f"cli.col.{c}", lang) for c in ("id", "name", "email", "role", "companies",
                                                 "deactivated_at", "reason")]
    typer.echo(table(headers, rows, {1: 30, 2: 40, 4: 40, 6: 60}))


def _train(ctx: Ctx, email: str, trained: bool) -> AccountChange:
    return set_trained(ctx, user_by_email(ctx, email).id or 0, trained)


@user.command("train", help="cli.help.user.train", short_help="cli.help.user.train.short")
def train(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="cli.help.user.email")],
    undo: Annotated[bool, typer.Option("--undo", help="cli.help.user.train.undo")] = False,
) -> None:
    """Mark a user as trained, or not with --undo."""
    change = existing_container().desk.call(_train, email, not undo)
    key = ("cli.user.trained" if change.user.trained else "cli.user.untrained") + (
        "" if change.changed else "_already")  # trained again: said so, nothing changed
    typer.echo(t(key, cli_language(), name=change.user.name, email=change.user.email))


@user.command("language", help="cli.help.user.language", short_help="cli.help.user.language.short",
              context_settings=BY_NAME)
def language_(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="cli.help.user.email")],
    language: Annotated[Language, typer.Argument(metavar="cli.metavar.language",
                                                 help="cli.help.user.language.language")],
) -> None:
    """Change the language a registered user reads."""
    change = existing_container().desk.call(set_language, email, language.value)
    u, lang = change.user, cli_language()
    key = "cli.user.language_set" if change.changed else "cli.user.language_same"
    typer.echo(t(key, lang, name=u.name, email=u.email, language=t(f"language.{u.language}",
                                                                    lang)))


def _set_email(ctx: Ctx, email: str, new: str) -> tuple[str, User]:
    return set_by_support(ctx, user_by_email(ctx, email).id or 0, new)


@user.command("email", help="cli.help.user.email_change",
              short_help="cli.help.user.email_change.short")
def email_(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="cli.help.user.email")],
    new: Annotated[str, typer.Argument(metavar="NEW_EMAIL",
                                       help="cli.help.user.email_change.new")],
) -> None:
    """Change a user's e-mail directly (the chat's change waits for a code mailed to it)."""
    old, u = existing_container().desk.call(_set_email, email, new)
    key = "cli.user.email_set" if old != u.email else "cli.user.email_same"
    typer.echo(t(key, cli_language(), name=u.name, old=old, email=u.email))


def _since(change: AccountChange, tz: str, lang: str) -> str:
    u = change.user
    when = t("cli.user.since", lang, when=local_time(u.deactivated_at, tz, lang)) \
        if u.deactivated_at else ""
    why = t("cli.user.why", lang, reason=u.deactivation_reason) if u.deactivation_reason else ""
    said = "; ".join(part for part in (when, why) if part)
    return f" ({said})" if said else ""


@user.command("deactivate", help="cli.help.user.deactivate",
              short_help="cli.help.user.deactivate.short")
def deactivate_(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="cli.help.user.email")],
    reason: Annotated[str | None, typer.Option(
        "--motivo", "--reason", metavar="cli.metavar.text", help="cli.help.user.deactivate.reason",
    )] = None,
) -> None:
    """Deactivate an account; nothing is deleted."""
    c = existing_container()
    change = c.desk.call(deactivate, email, reason)
    u, lang = change.user, cli_language()
    if not change.changed:
        typer.echo(t("cli.user.already_inactive", lang, name=u.name, email=u.email,
                     since=_since(change, c.policy.timezone, lang)))
        return
    typer.echo(t("cli.user.deactivated", lang, name=u.name, email=u.email,
                 role=role_label(u.role, lang)))
    if u.deactivation_reason:
        typer.echo(t("cli.user.reason", lang, reason=u.deactivation_reason))
    if change.returned:
        numbers = ", ".join(sorted(ticket.number for ticket in change.returned))
        typer.echo(t("cli.user.returned", lang, returned=len(change.returned), numbers=numbers))
    if change.invites_revoked:
        typer.echo(t("cli.user.invites_revoked", lang, revoked=change.invites_revoked))
    typer.echo(t("cli.user.nothing_deleted", lang))
    typer.echo(t("cli.user.how_to_reactivate", lang, email=u.email))


@user.command("reactivate", help="cli.help.user.reactivate",
              short_help="cli.help.user.reactivate.short")
def reactivate_(email: Annotated[str, typer.Argument(metavar="EMAIL",
                                                     help="cli.help.user.email")]) -> None:
    """Reactivate a deactivated account."""
    change = existing_container().desk.call(reactivate, email)
    u, lang = change.user, cli_language()
    if not change.changed:
        typer.echo(t("cli.user.already_active", lang, name=u.name, email=u.email))
        return
    typer.echo(t("cli.user.reactivated", lang, name=u.name, email=u.email,
                 role=role_label(u.role, lang)))
    linked = [name for name, on in (("Telegram", u.telegram_id), ("Slack", u.slack_id)) if on]
    if linked:
        typer.echo(t("cli.user.linked_served", lang, accounts=", ".join(linked)))
    else:
        typer.echo(t("cli.user.no_linked", lang, email=u.email))
    if u.is_staff:
        typer.echo(t("cli.user.tickets_not_back", lang))


@user.command("company", help="cli.help.user.company", short_help="cli.help.user.company.short")
def company_(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="cli.help.user.email")],
    add: Annotated[list[str] | None, typer.Option(
        "--add", metavar="cli.metavar.company", help="cli.help.user.company.add")] = None,
    remove: Annotated[list[str] | None, typer.Option(
        "--remove", metavar="cli.metavar.company", help="cli.help.user.company.remove")] = None,
) -> None:
    """Add a customer to other companies, or take them off some."""
    if not add and not remove:
        fail("cli.user.companies_nothing")
    desk = existing_container().desk
    adding, removing = desk.call(lambda ctx: (
        [company_named(ctx, c).name for c in add or []],
        [company_named(ctx, c).name for c in remove or []]))
    change = desk.call(change_companies, email, adding, removing)
    u, lang = change.user, cli_language()
    names = desk.call(lambda ctx: {c.id: c.name for c in ctx.uow.companies.list()
                                   if c.id is not None})
    key = "cli.user.companies_set" if change.added or change.removed \
        else "cli.user.companies_same"
    typer.echo(t(key, lang, name=u.name, email=u.email, companies=_companies(u, names)))
    if change.removed:
        typer.echo(t("cli.user.companies_removed_tickets", lang,
                     companies=", ".join(change.removed)))


def register(app: typer.Typer) -> None:
    """Add the `user` group."""
    app.add_typer(user, name="user")


