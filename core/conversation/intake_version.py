"""Opening a ticket: the version in use (R17), asked, typed, or named in the descrição."""

from __future__ import annotations

from core.conversation.fmt import preview
from core.conversation.intake import SENTENCE_WORDS, advance, draft, fixing, kept, save
from core.conversation.keep_words import or_keep
from core.conversation.replies import Expect
from core.conversation.turn import Step, Turn, always, register
from core.errors import InvalidInput
from core.kb import STOPWORDS
from core.services.intake import clean_versao
from core.textmatch import fold
from core.versions import is_older, is_unreleased, looks_like_one, named_version, no_such_month

VERSION_CURRENT = frozenset({"atual", "a atual", "versao atual", "a versao atual", "ultima",
                             "a ultima", "ultima versao", "mais recente", "a mais recente",
                             "mais nova", "a mais nova", "a nova", "mais atual", "a mais atual",
                             "atualizada", "a atualizada", "ultima atualizacao",
                             "a ultima atualizacao", "current", "latest", "the latest",
                             "the current", "newest", "the newest"})
_SAYING = ("acho que e a ", "acho que e ", "acho que a ", "estou na ", "estamos na ", "to na ",
           "tou na ", "uso a ", "usamos a ", "e a ", "i think it s ", "i use ", "we use ",
           "it s ")
"""How an answer may begin before the version's name ("estou na última")."""
VERSION_UNKNOWN = frozenset({"nao sei", "sei la", "nao lembro", "nao sei qual", "nao tenho certeza",
                             "nao faco ideia", "nem ideia", "sem ideia", "nao tenho ideia",
                             "sei nao", "n sei", "nao faco a menor ideia", "desconheco",
                             "nao sabemos", "ninguem sabe", "i don t know", "i dont know",
                             "don t know", "dont know", "no idea", "not sure", "unknown",
                             "idk", "dunno", "no clue"})
_ASKING = ("onde", "como", "qual", "aonde", "cade", "where", "how", "which", "what")
"""First words of a question about the version itself ("onde vejo a versão?")."""


def _named(turn: Turn) -> str | None:
    """The version the descrição names, if it reads as one of the system's (2026.9): never
    one invented from a number that does not ("4.2.1")."""
    named, release = named_version(draft(turn).descricao), turn.ctx.policy.current_version
    return named if named and looks_like_one(named, release) and \
        not no_such_month(named, release) else None


def ask_versao(turn: Turn) -> None:
    """The version in use; the current release (and one the descrição names) one click
    away, anything can be typed; one typed with the serviço is taken, said so."""
    release = turn.ctx.policy.current_version
    typed = turn.section("intake").pop("versao_typed", None)
    if typed and (month := no_such_month(typed, release)):
        turn.say(NO_MONTH, typed=typed, month=month, current=release)
    elif typed and not fixing(turn) and looks_like_one(typed, release):
        turn.say("conv.intake.version_typed", version=typed)
        warn(turn, typed)
        current = draft(turn)
        current.versao = typed
        save(turn, current)
        advance(turn, "versao")
        return
    value = draft(turn).versao
    text = turn.t("conv.intake.ask_versao", current=release)
    if value:  # back with voltar, or being corrected
        text += "\n" + turn.t("conv.intake.current", value=value)
    choices = [(turn.t("conv.intake.versao_current", current=release), "current"),
               (turn.t("conv.intake.versao_unknown"), "none")]
    named = _named(turn)
    if named and named != release:
        choices.insert(0, (turn.t("conv.intake.versao_named", version=named), "named"))
    if value and value not in (release, named):
        choices.insert(0, (turn.t("conv.intake.keep_versao", version=value), "keep"))
    turn.ask("intake.versao", text, choices, Expect.TEXT)


def on_versao_choice(turn: Turn, value: str) -> None:
    """The current release, the one the descrição names, the one typed before (kept), or
    'I don't know'."""
    current = draft(turn)
    if value == "keep" and current.versao:
        advance(turn, "versao")
        return
    named = _named(turn) if value == "named" else None
    current.versao = turn.ctx.policy.current_version if value == "current" else named
    if named:
        warn(turn, named)
    save(turn, current)
    advance(turn, "versao")


def warn(turn: Turn, value: str) -> None:
    """R17: an older version is accepted with the warning; a newer or unreadable one said."""
    release = turn.ctx.policy.current_version
    older = is_older(value, release)
    if older:
        turn.say("conv.intake.version_old", reported=value, current=release)
    elif older is None:
        turn.say("conv.intake.version_unparsed", current=release)
    elif is_unreleased(value, release):
        turn.say("conv.intake.version_newer", reported=value, current=release)


TYPED_NOW = "versao_typed_now"
"""Set in the intake's section when a typed answer set the versão (read by edits.remember)."""


def on_versao_text(turn: Turn, text: str) -> None:
    """A typed version ("atual" and "não sei" as their buttons); an older one is accepted with
    the R17 warning."""
    try:
        value = read_typed(turn, text)
    except InvalidInput as err:
        if err.key != NO_NUMBER:
            raise
        _no_number(turn, text.strip())
        return
    current = draft(turn)
    current.versao = value
    save(turn, current)
    turn.section("intake")[TYPED_NOW] = True
    advance(turn, "versao")


NO_NUMBER = "conv.intake.version_no_number"
NO_MONTH = "conv.intake.version_no_month"
VERSAO_MAX = 40


def read_typed(turn: Turn, text: str) -> str | None:
    """The version typed words name, checked as at the question: the release for "atual",
    None for "não sei", else the one typed (R17's warning said); InvalidInput when they name
    none (NO_NUMBER for words with no number in them)."""
    release = turn.ctx.policy.current_version
    words = fold(text)
    words = next((words[len(s):] for s in _SAYING if words.startswith(s)), words)
    for phrases, value in ((VERSION_CURRENT, release), (VERSION_UNKNOWN, None)):
        if any(words == p or words.startswith(p + " ") for p in phrases):  # "não sei a versão"
            return value
    if any(ch.isalpha() for ch in text) and (not any(ch.isdecimal() for ch in text) or (
            len(text.strip()) > VERSAO_MAX and sentence(text))):  # the matter, not a version
        raise InvalidInput(NO_NUMBER, typed=text.strip()[:60], current=release)
    value = clean_versao(text)
    if value is None:
        raise InvalidInput("error.empty", field="versao")
    if not any(ch.isalnum() for ch in value):
        raise InvalidInput("error.no_words", field="versao")
    if not looks_like_one(value, release):  # "1": the button's number, not a version
        raise InvalidInput("conv.intake.version_shape", typed=value, current=release)
    if month := no_such_month(value, release):  # "2026.13": no later release, a typo
        raise InvalidInput(NO_MONTH, typed=value, month=month, current=release)
    warn(turn, value)
    return value


def sentence(text: str) -> bool:
    """Words that tell the matter ("Erro ao confirmar pedido de venda"), not a version said
    in words ("a de novembro", "Gold")."""
    real = [w for w in fold(text).split() if len(w) >= 4 and w not in STOPWORDS]
    return len(real) >= SENTENCE_WORDS


def _no_number(turn: Turn, text: str) -> None:
    """Words with no number are no version ("Gold", "a de novembro"): a question about
    where to see it answered, a sentence kept for the assunto, else what a version looks
    like said; the version asked again."""
    release = turn.ctx.policy.current_version
    words = fold(text)
    asking = text.endswith("?") or words.split()[0] in _ASKING
    if asking and ("vers" in words or not sentence(text)):
        turn.say("conv.intake.version_where", current=release)
        turn.go("intake.versao")
    elif sentence(text):
        _words_kept(turn, text)
    else:
        raise InvalidInput(NO_NUMBER, typed=text[:60], current=release)


def _words_kept(turn: Turn, text: str) -> None:
    """Words with no number typed at the version (the assunto, a question early): no
    version; kept for the assunto while it is empty (or, too long for one, the descrição),
    else joined to the descrição, to keep or replace at its question; the version asked
    again."""
    current = draft(turn)
    field = "assunto" if len(text) <= turn.ctx.policy.assunto_max and not current.assunto \
        else "descricao"
    said = "joined" if field == "descricao" and current.descricao else field
    if said == "joined":
        current.descricao = kept(turn, f"{current.descricao}\n{text}")
    else:
        setattr(current, field, text[:turn.ctx.policy.text_max])
    save(turn, current)
    turn.say(f"conv.intake.version_words_{said}", typed=preview(text, 60),
             current=turn.ctx.policy.current_version)
    turn.go("intake.versao")


def from_descricao(turn: Turn) -> None:
    """A descrição that names the version left unknown ("na versão 2026.9 trava"): kept as
    the version, said so (R17's warning too); one not shaped as the system's ("4.2.1") is
    not invented into one, and the customer is told so, once."""
    current = draft(turn)
    named = named_version(current.descricao)
    section = turn.section("intake")
    if current.versao or named is None:
        return
    if _named(turn) is None:
        if section.get("version_told") != named:
            section["version_told"] = named
            turn.say("conv.intake.version_named_unknown", version=named,
                     current=turn.ctx.policy.current_version)
        return
    current.versao = named
    save(turn, current)
    turn.say("conv.intake.version_from_descricao", version=named)
    warn(turn, named)


register(
    Step("intake.versao", ask_versao, on_choice=on_versao_choice,
         on_text=or_keep(on_versao_text, on_versao_choice),
         busy=always),
)
