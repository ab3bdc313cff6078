""""voltar" at the intake's first question, nothing typed in it yet: a customer who opened it
by mistake ("abrri tiket" read as abrir ticket) or had second thoughts goes back where they came
from (the menu, or the offer of the message they had typed), not told "Esta é a primeira
pergunta"; once something was answered or typed in the intake, it is kept as before."""

from __future__ import annotations

from core.conversation import intake
from core.conversation.turn import IDLE, Turn
from core.models import Attachment

OFFERED = "offered"
"""The intake's note of the message and files it was opened with from the offer."""


def opened_with(turn: Turn, text: str, files: list[Attachment]) -> None:
    """Note what the offer carried into the intake just begun (if it began)."""
    if (turn.state.step or "").startswith("intake."):
        turn.section("intake")[OFFERED] = {"text": text, "files": len(files)}


def go_back(turn: Turn) -> None:
    """Leave the intake at its first question when nothing was typed in it; else the question
    before (intake.go_back)."""
    if not _first(turn) or not _untouched(turn):
        intake.go_back(turn)
        return
    value = intake.draft(turn)
    offered = turn.section("intake").get(OFFERED)
    turn.leave("intake")
    if offered and (value.descricao or value.attachments):  # the message offered again
        turn.section("typed").update(
            text=value.descricao, files=[a.model_dump(mode="json") for a in value.attachments])
        turn.go("menu.typed")
        return
    turn.say("conv.intake.left_first")
    turn.go(IDLE)


def _first(turn: Turn) -> bool:
    """Whether the question on screen is the first the intake asks."""
    here = (turn.state.step or "").removeprefix("intake.")
    if here not in intake.ORDER:
        return False
    single = {"tipo": len(intake.catalog(turn).tipos), "empresa": len(turn.user.company_ids)}
    return not [n for n in intake.ORDER[:intake.ORDER.index(here)] if single.get(n, 2) > 1]


def _untouched(turn: Turn) -> bool:
    """Whether nothing was answered or typed in the intake (what the offer brought apart)."""
    value = intake.draft(turn)
    offered = turn.section("intake").get(OFFERED) or {"text": None, "files": 0}
    return value.item_id is None and value.servico_id is None and value.versao is None \
        and value.assunto is None and (value.descricao or None) == (offered["text"] or None) \
        and len(value.attachments) == offered["files"]
