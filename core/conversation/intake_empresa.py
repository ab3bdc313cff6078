"""Opening a ticket: the empresa, asked of people in several companies (R3); the one a message
already typed names ("o SPED da padaria") is said and taken with a yes."""

from __future__ import annotations

from core.conversation import intake_suggest
from core.conversation.companies import Choices, ask_company, company_choices, on_company_name
from core.conversation.intake import advance, draft, save
from core.conversation.turn import Step, Turn, always, register
from core.services.access import require_can_open
from core.textmatch import words

GENERIC = frozenset({
    "ltda", "eireli", "epp", "cia", "companhia", "comercio", "comercial", "industria",
    "servicos", "loja", "lojas", "filial", "matriz", "grupo", "empresa", "empresas", "holding",
    "sistemas", "brasil", "the", "inc", "corp", "company", "store", "group"})
"""Words of company names that name no one company in a message ("a loja 2 travou")."""


def _own_words(names: Choices) -> dict[str, set[str]]:
    """Each company's words that no other of the person's companies has, nor are generic."""
    said = {value: {w for w in words(name) if len(w) >= 4 and w.isalpha()} - GENERIC
            for name, value in names}
    return {value: own - set().union(*(o for v, o in said.items() if v != value))
            for value, own in said.items()}


def named_in(names: Choices, text: str) -> tuple[str, str] | None:
    """The one company (name, id) whose own words the text has, else None (none or several)."""
    typed = set(words(text))
    found = [value for value, own in _own_words(names).items() if own & typed]
    if len(found) != 1:
        return None
    return next((name, value) for name, value in names if value == found[0])


def _hint(turn: Turn) -> tuple[str, str] | None:
    return named_in(company_choices(turn), draft(turn).descricao or "")


def ask_empresa(turn: Turn) -> None:
    """Which company the ticket is for; the one the message typed names, said."""
    question = turn.t("conv.intake.ask_empresa")
    hint = _hint(turn)
    if hint is not None:
        question += "\n" + turn.t("conv.intake.empresa_suggested", empresa=hint[0])
    ask_company(turn, "intake.empresa", question)


def on_empresa_name(turn: Turn, typed: str) -> None:
    """A yes takes the company said; else a typed company name (people in too many companies
    for buttons)."""
    hint = _hint(turn)
    if hint is not None and intake_suggest.accepted(typed):
        on_empresa(turn, hint[1])
        return
    on_company_name(turn, typed, "intake.empresa", turn.t("conv.intake.ask_empresa"),
                    on_empresa)


def on_empresa(turn: Turn, value: str) -> None:
    """Keep the company, re-checking the user belongs to it (R8)."""
    company_id = int(value) if value.isdecimal() else -1
    require_can_open(turn.user, company_id, turn.ctx)
    current = draft(turn)
    current.company_id = company_id
    save(turn, current)
    advance(turn, "empresa")


register(
    Step("intake.empresa", ask_empresa, on_choice=on_empresa, on_text=on_empresa_name,
         busy=always),
)
