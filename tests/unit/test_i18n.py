"""The message catalogs: same keys in both languages, every error and notification covered."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from core.i18n import LANGUAGES, catalog, has, normalize_language, render_notification, t
from core.models import Decision, Priority, Rating, Status, Tab

ROOT = Path(__file__).resolve().parents[2]


def _fields(text: str) -> set[str]:
    return {name.split(".")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_have_the_same_keys_and_placeholders():
    pt, en = catalog("pt_BR"), catalog("en")
    assert set(pt) == set(en)
    for key in pt:
        assert _fields(pt[key]) == _fields(en[key]), key


def test_every_error_key_raised_in_core_has_a_text():
    keys = set()
    for path in (ROOT / "core").rglob("*.py"):
        keys |= set(re.findall(r'"(error\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    keys |= {f"error.{k}" for k in ("not_found", "not_allowed", "not_eligible",
                                    "invalid_transition", "invalid_input", "conflict")}
    missing = sorted(k for k in keys if not has(k))
    assert missing == []


def test_every_text_key_used_by_the_conversation_exists():
    used = set()
    for path in (ROOT / "core" / "conversation").glob("*.py"):
        used |= set(re.findall(r'"((?:conv|error|field|terminal)\.[a-z_.]+)"',
                               path.read_text(encoding="utf-8")))
    assert sorted(k for k in used if not has(k)) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_enum_value_has_a_label(lang):
    for group, enum in (("status", Status), ("tab", Tab), ("priority", Priority),
                        ("rating", Rating), ("decision", Decision)):
        for value in enum:
            assert has(f"{group}.{value.value}", lang), (group, value)


def test_language_normalization_and_fallbacks():
    assert normalize_language("pt-BR") == "pt_BR"
    assert normalize_language("en_US") == "en"
    assert normalize_language(None) == "pt_BR"
    assert normalize_language("de") == "pt_BR"
    assert t("no.such.key", "en") == "no.such.key"
    assert t("conv.closing.approved", "en", number="202611/0001") == \
        "Ticket 202611/0001 approved and closed."
    assert t("conv.closing.approved") == "Ticket {number} aprovado e encerrado."


@pytest.mark.parametrize(("lang", "one", "many"), [("pt_BR", "em 1 dia, ele", "há 10 dias."),
                                                   ("en", "within 1 day, it", "for 10 days.")])
def test_a_number_in_a_text_takes_its_noun_in_the_singular_or_plural(lang, one, many):
    text = t("notify.ticket.approval_reminder.text", lang, day=10, days_left=1,
             number="202611/0001", assunto="Erro", since_label="")
    assert one in text
    assert many in text
    assert " 1 dias" not in text
    assert " 1 days" not in text


def test_a_missing_number_shows_its_name_and_keeps_the_rest_of_the_text():
    text = t("notify.ticket.approval_reminder.text", day=5, number="202611/0001", assunto="Erro")
    assert "há 5 dias" in text
    assert "{days_left}" in text
    assert "202611/0001" in text


NOTIFICATIONS = [
    ("ticket.registered", {}),
    ("ticket.tramite", {"author": "Ana", "text": "Pode enviar o XML?", "files": ["a.png"]}),
    ("ticket.approval_requested", {"author": "Ana", "solution": "Reinstale o pacote.",
                                   "days": 15}),
    ("ticket.approval_reminder", {"day": 5, "days_left": 10}),
    ("ticket.auto_closed", {"days": 15}),
    ("ticket.billing_prompt", {"origin": "Backup"}),
    ("ticket.due_soon", {"due_at": "2026-11-29T13:00:00+00:00"}),
    ("ticket.overdue", {"due_at": "2026-11-29T13:00:00+00:00"}),
    ("ticket.first_response_overdue", {"minutes": 120}),
    ("ticket.internal_note", {"author": "Ana", "text": "nota"}),
    ("agent.assigned", {"by": "Marcos"}),
    ("agent.not_approved", {"reason": "continua"}),
    ("agent.approved_with_restrictions", {"comment": "o relatório ainda mostra o saldo antigo"}),
    ("agent.rated_low", {"rating": "ruim"}),
    ("agent.billing_authorized", {}),
    ("agent.billing_refused", {}),
    ("agent.customer_replied", {"author": "Carla", "text": "oi", "files": []}),
    ("dev.forwarded", {"note": "ver NF", "actor": "Ana"}),
] + [("ticket.status", {"event": e, "assignee": "Ana", "package": "p1", "priority": "critico",
                        "original": "202611/0001", "text": "Em análise", "note": None})
     for e in ("assigned", "estimate", "development", "returned", "priority",
               "justificativa", "rejected_duplicate", "something_new")] \
  + [("card", {"event": e, "actor": "Ana", "assignee": "Bruno", "note": None, "package": "p",
               "priority": "padrao", "text": "t", "original": "202611/0001", "comment": "c",
               "reason": "r", "rating": "otimo", "origin": "Backup", "covered": False})
     for e in ("opened", "assigned", "estimate", "development", "returned", "priority",
               "justificativa", "rejected_duplicate", "approval_requested", "aprovado",
               "nao_aprovado", "aprovado_com_restricoes", "aprovado_automaticamente", "rated",
               "origin", "billing_authorized", "billing_refused", "other_event")]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("kind", "extra"), NOTIFICATIONS,
                         ids=[f"{k}-{p.get('event', '')}" for k, p in NOTIFICATIONS])
def test_every_notification_kind_renders_without_placeholders(lang, kind, extra):
    params = {"number": "202611/0001", "assunto": "Erro no pedido", "status": "em_atendimento",
              "language": lang, **extra}
    subject, text = render_notification(kind, params, lang)
    for part in (subject, text):
        assert part, kind
        assert "{" not in part, (kind, part)
        assert "None" not in part, (kind, part)
    assert "202611/0001" in subject + text


def test_notification_details():
    _, text = render_notification("ticket.due_soon", {"number": "1", "assunto": "a",
                                                     "due_at": "2026-11-29T13:00:00+00:00"})
    assert "29/11/2026 10:00" in text
    _, text = render_notification("card", {"number": "1", "event": "aprovado_automaticamente",
                                           "actor": None})
    assert text == "Encerrado como aprovado após o prazo sem resposta do cliente."  # queued before
    _, text = render_notification("ticket.tramite", {"number": "1", "assunto": "a",
                                                     "author": "Ana", "text": "oi",
                                                     "files": ["x.png", "y.xml"]})
    assert text.endswith("Anexos: x.png, y.xml")
    subject, _ = render_notification("ticket.status", {"number": "1", "status": "encerrado",
                                                       "event": "x"}, "en")
    assert subject == "Ticket 1: Closed"
    subject, text = render_notification("unknown.kind", {"number": "7", "assunto": "a"})
    assert (subject, text) == ("Ticket 7", "Atualização do ticket 7 — a.")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_of_something_is_said_in_the_singular(lang):
    for key in (k for k in catalog(lang) if k.endswith(".one")):
        assert key.removesuffix(".one") in catalog(lang), key  # a plural form to go with it
    assert "(s)" not in "".join(catalog(lang).values())
    one = t("conv.closing.offer", lang, count=1)
    two = t("conv.closing.offer", lang, count=2)
    assert "1 ticket " in one
    assert "2 tickets " in two


def test_missing_fields_are_named_as_the_user_reads_them():
    from core.conversation.turn import error_text
    from core.errors import InvalidInput

    err = InvalidInput("error.missing_fields", fields="tipo_id, servico_id, descricao")
    assert error_text(err, "pt_BR") == "Faltam campos obrigatórios: Tipo, Serviço, Descrição."
    assert error_text(err, "en") == \
        "Required fields are missing: Type, Service, Descrição (description)."


PORTUGUESE_ONLY = re.compile(r"\b(Padrão|Crítico|prazo|prazos)\b", re.IGNORECASE)
"""Words of the Portuguese product an English reader is never told (its buttons say Standard,
Critical and due date); the kept terms (ticket, trâmite, assunto, descrição) are not here."""


def test_no_portuguese_priority_or_prazo_is_left_in_english_texts():
    """LANGUAGE=en said 'a Padrão ticket's prazo' (the workaround's question and modal),
    'Padrão … or Crítico' at the priority question (whose buttons say Standard and Critical)
    and 'prazo de entrega passed' in /ticket atrasados."""
    left = {key: text for key, text in catalog("en").items()
            if PORTUGUESE_ONLY.search(re.sub(r"\{[^}]*\}", "", text))}  # not {prazo}
    assert left == {}
