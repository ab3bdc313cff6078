"""The step function: load the state, read one input, answer, save in the caller's transaction."""

from __future__ import annotations

from datetime import timedelta

from core.conversation import (
    about,
    attachments,
    closing_offer,
    commands,
    confused,
    deep_link,
    edits,
    eligibility,
    following_words,
    intake,
    intake_back,
    intake_mind,
    intents,
    intents_typos,
    parked,
    pause,
    print_announced,
    profile_email,
    staff_report,
    stray_files,
    typed,
)
from core.conversation.fmt import preview
from core.conversation.identity import identify
from core.conversation.matching import labels_typed, match_choice, match_words
from core.conversation.replies import Command, Reply, UserInput, as_staff_command
from core.conversation.turn import (
    IDLE,
    STEPS,
    Step,
    Turn,
    ask_again,
    current_prompt,
    error_text,
)
from core.conversation_state import ConversationKey, ConversationState
from core.errors import HelpdeskError, InvalidInput
from core.i18n import normalize_language
from core.models import User
from core.services.context import Ctx
from core.services.numbers import PADDED_END
from core.textmatch import fold

PLAIN_REQUESTS = frozenset({"ticket.view", "ticket.thread", "closing.rate_comment"})
"""Steps whose words are a message, where a request made only of request words ("quero abrir
um chamado", "meus chamados") still runs; "alguma novidade?" stays the message (a comment
on a rating: never a trap)."""
LISTINGS = frozenset({"list.view"})
"""Steps where words typed search the tickets, but a request of two words or more ("abrir
ticket", "quero abrir um chamado", "falar com atendente") runs; "cadastro" alone is searched."""
GIVING_UP = frozenset({"closing.reason", "closing.comment"})
"""Steps outside the intake where "desisto" is no answer (the reason, the restriction)."""
KB_SEARCHES = frozenset({"kb.query", "kb.results", "kb.article"})
"""Steps where words typed search the articles, but "meus tickets" lists them (no article)."""


def language_of(ctx: Ctx, user: User | None) -> str:
    """The user's language, else the contract's default."""
    return normalize_language((user.language if user else None) or ctx.policy.language)


def handle(ctx: Ctx, key: ConversationKey, user_input: UserInput,
           reask: bool = True) -> list[Reply]:
    """Answer one input; the new state is saved with ctx.uow (the caller commits).

    A refused input (bad answer, stale button, forbidden ticket) leaves the stored state
    exactly as it was and answers with the reason and the current prompt again (asked again
    when the person's language changed since, unless not `reask`: a click refused in a popup,
    the question on screen kept as it is). A core.errors.Conflict from the save means another
    instance answered meanwhile: roll back and call handle() again with a fresh unit of work.
    """
    stored = ctx.uow.conversations.get(key)
    user = identify(ctx, key)
    lang = language_of(ctx, user)
    # The step works on the object it was given (every get returns a fresh one); a refusal
    # reads the unchanged stored state again rather than paying for a deep copy every step.
    turn = Turn(ctx, stored or ConversationState(key=key), user, lang)
    try:
        step(turn, user_input, fresh=stored is None)
    except HelpdeskError as err:
        kept = ctx.uow.conversations.get(key) or ConversationState(key=key)
        prompt = ask_again(Turn(ctx, kept, user, lang)) if reask else current_prompt(kept)
        return [Reply(text=error_text(err, lang)), *([prompt] if prompt else [])]
    edits.remember(turn, user_input)
    turn.state.updated_at = ctx.now
    ctx.uow.conversations.save(turn.state)
    return turn.replies


def reset(state: ConversationState) -> None:
    """Forget the flow but keep counting prompts, so old buttons stay recognisably old."""
    state.flow = None
    state.step = None
    state.data = {}


def step(turn: Turn, user_input: UserInput, fresh: bool = False) -> None:
    """Advance the conversation by one input, filling turn.replies and changing turn.state."""
    state = turn.state
    user = turn.user_or_none
    if user is None:
        typed = state.data.get("typed")  # a matter written before linking, offered after it
        reset(state)
        if typed:
            state.data["typed"] = typed
        state.user_id = None
        eligibility.unknown(turn, user_input)
        return
    if state.user_id != user.id:
        reset(state)
        state.user_id = user.id
        fresh = True
    if not fresh and is_stale_state(turn.ctx, state) and not on_screen(state, user_input):
        if pause.keeps_draft(state):  # a ticket half-written is kept, not dropped
            pause.resume_draft(turn, user_input)
            return
        if pause.kept_words(state) and pause.resume_words(turn, user_input):
            return  # so is a trâmite not sent, or a reason being written
        if state.step not in (None, IDLE):
            turn.say("conv.stale")
        aside = state.data.get(parked.PARKED)  # a ticket put aside outlives the pause too
        reset(state)
        if aside:
            state.data[parked.PARKED] = aside
        fresh = True
    user_input = deep_link.as_request(user_input)  # a ticket's link: its page, as `ticket …`
    user_input = as_staff_command(user_input) if user.is_staff \
        else intents_typos.control(user_input)  # "cancelr", "votlar": never an answer
    turn.said = (user_input.said or user_input.text or "").strip()
    if eligibility.spare_code(turn, user_input):
        user_input = UserInput()
        if not fresh and state.step in STEPS:
            commands.show_prompt(turn)
            return
    if fresh or state.step not in STEPS:
        commands.start_session(turn, user_input)
        return
    if user_input.command is not None and not (
            labels_typed(state, user_input.said) and not STEPS[state.step].is_busy(state)):
        commands.run(turn, user_input.command, user_input.arg)
        return
    dispatch(turn, user_input if user_input.command is None else UserInput.of_text(turn.said))


def dispatch(turn: Turn, user_input: UserInput) -> None:
    """Give the answer to the current step's handler for its kind."""
    current = STEPS[turn.state.step or IDLE]
    if user_input.choice is not None:
        value = resolve_choice(turn.state, user_input.choice)
        turn.by_number = user_input.by_number
        if current.on_choice is None:
            raise InvalidInput("conv.error.not_offered")
        current.on_choice(turn, value)
    elif user_input.files:
        files = attachments.allowed(turn, user_input.files, user_input.text)
        if not files:  # only programs, with words: the words are the answer
            answer_text(turn, current, user_input.text or "")
            return
        user_input = user_input.model_copy(update={"files": files})
        turn.caption = user_input.text
        if current.on_files is not None:
            current.on_files(turn, user_input.files)
        elif stray_files.kept(turn, current, user_input, answer_text):
            return
        elif user_input.text and current.on_text is not None:
            turn.say("conv.error.files_not_kept")
            answer_text(turn, current, user_input.text)
        else:
            raise InvalidInput("conv.error.files_not_expected")
    else:
        answer_text(turn, current, user_input.text or "")


def offers_back(state: ConversationState) -> bool:
    """Whether the question on screen has a way back (a choice whose value is "back")."""
    prompt = current_prompt(state)
    return prompt is not None and any(c.id.partition(":")[2] == "back" for c in prompt.choices)


def answer_text(turn: Turn, current: Step, text: str) -> None:
    """A typed answer: the choice it names, a request in words where the step takes them, else
    the step's free text; "não entendi" has the question explained."""
    if confused.applies(turn, text):
        confused.explain(turn)
        return
    if about.applies(turn, text):  # "quem é você?": what the bot is, the question kept
        about.explain(turn)
        return
    if print_announced.applies(turn, text):  # "segue o print" at the priority: no answer
        print_announced.explain(turn)
        return
    if turn.state.step == IDLE and profile_email.code_typed(turn, text):
        return  # a new e-mail's code (R11), not the menu's option of that number
    shown = turn.state.data.get("ticket", {}).get("id") if current.name == "ticket.view" else None
    if current.name in ("ticket.view", "list.view") and \
            closing_offer.decide_named(turn, text, shown):  # "quero aprovar o 0004" (R19)
        return
    bare_number = current.numbers_are_text and text.strip().isdecimal()
    matched = None if bare_number else match_choice(turn.state, text,
                                                    current.numbers_are_options)
    asked = staff_report.requested(turn, text) if matched is None and not current.owns(text) \
        else None
    if matched is None and turn.state.flow == "intake" and fold(text) in intake.BACK_WORDS:
        intake_back.go_back(turn)  # at the first question, nothing typed: where it came from
    elif matched is None and (turn.state.flow == "intake" or current.name in GIVING_UP) \
            and intake.cancels(text):  # "esquece, quero cancelar": not the assunto
        commands.run(turn, Command.CANCEL, "")  # nor a restriction that closes the ticket
    elif matched is None and turn.state.flow == "intake" and \
            (servico := intake_mind.named_servico(turn, text)) is not None:
        intake_mind.change_servico(turn, servico)  # "na verdade é no financeiro"
    elif matched is None and fold(text) in intake.BACK_WORDS and current.on_choice is not None \
            and (offers_back(turn.state) or current.back):  # "voltar": a "Voltar…" offered
        current.on_choice(turn, "back" if offers_back(turn.state) else current.back or "")
    elif matched is not None and current.on_choice is not None:
        turn.by_number = text.strip().isdecimal()  # "1": the option's label unseen
        current.on_choice(turn, matched)
    elif asked is not None and current.requests:
        commands.run(turn, *asked)
    elif asked is not None and current.name in PLAIN_REQUESTS \
            and intents_typos.plain(turn.user, text) is not None:
        commands.run(turn, *asked)  # "meus chamados", an agent's "fila" at a page: no trâmite
    elif asked is not None and current.name in LISTINGS | KB_SEARCHES \
            and len(text.split()) > 1 and (plain := intents_typos.plain(turn.user, text)) \
            and (current.name in LISTINGS or plain[0] == Command.TICKETS):
        commands.run(turn, *plain)  # "abrir ticket" at the listing, "meus tickets" at the kb
    elif asked is not None and current.on_text is not None and (len(text.split()) > 1 or (
            current.plain_requests and asked[0] == Command.TICKET)) \
            and (current.is_busy(turn.state) or current.plain_requests) \
            and intents_typos.plain(turn.user, text) is not None:
        # "meus tickets" is no assunto ("Cadastro" may be, and "Buscar XML da nota" is) nor a
        # reason, nor "202611/0004" a restriction: it runs, a ticket being opened put aside,
        # or is refused where something else is typed (prints for the reason)
        commands.run(turn, *asked)
    elif matched is None and current.plain_requests and PADDED_END.fullmatch(text.strip()):
        commands.run(turn, Command.TICKET, text.strip())  # "0004": that ticket, not the words
    elif matched is None and turn.user.is_staff and current.on_text is not None \
            and following_words.worklist_named(text) is not None:
        # "atrasados" where a text is asked (a page, a trâmite, a solution): that worklist, as
        # "fila" there, never the text sent; refused as "fila" while something typed waits
        if current.is_busy(turn.state):
            raise InvalidInput(current.busy_key, command=preview(text.strip(), 40))
        following_words.worklist(turn, text)
    elif current.on_text is not None:
        current.on_text(turn, text)
    elif current.on_choice is not None and (named := match_words(turn.state, text)) is not None:
        current.on_choice(turn, named)
    elif (asked := intents.command(text)) is not None and current.is_busy(turn.state):
        commands.run(turn, *asked)  # "meus tickets" mid-intake: not "Não entendi"
    elif current.is_busy(turn.state) or not typed.not_a_choice(turn, text):
        raise InvalidInput("conv.error.choose")


def resolve_choice(state: ConversationState, choice_id: str) -> str:
    """The value behind a clicked id, only if the current prompt offered exactly that id."""
    prefix, _, value = (choice_id or "").partition(":")
    if not prefix.isdecimal() or not value:
        raise InvalidInput("conv.error.not_offered")
    if int(prefix) != state.prompt_id:
        raise InvalidInput("conv.error.old_prompt")
    prompt = current_prompt(state)
    if prompt is None or choice_id not in {c.id for c in prompt.choices}:
        raise InvalidInput("conv.error.not_offered")
    return value


def on_screen(state: ConversationState, user_input: UserInput) -> bool:
    """A button of the question still on screen: its id names that question, however old."""
    prompt = current_prompt(state)
    return prompt is not None and user_input.choice in {c.id for c in prompt.choices}


def is_stale_state(ctx: Ctx, state: ConversationState) -> bool:
    """No answer for policy.stale_conversation_hours: an answer now would be misread."""
    limit = timedelta(hours=ctx.policy.stale_conversation_hours)
    return state.updated_at is not None and ctx.now - state.updated_at > limit
