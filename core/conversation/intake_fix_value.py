"""At "Qual campo você quer corrigir?", a new value typed instead of a field's name: kept and
offered for the field it fits, or asked which (R5)."""

from __future__ import annotations

import re

from core.conversation import matter, smalltalk
from core.conversation.fmt import preview
from core.conversation.intake import catalog, draft
from core.conversation.turn import STEPS, Step, Turn, always, register
from core.errors import HelpdeskError, InvalidInput
from core.textmatch import fold

VERSION_ALONE = re.compile(r"(?:(?:a\s+)?(?:vers[aã]o|version|v)\.?\s*:?\s*)?"
                           r"\d{1,4}(?:[.,]\d+)+", re.IGNORECASE)
"""A version typed alone ("2026.10", "versão 2026,9"): no assunto, no descrição."""
TEXT_FIELDS = ("assunto", "descricao")


def is_version(text: str) -> bool:
    """Whether the text is a version alone, the word "versão" at most besides."""
    return VERSION_ALONE.fullmatch(text.strip()) is not None


def _servico(turn: Turn, text: str) -> str | None:
    """The serviço of the draft's item whose name or alias is the text ("Estoque")."""
    current = draft(turn)
    try:
        item = catalog(turn).item(current.tipo_id or "", current.item_id or "")
    except HelpdeskError:
        return None
    typed = fold(text)
    found = [s.id for s in item.servicos
             if typed in {fold(s.label), fold(s.label_en or ""), *map(fold, s.aliases)}]
    return found[0] if len(found) == 1 else None


def fits(turn: Turn, text: str) -> list[str]:
    """The fields a typed value may be for, likeliest first; none for words that are no value
    (a greeting, a stray letter)."""
    value = text.strip()
    if is_version(value):
        return ["versao"]
    if _servico(turn, value) is not None:
        return ["servico"]
    if not matter.is_matter(value):
        return []
    if len(value) > turn.ctx.policy.assunto_max or "\n" in value:
        return ["descricao"]
    return list(TEXT_FIELDS)


def offer(turn: Turn, text: str) -> bool:
    """Keep the value and ask which field takes it; False when it fits none."""
    fields = fits(turn, text)
    if not fields:
        return False
    turn.section("intake")["fix_value"] = {"text": text.strip()[:turn.ctx.policy.text_max],
                                           "fields": fields}
    turn.go("intake.fix_value")
    return True


def ask_fix_value(turn: Turn) -> None:
    """"Você escreveu …: usar como Assunto?" (or which of the fields it fits)."""
    kept = turn.section("intake").get("fix_value") or {}
    fields = kept.get("fields") or list(TEXT_FIELDS)
    shown = preview(kept.get("text") or "", 300)
    text = turn.t("conv.intake.fix_value_one", text=shown, field=turn.t(f"field.{fields[0]}")) \
        if len(fields) == 1 else turn.t("conv.intake.fix_value", text=shown)
    choices = [(turn.t("conv.intake.fix_use", field=turn.t(f"field.{f}")), f) for f in fields]
    choices += [(turn.t("conv.intake.fix_other"), "other"),
                (turn.t("conv.intake.back_to_summary"), "back")]
    turn.ask("intake.fix_value", text, choices)


def on_fix_value(turn: Turn, value: str) -> None:
    """Answer the field's own question with the value kept (its checks and messages), or
    leave it: another field, or the summary as it was."""
    kept = turn.section("intake").pop("fix_value", None) or {}
    if value == "other":
        turn.go("intake.corrigir")
        return
    if value == "back":
        turn.go("intake.resumo")
        return
    if value not in (kept.get("fields") or ()):
        raise InvalidInput("conv.error.not_offered")
    turn.section("intake")["fixing"] = True
    typed = kept.get("text") or ""
    step = STEPS[f"intake.{value}"]
    answer = step.on_choice if value == "servico" else step.on_text
    assert answer is not None
    answer(turn, _servico(turn, typed) or "" if value == "servico" else typed)


def on_fix_value_text(turn: Turn, text: str) -> None:
    """"sim" to the one field offered uses it, "não" asks which field; another value typed
    takes the place of the first."""
    fields = (turn.section("intake").get("fix_value") or {}).get("fields") or []
    said = smalltalk.yes_or_no(text)
    if said is not None:
        on_fix_value(turn, fields[0] if said and len(fields) == 1 else "other")
    elif not offer(turn, text):
        raise InvalidInput("conv.error.choose")


register(Step("intake.fix_value", ask_fix_value, on_choice=on_fix_value,
              on_text=on_fix_value_text, busy=always))
