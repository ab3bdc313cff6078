"""The Telegram channel's own rows, inside the unit of work's transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    and_,
    bindparam,
    column,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from core.conversation_state import ConversationKey
from core.errors import Conflict
from core.outbox import UNSENT, DeliveryStatus
from storage.sql import prepared
from storage.sql.base import SqlRepo
from storage.sql.known import KnownChat, check_params, unmoved, who_mark, xmin
from storage.sql.people import USER_COLS, SqlUsers
from storage.sql.threads import SqlConversations, data_as_text
from storage.tables import (
    conversations,
    inbound_events,
    outbox,
    tickets,
    user_companies,
    users,
)
from storage.telegram_tables import telegram_chats, telegram_messages


@dataclass(frozen=True)
class ChatPrompt:
    """The bot message showing a chat's current question."""

    message_id: int
    keyboard: bool


@dataclass(frozen=True)
class StepStart:
    """What a chat step knows before it runs: whether the update is new, the chat's question
    and whether the chat blocks the bot."""

    fresh: bool = True
    prompt: ChatPrompt | None = None
    blocked: bool = False
    recorded: bool = True
    """Whether the update id is recorded already (else the step's writes record it)."""
    known: KnownChat | None = None
    """PostgreSQL: what the step started from, with its marks (read, or kept by the process)."""
    kept: bool = False
    """It was kept by the process, not read: the step's write checks that none of it moved."""


# The statements of every chat step, built once (their compiled form is cached by SQLAlchemy).
_TICKET_OF = select(telegram_messages.c.ticket_id).where(
    telegram_messages.c.chat_id == bindparam("chat"),
    telegram_messages.c.message_id == bindparam("message"))
_PROMPT = select(telegram_chats.c.prompt_message_id, telegram_chats.c.prompt_keyboard,
                 telegram_chats.c.blocked_since).where(
    telegram_chats.c.chat_id == bindparam("chat"))
_UNMOVED = select(unmoved())
"""check_unmoved's statement, built once: storage.sql.prepared keeps what it compiled per
statement, and a new one each step compiled it each time (~2 ms of CPU)."""
_OUTBOX_SENT = (update(outbox)
                .where(outbox.c.id == bindparam("row"),
                       outbox.c.status == DeliveryStatus.PENDING)
                .values(status=DeliveryStatus.SENT, sent_at=bindparam("now"), last_error=None,
                        claimed_by=None, claimed_until=None))


_COMPANY = len(USER_COLS)
_CONVERSATION = _COMPANY + 5
_SEEN = _CONVERSATION + len(conversations.c)
_VERSION = _CONVERSATION + list(conversations.c).index(conversations.c.version)  # never NULL


@cache
def _opening(dialect: str, seen: bool) -> Any:
    """A chat step's reads as one statement: the account's user (a row per company link), the
    chat's row and the conversation's; on PostgreSQL also whether the update id is recorded.

    Params: chat, account (the Telegram user id), channel, chat_key, user_key; with seen
    also source and key. Columns: u_* (user), t_* (chat), c_* (conversation), with seen,
    seen (the id is recorded: a repeat) and, on PostgreSQL, m_who and m_saved (the marks)."""
    who = select(users.c.id).where(users.c.telegram_id == bindparam("account")) \
        .order_by(users.c.id).limit(1).scalar_subquery()
    one = select(literal_column("1").label("one")).subquery("one")
    cols: list[Any] = [  # in the order of _COMPANY, _CONVERSATION and _SEEN
        *(c.label(f"u_{c.key}") for c in USER_COLS),
        user_companies.c.company_id.label("u_company_id"),
        telegram_chats.c.chat_id.label("t_chat_id"),
        telegram_chats.c.prompt_message_id.label("t_prompt_message_id"),
        telegram_chats.c.prompt_keyboard.label("t_prompt_keyboard"),
        telegram_chats.c.blocked_since.label("t_blocked_since"),
        *((data_as_text(dialect) if c.key == "data" else c).label(f"c_{c.key}")
          for c in conversations.c),
    ]
    if seen:
        cols.append(exists().where(inbound_events.c.source == bindparam("source"),
                                   inbound_events.c.key == bindparam("key")).label("seen"))
    if dialect == "postgresql":  # the marks of what was read (storage.sql.known), last
        cols += [who_mark().label("m_who"),
                 xmin(conversations).label("m_saved")]
    return (
        select(*cols)
        .select_from(
            one.outerjoin(users, users.c.id == who)
            .outerjoin(user_companies, user_companies.c.user_id == users.c.id)
            .outerjoin(telegram_chats, telegram_chats.c.chat_id == bindparam("chat"))
            .outerjoin(conversations, and_(conversations.c.channel == bindparam("channel"),
                                           conversations.c.chat_id == bindparam("chat_key"),
                                           conversations.c.user_key == bindparam("user_key"))))
        .order_by(user_companies.c.position)
    )


@cache
def _after_send(row: bool, prompt: bool) -> Any:
    """PostgreSQL: close the step's outbox row and put the new question in the chat's row in
    one statement, returning the question it replaced (the CTEs share one snapshot, so `prev`
    reads the row as it was). Params: chat, now, row, message, keyboard."""
    parts: list[Any] = []
    if row:
        closed = _OUTBOX_SENT.returning(outbox.c.id).cte("closed")
        parts.append(select(func.count()).select_from(closed).scalar_subquery().label("closed"))
    if prompt:
        prev = select(telegram_chats.c.prompt_message_id, telegram_chats.c.prompt_keyboard) \
            .where(telegram_chats.c.chat_id == bindparam("chat")).cte("prev")
        new = postgresql.insert(telegram_chats).values(
            chat_id=bindparam("chat"), prompt_message_id=bindparam("message"),
            prompt_keyboard=bindparam("keyboard", type_=Boolean()), updated_at=bindparam("now"))
        put = new.on_conflict_do_update(
            index_elements=[telegram_chats.c.chat_id],
            set_={"prompt_message_id": new.excluded.prompt_message_id,
                  "prompt_keyboard": new.excluded.prompt_keyboard,
                  "updated_at": new.excluded.updated_at},
            where=_not_older(new.excluded),
        ).returning(telegram_chats.c.chat_id).cte("put")
        parts += [
            select(prev.c.prompt_message_id).scalar_subquery().label("prompt_message_id"),
            select(prev.c.prompt_keyboard).scalar_subquery().label("prompt_keyboard"),
            select(func.count()).select_from(put).scalar_subquery().label("put")]
    return select(*parts)


_AFTER_SENDS = text("""WITH sent AS (
    SELECT * FROM unnest(CAST(:chats AS BIGINT[]), CAST(:rows AS BIGINT[]),
        CAST(:messages AS BIGINT[]), CAST(:keyboards AS BOOLEAN[]))
        AS sent (chat, row_id, message, keyboard)
), closed AS (
    UPDATE outbox SET status = :sent, sent_at = :now, last_error = NULL, claimed_by = NULL,
        claimed_until = NULL
    WHERE id IN (SELECT row_id FROM sent) AND status = :pending
    RETURNING id
), prev AS (
    SELECT chat_id, prompt_message_id, prompt_keyboard FROM telegram_chats
    WHERE chat_id IN (SELECT chat FROM sent WHERE message IS NOT NULL)
), put AS (
    INSERT INTO telegram_chats (chat_id, prompt_message_id, prompt_keyboard, updated_at)
    SELECT chat, message, keyboard, :now FROM sent WHERE message IS NOT NULL
    ON CONFLICT (chat_id) DO UPDATE SET prompt_message_id = excluded.prompt_message_id,
        prompt_keyboard = excluded.prompt_keyboard, updated_at = excluded.updated_at
    WHERE telegram_chats.prompt_message_id IS NULL
        OR telegram_chats.prompt_message_id <= excluded.prompt_message_id
    RETURNING chat_id
)
SELECT sent.chat, prev.prompt_message_id, prev.prompt_keyboard,
    (SELECT count(*) FROM closed) AS closed, (SELECT count(*) FROM put) AS put
FROM sent LEFT JOIN prev ON prev.chat_id = sent.chat
""").bindparams(
    bindparam("chats", type_=postgresql.ARRAY(BigInteger)),
    bindparam("rows", type_=postgresql.ARRAY(BigInteger)),
    bindparam("messages", type_=postgresql.ARRAY(BigInteger)),
    bindparam("keyboards", type_=postgresql.ARRAY(Boolean)),
    bindparam("now", type_=outbox.c.sent_at.type),
    bindparam("sent", type_=outbox.c.status.type),
    bindparam("pending", type_=outbox.c.status.type),
).columns(column("chat", BigInteger), column("prompt_message_id", BigInteger),
          column("prompt_keyboard", Boolean), column("closed", BigInteger),
          column("put", BigInteger))
"""PostgreSQL: `after_send` for several chats (each at most once) in one statement."""


@cache
def _upserts(dialect: str) -> tuple[Any, Any]:
    """(remember a message, set the prompt) as this dialect's INSERT … ON CONFLICT."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    m = telegram_messages.c
    remember = insert(telegram_messages).from_select(  # only while the ticket exists
        [m.chat_id, m.message_id, m.ticket_id, m.sent_at],
        select(bindparam("chat_id", type_=m.chat_id.type),
               bindparam("message_id", type_=m.message_id.type),
               tickets.c.id, bindparam("sent_at", type_=m.sent_at.type))
        .where(tickets.c.id == bindparam("ticket_id")),
    ).on_conflict_do_nothing(index_elements=[m.chat_id, m.message_id])
    prompt = insert(telegram_chats)
    prompt = prompt.on_conflict_do_update(
        index_elements=[telegram_chats.c.chat_id],
        set_={"prompt_message_id": prompt.excluded.prompt_message_id,
              "prompt_keyboard": prompt.excluded.prompt_keyboard,
              "updated_at": prompt.excluded.updated_at},
        where=_not_older(prompt.excluded))
    return remember, prompt


def _not_older(excluded: Any) -> Any:
    """Only a question sent after the recorded one takes its place: the two writers of a
    chat's question (its step, the outbox sender) may commit out of order, and Telegram numbers
    a chat's messages in order."""
    current = telegram_chats.c.prompt_message_id
    return or_(current.is_(None), current <= excluded.prompt_message_id)


class SqlTelegram(SqlRepo):
    """Message→ticket links, the current question's message, whether the chat blocks the bot."""

    def remember_message(self, chat_id: int, message_id: int, ticket_id: int,
                         now: datetime) -> None:
        """Say that a bot message is about a ticket (a repeat keeps the first link; a ticket
        deleted meanwhile, none)."""
        prepared.run(self.conn, _upserts(self.dialect)[0], {
            "chat_id": chat_id, "message_id": message_id, "ticket_id": ticket_id, "sent_at": now})

    def ticket_of(self, chat_id: int, message_id: int) -> int | None:
        """The ticket a bot message is about, if any."""
        return self.conn.execute(_TICKET_OF, {"chat": chat_id, "message": message_id}
                                 ).scalar_one_or_none()

    def prompt(self, chat_id: int) -> ChatPrompt | None:
        """The message of the chat's current question."""
        return self.chat(chat_id)[0]

    def chat(self, chat_id: int) -> tuple[ChatPrompt | None, bool]:
        """The chat's current question and whether it was found blocking the bot."""
        found = prepared.rows(self.conn, _PROMPT, {"chat": chat_id})
        if not found:
            return None, False
        message, keyboard, blocked = found[0]
        prompt = None if message is None else ChatPrompt(int(message), bool(keyboard))
        return prompt, blocked is not None

    def mark_blocked(self, chat_id: int, now: datetime) -> None:
        """Record that the chat refuses the bot's messages (the first time is kept)."""
        stmt = self.upsert(telegram_chats).values(
            chat_id=chat_id, prompt_keyboard=False, updated_at=now, blocked_since=now)
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=[telegram_chats.c.chat_id],
            set_={"blocked_since": func.coalesce(telegram_chats.c.blocked_since,
                                                 stmt.excluded.blocked_since)}))

    def clear_blocked(self, chat_id: int) -> None:
        """The chat takes the bot's messages again."""
        self.conn.execute(update(telegram_chats).where(telegram_chats.c.chat_id == chat_id)
                          .values(blocked_since=None))

    def set_prompt(self, chat_id: int, message_id: int, keyboard: bool, now: datetime) -> None:
        """Record the message that now shows the chat's current question."""
        prepared.run(self.conn, _upserts(self.dialect)[1], {
            "chat_id": chat_id, "prompt_message_id": message_id, "prompt_keyboard": keyboard,
            "updated_at": now})

    def forget_messages(self, before: datetime) -> int:
        """Drop message→ticket links older than `before`."""
        stmt = delete(telegram_messages).where(telegram_messages.c.sent_at < before)
        return self.conn.execute(stmt).rowcount

    def open_step(self, chat_id: int, key: ConversationKey, users: SqlUsers,
                  conversations: SqlConversations, inbound: tuple[str, str, datetime] | None,
                  known: KnownChat | None = None) -> StepStart:
        """Check the update id (inbound: source, key, now), then read the account's user, the
        chat and the conversation at once; users and conversations keep what was read, so the
        step's own lookups of them ask the database nothing. A repeated id reads nothing.

        SQLite records the id first. PostgreSQL only checks it, in the reading statement, run
        outside any transaction (read committed reads the same, with no BEGIN to wait for):
        the id is then recorded with the step's writes (StepStart.recorded is False). There,
        what the process kept of the chat's last step (known) stands for the read: nothing is
        asked, and the step's write checks that none of it moved (check_unmoved)."""
        checked = inbound is not None and self.dialect == "postgresql"
        if checked and known is not None and known.account == int(key.user_key):
            users.remember("telegram_id", known.account, known.user, list(known.company_ids))
            conversations.keep(key, known.conversation)
            prompt = None if known.prompt is None else ChatPrompt(*known.prompt)
            return StepStart(prompt=prompt, blocked=known.blocked, recorded=False, known=known,
                             kept=True)
        params: dict[str, Any] = {
            "chat": chat_id, "account": int(key.user_key), "channel": key.channel,
            "chat_key": key.chat_id, "user_key": key.user_key}
        if inbound is not None and not checked:
            source, event, now = inbound
            if self.insert_if_new(inbound_events, inbound_events.c.id, {
                    "source": source, "key": event, "received_at": now}) is None:
                return StepStart(fresh=False)
        if checked:
            assert inbound is not None
            params.update(source=inbound[0], key=inbound[1])
        with self.on_its_own():
            rows = prepared.rows(self.conn, _opening(self.dialect, checked), params)
        first = rows[0]
        if checked and first[_SEEN]:
            return StepStart(fresh=False)
        found = first[0] is not None
        links = [r[_COMPANY] for r in rows if r[_COMPANY] is not None]
        users.remember("telegram_id", int(key.user_key), first[:_COMPANY] if found else None,
                       links)
        conversations.remember(key, first[_CONVERSATION:_SEEN]
                               if first[_VERSION] is not None else None, encoded=True)
        chat, message, keyboard, blocked = first[_COMPANY + 1:_CONVERSATION]
        prompt = None if chat is None or message is None else ChatPrompt(int(message),
                                                                          bool(keyboard))
        blocking = chat is not None and blocked is not None
        read = None
        if self.dialect == "postgresql":
            read = KnownChat(
                account=int(key.user_key), user=tuple(first[:_COMPANY]) if found else None,
                company_ids=tuple(links), who=first[-2],
                prompt=None if prompt is None else (prompt.message_id, prompt.keyboard),
                blocked=blocking, conversation=conversations.kept(key), saved=first[-1])
        return StepStart(prompt=prompt, blocked=blocking, recorded=not checked, known=read)

    def check_unmoved(self, chat_id: int, key: ConversationKey, known: KnownChat) -> None:
        """Conflict unless the rows are still as kept (a step that started from them and wrote
        no answer: the folded write checks them itself)."""
        with self.on_its_own():
            ok = prepared.rows(self.conn, _UNMOVED,
                               check_params(chat_id, key, known))[0][0]
        if not ok:
            raise Conflict("error.conversation_moved")

    def after_send(self, chat_id: int, outbox_id: int | None,
                   prompt: tuple[int, bool] | None, now: datetime, *,
                   last: bool = False) -> ChatPrompt | None:
        """Close the step's safety-net outbox row (if still pending) and record the message
        (id, has buttons) now showing the chat's question, if one was sent; returns the
        question's earlier message. One statement on PostgreSQL; `last` (the unit of work
        writes nothing after it) and nothing written before: a transaction of its own."""
        if self.dialect != "postgresql":
            if outbox_id is not None:
                self.outbox_sent(outbox_id, now)
            if prompt is None:
                return None
            previous = self.prompt(chat_id)
            self.set_prompt(chat_id, prompt[0], prompt[1], now)
            return previous
        if outbox_id is None and prompt is None:
            return None
        params: dict[str, Any] = {"chat": chat_id, "now": now}
        if outbox_id is not None:
            params["row"] = outbox_id
        if prompt is not None:
            params.update(message=prompt[0], keyboard=prompt[1])
        # On psycopg's cursor (storage.sql.prepared); the question's columns come last. On
        # its own: one round trip instead of BEGIN, it, COMMIT; flushed as before.
        with self.on_its_own() if last else contextlib.nullcontext():
            row = prepared.rows(self.conn, _after_send(outbox_id is not None,
                                                       prompt is not None), params)[0]
        if prompt is None or row[-3] is None:
            return None
        return ChatPrompt(int(row[-3]), bool(row[-2]))

    def after_sends(self, sends: list[tuple[int, int | None, tuple[int, bool] | None]],
                    now: datetime, *, last: bool = False) -> list[ChatPrompt | None]:
        """`after_send` for several chats, each (chat, safety-net row, question sent) at most
        once, in this order: on PostgreSQL one statement for them all (on its own as there)."""
        if self.dialect != "postgresql" or len({chat for chat, _, _ in sends}) < len(sends):
            return [self.after_send(chat, row, prompt, now) for chat, row, prompt in sends]
        params = {"chats": [chat for chat, _, _ in sends],
                  "rows": [row for _, row, _ in sends],
                  "messages": [prompt[0] if prompt else None for _, _, prompt in sends],
                  "keyboards": [prompt[1] if prompt else None for _, _, prompt in sends],
                  "now": now, "sent": DeliveryStatus.SENT, "pending": DeliveryStatus.PENDING}
        with self.on_its_own() if last else contextlib.nullcontext():
            found = {int(row[0]): row for row in prepared.rows(self.conn, _AFTER_SENDS, params)}
        previous: list[ChatPrompt | None] = []
        for chat, _, prompt in sends:
            row = found[chat]
            previous.append(None if prompt is None or row[1] is None
                            else ChatPrompt(int(row[1]), bool(row[2])))
        return previous

    def take_over_answer(self, chat_id: int, kind: str, update_ids: list[int], now: datetime,
                         until: Callable[[dict[str, Any]], datetime]
                         ) -> tuple[int, dict[str, Any]] | None:
        """The safety-net row a step wrote for one of these updates (params "updates") and
        nobody sent yet: leased here until `until(its params)`, so the dispatcher leaves it
        alone, and returned as (row id, its params); None when there is none (sent, or taken)."""
        rows = self.conn.execute(
            select(outbox.c.id, outbox.c.params).where(
                outbox.c.destination == f"telegram:{chat_id}",
                outbox.c.status == DeliveryStatus.PENDING, outbox.c.kind == kind)
            .order_by(outbox.c.id)).all()
        wanted = set(update_ids)
        for row in rows:
            params = row.params if isinstance(row.params, dict) else {}
            if not wanted.intersection(params.get("updates") or ()):
                continue
            end = until(params)
            taken = self.conn.execute(
                update(outbox).where(
                    outbox.c.id == row.id, outbox.c.status == DeliveryStatus.PENDING,
                    (outbox.c.claimed_until.is_(None)) | (outbox.c.claimed_until <= now))
                .values(claimed_by="telegram-step", claimed_until=end, available_at=end))
            return (row.id, params) if taken.rowcount == 1 else None
        return None

    def shown(self, chat_id: int, kinds: Collection[str]
              ) -> tuple[ChatPrompt | None, bool, datetime | None]:
        """The chat's question as recorded now, whether a row (of these kinds) to the chat
        waits in the outbox, and when the record was written, read together: a send's record
        (after_send) changes them at once."""
        row = self.conn.execute(select(
            select(telegram_chats.c.prompt_message_id)
            .where(telegram_chats.c.chat_id == chat_id).scalar_subquery(),
            select(telegram_chats.c.prompt_keyboard)
            .where(telegram_chats.c.chat_id == chat_id).scalar_subquery(),
            exists().where(outbox.c.destination == f"telegram:{chat_id}",
                           outbox.c.status == DeliveryStatus.PENDING,
                           outbox.c.kind.in_(list(kinds))),
            select(telegram_chats.c.updated_at)
            .where(telegram_chats.c.chat_id == chat_id).scalar_subquery(),
        )).one()
        prompt = None if row[0] is None else ChatPrompt(int(row[0]), bool(row[1]))
        return prompt, bool(row[2]), row[3]

    def outbox_sent(self, message_id: int, now: datetime) -> bool:
        """Close an outbox row the channel delivered itself (its safety net), if still pending."""
        return prepared.run(self.conn, _OUTBOX_SENT, {"row": message_id, "now": now}
                            ).rowcount == 1

    def outbox_unsent(self, message_id: int, unsent: list[Any], now: datetime) -> bool:
        """Leave the messages the channel did not send in the step's safety-net row (UNSENT),
        due at `now`, if still pending: they keep its place in the chat's line."""
        params = self.conn.execute(select(outbox.c.params).where(
            outbox.c.id == message_id, outbox.c.status == DeliveryStatus.PENDING)).scalar()
        if not isinstance(params, dict):
            return False
        return self.conn.execute(update(outbox).where(
            outbox.c.id == message_id, outbox.c.status == DeliveryStatus.PENDING).values(
            params={**params, UNSENT: unsent}, available_at=now, next_attempt_at=now,
            claimed_by=None, claimed_until=None)).rowcount == 1
