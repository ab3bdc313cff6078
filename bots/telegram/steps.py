"""The Telegram channel's transactions: one conversation step, and what was sent afterwards.

Each function runs through Desk.acall (a worker thread, one transaction). `converse` records
the update ids, runs the engine (or adds a trâmite for a reply to a message about a ticket),
and writes the answer to the outbox as a safety net that becomes due GRACE later: the adapter
sends it at once and marks it sent, so a crash between the commit and the send still delivers.
When such an update comes again and its first run may have died after the commit (a step
process replaced, a polling restart: Inbound.lost), the row is taken over and sent at once.

On PostgreSQL the step's writes wait for that outbox INSERT: its reads are one statement run
outside any transaction, and the update id, the conversation's save and the answer's row are
one statement, all or none, a transaction of its own when nothing else was written (two round
trips, no BEGIN or COMMIT to wait for, nor the WAL flush: SqlOutbox.add_with). A step that
writes more (a ticket opened) keeps one transaction for all of it, flushed at its commit.
Steps of other chats that arrive while one runs wait and run together on one database
thread, one after another, each committing as it would alone (converse_many).
The next step of the chat in this process starts from what that one read and wrote instead
of reading (Inbound.known: one round trip), its write refusing when any of it moved since
(storage.sql.known; the step then runs again with a read).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from bots.telegram import form
from bots.telegram.render import Outgoing, one_message, render_replies, text_messages
from core.conversation import edits
from core.conversation.eligibility import code_in
from core.conversation.engine import handle, language_of
from core.conversation.identity import identify, telegram_key
from core.conversation.replied import click_forgotten, replied_on, ticket_named, tramite_edited
from core.conversation.replies import Reply, UserInput
from core.conversation.ticket_prompts import TICKET_PROMPTS, busy
from core.conversation.turn import IDLE, Turn, ask_again, current_prompt
from core.conversation.unblocked import unseen_question
from core.conversation.unhandled import not_an_answer
from core.conversation_state import ConversationKey, ConversationState
from core.i18n import t
from core.models import Attachment, User
from core.outbox import UNSENT, Channel, OutboxMessage
from core.services.context import Ctx
from core.services.delivery import telegram_reachable_again
from storage.sql.known import KnownChat, check_params
from storage.sql.telegram import ChatPrompt, SqlTelegram, StepStart
from storage.sql.uow import SqlUnitOfWork

SOURCE = "telegram"
REPLIES_KIND = "telegram.replies"
GRACE = timedelta(seconds=30)
UPLOAD_GRACE_FACTOR = 4
"""An answer with a file waits this many times the grace: an upload, slow but going through
(its answer is waited for as long as the send may last: courier.upload_wait), is not given up
and uploaded again."""
QUESTION_KINDS = (REPLIES_KIND, *TICKET_PROMPTS)
"""The outbox rows to a chat that may bring its current question."""
STAFF_MENU = "staff_menu"
"""A step's answer row's parameter: show the team menu (in this language) once it is sent."""
KEEP_LINKS = timedelta(days=180)


@dataclass
class Inbound:
    """What one update (or one album) brought, as the adapter read it."""

    update_ids: list[int]
    chat_id: int
    user_id: int
    user_input: UserInput | None
    reply_to: int | None = None
    replied_text: str | None = None
    text: str | None = None
    files: dict[int, list[Attachment]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    clicked: int | None = None
    showing: int | None = None
    """The question the clicked message's buttons belong to, as Telegram says it shows them
    (its prompt number), if they name one."""
    edited: int | None = None
    """The id of the user's message this update is an edit of."""
    unhandled: str | None = None
    """What a message no step reads was (core.conversation.unhandled.KINDS), if it was one."""
    lost: bool = False
    """This step may have committed already with its answer never sent (its chat process
    died, or the process that fetched it stopped): if so, that answer is sent now."""
    kept: int | None = None
    """The conversation's version this chat's last step wrote unflushed (PostgreSQL) while
    the record of its send did not commit: a lower one now means the database forgot it."""
    grace: timedelta = GRACE
    """How long the answer's outbox row waits for the adapter's own send (GRACE; tests)."""
    known: KnownChat | None = None
    """What this process kept of the chat's last step (PostgreSQL): read instead of the
    database, the step's write checking that none of it moved (storage.sql.known)."""


@dataclass
class Outcome:
    """What to do after the step's commit."""

    duplicate: bool = False
    accepted: bool = True
    refusal: str | None = None
    messages: list[Outgoing] = field(default_factory=list)
    outbox_id: int | None = None
    prompt: ChatPrompt | None = None
    unflushed: int | None = None
    """The conversation's version this step wrote in a commit not flushed yet (PostgreSQL:
    SqlOutbox.add_with), durable once a later commit is (its after_send's)."""
    staff_menu: str | None = None
    """An agent or coordinator linked this chat just now: show the team's menu, in this
    language (bots.telegram.menus)."""
    known: KnownChat | None = None
    """What the next step of the chat may start from (Inbound.known): set when this step
    wrote an answer and saved its conversation, if at all, with it (PostgreSQL)."""
    lang: str | None = None
    """A refused click's person's language (its toast or popup in their words); a form's."""
    form: bool = False
    """The answer to a click is the next guided question only (bots.telegram.form): it may
    be shown in the clicked message, edited, instead of a new message."""
    due: datetime | None = None
    """When the answer's outbox row falls due (the desk's clock): its own send is given up
    well before (conversation.SEND_SHARE), however long the step took to reach it."""


def telegram_repo(ctx: Ctx) -> SqlTelegram:
    """The channel's rows, in the unit of work's own transaction (the SQL store only)."""
    conn = getattr(ctx.uow, "connection", None)
    if conn is None:
        raise RuntimeError("o canal do Telegram precisa do banco SQL (DATABASE_URL)")
    return SqlTelegram(conn)


def is_code_attempt(user_input: UserInput | None) -> bool:
    """Whether an unlinked person is trying an invite code (as the engine would read it)."""
    return user_input is not None and code_in(user_input) is not None


def language_here(ctx: Ctx, chat_id: int, user_id: int) -> str:
    """The language this person reads in the chat (the contract's when not linked)."""
    return language_of(ctx, identify(ctx, telegram_key(chat_id, user_id)))


def linked(ctx: Ctx, chat_id: int, user_id: int) -> bool:
    """Whether this Telegram account belongs to an active registered user."""
    return identify(ctx, telegram_key(chat_id, user_id)) is not None


def converse(ctx: Ctx, inbound: Inbound) -> Outcome:
    """One step of the chat, at most once per update id; the caller retries on Conflict (with
    Inbound.known dropped: the step then reads)."""
    uow = cast(SqlUnitOfWork, ctx.uow)
    key = telegram_key(inbound.chat_id, inbound.user_id)
    started: list[StepStart] = []
    outcome = _converse(ctx, inbound, started)
    if uow.outbox.expected is not None:  # started from what was kept, and wrote no answer
        uow.outbox.expected = None
        assert inbound.known is not None
        telegram_repo(ctx).check_unmoved(inbound.chat_id, key, inbound.known)
    base = started[0].known if started else None
    if base is not None and outcome.outbox_id is not None:
        # What it started from, with its save (folded, or the row it made); not when the
        # conversation was written otherwise (the new row's mark is not known here).
        now = uow.conversations.kept(key)
        saved = uow.outbox.saved or uow.conversations.made
        if saved is not None or now == base.conversation:
            outcome.known = replace(base, conversation=now, saved=saved or base.saved)
    return outcome


def converse_many(ctx: Ctx, inbounds: list[Inbound]) -> list[Outcome | Exception]:
    """`converse` for several chats' updates in one call (bots.telegram.batch), an error a
    step's result. SQLite: in one transaction, each step in a part of its own
    (SqlUnitOfWork.part): one that raises is undone alone; the others commit together (one
    commit's log pages for all). PostgreSQL: one after another, each committing on its own."""
    uow = cast(SqlUnitOfWork, ctx.uow)
    if uow.connection.dialect.name == "postgresql":
        return _one_by_one(uow, ctx, inbounds)
    uow.begin()  # a database that is busy fails the batch, which Desk.call tries again
    results: list[Outcome | Exception] = []
    for inbound in inbounds:
        try:
            with uow.part():
                results.append(converse(ctx, inbound))
        except Exception as exc:  # the step's caller handles it as its own transaction's
            results.append(exc)
    return results


def _one_by_one(uow: SqlUnitOfWork, ctx: Ctx, inbounds: list[Inbound]
                ) -> list[Outcome | Exception]:
    """PostgreSQL: each step as `converse` runs alone (its write a statement committing on its
    own, or a transaction of its own when it writes more), one after another on this thread
    and connection: one trip to a database thread for all, and the server busy with fewer
    connections at once. No transaction holds one step's rows while another runs, so
    instances sharing the database meet as they do step by step (storage.sql.known)."""
    results: list[Outcome | Exception] = []
    for inbound in inbounds:
        try:
            with uow.part(undo=False):  # repositories of its own
                results.append(converse(ctx, inbound))
            uow.commit()
        except Exception as exc:  # the step's caller handles it as its own transaction's
            uow.rollback()
            if len(inbounds) == 1:
                raise  # Desk.call tries it again if the database was busy, as before
            results.append(exc)
    return results


def _converse(ctx: Ctx, inbound: Inbound, started: list[StepStart]) -> Outcome:
    """converse's step; what it started from goes in `started`."""
    repo = telegram_repo(ctx)
    key = telegram_key(inbound.chat_id, inbound.user_id)
    uow = cast(SqlUnitOfWork, ctx.uow)
    if repo.dialect == "postgresql":  # the state's save goes with the answer's INSERT
        uow.conversations.hold_saves()
    if len(inbound.update_ids) == 1:  # recorded with the step's reads
        fresh = inbound.update_ids
        event = (SOURCE, str(fresh[0]), ctx.now)
        start = repo.open_step(inbound.chat_id, key, uow.users, uow.conversations, event,
                               inbound.known)
        if start.kept and start.known is not None:
            uow.outbox.expect(check_params(inbound.chat_id, key, start.known))
        started.append(start)
        if not start.fresh:
            return _lost_answer(ctx, repo, inbound)
        if not start.recorded:  # with the answer's INSERT (hand_over) or at commit
            uow.inbound.hold(*event)
    else:  # an album
        fresh = [u for u in inbound.update_ids if uow.inbound.record(SOURCE, str(u), ctx.now)]
        if not fresh:
            return _lost_answer(ctx, repo, inbound)
        start = repo.open_step(inbound.chat_id, key, uow.users, uow.conversations, None)
        started.append(start)
    current, blocked = start.prompt, start.blocked
    user = identify(ctx, key)
    lang = language_of(ctx, user)
    if inbound.kept is not None and (now := uow.conversations.version(key)) is not None \
            and now < inbound.kept:
        return _answer(ctx, inbound, _forgotten(ctx, key, lang), current)
    files = [a for u in fresh for a in inbound.files.get(u, [])]
    user_input = inbound.user_input
    if user_input is not None and user_input.files:
        user_input = UserInput.of_files(files, user_input.text).model_copy(
            update={"ref": user_input.ref}) if files else None
    out = [m for notice in inbound.notices for m in text_messages(notice)]
    unseen: list[Reply] = []
    if blocked:  # they unblocked the bot: notices reach them here again
        repo.clear_blocked(inbound.chat_id)
        if user is not None:
            telegram_reachable_again(ctx, user.id or 0)
        if user_input is not None and not inbound.clicked and inbound.reply_to is None:
            unseen = unseen_question(ctx, key, user_input)  # asked while blocked
    tramite = _reply_as_tramite(ctx, repo, inbound, user, files, current)
    if inbound.edited is not None:
        sent_to = repo.ticket_of(inbound.chat_id, inbound.edited) or \
            edits.sent_to(ctx, key, str(inbound.edited))  # a trâmite's message
        replies = edits.edited(ctx, key, str(inbound.edited), inbound.text or "") \
            if sent_to is None else tramite_edited(ctx, key, sent_to, inbound.text or "")
        out += render_replies(replies, lang) if replies else \
            text_messages(t("telegram.edited", lang))
    elif tramite is not None:
        out += tramite
    elif unseen:
        out += render_replies(unseen, lang)
    elif user_input is not None:
        # A button of a message about a ticket, its conversation dropped after days of silence:
        # why its question no longer applies, before the greeting (R21).
        # Read only then: a step's one write commits on its own, no transaction opened before.
        clicked = inbound.clicked or 0
        ticket_id = repo.ticket_of(inbound.chat_id, clicked) \
            if clicked and uow.conversations.version(key) is None else None
        forgotten, went_on = click_forgotten(ctx, key, ticket_id, _value(user_input)) \
            if ticket_id else ([], False)
        out += render_replies(forgotten, lang)
        if went_on:  # Aprovar went on as on its question: no greeting after it
            return _answer(ctx, inbound, out, current)
        asked = uow.conversations.step(key) if _on_question(inbound, current) else None
        step = _engine_step(ctx, key, inbound, user_input, user, current)
        if isinstance(step, Refused):
            if not step.again:
                return Outcome(accepted=False, refusal=step.reason, prompt=current,
                               lang=step.lang)
            again = _answer(ctx, inbound, step.again, current)
            again.accepted, again.refusal, again.lang = False, step.reason, step.lang
            return again
        answer = one_message(step)  # Registrar's: the number, then the menu's question
        if not out and len(answer) == 1 and answer[0].prompt and answer[0].document is None \
                and form.leads_on(asked, uow.conversations.step(key)):
            answered = _answer(ctx, inbound, answer, current)
            answered.form, answered.lang = True, lang
            return answered
        out += step
    elif inbound.unhandled is not None:
        out += render_replies(not_an_answer(ctx, key, inbound.unhandled), lang)
    linked = identify(ctx, key) if user is None and is_code_attempt(user_input) else None
    menu = language_of(ctx, linked) if linked is not None and linked.is_staff else None
    return _answer(ctx, inbound, out, current, menu)


def _value(user_input: UserInput) -> str:
    """The value of a clicked button ("approve" of "12:approve"); "" for typed words."""
    return (user_input.choice or "").partition(":")[2]


def _on_question(inbound: Inbound, current: ChatPrompt | None) -> bool:
    """Whether a click is on the message recorded as showing the chat's question."""
    return bool(inbound.clicked) and current is not None and \
        current.message_id == inbound.clicked


def _forgotten(ctx: Ctx, key: ConversationKey, lang: str) -> list[Outgoing]:
    """The database forgot this chat's last step after its answer went out (an unflushed
    commit, then a PostgreSQL crash): this input answered that answer's question, not the one
    kept, so it is not read; the question kept is asked again."""
    state = ctx.uow.conversations.get(key)
    prompt = current_prompt(state) if state is not None else None
    replies = [Reply(text=t("telegram.forgotten", lang)), *([prompt] if prompt else [])]
    return render_replies(replies, lang)


def prompt_choices(ctx: Ctx, chat_id: int, user_id: int
                   ) -> tuple[list[tuple[str, str]], str] | None:
    """The choices of the question on screen and the person's language, to show another page
    of its buttons (None when there is no question)."""
    key = telegram_key(chat_id, user_id)
    state = ctx.uow.conversations.get(key)
    prompt = current_prompt(state) if state is not None else None
    if prompt is None or not prompt.choices:
        return None
    return [(c.label, c.id) for c in prompt.choices], language_of(ctx, identify(ctx, key))


def chat_blocked(ctx: Ctx, chat_id: int) -> None:
    """Telegram refused to deliver to the chat (the person blocked the bot)."""
    telegram_repo(ctx).mark_blocked(chat_id, ctx.now)


@dataclass
class Refused:
    """A click the engine refused: its reason, and the current question when it is asked
    again (it is not on screen below the clicked message)."""

    reason: str
    again: list[Outgoing] = field(default_factory=list)
    lang: str | None = None
    """The person's language (for the adapter's own words, e.g. a double tap's toast)."""


def _engine_step(ctx: Ctx, key: ConversationKey, inbound: Inbound, user_input: UserInput,
                 user: User | None, current: ChatPrompt | None) -> list[Outgoing] | Refused:
    """Run the engine; a refused click comes back as Refused."""
    conversations = cast(SqlUnitOfWork, ctx.uow).conversations
    before = conversations.version(key) if inbound.clicked is not None else None
    # A refused click keeps the question on screen as it is, its buttons working, even in a
    # language chosen since elsewhere: it is said in a popup (asked again only if not shown).
    replies = handle(ctx, key, user_input, reask=inbound.clicked is None)
    if user is None:
        user = identify(ctx, key)  # a code may have linked the account just now (R2)
    if inbound.clicked is not None:
        after = conversations.version(key)
        if after is None or after == before:
            lang = language_of(ctx, user)
            refused = Refused(replies[0].text if replies else "", lang=lang)
            if len(replies) > 1 and _not_on_screen(ctx, key, inbound, user_input, current):
                state = conversations.get(key)
                asked = ask_again(Turn(ctx, state, user, lang)) if state else None
                refused.again = render_replies([asked] if asked else replies[1:], lang)
            return refused
    messages = render_replies(replies, language_of(ctx, user))
    _link_tickets(ctx, user, messages)
    return messages


def _not_on_screen(ctx: Ctx, key: ConversationKey, inbound: Inbound, user_input: UserInput,
                   current: ChatPrompt | None) -> bool:
    """Whether the current question may be missing from the chat: the clicked button is of
    another question, no message below the clicked one is known to show the current one (its
    record is older or gone: the database forgot a step, or Telegram refused the question),
    and no answer is on its way. A stale click above the question on screen is only refused."""
    clicked = inbound.clicked or 0
    if current is not None and current.message_id > clicked:
        return False
    state = ctx.uow.conversations.get(key)
    number = (user_input.choice or "").partition(":")[0]
    if state is None or not number.isdecimal() or int(number) == state.prompt_id:
        return False
    if inbound.showing is not None and inbound.showing == state.prompt_id:
        return False  # Telegram shows the clicked message with the current question's buttons
    ahead = inbound.showing is not None and inbound.showing > state.prompt_id
    # On the question's own message, only an earlier number says it shows an older question
    # (a later one is forged: the message is the current question's), unless its buttons are
    # a later question's: the database forgot the step that edited it (bots.telegram.form).
    if current is not None and current.message_id == clicked and \
            int(number) > state.prompt_id and not ahead:
        return False
    # Read again with the outbox: another instance may have sent the question since the step
    # began, or its answer (or a send handed over) is on its way and brings the question, as
    # does an approval or billing question the outbox tries again (Telegram refused it) when
    # it will take the chat over, not send its plain notice (the person mid-question).
    kinds = QUESTION_KINDS if _prompt_takes_chat(ctx, key, state) else (REPLIES_KIND,)
    now, pending, recorded = telegram_repo(ctx).shown(inbound.chat_id, kinds)
    if now is not None and now.message_id == clicked and not ahead and \
            _since(recorded, state.updated_at):
        # Made the question's message after the conversation last moved: it shows the
        # current question (an earlier one edited in place, bots.telegram.form); the click
        # came from its old buttons (a double tap, a client not refreshed yet).
        return False
    return not pending and (now is None or now.message_id <= clicked)


def _since(recorded: datetime | None, moved: datetime | None) -> bool:
    """Whether a record was written at or after the conversation's last change."""
    return recorded is not None and moved is not None and recorded >= moved


def _prompt_takes_chat(ctx: Ctx, key: ConversationKey, state: ConversationState) -> bool:
    """Whether an approval or billing question the outbox sends now takes the chat over
    (ticket_prompts.prompt_for_ticket_event) rather than sending its plain notice."""
    user = identify(ctx, key)
    return user is not None and (state.user_id != user.id or not busy(ctx, state))


def _reply_as_tramite(ctx: Ctx, repo: SqlTelegram, inbound: Inbound, user: User | None,
                      files: list[Attachment], current: ChatPrompt | None
                      ) -> list[Outgoing] | None:
    """A reply to an older bot message about a ticket adds a trâmite to that ticket (R7)."""
    ui = inbound.user_input
    if inbound.reply_to is None or user is None or user.id is None or inbound.clicked:
        return None
    if ui is None or ui.command is not None or (not files and not (inbound.text or "").strip()):
        return None
    if current is not None and current.message_id == inbound.reply_to and not _idle(ctx, inbound):
        # Answering the current question goes to the engine; but the menu under a message
        # about a ticket (its registration, one answer with it) asks nothing of that reply.
        return None
    ticket_id = repo.ticket_of(inbound.chat_id, inbound.reply_to)
    if ticket_id is None:
        # Not (yet) recorded, e.g. answered before the send was: the message names its ticket.
        ticket_id = ticket_named(ctx, user, inbound.replied_text or "", {})
    if ticket_id is None:
        return None
    key = telegram_key(inbound.chat_id, inbound.user_id)
    replies, added = replied_on(ctx, key, ticket_id, inbound.text, files)
    if added and ui.ref:  # an edit of it is told it went (replied.tramite_edited)
        repo.remember_message(inbound.chat_id, int(ui.ref), ticket_id, ctx.now)
    messages = render_replies(replies, language_of(ctx, user))
    _link_tickets(ctx, user, messages)  # "Trâmite adicionado ao ticket …": a reply goes there
    return messages


def _idle(ctx: Ctx, inbound: Inbound) -> bool:
    """Whether the chat is at the menu, asked nothing (its state was read with the step's)."""
    state = ctx.uow.conversations.get(telegram_key(inbound.chat_id, inbound.user_id))
    return state is not None and state.step == IDLE


def _link_tickets(ctx: Ctx, user: User | None, messages: list[Outgoing]) -> None:
    """Mark messages naming exactly one ticket the user may see: a reply to them is a trâmite."""
    if user is None:
        return
    seen: dict[str, int | None] = {}
    for message in messages:
        message.ticket_id = message.ticket_id or ticket_named(ctx, user, message.html, seen)


def _answer(ctx: Ctx, inbound: Inbound, messages: list[Outgoing], current: ChatPrompt | None,
            staff_menu: str | None = None) -> Outcome:
    """Write the answer to the outbox, due after GRACE unless the adapter sends it first; the
    team menu goes with it, to be shown by whoever sends it (_lost_answer, the sender)."""
    if not messages:
        return Outcome(prompt=current, staff_menu=staff_menu)
    messages = one_message(messages)
    due_in = grace_for(messages, inbound.grace)
    row = hand_over(ctx, inbound.chat_id, messages, due_in=due_in,
                    updates=inbound.update_ids, staff_menu=staff_menu)
    uow = cast(SqlUnitOfWork, ctx.uow)
    unflushed = uow.conversations.version(telegram_key(inbound.chat_id, inbound.user_id)) \
        if uow.outbox.unflushed else None
    return Outcome(messages=messages, outbox_id=row, prompt=current, unflushed=unflushed,
                   staff_menu=staff_menu, due=ctx.now + due_in)


def grace_for(messages: list[Outgoing], grace: timedelta) -> timedelta:
    """How long an answer waits in the outbox for the adapter's own send: longer with a file."""
    return grace * UPLOAD_GRACE_FACTOR if any(m.document for m in messages) else grace


def _lost_answer(ctx: Ctx, repo: SqlTelegram, inbound: Inbound) -> Outcome:
    """A repeated update. When its step's answer may never have been sent (Inbound.lost), the
    answer it wrote and nobody sent yet is taken from the outbox (leased for its grace, so the
    dispatcher does not send it too) to be sent now, as the step would have."""
    if not inbound.lost:
        return Outcome(duplicate=True)

    def lease(params: dict[str, Any]) -> datetime:
        return ctx.now + grace_for(_messages(params), inbound.grace)

    taken = repo.take_over_answer(inbound.chat_id, REPLIES_KIND, inbound.update_ids, ctx.now,
                                  lease)
    if taken is None:
        return Outcome(duplicate=True)
    row, params = taken
    messages = _messages(params)
    return Outcome(messages=messages, outbox_id=row, staff_menu=params.get(STAFF_MENU),
                   due=lease(params))


def _messages(params: dict[str, Any]) -> list[Outgoing]:
    """The messages an answer's outbox row stands for (those not sent yet, once some were)."""
    messages = params.get(UNSENT)
    return [Outgoing.model_validate(m) for m in
            (messages if isinstance(messages, list) else params.get("messages") or [])]


def hand_over(ctx: Ctx, chat_id: int, messages: list[Outgoing],
              due_in: timedelta = timedelta(0), ticket_id: int | None = None,
              updates: list[int] | None = None, staff_menu: str | None = None) -> int:
    """Queue messages for the outbox dispatcher; returns the row id. The step's held writes
    (the conversation's save, the update id) go in the same statement. `updates`: the update
    ids whose answer this is (a step's safety net), to find it again (_lost_answer);
    `staff_menu`: the team menu's language, when the step linked an agent."""
    params: dict[str, Any] = {"messages": [m.model_dump(mode="json") for m in messages]}
    if updates:
        params["updates"] = updates
    if staff_menu:
        params[STAFF_MENU] = staff_menu
    message = OutboxMessage(
        channel=Channel.TELEGRAM, target=str(chat_id), kind=REPLIES_KIND, params=params,
        ticket_id=ticket_id, created_at=ctx.now, next_attempt_at=ctx.now + due_in)
    uow = cast(SqlUnitOfWork, ctx.uow)
    held = uow.conversations.take_held() if "conversations" in uow.__dict__ else None
    event = uow.inbound.take_held() if "inbound" in uow.__dict__ else None
    if held is None and event is None:
        return uow.outbox.add(message).id or 0
    return uow.outbox.add_with(message, held, event).id or 0


def delivered(ctx: Ctx, chat_id: int, sent: list[tuple[int, Outgoing]],
              outbox_id: int | None = None, *, last: bool = True) -> ChatPrompt | None:
    """Remember what went out (and close its safety-net row); when a question was sent,
    returns the one no longer current: the question it replaced, or itself when a newer one
    was recorded first. `last`: nothing is written after it in this
    unit of work (its record may then commit on its own)."""
    return delivered_many(ctx, [(chat_id, sent, outbox_id)], last=last)[0]


Delivery = tuple[int, list[tuple[int, Outgoing]], int | None]
"""A chat, the (message id, message) pairs sent to it, and the step's safety-net row."""


def delivered_many(ctx: Ctx, deliveries: list[Delivery], *, last: bool = True
                   ) -> list[ChatPrompt | None]:
    """`delivered` for several chats in one transaction (see bots.telegram.batch): the
    messages naming a ticket remembered, then every chat's record at once (one statement on
    PostgreSQL)."""
    repo = telegram_repo(ctx)
    records: list[tuple[int, int | None, tuple[int, bool] | None]] = []
    for chat_id, sent, outbox_id in deliveries:
        for message_id, message in sent:
            if message.ticket_id is not None:
                repo.remember_message(chat_id, message_id, message.ticket_id, ctx.now)
        prompts = [(mid, m.has_keyboard) for mid, m in sent if m.prompt]
        records.append((chat_id, outbox_id, prompts[-1] if prompts else None))
    if len(records) == 1:
        chat_id, outbox_id, prompt = records[0]
        replaced = [repo.after_send(chat_id, outbox_id, prompt, ctx.now, last=last)]
    else:
        replaced = repo.after_sends(records, ctx.now, last=last)
    return [_stale(previous, prompt)
            for previous, (_, _, prompt) in zip(replaced, records, strict=True)]


def _stale(previous: ChatPrompt | None, sent: tuple[int, bool] | None) -> ChatPrompt | None:
    """Of the question recorded before and the one just sent, the older (its buttons go): the
    one sent when its record came after a newer question's (storage keeps the newer)."""
    if previous is None or sent is None or previous.message_id == sent[0]:
        return None
    return ChatPrompt(*sent) if previous.message_id > sent[0] else previous


def requeue(ctx: Ctx, chat_id: int, outbox_id: int | None, sent: list[tuple[int, Outgoing]],
            rest: list[Outgoing], wait: float = 0.0) -> ChatPrompt | None:
    """After the Bot API kept failing: record what went out, queue the rest for the dispatcher,
    in the step's own row when it has one (a row of its own went behind the chat's notices
    written meanwhile, between the answer's messages); due after `wait` (Telegram's
    retry_after) seconds."""
    unsent = [m.model_dump(mode="json") for m in rest]
    due = ctx.now + timedelta(seconds=wait)
    if rest and outbox_id is not None and \
            telegram_repo(ctx).outbox_unsent(outbox_id, unsent, due):
        return delivered(ctx, chat_id, sent)
    previous = delivered(ctx, chat_id, sent, outbox_id)
    if rest:
        hand_over(ctx, chat_id, rest, due_in=timedelta(seconds=wait))
    return previous


def forget_old(ctx: Ctx) -> int:
    """Upkeep: drop message→ticket links after KEEP_LINKS (core's sweep drops link failures)."""
    return telegram_repo(ctx).forget_messages(ctx.now - KEEP_LINKS)
