"""One turn of a conversation: the state being changed, the replies being built, the steps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.conversation.replies import MAX_CHOICE_ID, MAX_LABEL, Expect, Piece, Reply
from core.conversation_state import ConversationState
from core.errors import HelpdeskError, InvalidInput
from core.i18n import label, t
from core.markdown_text import agent_plain
from core.models import Attachment, User
from core.services.context import Ctx

IDLE = "menu.main"
_SPOT = "\ue000"


class Turn:
    """The world of one step: ctx, the (copied) state, the user, and the replies so far."""

    def __init__(self, ctx: Ctx, state: ConversationState, user: User | None, lang: str) -> None:
        self.ctx = ctx
        self.state = state
        self.user_or_none = user
        self.lang = lang
        self.replies: list[Reply] = []
        self.caption: str | None = None
        """The text sent along with the files being handled (a photo's caption), if any."""
        self.said = ""
        """The words of the input being handled as typed, to name a command as the user did."""
        self.by_number = False
        """Whether the choice being handled was picked by typing its number (its label unseen
        as it was picked): a final answer is confirmed first (R19)."""

    @property
    def user(self) -> User:
        """The identified user (flows only run once someone is identified)."""
        if self.user_or_none is None:
            raise InvalidInput("conv.eligibility.unknown")
        return self.user_or_none

    @property
    def data(self) -> dict[str, Any]:
        """The state's free-form data (JSON-serializable values only)."""
        return self.state.data

    def t(self, key: str, /, **params: Any) -> str:
        """A catalog text in the user's language."""
        return t(key, self.lang, **params)

    def say(self, key: str, /, **params: Any) -> None:
        """Add an informative message (no answer expected)."""
        self.replies.append(Reply(text=self.t(key, **params)))

    def say_text(self, text: str, markdown: str | None = None) -> None:
        """Add an already-rendered message (and its Markdown, when it has some)."""
        self.replies.append(Reply(text=text, markdown=markdown))

    def say_typed(self, words: str) -> None:
        """Add words an agent typed (Markdown or Slack habits) as their own message."""
        self.replies.append(Reply(text=agent_plain(words), pieces=[Piece(text=words, typed=True)]))

    def typed_t(self, key: str, /, name: str, words: str, **params: Any
                ) -> tuple[str, list[Piece]]:
        """A catalog text quoting words an agent typed as its `name`: in plain words, and in
        pieces for a channel that formats them ([] when it cannot be cut around them)."""
        plain = self.t(key, **params, **{name: agent_plain(words)})
        chunks = self.t(key, **params, **{name: _SPOT}).split(_SPOT)
        if len(chunks) != 2:
            return plain, []
        runs = [Piece(text=chunks[0]), Piece(text=words, typed=True), Piece(text=chunks[1])]
        return plain, [run for run in runs if run.text]

    def ask(self, step: str, text: str,
            choices: Sequence[tuple[str, str] | tuple[str, str, str]] | None = None,
            expect: Expect = Expect.CHOICE, markdown: str | None = None,
            pieces: list[Piece] | None = None, typed_numbers: bool = False) -> None:
        """Show a prompt: a new prompt id, choice ids prefixed with it, remembered in the state."""
        self.state.step = step
        self.state.flow = step.split(".", 1)[0]
        self.state.prompt_id += 1
        prefix = f"{self.state.prompt_id}:"
        built: list[dict[str, str]] = []
        for shown, value, *also in choices or []:
            choice_id = prefix + value
            if len(choice_id.encode()) > MAX_CHOICE_ID:
                raise ValueError(f"choice id too long: {choice_id!r}")
            short = shown if len(shown) <= MAX_LABEL else shown[: MAX_LABEL - 1] + "…"
            # Validated into Choices with the Reply, in one call (not one per button).
            built.append({"label": short, "id": choice_id, "words": "".join(also)})
        reply = Reply.model_validate({"text": text, "choices": built, "expect": expect,
                                      "markdown": markdown, "pieces": pieces or [],
                                      "typed_numbers": typed_numbers})
        self.state.data["prompt"] = reply.model_dump(mode="json")
        self.state.data["prompt_lang"] = self.lang
        self.replies.append(reply)

    def go(self, step: str) -> None:
        """Move to a step and ask its question."""
        STEPS[step].ask(self)

    def leave(self, *sections: str) -> None:
        """Drop flow data that is no longer needed."""
        for section in sections:
            self.state.data.pop(section, None)

    def section(self, name: str) -> dict[str, Any]:
        """A flow's own part of the data, created on first use."""
        value = self.state.data.setdefault(name, {})
        assert isinstance(value, dict)
        return value


def error_text(err: HelpdeskError, lang: str) -> str:
    """Render a core error for a person, naming the field in their words."""
    params = dict(err.params)
    if "field" in params:
        params["field_label"] = label("field", params["field"], lang)
    if "fields" in params:  # "assunto, descricao" as the user reads them
        params["fields"] = ", ".join(label("field", f.strip().removesuffix("_id"), lang)
                                     for f in str(params["fields"]).split(","))
    return t(err.key, lang, **params)


def current_prompt(state: ConversationState) -> Reply | None:
    """The prompt the user is answering, as it was shown."""
    raw = state.data.get("prompt")
    return Reply.model_validate(raw) if raw else None


def prompt_now(turn: Turn) -> Reply | None:
    """The prompt the user is answering, in their language now: asked again (new buttons,
    kept in the state) when it was shown in another, chosen since elsewhere (R11), or when
    it shows a ticket as it stands (Step.live) and the ticket changed since."""
    prompt = current_prompt(turn.state)
    step = STEPS.get(turn.state.step or "")
    shown_in = turn.state.data.get("prompt_lang")
    user = turn.user_or_none
    same_lang = shown_in in (None, turn.lang)
    if prompt is None or step is None or user is None or turn.state.user_id != user.id \
            or (same_lang and not step.live):
        return prompt
    kept, said = turn.state.model_copy(deep=True), len(turn.replies)
    try:
        step.ask(turn)
    except HelpdeskError:  # it can no longer be asked as it was (a ticket gone): as shown
        turn.state = kept
        return prompt
    finally:
        del turn.replies[said:]
    asked = current_prompt(turn.state)
    if same_lang and asked is not None and _shows(asked) == _shows(prompt):
        turn.state = kept  # nothing changed on it: as shown, its buttons still working
        return prompt
    return asked


def _shows(prompt: Reply) -> tuple[str, list[str]]:
    """What a prompt shows: its text and its options' labels (not their ids)."""
    return prompt.text, [c.label for c in prompt.choices]


def ask_again(turn: Turn) -> Reply | None:
    """The prompt the user is answering, in their language now (prompt_now): when asked
    again in a new one, the state that shows it is saved."""
    shown = turn.state.prompt_id
    prompt = prompt_now(turn)
    if turn.state.prompt_id != shown:
        turn.ctx.uow.conversations.save(turn.state)
    return prompt


@dataclass(frozen=True)
class Step:
    """A question of a flow and what to do with each kind of answer."""

    name: str
    ask: Callable[[Turn], None]
    on_choice: Callable[[Turn, str], None] | None = None
    on_text: Callable[[Turn, str], None] | None = None
    on_files: Callable[[Turn, list[Attachment]], None] | None = None
    busy: Callable[[ConversationState], bool] | None = None
    requests: bool = False
    """Whether a request in words ("quero ver meus chamados") runs its command here."""
    plain_requests: bool = False
    """Whether a message made only of request words, two or more ("meus tickets"), runs here
    as at the intake's questions, though nothing typed is at stake (a reason, a restriction);
    a sentence that merely contains them is still the answer."""
    busy_key: str = "conv.error.busy"
    """What is at stake when a command cannot run here ("you are filling in a ticket")."""
    back: str | None = None
    """The choice "voltar" typed stands for where no Voltar button is shown (a listing's
    Menu, an article's results): else the words are searched for."""
    numbers_are_text: bool = False
    """Whether a number typed alone goes to on_text, not to the option of that number (the
    rating: "5" may be five stars as well as the fifth option, Péssimo)."""
    numbers_are_options: bool = False
    """Whether a short number typed alone at this free-text question names an option (the
    n-th button), as at a choice: it is no answer here (a reason, a complement, an assunto),
    and one past the last option is told so, not taken as the text."""
    own_words: Callable[[str], bool] | None = None
    """Whether typed words are this step's own ("registrar o ticket" at the anexos, "em
    atendimento" at a listing): its on_text takes them, never read as a request (to open
    another ticket, the team's hours)."""
    live: bool = False
    """Whether the question shows a ticket as it stands (its page, the team's actions): asked
    again rather than repeated as shown, since what refused an answer there (a colleague
    took the ticket meanwhile) may have changed what it shows."""

    def owns(self, text: str) -> bool:
        """Whether the words typed are this step's own (own_words)."""
        return self.own_words is not None and self.own_words(text)

    def is_busy(self, state: ConversationState) -> bool:
        """Whether leaving this step would lose something the user typed."""
        return self.busy(state) if self.busy else False


STEPS: dict[str, Step] = {}


def register(*steps: Step) -> None:
    """Make steps reachable by name."""
    for step in steps:
        STEPS[step.name] = step


def always(_: ConversationState) -> bool:
    """A busy() for steps where something typed is always at stake."""
    return True
