"""What a chat's last step read and wrote, kept by the process (PostgreSQL), and the check that
none of it moved since: the next step of the chat starts from it instead of reading, and its
write refuses (Conflict: the step runs again with a read) when another instance, the CLI, an
agent or the scheduler changed any of it meanwhile.

Each part is kept with what tells its row apart from any later one: the user and their
company links by `xmin` (a new row version always has a new one; the user's id with it, as
another user may take the Telegram id), the conversation by `xmin` (not by its version, which
starts again at 1 when the row is deleted and made anew), the chat's row by the three values
the step reads of it (after_send changes it after every step with a question)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Boolean, Integer, String, and_, bindparam, case, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from core.conversation_state import ConversationKey
from storage.tables import conversations, user_companies, users
from storage.telegram_tables import telegram_chats

_U = users.alias("known_u")
_L = user_companies.alias("known_l")
_T = telegram_chats.alias("known_t")
_C = conversations.alias("known_c")


@dataclass(frozen=True)
class KnownChat:
    """A chat's rows as its last step left them, each part with its mark (see the module)."""

    account: int
    """The Telegram user id whose user and conversation these are."""
    user: tuple[Any, ...] | None
    company_ids: tuple[int, ...]
    who: str | None
    """The user's and their links' mark (who_mark); None: no user has the account."""
    prompt: tuple[int, bool] | None
    """The chat's question on screen (message id, has buttons)."""
    blocked: bool
    conversation: dict[str, Any] | None
    """The conversation's row as SqlConversations keeps it (data as JSON text)."""
    saved: str | None
    """The conversation row's xmin; None: there is none."""

    def shown(self, prompt: tuple[int, bool]) -> KnownChat:
        """The same, with the question the step's answer showed (after_send recorded it)."""
        return replace(self, prompt=prompt)


def xmin(table: Any) -> Any:
    """A table's (or alias's) row version mark, as text: a new one for every new row version."""
    return literal_column(f"{table.name}.xmin::text", String())


def who_mark(prefix: str = "") -> Any:
    """The account's user (the lowest id with the Telegram id, param <prefix>account) and its
    company links, as 'id:xmin/company:xmin,…' in the links' order; NULL: no user."""
    links = select(func.string_agg(func.concat(_L.c.company_id, ":", xmin(_L)),
                                   aggregate_order_by(literal_column("','"), _L.c.position,
                                                      _L.c.company_id))
                   ).where(_L.c.user_id == _U.c.id).scalar_subquery()
    return (select(func.concat(_U.c.id, ":", xmin(_U), "/", links))
            .where(_U.c.telegram_id == bindparam(f"{prefix}account"))
            .order_by(_U.c.id).limit(1).scalar_subquery())


def unmoved() -> Any:
    """1 when the rows are as kept, else 0 (params: check_params')."""
    chat = _T.c.chat_id == bindparam("m_chat")
    prompt = select(_T.c.prompt_message_id).where(chat).scalar_subquery()
    keyboard = func.coalesce(select(_T.c.prompt_message_id.is_not(None) & _T.c.prompt_keyboard)
                             .where(chat).scalar_subquery(), False)
    blocked = func.coalesce(select(_T.c.blocked_since.is_not(None)).where(chat)
                            .scalar_subquery(), False)
    saved = select(xmin(_C)).where(
        _C.c.channel == bindparam("m_channel"), _C.c.chat_id == bindparam("m_chat_key"),
        _C.c.user_key == bindparam("m_user_key")).scalar_subquery()
    same = and_(
        who_mark("m_").is_not_distinct_from(bindparam("m_who", type_=String())),
        prompt.is_not_distinct_from(bindparam("m_prompt", type_=Integer())),
        keyboard == bindparam("m_keyboard", type_=Boolean()),
        blocked == bindparam("m_blocked", type_=Boolean()),
        saved.is_not_distinct_from(bindparam("m_saved", type_=String())))
    return case((same, 1), else_=0)


def check_params(chat_id: int, key: ConversationKey, known: KnownChat) -> dict[str, Any]:
    """unmoved()'s parameters for this chat and what is kept of it."""
    return {"m_account": known.account, "m_chat": chat_id, "m_channel": key.channel,
            "m_chat_key": key.chat_id, "m_user_key": key.user_key, "m_who": known.who,
            "m_prompt": known.prompt[0] if known.prompt else None,
            "m_keyboard": bool(known.prompt and known.prompt[1]), "m_blocked": known.blocked,
            "m_saved": known.saved}
