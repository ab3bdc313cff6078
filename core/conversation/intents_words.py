"""Words that tell a request about tickets from a matter, and typos of the words that name them."""

from __future__ import annotations

import re
from functools import lru_cache


def vocabulary(*lines: str) -> frozenset[str]:
    """The words of some lines (folded already)."""
    return frozenset(" ".join(lines).split())


NEWS = vocabulary(
    "novidade novidades noticia noticias retorno resposta atualizacao status situacao andamento",
    "resolveram resolvido resolvida responderam respondeu respondido solucionaram solucionado",
    "news update updates progress resolved fixed answered solved solve happening acontecendo")
"""Words asking how tickets stand: "alguma novidade?", "já resolveram meu chamado?"."""
NEWS_ALONE = vocabulary("novidade novidades noticia noticias news update updates")
"""Those that ask it with no ticket word ("alguma novidade sobre a nota?", "any update?");
"status da nota" or "retorno da troca" may well be a matter."""
NEWS_ABOUT = vocabulary("it isso ele ela alguem ninguem nobody anyone someone")
"""Words beside a word of news that leave it a question of news: "is it fixed yet?", "alguém
respondeu?"."""
NEWS_ASKED = NEWS | vocabulary("answer reply retornou retornaram replied")
"""The words of news such a question asks with: "any answer yet?"."""
NOBODY = vocabulary("ninguem nobody")
"""Who did not answer, in a complaint that asks for news with no "?": "ninguém me respondeu"."""


def news_only(said: set[str], question: bool) -> bool:
    """Whether words past the filler, asked with "?" or said of nobody, only ask for news,
    naming no ticket: "já resolveram?", "tem retorno?", "is it fixed yet?", "ninguém me
    respondeu ainda" (not "já resolveu", a statement)."""
    return (question or bool(said & NOBODY)) and bool(said & NEWS_ASKED) \
        and said <= NEWS_ASKED | NEWS_ABOUT


SEARCH = vocabulary("buscar busca busque procurar procura procure pesquisar pesquisa pesquise",
                    "localizar localize encontrar encontre achar ache search find look")
"""Verbs that, first, ask to search the tickets: "buscar rejeição", "procurar boleto"."""
ABOUT = vocabulary("sobre da do de das dos referente respeito por nos nas entre",
                   "about on of for regarding re with in among")
"""Words that put a ticket's matter after it: "o chamado da nota", "ticket about the invoice"."""
OPENING = vocabulary("abrir abre abra criar crie cria registrar registre",
                     "open create raise register log file")
ANOTHER = vocabulary("outro outra mais another more one")
"""With a verb that opens, a ticket more, named or not: "abrir outro chamado", "quero abrir
mais um", "open another ticket"; "cadastrar outro" may be a product."""
A_TICKET = vocabulary("chamado ticket protocolo solicitacao problema erro",
                      "request case problem issue")
"""A ticket more, one of them, named beside ANOTHER with no verb: "outro chamado", "mais um
problema", "another ticket" (not "mais chamados", a page more of a listing)."""


def one_more(said: set[str]) -> bool:
    """Whether the words past the filler ask for a ticket more: with a verb that opens, or
    naming it with none."""
    return bool(said & ANOTHER) and (bool(said & OPENING) or bool(said & A_TICKET)
                                     and said <= ANOTHER | A_TICKET)


ASKING = vocabulary("ver mostrar mostra mostre consultar consulta acompanhar verificar olhar",
                    "cade onde como qual quais meu meus minha minhas nosso nossos nossa nossas",
                    "show see view check where how what whats my our")
"""Words that make "o chamado da nota" a question about a ticket of one's own."""
OPENED = vocabulary("que abri abrimos abriram fiz fizemos registrei registramos mandei enviei",
                    "passado passada ontem semana mes that which opened filed sent raised last")
"""Words that say which ticket without being its matter: "o chamado que abri ontem"."""
NEGATION = vocabulary("nao nem nunca not dont doesnt didnt cant cannot wont isnt")
TROUBLE = NEGATION | vocabulary(
    "sem erro erros errado errada falha falhou problema problemas bug urgente",
    "trava travou travar travando travado travada parou parado parada caiu cai sai saiu",
    "volta voltou continua continuou deu dando aparece apareceu consigo consegue funciona",
    "funcionou emite emitiu imprime imprimiu gera gerou demora demorando lento lenta",
    "error errors fails failed failing broken stuck crash crashed crashes problem issue wrong")
"""Words of a problem being described: "o chamado da nota fiscal não sai" is a matter."""
TOPIC_WORDS = 3
SEARCH_WORDS = 4
"""At most so many words of a matter after a ticket word, or after a search verb."""

_CANONICAL = ("chamado", "chamados", "ticket", "tickets", "novidade", "novidades", "protocolo",
              "protocolos")
_LONGEST = max(map(len, _CANONICAL))
"""A word longer than this by two or more is no typo of a ticket word (and a pasted 100 KB
"word" would make 100 000 copies of itself)."""
_REAL_WORDS = frozenset({"chamada", "chamadas", "ticker", "protocola", "protocolou"})
"""Real words one letter away from a ticket word: a "chamada" is a phone call, "protocolou"
a verb."""


def near(typed: str, word: str) -> bool:
    """Whether typed is word with one letter missing, extra, wrong, or two swapped."""
    if abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) != len(word):
        short, long = sorted((typed, word), key=len)
        return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
    diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    return len(diff) <= 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and typed[diff[0]] == word[diff[1]]
                              and typed[diff[1]] == word[diff[0]])


def mend(folded: str) -> str:
    """Folded words with typos of the ticket words fixed ("chamdo", "tiket", "novidads"), one
    typed against its number too ("tiket12", as "ticket12" is read)."""
    return " ".join(_mend_word(w) if w.isalpha() else _mend_glued(w) for w in folded.split())


_GLUED = re.compile(r"([a-z]+)(\d+)")


def _mend_glued(word: str) -> str:
    """A word mended, its digits typed against it kept as they were."""
    glued = _GLUED.fullmatch(word)
    return _mend_word(glued.group(1)) + glued.group(2) if glued else _mend_word(word)


@lru_cache(maxsize=2048)
def _mend_word(word: str) -> str:
    if not 5 <= len(word) <= _LONGEST + 1 or word in _REAL_WORDS or word in _CANONICAL:
        return word
    candidates = {c for key in _less_one(word) for c in _BY_LESS_ONE.get(key, ())}
    if not candidates:  # the usual word: no ticket word is one typo away
        return word
    return next((c for c in _CANONICAL if c in candidates and near(word, c)), word)


def _less_one(word: str) -> list[str]:
    """The word and the words it makes with one letter left out."""
    return [word, *(word[:i] + word[i + 1:] for i in range(len(word)))]


_BY_LESS_ONE: dict[str, list[str]] = {}
"""The ticket words by each of their _less_one: a word one typo away (near) from one of them
shares at least one with it (a missing, extra, wrong or swapped letter left out), so a typed
word is compared with those few instead of every ticket word (~0.4 ms for a long text)."""
for _word in _CANONICAL:
    for _key in _less_one(_word):
        _BY_LESS_ONE.setdefault(_key, []).append(_word)


ASPECT = vocabulary(
    "prazo previsao previsto prevista entrega quando quem responsavel cuidando atendendo cuida",
    "atende pronto pronta vai ficar sera ficara resolver terminar terminado concluido concluida",
    "deadline due eta when who ready assigned handling will be done finished",
    "trabalhando working long take fix")
"""Words asking a ticket's prazo or who has it: "qual o prazo do 0004?", "quem está cuidando
do chamado 3?", "quando vai ficar pronto?"."""
ASPECT_ASKING = vocabulary("prazo previsao quando quem responsavel deadline due eta when who")
"""Those of them that ask by themselves (with no "qual" or "como")."""
COST = vocabulary(
    "custo custos custar custa custara cobrado cobrada cobrados cobranca cobrar preco valor",
    "orcamento pagar pago paga pagamento quanto quanta",
    "cost costs price charge charged charges quote pay paid much",
    "graca gratis gratuito free")
"""Words asking what a ticket costs: "quanto vai custar?", "vai ser cobrado?", "how much?"."""
COST_AROUND = vocabulary("vai ser sera ter tem vou vamos algum alguma extra isso disso",
                         "will be there it this any")
ASPECT_WHO = vocabulary("quem responsavel cuidando atendendo cuida atende who assigned handling",
                        "trabalhando working")
"""Those that ask who has the ticket."""
LANGUAGE_NAMES = {"ingles": "en", "english": "en", "portugues": "pt_BR", "portuguese": "pt_BR"}
"""A language named in a request to speak it ("change language to english")."""
LANGUAGE_CODES = {"en": "en", "pt": "pt_BR", "ptbr": "pt_BR", "pt_br": "pt_BR", "br": "pt_BR"}
"""A language's code, as /language takes it, named after "idioma" or "language" ("language en")."""
LANGUAGE_WORDS = frozenset({"idioma", "lingua", "language"})
LANGUAGE_ASKING = vocabulary("idioma lingua language falar fala fale falo speak talk escrever",
                             "escreva write responder responda responde respostas answer answers",
                             "reply please atender atenda atendimento")
"""Words that may go with a language's name in a request to switch to it."""
LANGUAGE_FILLER = vocabulary("para pra em no na o a de do da in to into the of on with",
                             "switch prefiro prefer lets let us s me comigo", "by", "only so")
