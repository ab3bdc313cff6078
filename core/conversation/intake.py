"""Opening a ticket (R3): the draft, the order of the questions, empresa → versão (R17)."""

from __future__ import annotations

from collections.abc import Callable

from core.catalog import Catalog, Item, Servico
from core.conversation import intake_suggest, matter
from core.conversation.fmt import fit_told
from core.conversation.matching import match_words
from core.conversation.turn import Step, Turn, always, register
from core.errors import InvalidInput
from core.kb import STOPWORDS
from core.models import Attachment
from core.services.access import require_can_open, untrained
from core.services.intake import TicketDraft, clean_descricao
from core.services.reference import load_catalog
from core.textmatch import fold
from core.versions import looks_like_one, plainly, split_version

ORDER = ("empresa", "tipo", "item", "servico", "versao", "assunto", "descricao", "anexos",
         "prioridade")
REQUIRED = {"empresa": "company_id", "tipo": "tipo_id", "item": "item_id",
            "servico": "servico_id", "assunto": "assunto", "descricao": "descricao"}


def draft(turn: Turn) -> TicketDraft:
    """The draft as typed so far."""
    return TicketDraft.model_validate(turn.section("intake").get("draft") or {})


def save(turn: Turn, value: TicketDraft) -> None:
    """Keep the draft in the conversation state."""
    turn.section("intake")["draft"] = value.model_dump(mode="json")


def catalog(turn: Turn) -> Catalog:
    """The catalog the team keeps (or the packaged one)."""
    return load_catalog(turn.ctx.uow)


def kept(turn: Turn, text: str) -> str:
    """The descrição as typed, or what fits of one over the limit (said so)."""
    return clean_descricao(turn.ctx, fit_told(turn, text, "conv.intake.descricao_cut"))


def fixing(turn: Turn) -> bool:
    """Whether the user came from the summary to correct a field."""
    return bool(turn.section("intake").get("fixing"))


def begin(turn: Turn, descricao: str | None = None,
          attachments: list[Attachment] | None = None) -> None:
    """Start a new draft, if this user may open tickets at all (R2); a message the user already
    typed comes in as the descrição (offered again at its question), files already sent as the
    anexos."""
    user = turn.user
    if user.is_staff:
        raise InvalidInput("conv.intake.staff")
    if not user.trained:
        raise untrained(turn.ctx, user)
    for company_id in user.company_ids:
        require_can_open(user, company_id, turn.ctx)
    if turn.data.get("parked"):  # one ticket put aside at a time: continue it or start over
        turn.data["parked_new"] = {"descricao": descricao, "attachments": [
            a.model_dump(mode="json") for a in attachments or []]}
        turn.go("menu.parked")
        return
    turn.leave("intake")
    single = user.company_ids[0] if len(user.company_ids) == 1 else None
    save(turn, TicketDraft(company_id=single, descricao=descricao,
                           attachments=attachments or []))
    turn.say("conv.intake.intro")
    advance(turn, None)


def _auto_fill(turn: Turn, name: str, value: TicketDraft) -> bool:
    """Answer a question that has a single possible answer; True when filled (so never
    asked, also when going on after a voltar)."""
    if name == "tipo" and len(catalog(turn).tipos) == 1:
        if value.tipo_id is None:
            value.tipo_id = catalog(turn).tipos[0].id
            save(turn, value)
        return True
    return name == "empresa" and value.company_id is not None


def advance(turn: Turn, done: str | None) -> None:
    """Ask the next question; when correcting, only what is missing, then the summary."""
    value = draft(turn)
    if fixing(turn):
        for name in ORDER:
            field = REQUIRED.get(name)
            if field and not getattr(value, field) and not _auto_fill(turn, name, value):
                turn.go(f"intake.{name}")
                return
        turn.go("intake.resumo")
        return
    start = ORDER.index(done) + 1 if done else 0
    for name in ORDER[start:]:
        if not _auto_fill(turn, name, value):
            turn.go(f"intake.{name}")
            return
    turn.go("intake.resumo")


BACK_WORDS = frozenset({"voltar", "volta", "anterior", "pergunta anterior", "passo anterior",
                        "etapa anterior", "voltar uma pergunta", "back", "go back", "previous"})
_BEFORE = {"descricao_mais": "descricao", "motivo": "prioridade", "resumo": "corrigir"}
CANCEL_VERBS = frozenset({"cancelar", "cancela", "cancele", "cancelo", "desisto", "desistir",
                          "cancel"})
_CANCEL_AROUND = frozenset({"esquece", "esqueca", "quero", "pode", "isso", "tudo", "o", "a",
                            "ticket", "chamado", "abertura", "por", "favor", "pf", "entao",
                            "melhor", "vou", "eu", "it", "that", "please"})
_CANCEL_PHRASES = frozenset({"deixa pra la", "deixa para la", "esquece", "esquece isso",
                             "never mind", "nevermind", "forget it", "nao quero mais"})


def cancels(text: str) -> bool:
    """Whether a short message asks to give the ticket up ("esquece, quero cancelar",
    "desisto"), not tells a matter ("quero cancelar a nota 4431")."""
    folded = fold(text)
    words = set(folded.split())
    return folded in _CANCEL_PHRASES or \
        bool(words & CANCEL_VERBS) and words <= CANCEL_VERBS | _CANCEL_AROUND


def go_back(turn: Turn) -> None:
    """"voltar": the question before this one again (an answer there changes what follows)."""
    here = (turn.state.step or "").removeprefix("intake.")
    earlier = [_BEFORE[here]] if here in _BEFORE else \
        list(reversed(ORDER[:ORDER.index(here)])) if here in ORDER else []
    for name in earlier:
        single = {"tipo": len(catalog(turn).tipos), "empresa": len(turn.user.company_ids)}
        if single.get(name, 2) > 1:  # a question with one possible answer was never asked
            turn.go(f"intake.{name}")
            return
    turn.say("conv.intake.first_question")
    turn.go(turn.state.step or "intake.item")


SENTENCE_WORDS = 3
"""A typed answer with this many real words, at a question with options, tells the matter
itself ("o caixa da loja 3 travou"; not "não sei qual é")."""


def by_words(on_choice: Callable[[Turn, str], None]) -> Callable[[Turn, str], None]:
    """A typed answer at a question with options: the option it names (a version typed with it
    kept for the version's question); a sentence that tells the problem ("o caixa da loja 3
    travou") is also kept for the descrição, not lost."""

    def on_text(turn: Turn, text: str) -> None:
        named = match_words(turn.state, text)
        words, version = split_version(text)
        if named is None and version:  # "pdv versão 2026.10": the version kept for its step
            named = match_words(turn.state, words)
        if named is not None and version and not draft(turn).versao:
            turn.section("intake")["versao_typed"] = version
        real = [w for w in fold(text).split() if len(w) >= 4 and w not in STOPWORDS]
        sentence = len(real) >= SENTENCE_WORDS and matter.is_matter(text)
        if sentence and not draft(turn).descricao:
            current = draft(turn)
            current.descricao = text.strip()[:turn.ctx.policy.text_max]
            save(turn, current)
            turn.say("conv.intake.sentence_kept")
        if named is not None:
            on_choice(turn, named)
        elif sentence:
            turn.go(turn.state.step or "intake.item")
        elif early := _version_early(turn, text):  # "2026.11" at the serviço's question
            turn.section("intake")["versao_typed"] = early
            turn.say("conv.intake.version_kept", version=early)
            turn.go(turn.state.step or "intake.item")
        else:
            raise InvalidInput("conv.error.choose")

    return on_text


def _version_early(turn: Turn, text: str) -> str | None:
    """A version alone, typed at a question before the version's, while it has none yet."""
    here = (turn.state.step or "").removeprefix("intake.")
    value = plainly(text)
    ahead = here in ORDER and ORDER.index(here) < ORDER.index("versao")
    return value if value and ahead and not draft(turn).versao and \
        looks_like_one(value, turn.ctx.policy.current_version) else None


def ask_tipo(turn: Turn) -> None:
    """The product line."""
    choices = [(tipo.shown(turn.lang), tipo.id, tipo.words()) for tipo in catalog(turn).tipos]
    turn.ask("intake.tipo", turn.t("conv.intake.ask_tipo"), choices)


def on_tipo(turn: Turn, value: str) -> None:
    """A new tipo clears the item and serviço chosen under the old one."""
    catalog(turn).tipo(value)
    current = draft(turn)
    if current.tipo_id != value:
        current.item_id = current.servico_id = None
    current.tipo_id = value
    save(turn, current)
    advance(turn, "tipo")


def ask_item(turn: Turn) -> None:
    """Support, an implementation request or a paid service; the one the descrição names, said."""
    tipo = catalog(turn).tipo(draft(turn).tipo_id or "")
    text = turn.t("conv.intake.ask_item")
    if (hint := _item_hint(turn)) is not None:
        text += "\n" + turn.t("conv.intake.item_suggested", item=hint.shown(turn.lang))
    turn.ask("intake.item", text,
             [(item.shown(turn.lang), item.id, item.words()) for item in tipo.itens])


def _item_hint(turn: Turn) -> Item | None:
    """The item the descrição already typed points to, if one."""
    current = draft(turn)
    tipo = catalog(turn).tipo(current.tipo_id or "")
    return intake_suggest.suggested_item(tipo, current.descricao or "")


def on_item(turn: Turn, value: str) -> None:
    """A new item clears the serviço chosen under the old one."""
    current = draft(turn)
    catalog(turn).item(current.tipo_id or "", value)
    if current.item_id != value:
        current.servico_id = None
    current.item_id = value
    save(turn, current)
    advance(turn, "item")


def on_item_text(turn: Turn, text: str) -> None:
    """An item named in words; a serviço named instead ("nfce", "o PDV") is kept for its
    question, said so, and the item asked again; a yes takes the item suggested."""
    if (hint := _item_hint(turn)) is not None and intake_suggest.accepted(text):
        on_item(turn, hint.id)
        return
    try:
        by_words(on_item)(turn, text)
    except InvalidInput:
        tipo = catalog(turn).tipo(draft(turn).tipo_id or "")
        named = next(filter(None, (intake_suggest.named(i, text) for i in tipo.itens)), None)
        if named is None:
            raise
        turn.section("intake")["servico_typed"] = text.strip()[:100]
        turn.say("conv.intake.servico_kept", typed=text.strip()[:100],
                 servico=named.shown(turn.lang))
        turn.go("intake.item")


def _servicos(turn: Turn) -> tuple[Item, Servico | None, str]:
    """The item's serviços, the one named at the item's question or else the one the
    descrição already typed points to, and the text saying which of them it is."""
    current = draft(turn)
    item = catalog(turn).item(current.tipo_id or "", current.item_id or "")
    typed = turn.section("intake").get("servico_typed") or ""
    if typed and (named := intake_suggest.named(item, typed)) is not None:
        return item, named, "conv.intake.servico_typed"
    return item, intake_suggest.suggested(item, current.descricao or ""), \
        "conv.intake.servico_suggested"


def ask_servico(turn: Turn) -> None:
    """The module of the system; the one named before or a descrição already typed points
    to, said."""
    item, hint, said = _servicos(turn)
    text = turn.t("conv.intake.ask_servico")
    if hint is not None:
        text += "\n" + turn.t(said, servico=hint.shown(turn.lang))
    turn.ask("intake.servico", text,
             [(s.shown(turn.lang), s.id, s.words()) for s in item.servicos])


def on_servico_text(turn: Turn, text: str) -> None:
    """A yes takes the serviço suggested; other words name one, as at any question."""
    hint = _servicos(turn)[1]
    if hint is not None and intake_suggest.accepted(text):
        on_servico(turn, hint.id)
        return
    by_words(on_servico)(turn, text)


def on_servico(turn: Turn, value: str) -> None:
    """Keep the module."""
    current = draft(turn)
    catalog(turn).servico(current.tipo_id or "", current.item_id or "", value)
    current.servico_id = value
    save(turn, current)
    turn.section("intake").pop("servico_typed", None)
    advance(turn, "servico")


register(
    Step("intake.tipo", ask_tipo, on_choice=on_tipo, on_text=by_words(on_tipo), busy=always),
    Step("intake.item", ask_item, on_choice=on_item, on_text=on_item_text, busy=always),
    Step("intake.servico", ask_servico, on_choice=on_servico, on_text=on_servico_text,
         busy=always),
)
