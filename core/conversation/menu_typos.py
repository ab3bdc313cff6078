"""An agent's typo of a menu word typed at the menu ("fla", "resumu", "relatoro"): the command
it is nearest is offered ("Você quis dizer “Fila”?"), when no ticket holds the word and no
customer or company is named so; a real search still searches (R12)."""

from __future__ import annotations

from core.conversation import commands, following_words, listing_whose, smalltalk
from core.conversation.intents_words import near
from core.conversation.replies import Command
from core.conversation.turn import IDLE, Step, Turn, register
from core.models import Tab
from core.services import queries
from core.textmatch import fold

WORDS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("fila", "queue"), ("conv.menu.queue", f"cmd:{Command.QUEUE.value}")),
    **dict.fromkeys(("resumo", "summary"), ("conv.menu.summary", f"cmd:{Command.SUMMARY.value}")),
    **dict.fromkeys(("relatorio", "report"), ("conv.menu.report", f"cmd:{Command.REPORT.value}")),
    **dict.fromkeys(("tickets", "chamados"),
                    ("conv.menu.tickets_staff", f"cmd:{Command.TICKETS.value}")),
    **dict.fromkeys(("ajuda", "help"), ("conv.menu.help", f"cmd:{Command.HELP.value}")),
    **dict.fromkeys(("perfil", "profile"), ("conv.menu.profile", f"cmd:{Command.PROFILE.value}")),
    **dict.fromkeys(("atrasados", "overdue"), ("conv.work.atrasados.button", "work:atrasados")),
    "menu": ("conv.menu.back", f"cmd:{Command.MENU.value}"),
}
"""The team's menu words, each with its button's text and what it runs."""
SHORTEST = 3


def nearest(word: str) -> str | None:
    """The one menu word a typed word is a typo of (a letter missing, extra or wrong, or two
    swapped: "fla", "resumu", "relatoro", "Fial"), if any."""
    if len(word) < SHORTEST or not word.isalpha():
        return None
    found = [w for w in WORDS if near(word, w)]
    return found[0] if len(found) == 1 else None


def offer(turn: Turn, text: str) -> bool:
    """Offer the command an agent's one word at the menu is a typo of, when it is no search
    (no ticket holds it, no customer or company is named so); False otherwise."""
    words = fold(text).split()
    near = nearest(words[0]) if len(words) == 1 and turn.user.is_staff else None
    if near is None or listing_whose.names_someone(turn, text):
        return False
    query = queries.scoped_query(turn.user, tab=Tab.ALL, text=text)
    if queries.list_tickets(turn.ctx, turn.user.id or 0, query, 0, 1).total:
        return False
    turn.section("typo").update(typed=text.strip()[:40], word=near)
    turn.go("menu.typo")
    return True


def ask_typo(turn: Turn) -> None:
    """"Nenhum ticket tem “fla”. Você quis dizer “Fila”?": its button, and the menu."""
    typo = turn.section("typo")
    key, value = WORDS.get(str(typo.get("word")), WORDS["menu"])
    turn.ask("menu.typo", turn.t("conv.menu.did_you_mean", typed=typo.get("typed", ""),
                                 command=turn.t(key)),
             [(turn.t(key), value), (turn.t("conv.menu.back"), f"cmd:{Command.MENU.value}")])


def on_typo(turn: Turn, value: str) -> None:
    """Run the command offered (or the menu)."""
    turn.leave("typo", "prompt")
    turn.state.step = IDLE  # a command that keeps the question at hand (the report) shows the menu
    if value.startswith("work:"):
        following_words.worklist(turn, value.removeprefix("work:"))
    elif value.removeprefix("cmd:") in {c.value for c in Command}:
        commands.run(turn, Command(value.removeprefix("cmd:")), "")
    else:
        commands.ask_menu(turn)


def on_typo_text(turn: Turn, text: str) -> None:
    """A yes runs the command offered; other words are read as at the menu."""
    if smalltalk.yes_or_no(text) is True:
        on_typo(turn, WORDS.get(str(turn.section("typo").get("word")), WORDS["menu"])[1])
        return
    turn.leave("typo")
    turn.state.step = IDLE
    commands.on_menu_text(turn, text)


register(Step("menu.typo", ask_typo, on_choice=on_typo, on_text=on_typo_text, requests=True))
