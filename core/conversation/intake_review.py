"""Opening a ticket, the end: prioridade (R12), summary, corrections, registration (R5, R14)."""

from __future__ import annotations

import re

from core.conversation import intake_fix_value, smalltalk
from core.conversation.fmt import file_names, preview, weekday_at
from core.conversation.identity import SLACK, TELEGRAM
from core.conversation.intake import advance, catalog, draft, save
from core.conversation.matching import match_words, mentions_option
from core.conversation.replies import Expect
from core.conversation.turn import IDLE, Step, Turn, always, error_text, register
from core.errors import HelpdeskError, InvalidInput
from core.i18n import label, t
from core.models import CriticalReason, Priority, Status
from core.outbox import Channel
from core.services import intake as intake_service
from core.services.sweeps import calendar_for
from core.textmatch import fold, name_words

FIELDS = ("empresa", "tipo", "item", "servico", "versao", "assunto", "descricao", "anexos",
          "prioridade")


STANDARD_WORDS = "normal comum baixa media padrao standard low"
CRITICAL_WORDS = "urgente urgencia alta critica urgent high critical"
REASON_CLUES = {
    CriticalReason.AREA_STOPPED.value: frozenset({
        "parada", "parado", "parou", "paradas", "parados", "travou", "travado", "travada",
        "emite", "emitir", "emissao", "vender", "vende", "faturar", "stopped", "down"}),
    CriticalReason.TAX_DEADLINE.value: frozenset({
        "obrigacao", "acessoria", "sped", "efd", "dctf", "gia", "declaracao", "vence",
        "vencendo", "prazo", "entrega", "deadline", "tax"}),
    "padrao": frozenset({"padrao", "manter", "normal", "standard", "keep"}),
}
"""Words that tell which of the manual's two reasons a typed one is (R12), or Padrão."""
REASON_SAID = {
    CriticalReason.AREA_STOPPED.value: REASON_CLUES[CriticalReason.AREA_STOPPED.value] - {
        "emite", "emitir", "emissao", "vender", "vende", "faturar"},
    CriticalReason.TAX_DEADLINE.value: REASON_CLUES[CriticalReason.TAX_DEADLINE.value] - {
        "vence", "vencendo", "prazo", "entrega", "deadline"},
}
"""A reason told with the urgency names the stop or the obligation itself; "urgente, preciso
emitir nota" or "o prazo vence" tell neither, so the reason is asked (R12)."""
CRITICAL_TYPED = frozenset(CRITICAL_WORDS.split()) | {
    "critico", "urgentissimo", "emergencia", "parado", "parada", "parados", "paradas",
    "parou", "pararam", "travou", "travado", "travada", "stopped", "down"}
STANDARD_TYPED = frozenset(STANDARD_WORDS.split()) | {"esperar", "tranquilo"}
NOT_URGENT = re.compile(r"\b(?:nao|nada|sem|nem|not)\b(?:\s+\w+){0,2}?\s+"
                        r"(?:urgen\w*|critic\w*|grave)")
"""'não é urgente', 'nada urgente', 'sem urgência': Padrão, though 'urgente' is in it."""
CANNOT_WORK = re.compile(r"\b(?:nao|sem)\s+(?:\w+\s+){0,2}?(?:emit|vend|fatur|transmit|abr)\w*")
"""'não consigo emitir nota', 'não vende', 'sem faturar': the manual's example of a stop (R12)."""


def ask_prioridade(turn: Turn) -> None:
    """Padrão unless the case is critical by the manual's criteria (R12)."""
    turn.ask("intake.prioridade", turn.t("conv.intake.ask_prioridade"),
             [(turn.t("conv.intake.priority_standard"), "padrao", STANDARD_WORDS),
              (turn.t("conv.intake.priority_critical"), "critico", CRITICAL_WORDS)])


def on_prioridade(turn: Turn, value: str) -> None:
    """Padrão goes on; Crítico asks for one of the two accepted reasons."""
    if value == "critico":
        turn.go("intake.motivo")
        return
    _set_priority(turn, Priority.STANDARD, None)


def on_prioridade_text(turn: Turn, text: str) -> None:
    """Words typed at the priority: "urgente", "a loja parou" are Crítico (its reason taken
    when the words name one, else asked); "normal", "não é urgente" Padrão; anything else
    ("Erro ao emitir nota") is told what the options are (R12)."""
    folded = fold(text)
    words = set(folded.split())
    if NOT_URGENT.search(folded) or (words & STANDARD_TYPED and not words & CRITICAL_TYPED):
        _set_priority(turn, Priority.STANDARD, None)
    elif CANNOT_WORK.search(folded):  # the company cannot issue notas, sell, invoice
        _set_priority(turn, Priority.CRITICAL, CriticalReason.AREA_STOPPED)
    elif words & CRITICAL_TYPED:
        named = [value for value, clues in REASON_SAID.items() if words & clues]
        if len(named) == 1:  # "é urgente, a loja parou": the stop is the reason
            _set_priority(turn, Priority.CRITICAL, CriticalReason(named[0]))
        else:
            turn.go("intake.motivo")
    else:
        raise InvalidInput("conv.intake.priority_options")


def ask_motivo(turn: Turn) -> None:
    """The reason a ticket is critical: an area stopped, or a tax obligation due (R12)."""
    choices = [(label("critical_reason", reason, turn.lang), reason.value)
               for reason in CriticalReason]
    choices.append((turn.t("conv.intake.priority_keep_standard"), "padrao"))
    turn.ask("intake.motivo", turn.t("conv.intake.ask_motivo"), choices)


def on_motivo_text(turn: Turn, text: str) -> None:
    """"a loja está parada, não emite NF-e" names the first reason, "o SPED vence amanhã" the
    second (negations included: they are how a stop is told)."""
    words = set(fold(text).split())
    named = [value for value, clues in REASON_CLUES.items() if words & clues]
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


def summary_text(turn: Turn) -> str:
    """Every field of the draft, as it will be registered."""
    current = draft(turn)
    cat = catalog(turn)
    company = turn.ctx.uow.companies.get(current.company_id or 0)
    tipo = cat.tipo(current.tipo_id or "")
    item = cat.item(tipo.id, current.item_id or "")
    servico = cat.servico(tipo.id, item.id, current.servico_id or "")
    priority = label("priority", current.priority, turn.lang)
    if current.critical_reason:
        priority += f" — {label('critical_reason', current.critical_reason, turn.lang)}"
    files = file_names(current.attachments) or turn.t("conv.none")
    text = turn.t("conv.intake.summary", empresa=company.name if company else "—",
                  tipo=tipo.shown(turn.lang), item=item.shown(turn.lang),
                  servico=servico.shown(turn.lang),
                  versao=current.versao or turn.t("conv.intake.versao_not_informed"),
                  assunto=current.assunto, descricao=preview(current.descricao, 1500),
                  anexos=files, prioridade=priority)
    if item.billable:  # said before registering, not only after (R23)
        text += "\n\n" + turn.t("conv.intake.registered_billable")
    return text


def ask_resumo(turn: Turn) -> None:
    """Show the summary: register, correct a field, or cancel (R5)."""
    turn.section("intake")["fixing"] = False
    turn.ask("intake.resumo", summary_text(turn),
             [(turn.t("conv.intake.register"), "register"), (turn.t("conv.intake.fix"), "fix"),
              (turn.t("conv.intake.cancel"), "cancel")], Expect.CONFIRM)


def on_resumo(turn: Turn, value: str) -> None:
    """Act on the summary's buttons."""
    if value == "register":
        register_ticket(turn)
    elif value == "fix":
        turn.go("intake.corrigir")
    else:
        turn.section("cancel")["from"] = "intake.resumo"
        turn.go("menu.cancel_confirm")


CHATS = {TELEGRAM: Channel.TELEGRAM, SLACK: Channel.SLACK}
"""The chats a ticket is registered from whose answer is its confirmation there."""
REGISTER_WORDS = frozenset({"registrar", "registra", "registre", "pode", "confirmo", "register"})


def on_resumo_text(turn: Turn, text: str) -> None:
    """"sim" / "ok" / "pode registrar" register; an option named in words acts as its button;
    a sentence naming none ("o caixa travou de novo hoje cedo") is kept, for a field."""
    if smalltalk.yes_or_no(text, REGISTER_WORDS) is True:  # "sim" was "Não entendi"
        register_ticket(turn)
        return
    field = _field_to_fix(turn, text)
    if field is not None:  # "quero corrigir o assunto": that question, not "Qual campo?"
        on_corrigir(turn, field)
        return
    named = match_words(turn.state, text)
    if named is not None:
        on_resumo(turn, named)
    elif len(text.split()) < 2 or mentions_option(turn.state, text) \
            or not intake_fix_value.offer(turn, text):
        raise InvalidInput("conv.error.choose")  # a sentence is kept: for which field?


FIX_WORDS = frozenset({"corrigir", "corrige", "corrija", "mudar", "muda", "mude", "alterar",
                       "altera", "altere", "trocar", "troca", "troque", "editar", "edita",
                       "fix", "change", "edit", "correct"})


def _field_to_fix(turn: Turn, text: str) -> str | None:
    """The one field a request to correct names ("mudar a descrição"), else None."""
    words = set(fold(text).split())
    if not words & FIX_WORDS:
        return None
    named = [f for f in _fields(turn) if words & ({f} | name_words(t(f"field.{f}", "pt_BR"))
                                                  | name_words(t(f"field.{f}", "en")))]
    return named[0] if len(named) == 1 else None


def _fields(turn: Turn) -> list[str]:
    """The fields that may be corrected: the company and the tipo only when there is a choice."""
    fields = [f for f in FIELDS if f != "empresa" or len(turn.user.company_ids) > 1]
    if len(catalog(turn).tipos) == 1:
        fields.remove("tipo")
    return fields


def ask_corrigir(turn: Turn) -> None:
    """Which field to correct; the others are kept."""
    choices = [(turn.t(f"field.{name}"), name) for name in _fields(turn)]
    choices.append((turn.t("conv.intake.back_to_summary"), "back"))
    turn.ask("intake.corrigir", turn.t("conv.intake.ask_fix"), choices)


NOTHING_TO_FIX = frozenset({"nada", "nenhum", "nenhuma", "nada nao", "esta certo", "ta certo",
                            "esta tudo certo", "ta tudo certo", "tudo certo", "deixa assim",
                            "pode deixar", "nothing", "none", "all good", "it s fine"})


def on_corrigir_text(turn: Turn, text: str) -> None:
    """A field named in words ("o assunto"); nothing to correct ("nada", "está tudo certo",
    "registrar"): the summary again, where Registrar o Ticket is; a new value: which field."""
    named = None if intake_fix_value.is_version(text) else match_words(turn.state, text)
    if named is not None:  # (not "versão 2026.10": the new version, no "Versão" asked)
        on_corrigir(turn, named)
    elif fold(text) in NOTHING_TO_FIX or smalltalk.yes_or_no(text, REGISTER_WORDS) is True:
        turn.go("intake.resumo")
    elif not intake_fix_value.offer(turn, text):  # the new value typed: kept, for which field?
        raise InvalidInput("conv.error.choose")


def on_corrigir(turn: Turn, value: str) -> None:
    """Ask that field again, then come back to the summary."""
    if value == "back":
        turn.go("intake.resumo")
        return
    if value not in FIELDS:
        raise InvalidInput("conv.error.not_offered")
    turn.section("intake")["fixing"] = True
    turn.go(f"intake.{value}")


def register_ticket(turn: Turn) -> None:
    """Register the ticket and say its number; outside business hours, when we are back (R14)."""
    current = draft(turn)
    try:
        ticket = intake_service.open_ticket(turn.ctx, turn.user.id or 0, current,
                                            origin=CHATS.get(turn.state.key.channel))
    except InvalidInput as err:
        field = err.params.get("field")
        if field not in FIELDS:
            raise
        # A draft kept from before a rule got stricter: say why and ask that field again.
        # open_ticket checks every field before it writes anything.
        turn.say_text(error_text(err, turn.lang))
        turn.section("intake")["fixing"] = True
        turn.go(f"intake.{field}")
        return
    turn.leave("intake")
    # With how to follow it: that chat gets no notice "Recebemos o seu ticket" (origin).
    # The e-mail is promised only when one will go (an instance that sends it, an address).
    said = ("conv.intake.registered" if turn.ctx.mails(turn.user.email)
            else "conv.intake.registered_here")
    turn.say_text(turn.t(said, number=ticket.number, assunto=ticket.assunto,
                         email=turn.user.email)
                  + " " + turn.t("conv.intake.follow", number=ticket.number))
    if ticket.status == Status.ESTIMATE:
        turn.say("conv.intake.registered_estimate")
    try:
        billable = catalog(turn).is_billable(current.tipo_id or "", current.item_id or "")
    except HelpdeskError:
        billable = False
    if billable:
        turn.say("conv.intake.registered_billable")
    calendar = calendar_for(turn.ctx.policy.timezone)
    if not calendar.is_open(turn.ctx.now):
        back = calendar.next_opening(turn.ctx.now)
        turn.say("conv.intake.after_hours", when=weekday_at(turn, back))
    turn.go(IDLE)


register(
    Step("intake.prioridade", ask_prioridade, on_choice=on_prioridade,
         on_text=on_prioridade_text, busy=always),
    Step("intake.motivo", ask_motivo, on_choice=on_motivo, on_text=on_motivo_text, busy=always),
    Step("intake.resumo", ask_resumo, on_choice=on_resumo, on_text=on_resumo_text, busy=always),
    Step("intake.corrigir", ask_corrigir, on_choice=on_corrigir, on_text=on_corrigir_text,
         busy=always),
)
