"""Requests typed in plain words at the menu ("quero ver meus chamados"): the command they name.

Portuguese and English words are both known (English is a setting; people mix them anyway).
Only a message made wholly of request words counts, so a matter that merely mentions a ticket
("não consigo abrir o chamado da NF-e") is still offered as a ticket of its own.
"""

from __future__ import annotations

import re

from core.conversation.intents_words import (
    ABOUT,
    ANOTHER,
    ASKING,
    ASPECT,
    ASPECT_ASKING,
    ASPECT_WHO,
    COST,
    COST_AROUND,
    LANGUAGE_ASKING,
    LANGUAGE_CODES,
    LANGUAGE_FILLER,
    LANGUAGE_NAMES,
    LANGUAGE_WORDS,
    NEGATION,
    NEWS,
    NEWS_ALONE,
    OPENED,
    SEARCH,
    SEARCH_WORDS,
    TOPIC_WORDS,
    TROUBLE,
    mend,
    news_only,
    one_more,
)
from core.conversation.intents_words import vocabulary as _vocabulary
from core.conversation.listing_words import OPEN, TAB_WORDS, TICKET_WORDS, tab_asked
from core.conversation.replies import Command
from core.textmatch import ascii_digits, fold

NUMBER = re.compile(r"(?<!\d)#?(\d{6})\s*[/-]\s*(\d{1,6})(?!\d)"
                    r"|(?<![\d.,])#?((?:19|20)\d\d(?:0[1-9]|1[0-2]))(?:\s|\.|(?=\d{4}(?!\d)))"
                    r"(\d{4})(?![\d]|[.,]\d)")
"""A ticket number in a text: 202611/0001, also written 202611-0001 (as find_by_number reads);
202611 0001, 202611.0001 and 2026110001 when the six digits read as a year and month and
four follow (not "R$ 202611.50")."""


def canonical_numbers(text: str) -> str:
    """The text with each ticket number in it written as the team writes it (202611/0001),
    and "#2" as the number's end alone: what a search reads."""
    text = NUMBER.sub(lambda m: f"{m.group(1) or m.group(3)}/{m.group(2) or m.group(4)}",
                      ascii_digits(text))
    return _HASH.sub(r"\1", text)


def numbers_in(text: str) -> list[tuple[str, str]]:
    """The ticket numbers a text holds, each as its period and sequence."""
    return [(m.group(1) or m.group(3), m.group(2) or m.group(4)) for m in NUMBER.finditer(text)]
_FILLER = _vocabulary(
    "quero queria gostaria preciso precisava poderia pode por favor pf pfv pfvr me eu n ",
    "de do da dos das no na o a os as um uma meu meus minha minhas nosso nossos nossa nossas ",
    "cade onde fica ficou foi ",
    "ver mostrar mostra mostre consultar consulta acompanhar listar lista verificar olhar ",
    "status situacao andamento como esta estao qual quais e todos todas em sao ",
    "oi ola bom dia boa tarde noite ai ainda ja tenho temos tem algum alguma alguns algumas ",
    "i want wanna would like need could can you please pls plz me my our the a an of for to on ",
    "show see view list check display look at what whats is are where wheres how hows all ",
    "every opened going was were been did ",
    "status progress do does have has any there yet",
    "hi hello good morning afternoon evening",
)
_TICKETS = TICKET_WORDS
_COST = COST | COST_AROUND  # "quanto vai custar o 0004?": its page, the cost answered
_STATUS = frozenset({"status", "situacao", "andamento", "progress"})
SHORT_NUMBER = re.compile(r"\b(?:ticket|chamado|protocolo|numero|nro|n|no)\s*(\d{1,5})\b")
"""The end of a number after a ticket word, as people remember it ("ver o chamado 4")."""
_URGENT = _vocabulary("urgente urgencia critico critica emergencia prioritario",
                      "urgent critical emergency")
"""How urgent the ticket to open is: the prioridade question asks it (R12), no descrição."""
_PROBLEM = _vocabulary("problema erro", "problem issue")
"""What a ticket to open may be called ("registrar um problema"), with a verb that opens."""
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
_NEW_RECORD = _vocabulary("novo nova novos novas new")
"""With no part named ("novo cadastro", "new account") these say a record to register, in
the retail system most likely: a matter; "telefone novo" is still the profile's phone."""
_COMPANY = frozenset({"empresa", "company"})
_TAKE = _vocabulary("assumir assumo assume pegar pego pega abrir abre abra responder responda",
                   "take open answer reply")
"""An agent's "assumir 202611/0001", anyone's "open ticket 4", "responder 4": its page."""
_WORDS: dict[Command, frozenset[str]] = {
    Command.SUMMARY: frozenset({"resumo", "summary", "overview"}),
    Command.KB: frozenset({"base", "conhecimento", "artigos", "artigo", "kb", "procurar", "buscar",
                           "pesquisar", "knowledge", "articles", "article", "search", "faq"}),
    Command.HELP: frozenset({"ajuda", "socorro", "opcoes", "comandos", "help", "options",
                             "commands"}),
    Command.CONTACT: _vocabulary(
        "atendente atendentes humano humana pessoa alguem falar conversar ligar telefone fone",
        "contato horario horarios funcionamento atendimento suporte equipe whatsapp",
        "atendem atende atendendo abrem aberto aberta funcionam funcionando fecham fechado",
        "voces horas",
        "agent human person someone talk speak call phone contact hours opening support team",
        "open closed"),
    Command.QUEUE: _vocabulary("fila proximo proxima atendimento", "queue next"),
}
_WHEN = _vocabulary("sabado sabados domingo domingos feriado feriados fim semana hoje amanha",
                    "agora dia dias que ate hora final",
                    "saturday saturdays sunday sundays weekend holiday holidays today tomorrow",
                    "now time until day days quando when")
"""Days and times asked about beside the team's hours ("vocês atendem sábado?", "when are you
open?"); alone they ask nothing."""
_BESIDE = _vocabulary("your business reach numero number com with")
"""Words beside the team's hours or phone ("what are your business hours?", "your phone
number", "falar com alguém"); alone they ask nothing ("your ticket", "ticket number", "what's
going on with my ticket?")."""
_WORKING = _vocabulary("trabalham trabalha close closes opens work working")
"""Verbs that ask for the hours with a day or a time only ("do you work on saturday?", "what
time do you close?"), never about a ticket ("close my ticket")."""
MAX_WORDS = 12
_CONTACT = re.compile(r"(?<![^\s@:])[^\s@:]+@[^\s@]+\.[^\s@]*[^\s@.]|\+?\(?\d[\d\s().-]{8,20}\d")
"""An e-mail address or a phone number told in a request ("meu email mudou para …"). An
address starts where its run of characters starts: tried from inside a long run, the search
took time by the square of its length (100 KB typed: two minutes)."""


def contact_in(text: str) -> str | None:
    """The e-mail address or phone number a sentence holds, if any."""
    found = _CONTACT.search(text)
    return found.group(0) if found is not None else None


_VALUE_WORDS = _vocabulary("para pra agora passou a ser e eh is to now new novo nova meu minha")
_HASH = re.compile(r"(?<![\w#])#\s*(\d{1,5})(?!\d)")
"""The end of a number after "#", "#4", read as "nº 4"."""
_CONTRACTED = re.compile(r"(?<=[^\W\d_])['’]s\b")
"""An English "'s", dropped: "what's" is "what" (not "what" and "s"), "who's" "who",
"my company's tickets" the company's."""


def command(text: str, loose: bool = True) -> tuple[Command, str] | None:
    """The command a short request names, with its argument (a ticket number); else None.
    Loose also reads tickets named by their matter ("novidade do chamado da nota?")."""
    contact = _CONTACT.search(text)
    if contact is not None and not NUMBER.search(ascii_digits(contact.group(0))):
        rest = " ".join(w for w in fold(_CONTACT.sub(" ", text)).split() if w not in _VALUE_WORDS)
        part = "email" if "@" in contact.group(0) else "phone"
        if command(rest, loose=False) == (Command.PROFILE, part):  # "meu email mudou para …"
            return Command.PROFILE, f"{part} {contact.group(0)}"
    text = _HASH.sub(r"n \1", ascii_digits(text))  # "status do ２０２６１１／０００１", "#4"
    text = _CONTRACTED.sub("", text)
    numbers = numbers_in(text)
    folded = mend(fold(NUMBER.sub(" ", text)))
    short = SHORT_NUMBER.search(folded) if not numbers else None
    if short:  # "ver o chamado 4": a ticket by the end of its number
        said = set(SHORT_NUMBER.sub(" ticket ", folded).split()) - _FILLER
        return (Command.TICKET, short.group(1)) \
            if said <= _TICKETS | NEWS | ASPECT | _TAKE | _COST else None
    if not numbers and (asked := _asked_by_end(folded, "?" in text)) is not None:
        return Command.TICKET, asked
    words = folded.split()
    if not (words or numbers) or len(words) > MAX_WORDS or len(numbers) > 1:
        return None
    said = set(words) - _FILLER
    listing_open = "open" in said and bool(set(words) & _LISTING)  # "my open tickets"
    if listing_open:
        said.discard("open")
    tabs = [w for w in words if w in TAB_WORDS] + ([OPEN] if listing_open else [])
    if numbers:
        period, seq = numbers[0]
        return (Command.TICKET, f"{period}/{seq}") \
            if said <= _TICKETS | NEWS | _TAKE | ASPECT | _COST else None
    if loose and news_only(said, "?" in text):  # "já resolveram?": no new ticket's matter
        return Command.TICKETS, OPEN
    if not said:
        return (Command.TICKETS, "") if set(words) & _STATUS else None
    asks_new = said & _NEW and said & (_TICKETS | _PROBLEM) or one_more(said)  # "outro chamado"
    if asks_new and said <= _TICKETS | _NEW | _URGENT | _PROBLEM | ANOTHER:
        return Command.NEW, ""  # "abrir chamado urgente", "quero registrar um problema"
    if said <= _TICKETS | _NEW:
        if not said & _NEW:
            return Command.TICKETS, " ".join(tabs)
        return (Command.NEW, "") if said & _TICKETS else None
    if said & _TICKETS and said <= _TICKETS | TAB_WORDS.keys():  # "tickets encerrados"
        return Command.TICKETS, " ".join(tabs)
    if loose and (tab := tab_asked(folded, _FILLER, text)) is not None:
        return Command.TICKETS, tab  # "encerrados", "de novembro": that tab's, month's listing
    if (language := _language_asked(said)) is not None:
        return Command.PROFILE, f"language {language}"
    named = {_PROFILE_PARTS[w] for w in said if w in _PROFILE_PARTS}
    if said <= _PROFILE | _CHANGE and said & _PROFILE and (named or not said & _NEW_RECORD):
        return Command.PROFILE, named.pop() if len(named) == 1 else ""
    if loose and (about := _about(text)) is not None:
        return about
    scope = said & _COMPANY  # "resumo da empresa": the company's
    if said & _WORKING and said & _WHEN and not said & _TICKETS \
            and said <= _WORDS[Command.CONTACT] | _WHEN | _BESIDE | _WORKING:
        return Command.CONTACT, ""
    return next(((cmd, " ".join(sorted(scope))) for cmd, vocabulary in _WORDS.items()
                 if said & vocabulary and said <= vocabulary | _TICKETS
                 | (scope if cmd == Command.SUMMARY else set())
                 | (_WHEN | _BESIDE if cmd == Command.CONTACT else set())), None)


_BARE = re.compile(r"\b(\d{1,5})\b")
_ASKING = _vocabulary("status situacao andamento como esta cade qual what whats where wheres how",
                      "hows is check look ver consultar verificar olhar responder answer reply")
"""Words that ask how a ticket stands, by the end of its number alone ("como está o 0004?")."""


def _asked_by_end(folded: str, question: bool = False) -> str | None:
    """The end of a number a status question names with no ticket word ("qual o status do
    0004?", "cadê o 4?", with "?" "o 4 já foi resolvido?", "e o 6?"); None when other words say
    it is something else ("do pedido 0004"); an agent's "assumir 0004" (written 0004) too."""
    bare = _BARE.findall(folded)
    words = set(_BARE.sub(" ", folded).split())
    asking = words & (_ASKING | ASPECT_ASKING) or question and (words & NEWS or bool(words)
                                                               and words <= _FILLER | ABOUT) \
        or (words & _TAKE and bare[:1] and len(bare[0]) == 4 and bare[0][0] == "0")  # "pego o 0004"
    if len(bare) != 1 or not asking or words - _FILLER - _ASKING - NEWS - _TICKETS - ASPECT \
            - _TAKE - ABOUT - TAB_WORDS.keys() - {"s", "the", "my"}:  # "sobre o 1?", "aberto"
        return None
    return bare[0]


def _language_asked(said: set[str]) -> str | None:
    """The language a request asks to be spoken in ("mudar o idioma para inglês", "english
    please", "English"), from its words past the filler; None for anything else said."""
    codes = LANGUAGE_CODES if said & LANGUAGE_WORDS else {}  # "idioma en", not "en" alone
    names = {LANGUAGE_NAMES.get(w) or codes[w] for w in said if w in LANGUAGE_NAMES or w in codes}
    rest = said - LANGUAGE_NAMES.keys() - codes.keys()
    if len(names) != 1 or rest - _CHANGE - _PROFILE - LANGUAGE_ASKING - LANGUAGE_FILLER:
        return None
    return names.pop()


def aspect_asked(text: str) -> str | None:
    """What a question about the ticket shown asks, with no number: "who" ("quem está cuidando
    disso?"), "due" ("quando vai ficar pronto?") or "cost" ("quanto vai custar?"); None for
    anything else said."""
    words = set(mend(fold(_CONTRACTED.sub("", text))).split())
    if words & COST and not words - _FILLER - _ASKING - _TICKETS - COST - COST_AROUND:
        return "cost"  # "quanto vai custar?", "vai ser cobrado?"
    if not words & ASPECT or not words & (_ASKING | ASPECT_ASKING) or words - _FILLER \
            - _ASKING - NEWS - _TICKETS - ASPECT - {"isso", "disso", "nisso", "it"}:
        return None
    return "who" if words & ASPECT_WHO else "due"


_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _about(text: str) -> tuple[Command, str] | None:
    """Tickets named by their matter: a search ("buscar rejeição"), or a question about one's
    open tickets ("alguma novidade do meu chamado da nota?"); None for a problem described."""
    typed = _WORD.findall(NUMBER.sub(" ", text))
    keys = [mend(fold(w).replace(" ", "")) for w in typed]
    said = set(keys)
    first = next((i for i, k in enumerate(keys) if k not in _FILLER), len(keys))
    if first < len(keys) and keys[first] in SEARCH and not said & NEGATION:
        return _search(keys[first + 1:], typed[first + 1:])
    anchors = _TICKETS if said & _TICKETS else NEWS_ALONE
    at = next((i for i, k in enumerate(keys) if k in anchors), None)
    if said & TROUBLE or at is None or not set(keys[:at]) <= _FILLER | NEWS | ABOUT | ASPECT:
        return None
    opened = {k for k, tab in TAB_WORDS.items() if tab == OPEN}
    skip = _FILLER | NEWS | ABOUT | _TICKETS | OPENED | opened | ASPECT
    topic = [w for k, w in zip(keys[at:], typed[at:], strict=True) if k not in skip]
    if not topic:  # "já resolveram meu chamado?", "qual o prazo do meu chamado?"
        return (Command.TICKETS, OPEN) if said & (NEWS | opened | ASPECT) or "?" in text \
            else None  # "what about my ticket?"
    start = next(i for i, k in enumerate(keys) if i > at and k not in skip)
    asked = said & (NEWS | ASKING | opened) or "?" in text
    if not asked or len(topic) > TOPIC_WORDS or not set(keys[at:start]) & ABOUT:
        return None
    return Command.TICKETS, " ".join([OPEN, *topic])


def _search(keys: list[str], typed: list[str]) -> tuple[Command, str] | None:
    """What follows a search verb: the words to look for in one's tickets ("procurar boleto");
    None for the knowledge base's or another command's words ("buscar na base")."""
    others = set().union(*_WORDS.values()) - SEARCH - TAB_WORDS.keys() - {"com", "with"}
    if set(keys) & others:
        return None
    sought = [w for k, w in zip(keys, typed, strict=True)
              if k not in _FILLER | _TICKETS | ABOUT]
    if not sought:
        return (Command.TICKETS, "") if set(keys) & _TICKETS else None
    return (Command.TICKETS, " ".join(sought)) if len(sought) <= SEARCH_WORDS else None
