"""Opening a ticket: the descrição (R3), with coaching on what makes it useful."""

from __future__ import annotations

from core.conversation import coaching, intake_version, smalltalk
from core.conversation.fmt import preview
from core.conversation.intake import advance, catalog, draft, fixing, kept, save
from core.conversation.intake_priority import note_urgency, urgency_alone
from core.conversation.keep_words import or_keep
from core.conversation.replies import Expect
from core.conversation.turn import Step, Turn, always, register
from core.errors import HelpdeskError
from core.services.intake import clean_text
from core.textmatch import fold

DONE_WORDS = frozenset({
    "pronto", "pronta", "terminei", "acabei", "concluido", "concluir", "so isso", "e isso",
    "nenhum", "nenhuma", "sem anexo", "sem anexos", "nao tenho", "nada", "proximo", "done",
    "none", "seguir", "continuar", "avancar", "pular", "skip", "continue", "next", "finish",
    "no files", "nothing", "pode seguir", "pode continuar", "so isso mesmo",
    "e so isso", "era isso", "e isso ai", "mais nada", "nada mais", "seguir assim",
    "registrar", "registra", "registrar o ticket", "registrar ticket", "pode registrar",
    "finalizar", "finaliza", "enviar", "envia", "pode enviar", "fim", "register", "submit",
    "send", "segue", "segue assim", "pode seguir assim", "sem mais", "sem mais nada",
    "go on", "go on as is", "ok go on", "move on", "keep going", "carry on", "proceed",
    "that s all", "that s it", "that is all", "that is it", "thats all", "thats it",
    "nothing else", "no more", "all done", "i m done", "im done", "no attachment",
    "no attachments"})
"""Typed at the anexos step, these mean Concluir; at the complement question, going on
(the summary still comes before the ticket is registered, R5)."""


def done(text: str) -> bool:
    """Whether the words typed say the customer is done (DONE_WORDS)."""
    return fold(text) in DONE_WORDS


def ask_descricao(turn: Turn) -> None:
    """The detailed description, with what makes it useful (R3); one already written (typed
    before the intake, or being corrected) is shown and may be kept, or added to."""
    value = draft(turn).descricao
    kind = request_kind(turn)
    text = turn.t(f"conv.intake.ask_descricao_{kind}" if kind else "conv.intake.ask_descricao")
    if not value:
        turn.ask("intake.descricao", text, expect=Expect.TEXT)
        return
    adding = fixing(turn) and turn.section("intake").get("adding")
    choices = [(turn.t("conv.intake.keep_descricao"), "keep")]
    if adding:
        text = turn.t("conv.intake.ask_descricao_more")
    text += "\n" + turn.t("conv.intake.current", value=preview(value, 600))
    if _written_before(turn):
        text += "\n" + turn.t("conv.intake.descricao_add")
    elif fixing(turn) and not adding:  # Corrigir: the words typed replace it, said so
        text += "\n" + turn.t("conv.intake.descricao_replaces")
        choices.append((turn.t("conv.intake.add_to_descricao"), "add"))
    turn.ask("intake.descricao", text, choices, Expect.TEXT)


NOT_COACHED = {"service": ("path", "document"), "implementation": ("document",)}
"""What a request is not coached for: a reinstall reproduces no problem, nor has a new report
an example document (R16, R23)."""


def request_kind(turn: Turn) -> str | None:
    """"service" for a service outside the contract (R23), "implementation" for a request of
    something new (R16), None for support (a problem, an error, a question)."""
    current = draft(turn)
    try:
        if catalog(turn).is_billable(current.tipo_id or "", current.item_id or ""):
            return "service"
        if catalog(turn).is_implementation(current.tipo_id or "", current.item_id or ""):
            return "implementation"
    except HelpdeskError:  # an item the catalog no longer has: asked as support
        return None
    return None


def on_descricao_keep(turn: Turn, value: str) -> None:
    """Keep the descrição shown, checked and coached like a typed one; or, correcting it, ask
    what to add to it."""
    if value == "add":
        turn.section("intake")["adding"] = True
        turn.go("intake.descricao")
        return
    turn.section("intake").pop("adding", None)
    on_descricao(turn, draft(turn).descricao or "")


def _written_before(turn: Turn) -> bool:
    """Whether the descrição shown was written before its question (the message the ticket
    was opened with, a sentence typed at an earlier question), not yet answered there."""
    intake = turn.section("intake")
    return bool(draft(turn).descricao) and not intake.get("descricao_answered") \
        and not fixing(turn)


def on_descricao(turn: Turn, text: str) -> None:
    """Keep it, joined to a descrição written before its question (said so) unless it holds
    that one already; point out what seems missing without blocking."""
    if urgency_alone(text):  # "é urgente!!": the priority's answer, asked at the end
        note_urgency(turn, "intake.descricao")
        return
    smalltalk.refuse(text, "conv.intake.descricao_small_talk")
    clean_text(text, len(text) + 1, "descricao")  # blank joins nothing; what fits is kept below
    current = draft(turn)
    adding = turn.section("intake").pop("adding", False)
    earlier = current.descricao if _written_before(turn) or adding else None
    joined = bool(earlier) and " ".join(fold(earlier or "").split()) not in fold(text)
    turn.section("intake")["descricao_answered"] = True
    current.descricao = kept(turn, f"{earlier}\n{text.strip()}" if joined else text)
    save(turn, current)
    if joined:
        turn.say("conv.intake.descricao_joined")
    intake_version.from_descricao(turn)
    missing = [part for part in coaching.missing_parts(current.descricao, current.versao)
               if part not in NOT_COACHED.get(request_kind(turn) or "", ())]
    if missing:
        turn.section("intake")["coach"] = missing
        turn.go("intake.descricao_mais")
        return
    advance(turn, "descricao")


def ask_more(turn: Turn) -> None:
    """Offer to complete the descrição with what seems missing."""
    missing = turn.section("intake").get("coach") or []
    items = "\n".join("• " + turn.t(f"conv.coach.{part}") for part in missing)
    turn.ask("intake.descricao_mais", turn.t("conv.coach.intro", items=items),
             [(turn.t("conv.coach.skip"), "skip")], Expect.TEXT)


def on_more_choice(turn: Turn, value: str) -> None:
    """Go on with the descrição as it is."""
    turn.section("intake").pop("coach", None)
    advance(turn, "descricao")


def on_more_text(turn: Turn, text: str) -> None:
    """Add the complement to the descrição (never replacing what was typed); a bare "sim",
    "ok", "não" or "obrigada" means going on as it is, not a complement."""
    if smalltalk.kind(text) is not None or fold(text) in DONE_WORDS:
        on_more_choice(turn, "skip")
        return
    if urgency_alone(text):
        note_urgency(turn, "intake.descricao_mais")
        return
    addition = clean_text(text, len(text) + 1, "descricao")  # what fits is kept below
    current = draft(turn)
    current.descricao = kept(turn, f"{current.descricao or ''}\n{addition}")
    save(turn, current)
    turn.section("intake").pop("coach", None)
    turn.say("conv.coach.added")
    intake_version.from_descricao(turn)
    advance(turn, "descricao")


register(
    Step("intake.descricao", ask_descricao, on_choice=on_descricao_keep,
         on_text=or_keep(on_descricao, on_descricao_keep),
         busy=always, numbers_are_options=True),
    Step("intake.descricao_mais", ask_more, on_choice=on_more_choice, on_text=on_more_text,
         busy=always, numbers_are_options=True, own_words=done),
)
