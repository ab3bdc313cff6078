"""Opening a ticket, the end: summary, corrections, registration (R5, R14)."""

from __future__ import annotations

from core.conversation import intake_fix_value, smalltalk
from core.conversation.fmt import file_names, preview, weekday_at
from core.conversation.identity import SLACK, TELEGRAM, TERMINAL
from core.conversation.intake import catalog, draft
from core.conversation.matching import match_words, mentions_option
from core.conversation.replies import Expect
from core.conversation.turn import IDLE, Step, Turn, always, error_text, register
from core.errors import HelpdeskError, InvalidInput
from core.i18n import label, t
from core.models import Status
from core.outbox import Channel
from core.services import intake as intake_service
from core.services.sweeps import calendar_for
from core.textmatch import fold, name_words

FIELDS = ("empresa", "tipo", "item", "servico", "versao", "assunto", "descricao", "anexos",
          "prioridade")


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


CHATS = {TELEGRAM: Channel.TELEGRAM, SLACK: Channel.SLACK, TERMINAL: Channel.TERMINAL}
"""The chats a ticket is registered from whose answer is its confirmation there."""
REGISTER_WORDS = frozenset({"registrar", "registra", "registre", "pode", "confirmo", "enviar",
                            "envia", "envie", "esta", "ta", "bom", "register", "submit",
                            "confirm", "send", "it", "looks", "good", "fine", "mesmo", "abrir",
                            "abre", "abra", "mandar", "manda", "mande", "tudo", "correto",
                            "perfeito", "certinho", "exato", "all", "perfect", "correct", "go",
                            "ahead"})
"""Words of a yes to the summary ("pode enviar", "está bom", "isso mesmo", "tudo certo", "pode
abrir", "looks good", "submit it")."""


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


OPENED = "opened"
"""The state's key for the ticket registered in this conversation (until it goes stale)."""


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
    turn.data[OPENED] = ticket.id  # "mesmo problema" next: this one, named (same_problem)
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
    Step("intake.resumo", ask_resumo, on_choice=on_resumo, on_text=on_resumo_text, busy=always),
    Step("intake.corrigir", ask_corrigir, on_choice=on_corrigir, on_text=on_corrigir_text,
         busy=always),
)
