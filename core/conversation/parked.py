"""A ticket being opened, put aside while the customer runs a command or a request in words
("meus tickets", "menu"): kept whole and offered again at the menu, resumed where it stopped
(R3: what was typed is never lost). One parked draft per conversation."""

from __future__ import annotations

from typing import Any

from core.conversation import intake, intake_texts, matter
from core.conversation.fmt import file_names, preview
from core.conversation.matching import match_words
from core.conversation.replies import Expect
from core.conversation.turn import IDLE, STEPS, Step, Turn, register
from core.errors import InvalidInput
from core.models import Attachment
from core.services.intake import TicketDraft

PARKED = "parked"
"""The state's section holding the draft put aside: the intake section and its step."""
NEW = "parked_new"
"""What a new ticket asked for while one is parked would start with (a message, files): kept
there by intake.begin, which asks menu.parked."""
CHOSEN = ("item_id", "servico_id", "versao", "assunto", "descricao", "attachments")
"""Fields a customer gives; a draft with none of them holds nothing worth keeping."""


def _from_step(turn: Turn) -> str | None:
    """The intake question to come back to, if the conversation is in an intake."""
    state = turn.state
    if state.flow == "intake" and (state.step or "").startswith("intake."):
        return state.step
    came = (turn.data.get("cancel") or {}).get("from") or ""
    if state.step == "menu.cancel_confirm" and came.startswith("intake."):
        return str(came)  # "meus tickets" typed at "Descartar o que você já digitou?"
    return None


def park(turn: Turn, say: bool = True) -> bool:
    """Put the ticket being opened aside, saying how to come back unless `say` is False (what
    comes next offers it); False when not in one."""
    step = _from_step(turn)
    if step is None or "intake" not in turn.data:
        return False
    section = turn.data.pop("intake")
    turn.leave("cancel")
    value = TicketDraft.model_validate(section.get("draft") or {})
    if any(getattr(value, field) for field in CHOSEN):  # a draft only begun is just left
        turn.data[PARKED] = {"intake": section, "step": step}
        if say:
            turn.say("conv.parked.kept", about=about(turn, value))
    turn.state.flow, turn.state.step = None, None
    return True


def parked_draft(turn: Turn) -> TicketDraft | None:
    """The draft put aside, if any."""
    kept = turn.data.get(PARKED)
    if not isinstance(kept, dict):
        return None
    return TicketDraft.model_validate((kept.get("intake") or {}).get("draft") or {})


def about(turn: Turn, value: TicketDraft) -> str:
    """How the customer recognises a draft: its assunto, else the start of what was written."""
    if value.assunto:
        return turn.t("conv.parked.about", assunto=preview(value.assunto, 100))
    if value.descricao:
        return turn.t("conv.parked.about_descricao", descricao=preview(value.descricao, 60))
    if value.attachments:
        return turn.t("conv.parked.about_files",
                      names=preview(file_names(value.attachments), 60))
    return turn.t("conv.parked.about_none")


def menu_offer(turn: Turn) -> tuple[str, list[tuple[str, str]]]:
    """The line and the two options the menu shows while a draft is parked (none without)."""
    value = parked_draft(turn)
    if value is None or turn.user.is_staff:
        return "", []
    return turn.t("conv.parked.offer", about=about(turn, value)), [
        (turn.t("conv.parked.continue"), "draft:continue"),
        (turn.t("conv.parked.discard"), "draft:discard")]


def on_menu_choice(turn: Turn, value: str) -> None:
    """Continuar or Descartar, offered at the menu."""
    if value == "continue":
        resume(turn)
    else:
        discard(turn)


def restore(turn: Turn) -> str | None:
    """Bring the draft back, saying so; the question to ask again, None if none is kept."""
    kept = turn.data.pop(PARKED, None)
    if not isinstance(kept, dict) or kept.get("step") not in STEPS:
        turn.say("conv.parked.gone")
        return None
    turn.data["intake"] = kept["intake"]
    turn.say("conv.parked.resumed", about=about(turn, intake.draft(turn)))
    return str(kept["step"])


def resume(turn: Turn) -> None:
    """Bring the draft back and ask the question where the customer stopped."""
    turn.go(restore(turn) or IDLE)


def discard(turn: Turn) -> None:
    """Drop the draft put aside (a click that says so: nothing else is lost)."""
    turn.leave(PARKED)
    turn.say("conv.parked.discarded")
    turn.go(IDLE)


def ask_new(turn: Turn) -> None:
    """A new ticket asked for while one is parked: continue that one, or start over."""
    value = parked_draft(turn) or TicketDraft()
    turn.ask("menu.parked", turn.t("conv.parked.ask_new", about=about(turn, value)),
             [(turn.t("conv.parked.continue"), "continue"),
              (turn.t("conv.parked.start_over"), "new"), (turn.t("conv.menu.back"), "menu")],
             Expect.CHOICE)


def on_new(turn: Turn, value: str) -> None:
    """Continue the parked draft (files meant for the new one join its anexos, a message is
    shown back), start a new one (the parked one is dropped), or go to the menu."""
    held: dict[str, Any] = turn.data.pop(NEW, None) or {}
    files = [Attachment.model_validate(f) for f in held.get("attachments") or []]
    if value == "continue" and (step := restore(turn)) is not None:
        if files:
            intake_texts.keep_for_anexos(turn, files)
        if held.get("descricao"):
            turn.say("conv.parked.typed_unused", text=preview(held["descricao"], 600))
        turn.go(step)
    elif value in ("new", "continue"):  # (continue: the parked draft was gone meanwhile)
        turn.leave(PARKED)
        intake.begin(turn, descricao=held.get("descricao"), attachments=files)
    else:
        turn.go(IDLE)


def on_new_text(turn: Turn, text: str) -> None:
    """Words typed here: the option they name; a matter kept for the new ticket (after a
    message held already), said so, and the question asked again; else not understood."""
    named = match_words(turn.state, text)
    if named is not None:
        on_new(turn, named)
        return
    if not matter.is_matter(text):
        raise InvalidInput("conv.error.choose")
    held = turn.data.setdefault(NEW, {})
    held["descricao"] = "\n".join(p for p in (held.get("descricao"), text.strip()) if p)
    turn.say("conv.parked.typed_kept")
    turn.go("menu.parked")


register(Step("menu.parked", ask_new, on_choice=on_new, on_text=on_new_text, requests=True))
