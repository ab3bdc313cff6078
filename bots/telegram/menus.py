"""The bot's command menus (Telegram's "/" list): the customers' for every chat, and the
team's in each linked agent's or coordinator's own chat only (BotCommandScopeChat), so no
customer sees a command that is not for them (R12: the queue is the team's).

Telegram picks a private chat's menu from the most specific list it has: the chat's own list
in the person's language, the chat's own list, then the default list in that language, then
the default list. The team's list is set for the chat without a language: it shows whatever
language the person's Telegram app is in, worded in their language in the help desk.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram import error as tg

from core.i18n import normalize_language, t
from core.services.context import Ctx

log = logging.getLogger(__name__)

COMMANDS = ("novo", "tickets", "ticket", "resumo", "perfil", "contato", "ajuda", "cancelar")
ENGLISH_COMMANDS = ("new", "tickets", "ticket", "summary", "profile", "contact", "help",
                    "cancel")
"""The same commands by their English aliases, for people whose Telegram is in English."""
STAFF_COMMANDS = ("fila", "tickets", "ticket", "resumo", "relatorio", "perfil", "ajuda",
                  "cancelar")
ENGLISH_STAFF_COMMANDS = ("queue", "tickets", "ticket", "summary", "report", "profile", "help",
                          "cancel")
"""The team's menu: the queue first, the coordinator's report; no 'novo' (opening tickets is
the customers')."""
_STAFF_TEXTS = ("fila", "tickets", "resumo", "relatorio")
"""Commands whose description differs for the team (the queue; every ticket, not 'mine'; the
summary's unassigned and overdue), or are the team's only (the report)."""
AT_ONCE = 8
"""The staff menus set at the same time when the channel starts."""


def customer_menu(lang: str) -> list[BotCommand]:
    """The default menu, in one of our languages."""
    names = ENGLISH_COMMANDS if lang == "en" else COMMANDS
    return [BotCommand(name, t(f"telegram.cmd.{key}", lang))
            for name, key in zip(names, COMMANDS, strict=True)]


def staff_menu(lang: str) -> list[BotCommand]:
    """The team's menu, in one of our languages."""
    names = ENGLISH_STAFF_COMMANDS if lang == "en" else STAFF_COMMANDS
    return [BotCommand(name, t(f"telegram.cmd.{'staff.' if key in _STAFF_TEXTS else ''}{key}",
                               lang))
            for name, key in zip(names, STAFF_COMMANDS, strict=True)]


async def set_menu(bot: Bot, chat_id: int, team: bool, language: str | None) -> None:
    """Give a private chat the team's menu, or drop its own list so that the customers'
    default one shows (someone who left the team); a failure is the caller's to handle."""
    scope = BotCommandScopeChat(chat_id)
    if team:
        await bot.set_my_commands(staff_menu(normalize_language(language)), scope=scope)
    else:
        await bot.delete_my_commands(scope=scope)


async def show_staff_menu(bot: Bot, chat_id: int, language: str | None) -> None:
    """Give this private chat the team's menu (best effort: the commands work typed anyway)."""
    try:
        await set_menu(bot, chat_id, True, language)
    except tg.TelegramError as exc:
        log.warning("team menu for chat %s not set; it shows the customers' menu: %s",
                    chat_id, exc)


def linked_staff(ctx: Ctx) -> list[tuple[int, str]]:
    """(Telegram chat id, language) of every active agent and coordinator linked to Telegram
    (a private chat's id is the person's Telegram id)."""
    return [(user.telegram_id, user.language or ctx.policy.language)
            for user in ctx.uow.users.staff() if user.telegram_id]


async def show_staff_menus(bot: Bot, staff: list[tuple[int, str]]) -> None:
    """The team's menu in each linked staff chat, a few at a time."""
    room = asyncio.Semaphore(AT_ONCE)

    async def one(chat_id: int, language: str) -> None:
        async with room:
            await show_staff_menu(bot, chat_id, language)

    await asyncio.gather(*(one(chat_id, language) for chat_id, language in staff))
