"""Opening a ticket: a change of mind about the serviço, typed at a later question ("na
verdade é no financeiro"), changes it instead of becoming the answer there."""

from __future__ import annotations

from core.catalog import Servico
from core.conversation.intake import catalog, draft, save
from core.conversation.turn import Turn
from core.kb import STOPWORDS
from core.textmatch import fold, name_words, stem

MARKERS = ("na verdade", "errei", "me enganei", "ops", "opa", "corrigindo", "correcao",
           "alias", "actually", "oops", "sorry")
"""How a change of mind begins; without one, words naming a module may be the matter itself."""
_AROUND = frozenset({"servico", "modulo", "sistema", "parte", "tela", "it", "is", "in", "the"})
_BEFORE_SERVICO = frozenset({"intake.empresa", "intake.tipo", "intake.item", "intake.servico"})
MAX_WORDS = 8


def named_servico(turn: Turn, text: str) -> Servico | None:
    """The one other serviço of the item a short change of mind names, else None."""
    folded = fold(text)
    marker = next((m for m in MARKERS if folded == m or folded.startswith(m + " ")), None)
    current = draft(turn)
    if marker is None or turn.state.step in _BEFORE_SERVICO or not current.item_id \
            or len(folded.split()) > MAX_WORDS:
        return None
    rest = {stem(w) for w in folded[len(marker):].split()
            if w not in STOPWORDS and w not in _AROUND}
    item = catalog(turn).item(current.tipo_id or "", current.item_id)
    found = [s for s in item.servicos
             if rest and rest <= {stem(w) for w in name_words(f"{s.label} {s.words()}")}]
    return found[0] if len(found) == 1 and found[0].id != current.servico_id else None


def change_servico(turn: Turn, servico: Servico) -> None:
    """Keep the serviço named, say so, and ask the question at hand again."""
    current = draft(turn)
    current.servico_id = servico.id
    save(turn, current)
    turn.say("conv.intake.servico_changed", servico=servico.shown(turn.lang))
    turn.go(turn.state.step or "intake.assunto")
