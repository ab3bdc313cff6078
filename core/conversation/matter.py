"""A matter typed where no answer is pending: recognised, kept, and offered as a ticket."""

from __future__ import annotations

from core.conversation import intents_typos, smalltalk
from core.conversation.attachments import say_if_audio
from core.conversation.fmt import joined
from core.conversation.turn import IDLE, Turn
from core.errors import InvalidInput
from core.models import Attachment
from core.services.access import untrained
from core.textmatch import fold

NO_MATTER = smalltalk.WORDS | {"descartar", "confirmo", "continuar", "voltar", "cancelar",
                               "discard", "confirm", "continue", "back", "cancel"}
"""Words that alone answer a yes/no question or name a command: no matter to open."""
MATTER_WORD = range(3, 41)
"""How long a single word must be to read as a matter ("travou", "boleto"), not a typo."""


def is_matter(text: str) -> bool:
    """Whether a text typed outside any question reads as a matter: not only a greeting, a
    thank-you or an assent, and two words or more or one real word ("travou")."""
    words = fold(text).split()
    if not words or all(w in NO_MATTER for w in words):
        return False
    if len(words) >= 2:
        return True
    return len(words[0]) in MATTER_WORD and any(c.isalpha() for c in words[0])


def offer_typed(turn: Turn, text: str) -> bool:
    """Ask what to do with a message typed outside any question; False for what is no matter
    (a greeting, an assent, a stray character) or a user who does not open tickets."""
    if not is_matter(text) or turn.user.is_staff:
        return False
    kept = turn.section("typed")
    if kept.get("text") and intents_typos.tried_request(str(kept["text"])) \
            and not intents_typos.tried_request(text):  # "abrri tikect", then the problem
        kept["text"] = None
    keep_typed(turn, text)
    turn.go("menu.typed")
    return True


def keep_typed(turn: Turn, text: str) -> None:
    """Hold a matter typed outside any question until the user says what to do with it; a
    further message joins it (people split what they say over several messages)."""
    typed = turn.section("typed")
    typed["text"] = joined(typed.get("text"), text)[:turn.ctx.policy.text_max]


def follows(turn: Turn, number: str) -> None:
    """The matter kept is about a closed ticket (R19, R21): a ticket opened with it names it."""
    turn.section("typed")["after"] = number


def kept(turn: Turn) -> bool:
    """Whether a matter or files typed earlier wait for the user to say what to do with them."""
    typed = turn.state.data.get("typed") or {}
    return bool(typed.get("text") or typed.get("files"))


def after_flow(turn: Turn) -> None:
    """At the end of a flow: offer the matter kept meanwhile, else the menu."""
    turn.go("menu.typed" if kept(turn) else IDLE)


MAX_FILES = 20
"""The most files a ticket takes at once (its anexos, or files kept to offer)."""


def on_menu_files(turn: Turn, files: list[Attachment]) -> None:
    """Files sent outside any question (a screenshot of the error, say): kept, and offered as
    the attachments of a new ticket; a caption that reads as a matter, as its descrição."""
    keep_files(turn, files)
    turn.go("menu.typed")


def keep_files(turn: Turn, files: list[Attachment]) -> None:
    """Hold files sent outside any question, and their caption if it reads as a matter."""
    if turn.user.is_staff:
        raise InvalidInput("conv.error.files_not_expected")
    if not turn.user.trained:  # no ticket to attach them to (R2)
        raise untrained(turn.ctx, turn.user)
    kept = turn.section("typed").setdefault("files", [])
    if len(kept) + len(files) > MAX_FILES:
        raise InvalidInput("conv.intake.too_many_files", max=MAX_FILES)
    kept += [a.unattached().model_dump(mode="json") for a in files]
    say_if_audio(turn, files)
    if turn.caption and is_matter(turn.caption):
        keep_typed(turn, turn.caption)
