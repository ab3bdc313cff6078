"""The words that name a listing's filters: its tabs, scope and time window (R6, R8), and a
tab's name typed alone ("encerrados", "em atendimento", "closed") as a listing asked for."""

from __future__ import annotations

import re
from typing import Any

from core.conversation import listing_month
from core.conversation.intents_words import vocabulary
from core.models import Tab
from core.textmatch import fold

TICKET_WORDS = vocabulary(
    # Not "pedido": in retail it is a sales order far more often than a request.
    "ticket tickets chamado chamados solicitacao solicitacoes protocolo protocolos",
    "request requests case cases",
)
OPEN = "abertos"
"""The open tickets' listing: Novos, Em estimativa, Em atendimento, Aguardando aprovação."""
TAB_WORDS: dict[str, str] = {
    **dict.fromkeys(("abertos", "aberto", "abertas", "aberta", "pendentes", "pendente",
                     "pending"), OPEN),
    **dict.fromkeys(("novos", "new"), "novos"),
    **dict.fromkeys(("estimativa", "estimate"), "em_estimativa"),
    **dict.fromkeys(("atendimento",), "em_atendimento"),
    **dict.fromkeys(("aguardando", "aprovacao", "awaiting", "approval"), "aguardando_aprovacao"),
    **dict.fromkeys(("encerrados", "fechados", "finalizados", "resolvidos", "closed"),
                    "encerrados"),
    **dict.fromkeys(("rejeitados", "rejected"), "rejeitados"),
    **dict.fromkeys(("empresa", "company"), "empresa"),
}
"""Words of a listing request that name its tab ("tickets encerrados") or its scope ("da
empresa"): the listing opens so, instead of searching for them."""

_UNIT_DAYS = {**dict.fromkeys(("dia", "dias", "day", "days"), 1),
              **dict.fromkeys(("semana", "semanas", "week", "weeks"), 7),
              **dict.fromkeys(("mes", "meses", "month", "months"), 30),
              **dict.fromkeys(("ano", "anos", "year", "years"), 365)}
_WINDOW = re.compile(r"\b(?:(\d{1,4}) )?(" + "|".join(_UNIT_DAYS) + r")\b")
_EVER = re.compile(r"\b(?:todo o periodo|todo periodo|qualquer data|sempre|all time|any time)\b")
MAX_DAYS = 3650
SCOPES = {**dict.fromkeys(("empresa", "company"), "whole"),
          **dict.fromkeys(("meus", "minhas", "mine", "my"), "mine")}
TABS = {**{word: tab for word, tab in TAB_WORDS.items() if tab != "empresa"},
        **dict.fromkeys(("todos", "todas", "all"), Tab.ALL.value),
        "open": OPEN, "progress": Tab.IN_PROGRESS.value}
FILLER = frozenset((
    "aba", "abas", "em", "o", "os", "a", "as", "do", "da", "dos", "das", "de", "no", "na",
    "nos", "nas", "e", "so", "apenas", "somente", "ver", "mostrar", "ultimo", "ultima",
    "ultimos", "ultimas", "toda", "inteira", "tab", "the", "in", "of", "and", "only", "show",
    "last", "past", "whole", "entire", "from"))
"""Words around a listing's filters ("aba encerrados da empresa", "nos últimos 30 dias")."""
BILLABLE = frozenset(("faturaveis", "faturavel", "cobraveis", "cobravel", "billable",
                      "chargeable"))
"""Words for the tickets outside the contract (R23): what the coordinator invoices."""
WAITING_CUSTOMER = re.compile(
    r"\b(?:aguardando|esperando|awaiting|waiting (?:on|for))(?: (?:o|a|pelo|pela|the))?"
    r"(?: (?:retorno|resposta|aprovacao|reply|answer|approval) (?:do|da|of|from)(?: the)?)?"
    r" (?:cliente|clientes|customer|customers)\b")
"""The tab Aguardando aprovação as the team calls it: waiting on the customer (R19)."""


OPEN_ONE = re.compile(r"\bopen (?:a|an|another|one|new)\b")
"""The English verb before a ticket ("open a ticket"), not the tab Open ("open tickets")."""


def filters_named(text: str) -> dict[str, Any] | None:
    """The tab, scope ("whole"/"mine"), window (days, or a month: listing_month.named) and
    billable ones a listing's words name, when they name nothing else ("em atendimento",
    "encerrados da empresa", "últimos 7 dias", "faturáveis de novembro"); else None: the
    words are searched for (R6, R8, R23)."""
    folded = WAITING_CUSTOMER.sub("aguardando", fold(text))
    if OPEN_ONE.search(folded):
        return None
    named: dict[str, Any] = {}
    if (month := listing_month.named(folded, text)) is not None:
        named["month"], folded = month
    elif (ever := _EVER.search(folded)) is not None:
        named["days"], folded = None, folded.replace(ever.group(0), " ")
    elif (window := _WINDOW.search(folded)) is not None:
        days = int(window.group(1) or 1) * _UNIT_DAYS[window.group(2)]
        if not 0 < days <= MAX_DAYS:
            return None
        named["days"], folded = days, folded.replace(window.group(0), " ")
    for word in folded.split():
        if word in SCOPES:
            named["scope"] = SCOPES[word]
        elif word in TABS:
            named["tab"] = TABS[word]
        elif word in BILLABLE:
            named["billable"] = True
        elif word in TICKET_WORDS:
            named.setdefault("tickets", True)
        elif word not in FILLER:
            return None
    if not named or (named.get("tickets") and set(named) <= {"scope", "tickets"}):
        return None  # "meus tickets": a listing asked anew, from its defaults
    named.pop("tickets", None)
    return named


TAB_NAMES = frozenset(("abertos", "abertas", "pendentes", "pending", "novos", "encerrados",
                       "fechados", "finalizados", "resolvidos", "closed", "rejeitados",
                       "rejected"))
"""Words that name a tab by themselves; "atendimento" alone is support (the team's hours),
"aberto" alone may ask whether support is open, and "new" alone is the command to open a
ticket, as "novo"."""
TAB_PHRASES = re.compile(r"\b(?:em (?:atendimento|estimativa)|in (?:progress|estimate)"
                         r"|aguardando aprovacao|awaiting approval)\b")
"""The names of the tabs of two words: "em atendimento", "in progress"."""


def tab_asked(folded: str, request_words: frozenset[str], typed: str = "") -> str | None:
    """A message that, whole, asks for a tab or a month by its name ("encerrados", "em
    atendimento", "meus encerrados", "quero ver os encerrados", "closed", "tickets de
    novembro", "mês passado"), or tickets of the last days ("tickets dos últimos 7 dias"):
    the words that name the listing (its tab, scope and window);
    None for anything else said ("novos produtos não aparecem", "atendimento", "boleto de
    novembro"). request_words: the words around any request ("quero ver"); typed: as typed."""
    words = folded.split()
    month = listing_month.named(folded, typed)
    window = bool(set(words) & TICKET_WORDS)  # "tickets dos últimos 7 dias": its days asked
    if not set(words) & TAB_NAMES and TAB_PHRASES.search(folded) is None and month is None \
            and not window:
        return None
    skip = request_words - SCOPES.keys() - TABS.keys() - FILLER
    kept = " ".join(("março" if w == "marco" and "março" in typed.casefold() else w)
                    for w in words if w not in skip)  # "marco" alone may be a name
    kept = listing_month.as_typed(kept, typed)  # "2026-11"
    named = filters_named(kept)
    return kept if named is not None and (
        "tab" in named or "month" in named or (window and "days" in named)) else None
