"""Requests typed in plain words at the menu ("quero ver meus chamados"): the command they name.

Portuguese and English words are both known (English is a setting; people mix them anyway).
Only a message made wholly of request words counts, so a matter that merely mentions a ticket
("não consigo abrir o chamado da NF-e") is still offered as a ticket of its own.
"""

from __future__ import annotations

import re

from core.conversation.replies import Command
from core.textmatch import fold


def _vocabulary(*lines: str) -> frozenset[str]:
    """The words of some lines (folded already)."""
    return frozenset(" ".join(lines).split())


NUMBER = re.compile(r"(?<!\d)#?(\d{6})\s*/\s*(\d{1,6})(?!\d)")
_FILLER = _vocabulary(
    "quero queria gostaria preciso precisava poderia pode por favor pf pfv pfvr me eu ",
    "de do da dos das no na o a os as um uma meu meus minha minhas nosso nossos nossa nossas ",
    "cade onde fica ficou foi ",
    "ver mostrar mostra mostre consultar consulta acompanhar listar lista verificar olhar ",
    "status situacao andamento como esta estao qual quais e todos todas em aberto abertos ",
    "oi ola bom dia boa tarde noite ai ainda",
    "i want wanna would like need could can you please pls plz me my our the a an of for to on ",
    "show see view list check display look at what whats is are where how all every opened ",
    "status progress ",
    "hi hello good morning afternoon evening",
)
_TICKETS = _vocabulary(
    # Not "pedido": in retail it is a sales order far more often than a request.
    "ticket tickets chamado chamados solicitacao solicitacoes protocolo protocolos",
    "request requests case cases",
)
_STATUS = frozenset({"status", "situacao", "andamento", "progress"})
SHORT_NUMBER = re.compile(r"\b(?:ticket|chamado|protocolo|numero|n)\s*(\d{1,5})\b")
"""The end of a number after a ticket word, as people remember it ("ver o chamado 4")."""
TAB_WORDS: dict[str, str] = {
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
_NEW = _vocabulary("abrir abre abra criar crie cria registrar registre novo nova cadastrar",
                   "open new create raise register log file")
# "open" also qualifies tickets that are open: "show my open tickets" is the list.
_LISTING = _vocabulary("my our show see view list check display tickets requests cases")
_PROFILE = _vocabulary("perfil email mail telefone idioma dados cadastro",
                       "profile phone language details account")
_PROFILE_PARTS = {"email": "email", "mail": "email", "telefone": "phone", "idioma": "language",
                  "phone": "phone", "language": "language"}
_CHANGE = _vocabulary("alterar altere mudar mude trocar troque atualizar atualize",
                      "mudou mudei troquei trocou alterei alterou atualizei novo nova",
                      "change changed update edit set new")
_WORDS: dict[Command, frozenset[str]] = {
    Command.SUMMARY: frozenset({"resumo", "summary", "overview"}),
    Command.KB: frozenset({"base", "conhecimento", "artigos", "artigo", "kb", "procurar", "buscar",
                           "pesquisar", "knowledge", "articles", "article", "search", "faq"}),
    Command.HELP: frozenset({"ajuda", "socorro", "opcoes", "comandos", "help", "options",
                             "commands"}),
    Command.CONTACT: _vocabulary(
        "atendente atendentes humano humana pessoa alguem falar conversar ligar telefone fone",
        "contato horario horarios funcionamento atendimento suporte equipe whatsapp com",
        "agent human person someone talk speak call phone contact hours opening support team",
        "with"),
    Command.QUEUE: _vocabulary("fila proximo proxima atendimento", "queue next"),
}
MAX_WORDS = 10


def command(text: str) -> tuple[Command, str] | None:
    """The command a short request names, with its argument (a ticket number); else None."""
    numbers = NUMBER.findall(text)
    folded = fold(NUMBER.sub(" ", text))
    short = SHORT_NUMBER.search(folded) if not numbers else None
    if short:  # "ver o chamado 4": a ticket by the end of its number
        said = set(SHORT_NUMBER.sub(" ticket ", folded).split()) - _FILLER
        return (Command.TICKET, short.group(1)) if said <= _TICKETS else None
    words = folded.split()
    if not (words or numbers) or len(words) > MAX_WORDS or len(numbers) > 1:
        return None
    said = set(words) - _FILLER
    if "open" in said and set(words) & _LISTING:
        said.discard("open")
    if numbers:
        period, seq = numbers[0]
        return (Command.TICKET, f"{period}/{seq}") if said <= _TICKETS else None
    if not said:
        return (Command.TICKETS, "") if set(words) & _STATUS else None
    if said <= _TICKETS | _NEW:
        if not said & _NEW:
            return Command.TICKETS, ""
        return (Command.NEW, "") if said & _TICKETS else None
    if said & _TICKETS and said <= _TICKETS | TAB_WORDS.keys():  # "tickets encerrados"
        return Command.TICKETS, " ".join(w for w in words if w in TAB_WORDS)
    if said <= _PROFILE | _CHANGE and said & _PROFILE:
        named = {_PROFILE_PARTS[w] for w in said if w in _PROFILE_PARTS}
        return Command.PROFILE, named.pop() if len(named) == 1 else ""
    return next(((cmd, "") for cmd, vocabulary in _WORDS.items()
                 if said & vocabulary and said <= vocabulary | _TICKETS), None)
