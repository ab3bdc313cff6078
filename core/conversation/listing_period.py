"""The listing's Período question (R8): a window of days, this month or the last, all time."""

from __future__ import annotations

from core.conversation import following_words, typed
from core.conversation.following_text import filters, set_month
from core.conversation.matching import match_choice, match_words
from core.conversation.turn import Step, Turn, register
from core.errors import InvalidInput

WINDOWS = (7, 30, 90, 365)


def ask_days(turn: Turn) -> None:
    """The time window ("exibir últimos"), or this month or the last (R8)."""
    choices = [(turn.t("conv.list.window_days", days=d), str(d)) for d in WINDOWS]
    choices += [(turn.t("conv.list.this_month"), "this"), (turn.t("conv.list.last_month"), "last"),
                (turn.t("conv.list.window_all"), "all")]
    turn.ask("list.days", turn.t("conv.list.ask_days"), choices)


def on_days(turn: Turn, value: str) -> None:
    """Keep the window ("voltar" typed: the listing as it was)."""
    f = filters(turn)
    if value in ("this", "last"):
        set_month(turn, f, value)
    elif value != "keep":
        f["days"], f["month"], f["page"] = (int(value) if value.isdecimal() else None), None, 0
    turn.go("list.view")


def on_days_text(turn: Turn, text: str) -> None:
    """A number typed is the window that says it ("7": seven days, not the 7th option, as
    where the buttons carry no numbers), else the option of that number; a window in words
    ("novembro", "últimos 15 dias") sets it."""
    raw = text.strip()
    if raw.isdecimal():
        value = raw if raw[0] != "0" and int(raw) in WINDOWS else match_choice(turn.state, raw)
    else:
        named = following_words.filters_named(text)
        if named is not None and set(named) <= {"days", "month"}:
            following_words.set_named(turn, filters(turn), named)
            turn.go("list.view")
            return
        value = match_words(turn.state, text)
        if value is None and typed.not_a_choice(turn, text):
            return  # a sentence ("o caixa travou todo o dia"): kept, offered as a ticket
    if value is None:
        raise InvalidInput("conv.error.choose")
    on_days(turn, value)


register(Step("list.days", ask_days, on_choice=on_days, on_text=on_days_text, back="keep",
              numbers_are_text=True))
