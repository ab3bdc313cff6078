"""The main menu, session start (R10 first), ajuda, and the typed commands (cancelar: in
cancelling)."""

from __future__ import annotations

from core.conversation import (
    answer_awaited,
    billing_prompt,
    cancelling,
    closing,
    closing_offer,
    contact,
    following,
    following_summary,
    following_words,
    held,
    intake,
    kb,
    matter,
    menu_typos,
    parked,
    profile,
    profile_email,
    rating_typed,
    reopen_asked,
    same_problem,
    smalltalk,
    staff_queue,
    staff_report,
    staff_worklists,  # noqa: F401  (its step: an agent's worklists, following_words.worklist)
    ticket_asked,
    ticket_view,
    typed,
)
from core.conversation.fmt import preview
from core.conversation.replies import Command, UserInput
from core.conversation.turn import (
    IDLE,
    STEPS,
    Step,
    Turn,
    error_text,
    prompt_now,
    register,
)
from core.errors import HelpdeskError, InvalidInput
from core.services import queries, worklists
from core.services.access import number_example

# Sections that hold what a flow collected; "list" (the listing filters) outlives flows.
FLOW_SECTIONS = ("intake", "tramite", "closing", "profile", "kb", "cancel", "ticket", "typed",
                 "solution", "workaround", "duplicate", parked.NEW)
MENU = (
    ("conv.menu.new", Command.NEW),
    ("conv.menu.tickets", Command.TICKETS),
    ("conv.menu.summary", Command.SUMMARY),
    ("conv.menu.kb", Command.KB),
    ("conv.menu.profile", Command.PROFILE),
    ("conv.menu.help", Command.HELP),
)


def ask_menu(turn: Turn) -> None:
    """Offer what the user can do now."""
    turn.leave(*FLOW_SECTIONS)
    # Staff open no tickets by chat, nor customers not yet trained (R2): the option would
    # only be refused.
    staff = turn.user.is_staff
    opens = turn.user.trained and not staff
    choices = [(turn.t(f"{key}_staff" if staff and cmd == Command.TICKETS else key),
                f"cmd:{cmd.value}") for key, cmd in MENU
               if not (cmd == Command.NEW and not opens)]
    if staff:  # the team's queue first: what to pick up next (R12); the report after Resumo
        choices.insert(0, (turn.t("conv.menu.queue"), f"cmd:{Command.QUEUE.value}"))
        choices.insert(3, (turn.t("conv.menu.report"), f"cmd:{Command.REPORT.value}"))
    offer, draft_choices = parked.menu_offer(turn)  # a ticket put aside: Continuar/Descartar
    text = f"{offer}\n{turn.t('conv.menu.prompt')}" if offer else turn.t("conv.menu.prompt")
    turn.ask(IDLE, text, [*draft_choices, *choices])


def on_menu_choice(turn: Turn, value: str) -> None:
    """A menu button runs the command it names (or continues or drops a parked draft)."""
    if value in ("draft:continue", "draft:discard"):
        parked.on_menu_choice(turn, value.removeprefix("draft:"))
        return
    name = value.removeprefix("cmd:")
    if name not in {c.value for c in Command}:
        raise InvalidInput("conv.error.not_offered")
    run(turn, Command(name), "")


def on_menu_text(turn: Turn, text: str) -> None:
    """Free text with nothing pending (a request in words ran before): a message is offered as
    a ticket (nothing guessed, nothing lost), or for an agent searches the tickets; a greeting,
    thanks or goodbye is answered in kind."""
    if typed.too_long(turn, text):  # past the descrição's limit: said, never kept whole
        return
    if following_words.worklist(turn, text):  # an agent's "atrasados", "meus"
        return
    if turn.state.step == IDLE and typed.PADDED_END.fullmatch(text.strip()):
        ticket_view.open_by_number(turn, text.strip())  # "0003", as the listing writes it
        return
    if menu_typos.offer(turn, text):  # an agent's "fla": "Você quis dizer “Fila”?"
        return
    if turn.user.is_staff and matter.is_matter(text):
        following.begin(turn, text)
        return
    if turn.state.step == IDLE and closing_offer.decide_in_words(
            turn, text, queries.pending_approvals(turn.ctx, turn.user.id or 0)):
        return  # "não resolveu, continua dando rejeição" about a ticket awaiting approval
    if same_problem.offer(turn, text):  # right after registering one: that one, or another?
        return
    if typed.accept(turn, text):  # "sim" / "pode" to the offer of the message as a ticket
        return
    if typed.decline(turn, text):  # "não": no ticket with it, the menu
        ask_menu(turn)
        return
    if typed.decline_then(turn, text):  # "não, só queria saber…": the rest offered
        return
    if not turn.user.is_staff and smalltalk.solved(text):  # "resolvido, obrigada": no ticket
        turn.say("conv.smalltalk.solved", name=turn.user.name.split(" ")[0])
        ask_menu(turn)
        return
    if turn.state.step == IDLE and rating_typed.offer(turn, text):  # "nota 10, a Ana foi ótima"
        return
    if reopen_asked.answer(turn, text):  # "quero reabrir o 0007": never, and what to do
        return
    if matter.offer_typed(turn, text):
        return
    talk = smalltalk.kind(text)
    if talk is None:
        raise InvalidInput("conv.error.not_understood")
    turn.say(f"conv.smalltalk.{talk}", name=turn.user.name.split(" ")[0])
    if turn.state.step == "menu.typed":  # "obrigado" at the offer: the message stays offered
        turn.go("menu.typed")
    else:
        ask_menu(turn)


def start_session(turn: Turn, first: UserInput) -> None:
    """Greet; keep a matter or files sent as the first message; offer pending approvals first
    (R10); then run what was asked, offer what was kept, ask a pending charge's authorization
    (R23), or show the menu."""
    user = turn.user
    if user.is_staff:  # the team's chat: what the queue holds, as its header says (R12)
        size = worklists.queue_size(turn.ctx, user.id or 0)
        turn.say(staff_queue.size_key("conv.welcome_staff", size), name=user.name.split(" ")[0],
                 total=size.total, unassigned=size.unassigned)
    else:
        turn.say("conv.welcome", name=user.name.split(" ")[0])
        answer_awaited.say(turn)  # an agent's question unanswered (R7)
    pending = queries.pending_approvals(turn.ctx, user.id or 0)
    if first.text and not first.files and \
            closing_offer.decide_in_words(turn, first.text, pending):  # "funcionou, obrigada"
        return
    if first.text and not first.files and profile_email.code_typed(turn, first.text):
        return  # the code of a new e-mail address, typed on coming back (R11)
    if first.text and not first.files and not pending and rating_typed.offer(turn, first.text):
        return  # "ótimo atendimento" on coming back: the ticket closed unrated (R20)
    if first.text and not first.files and not pending and reopen_asked.answer(turn, first.text):
        return  # "quero reabrir o 0007" on coming back: never, and what to do (R19)
    kept = typed.keep_first(turn, first)
    if pending:
        if kept:
            turn.say("conv.closing.typed_kept")
        closing.offer(turn, pending)
        return
    if kept:
        turn.go("menu.typed")
        return
    if first.command is not None:  # a typed command, or a request in words, runs at once
        skip = first.command in (Command.START, Command.CANCEL)
        request = None if skip else (first.command, first.arg)
    else:
        request = staff_report.requested(turn, first.text) if first.text else None
    if request is None and user.is_staff and first.text and not first.files \
            and matter.is_matter(first.text):  # an agent's first words: as at the menu
        on_menu_text(turn, first.text)  # a search, a worklist ("atrasados")
        return
    if request is not None:
        try:
            run(turn, *request)
            return
        except HelpdeskError as err:  # e.g. `novo` by someone untrained: say why, then the menu
            turn.say_text(error_text(err, turn.lang))
    elif charges := queries.pending_billing(turn.ctx, user.id or 0):
        # A charge awaiting the customer's word is asked like an approval (R23).
        billing_prompt.ask_billing_for(turn, charges[-1].id or 0)
        return
    ask_menu(turn)


def show_help(turn: Turn) -> None:
    """Explain the commands and what the current prompt expects; keep the prompt as it is."""
    turn.say("conv.help_staff" if turn.user.is_staff else "conv.help",
             example=number_example(turn.ctx))
    show_prompt(turn, explained=True)


def show_prompt(turn: Turn, explained: bool = False) -> None:
    """The question at hand again (what it expects, when asked), or the menu."""
    prompt = prompt_now(turn)
    if prompt is None:
        ask_menu(turn)
        return
    if explained:
        turn.say(f"conv.expect.{prompt.expect.value}")
    turn.replies.append(prompt)


def resume(turn: Turn) -> None:
    """A new session in the middle of something typed: carry on where it stopped, saying
    the words kept when the question does not show them."""
    prompt = prompt_now(turn)
    words = preview(held.words(turn.state), 300)
    shown = prompt is not None and words in prompt.text
    turn.say("conv.resume_kept", about=words) if words and not shown else turn.say("conv.resume")
    if prompt is None:
        ask_menu(turn)
    else:
        turn.replies.append(prompt)


def run(turn: Turn, command: Command, arg: str) -> None:
    """Run a command; a ticket being opened is put aside first (offered again at the menu);
    except ajuda and cancelar, never while something else typed is at stake."""
    if command == Command.HELP:
        show_help(turn)
        return
    if command == Command.CONTACT:  # like ajuda: the prompt at hand stays as it is
        contact.show_contact(turn)
        show_prompt(turn)
        return
    if command == Command.REPORT:  # the team's report: a message, the prompt kept too
        staff_report.show(turn, arg)
        show_prompt(turn)
        return
    if command == Command.CANCEL:
        cancelling.cancel(turn)
        return
    step = STEPS.get(turn.state.step or "")
    busy = step is not None and step.is_busy(turn.state)
    if command == Command.START and (busy or held.kept(turn.state)):
        resume(turn)
        return
    # A new ticket asked for mid-intake: its question offers the one put aside, said once.
    if busy and not parked.park(turn, say=command != Command.NEW):
        raise InvalidInput(step.busy_key if step else "conv.error.busy",  # named as typed
                           command=preview(turn.said.lstrip("/"), 40) or command.value)
    if command == Command.START:
        start_session(turn, UserInput())
    elif command == Command.MENU:
        ask_menu(turn)
    elif command == Command.NEW and typed.refused_untrained(turn):
        return  # "quero abrir um chamado" at the offer: why not, said once (R2)
    elif command == Command.NEW:
        intake.begin(turn)
    elif command == Command.TICKETS and not following_words.worklist(turn, arg or turn.said):
        following.begin(turn, arg)  # "tickets atrasados", "meus tickets": an agent's worklist
    elif command == Command.TICKET:
        at = len(turn.replies)
        ticket_view.open_by_number(turn, arg)
        ticket_asked.named(turn, at)  # "quanto vai custar o 0004?": answered too
    elif command == Command.QUEUE:
        staff_queue.begin(turn, arg)
    elif command == Command.SUMMARY:
        following_summary.show_summary(turn, arg)
    elif command == Command.EXPORT:
        following.export(turn)
    elif command == Command.PROFILE:
        profile.begin(turn, arg)
    elif command == Command.KB:
        kb.begin(turn, arg)


register(
    Step(IDLE, ask_menu, on_choice=on_menu_choice, on_text=on_menu_text,
         on_files=typed.on_menu_files, requests=True, back=f"cmd:{Command.MENU.value}"),
    Step("menu.typed", typed.ask_typed, on_choice=typed.on_typed, on_text=on_menu_text,
         on_files=typed.on_menu_files, requests=True, back="menu"),
)
