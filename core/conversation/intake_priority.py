"""Opening a ticket: its prioridade, and the reason when critical (R12)."""

from __future__ import annotations

import re

from core.conversation import matter
from core.conversation.fmt import preview
from core.conversation.intake import SENTENCE_WORDS, advance, draft, save
from core.conversation.turn import Step, Turn, always, register
from core.errors import InvalidInput
from core.i18n import label
from core.kb import STOPWORDS
from core.models import CriticalReason, Priority
from core.textmatch import fold

STANDARD_WORDS = "normal comum baixa media padrao standard low"
CRITICAL_WORDS = "urgente urgencia alta critica urgent high critical"
STOPPED = frozenset({"parada", "parado", "parou", "paradas", "parados", "pararam", "stopped",
                     "down"})
FROZE = frozenset({"travou", "travado", "travada", "travados", "travadas", "travaram",
                   "trava", "travando", "caiu", "cairam", "froze", "frozen", "crashed"})
"""A stop is the manual's critical case; a freeze is how a problem is told, critical only
when what froze is the company or one of its areas (R12)."""
WHOLE = frozenset({"empresa", "loja", "lojas", "filial", "filiais", "area", "areas", "setor",
                   "setores", "departamento", "operacao", "tudo", "todos", "todas", "ninguem",
                   "company", "store", "stores", "branch", "department", "everything", "all",
                   "nobody"})
"""Words that say the whole company or an area stopped ("a loja parou", "todos os caixas")."""
ONE_THING = frozenset({"caixa", "pdv", "computador", "micro", "maquina", "terminal",
                       "impressora", "tela", "estacao", "notebook", "balanca", "till",
                       "computer", "printer", "screen"})
"""One machine stopped ("o caixa parou") is not, told alone, the company or an area."""
REASON_CLUES = {
    CriticalReason.AREA_STOPPED.value: STOPPED | FROZE | {
        "emite", "emitir", "emissao", "vender", "vende", "faturar"},
    CriticalReason.TAX_DEADLINE.value: frozenset({
        "obrigacao", "acessoria", "sped", "efd", "dctf", "gia", "declaracao", "vence",
        "vencendo", "prazo", "entrega", "deadline", "tax"}),
    "padrao": frozenset(STANDARD_WORDS.split()) | {"manter", "keep", "esperar", "tranquilo"},
}
"""Words that tell which of the manual's two reasons a typed one is (R12), or Padrão."""
TAX_SAID = REASON_CLUES[CriticalReason.TAX_DEADLINE.value] - {
    "vence", "vencendo", "prazo", "entrega", "deadline"}
"""A reason told with the urgency names the stop or the obligation itself; "urgente, preciso
emitir nota" or "o prazo vence" tell neither, so the reason is asked (R12)."""
URGENT_TYPED = frozenset(CRITICAL_WORDS.split()) | {"critico", "urgentissimo", "emergencia"}
STANDARD_TYPED = frozenset(STANDARD_WORDS.split()) | {"esperar", "tranquilo"}
PRIORITY_TYPED = URGENT_TYPED | frozenset(STANDARD_WORDS.split())
"""A priority named in one word ("padrão", "urgente")."""
NOT_URGENT = re.compile(r"\b(?:nao|nada|sem|nem|not)\b(?:\s+\w+){0,2}?\s+"
                        r"(?:urgen\w*|critic\w*|grave)")
"""'não é urgente', 'nada urgente', 'sem urgência': Padrão, though 'urgente' is in it."""
CANNOT_WORK = re.compile(r"\b(?:nao|sem)\s+(?:\w+\s+){0,2}?(?:emit|vend|fatur|transmit|abr)\w*")
"""'não consigo emitir nota', 'não vende', 'sem faturar': the manual's example of a stop (R12)."""
NEGATED = frozenset({"nao", "nada", "nem", "nunca", "not"})


HOW_OFTEN = re.compile(
    r"\btod[oa]s?\s+(?:[oa]s?\s+)?(?:dias?|vez|vezes|hora|horas|semana|mes)\b")
"""'todos os dias', 'toda hora': how often, not everything."""


def stop_told(folded: str) -> bool | None:
    """True when the words tell the company or an area stopped ("a loja parou", "está
    parado"), None when they tell a stop or freeze that may be less ("o caixa travou de
    novo", "o caixa parou"), False when they tell none."""
    words = set(HOW_OFTEN.sub(" ", folded).split())
    if not words & (STOPPED | FROZE):
        return False
    if words & NEGATED:
        return None
    if words & WHOLE or (words & STOPPED and not words & ONE_THING):
        return True
    return None


def stop_clause(descricao: str) -> str | None:
    """The clause of the descrição that tells the manual's critical case ("todas as lojas
    paradas", "não emite nota fiscal"), if one does (R12)."""
    for clause in re.split(r"[.!?;:,\n]+", descricao):
        folded = fold(clause)
        if not NOT_URGENT.search(folded) and (CANNOT_WORK.search(folded)
                                              or stop_told(folded) is True):
            return clause.strip()
    return None


URGENCY_AROUND = frozenset({
    "e", "eh", "muito", "bem", "super", "isso", "caso", "prioridade", "por", "favor", "pf",
    "pfv", "it", "is", "its", "very", "this", "please", "priority", "o", "a", "ticket"})
"""Words around an urgency typed alone ("é muito urgente!", "prioridade alta", "urgent please")."""


def urgency_alone(text: str) -> bool:
    """Whether the words only say the ticket is urgent ("urgente", "é crítico!!"): no assunto
    nor descrição, but the priority's answer a few questions early (R12)."""
    folded = fold(text)
    words = set(re.findall(r"[^\W\d_]+", folded))
    return bool(words & URGENT_TYPED) and words <= URGENT_TYPED | URGENCY_AROUND \
        and not NOT_URGENT.search(folded)


def note_urgency(turn: Turn, step: str) -> None:
    """Keep the urgency for the priority question, said so; the question at hand again."""
    turn.section("intake")["urgent"] = True
    turn.say("conv.intake.urgency_noted")
    turn.go(step)


def ask_prioridade(turn: Turn) -> None:
    """Padrão unless the case is critical by the manual's criteria, pointed out when the
    descrição tells it (or the urgency typed before it recalled); the customer decides (R12)."""
    question = turn.t("conv.intake.ask_prioridade")
    if turn.section("intake").get("urgent"):
        question = turn.t("conv.intake.priority_urgent_said") + "\n" + question
    clause = stop_clause(draft(turn).descricao or "")
    if clause is None:
        standard, critical = "conv.intake.priority_standard", "conv.intake.priority_critical"
    else:
        question = turn.t("conv.intake.priority_seems_critical",
                          said=preview(clause, 80)) + "\n" + question
        standard, critical = ("conv.intake.priority_standard_plain",
                              "conv.intake.priority_critical_seems")
    turn.ask("intake.prioridade", question,
             [(turn.t(standard), "padrao", STANDARD_WORDS),
              (turn.t(critical), "critico", CRITICAL_WORDS)])


def on_prioridade(turn: Turn, value: str) -> None:
    """Padrão goes on; Crítico asks for one of the two accepted reasons."""
    if value == "critico":
        turn.go("intake.motivo")
        return
    _set_priority(turn, Priority.STANDARD, None)


def on_prioridade_text(turn: Turn, text: str) -> None:
    """Words typed at the priority: "urgente", "a loja parou" are Crítico (its reason taken
    when the words name one, else asked); "normal", "não é urgente" Padrão; a freeze of one
    thing ("o caixa travou de novo") has the reason asked, Manter Padrão among the answers,
    and joins the descrição; anything else ("Erro ao emitir nota") is told the options."""
    folded = fold(text)
    words = set(folded.split())
    stop = stop_told(folded)
    if NOT_URGENT.search(folded) or (words & STANDARD_TYPED and not words & URGENT_TYPED
                                     and stop is False):
        _set_priority(turn, Priority.STANDARD, None)
    elif CANNOT_WORK.search(folded) or (stop is True and not words & TAX_SAID):
        # the company cannot issue notas, sell, invoice; "é urgente, a loja parou"
        _set_priority(turn, Priority.CRITICAL, CriticalReason.AREA_STOPPED)
    elif words & URGENT_TYPED and words & TAX_SAID and stop is False:  # "urgente, o SPED…"
        _set_priority(turn, Priority.CRITICAL, CriticalReason.TAX_DEADLINE)
    elif stop is None:  # one till froze: critical only if the customer says so
        turn.say("conv.intake.priority_stop_unclear", text=preview(text.strip(), 120))
        _keep_for_descricao(turn, text)
        turn.go("intake.motivo")
    elif words & URGENT_TYPED or stop:
        turn.go("intake.motivo")
    else:
        raise InvalidInput("conv.intake.priority_options")


def _keep_for_descricao(turn: Turn, text: str) -> None:
    """A sentence about the problem ("o caixa travou de novo") joins the descrição, unless
    there already; the summary shows it before registering (R3)."""
    real = [w for w in fold(text).split() if len(w) >= 4 and w not in STOPWORDS]
    current = draft(turn)
    said = text.strip()
    if len(real) < SENTENCE_WORDS or not matter.is_matter(said) \
            or fold(said) in fold(current.descricao or ""):
        return
    joined = f"{current.descricao}\n{said}" if current.descricao else said
    current.descricao = joined[:turn.ctx.policy.text_max]
    save(turn, current)
    turn.say("conv.intake.priority_sentence_kept")


def ask_motivo(turn: Turn) -> None:
    """The reason a ticket is critical: an area stopped, or a tax obligation due (R12)."""
    choices = [(label("critical_reason", reason, turn.lang), reason.value)
               for reason in CriticalReason]
    choices.append((turn.t("conv.intake.priority_keep_standard"), "padrao"))
    turn.ask("intake.motivo", turn.t("conv.intake.ask_motivo"), choices)


def on_motivo_text(turn: Turn, text: str) -> None:
    """"a loja está parada, não emite NF-e" names the first reason, "o SPED vence amanhã" the
    second (negations included: they are how a stop is told)."""
    folded = fold(text)
    words = set(folded.split())
    named = [value for value, clues in REASON_CLUES.items() if words & clues]
    if NOT_URGENT.search(folded):  # "não é urgente": Padrão after all
        named = ["padrao"]
    if len(named) != 1:
        raise InvalidInput("conv.error.choose")
    on_motivo(turn, named[0])


def on_motivo(turn: Turn, value: str) -> None:
    """Keep the reason, or go back to Padrão."""
    if value == "padrao":
        _set_priority(turn, Priority.STANDARD, None)
        return
    _set_priority(turn, Priority.CRITICAL, CriticalReason(value))


def _set_priority(turn: Turn, priority: Priority, reason: CriticalReason | None) -> None:
    current = draft(turn)
    current.priority = priority
    current.critical_reason = reason
    save(turn, current)
    advance(turn, "prioridade")


register(
    Step("intake.prioridade", ask_prioridade, on_choice=on_prioridade,
         on_text=on_prioridade_text, busy=always),
    Step("intake.motivo", ask_motivo, on_choice=on_motivo, on_text=on_motivo_text, busy=always),
)
