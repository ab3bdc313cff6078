"""Block Kit builders as pure functions, the manifest, and small parsers of the Slack adapter."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.slack import buttons as b
from bots.slack.card_blocks import card_summary, customer_card, origin_text, ticket_card
from bots.slack.cards import CardData, OriginOption
from bots.slack.limits import BLOCKS_TEXT, MAX_BLOCKS, text_size
from bots.slack.modals import parse_meta, text_modal
from bots.slack.sections import answered, reply_blocks, text_blocks
from bots.slack.text import esc
from bots.slack.threads import is_ours
from bots.slack.typed import typed_text
from core.conversation.replies import Choice, Expect, Reply
from core.i18n import t
from core.models import CriticalReason, Decision, Priority, Rating, Status, Ticket
from core.services.tramites import split_note

ROOT = Path(__file__).resolve().parents[2]
T = datetime(2026, 11, 19, 18, 43, tzinfo=UTC)
ORIGINS = [OriginOption("erro_sistema", "Erro de sistema", True),
           OriginOption("backup", "Backup", False)]
ID_VALUE = re.compile(r"^\d+(:[a-z0-9_-]+){0,3}:?$")
"""A value: ids, and a status or an origin as drawn (a select's option: an origin none)."""


def card(status: Status = Status.NEW, **fields: Any) -> CardData:
    """A card of ticket 42 in a status."""
    agents = fields.pop("agents", [(2, "Ana"), (3, "Bruno")])
    ticket = Ticket(id=42, period="202611", seq=493, company_id=1, requester_id=1,
                    tipo="Sistemas de Varejo", item="Suporte", servico="Fiscal / NF-e",
                    versao="2026.11", assunto=fields.pop("assunto", "Rejeição 225 na NF-e"),
                    descricao=fields.pop("descricao", "Fiscal / NF-e: nota 10125 rejeitada"),
                    status=status, opened_at=T, updated_at=T, **fields)
    return CardData(ticket=ticket, company="Mercado Exemplo", requester="Carla Souza",
                    assignee=None, suggested=ORIGINS[0], agents=agents,
                    origins=ORIGINS)


def actions(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every interactive element."""
    return [el for blk in blocks if blk["type"] == "actions" for el in blk["elements"]]


def action_ids(data: CardData) -> set[str]:
    """The action ids a card offers."""
    return {el["action_id"] for el in actions(ticket_card(data))}


def test_new_ticket_offers_every_agent_action() -> None:
    assert action_ids(card()) == {b.TAKE, b.ASSIGN, b.ESTIMATE, b.PRIORITY, b.ORIGIN, b.DEV,
                                  b.APPROVAL, b.WORKAROUND, b.REJECT, b.ARTICLE, b.NOTE}


def test_r12_a_ticket_awaiting_development_still_offers_a_workaround() -> None:
    """A critical ticket's workaround may come while development works on the fix (R12)."""
    assert b.WORKAROUND in action_ids(card(Status.IN_DEVELOPMENT))


def test_r15_in_development_offers_the_return_not_the_forward() -> None:
    ids = action_ids(card(Status.IN_DEVELOPMENT))
    assert b.DEV_RETURN in ids
    assert b.DEV not in ids
    assert b.ESTIMATE not in ids


def test_r19_awaiting_closed_and_rejected_offer_little() -> None:
    """An article is still an answer awaiting approval (R9); a closed ticket takes none."""
    assert action_ids(card(Status.AWAITING_APPROVAL)) == {b.ORIGIN, b.ARTICLE, b.NOTE}
    closed = card(Status.CLOSED, rating=Rating.GOOD)
    assert action_ids(closed) == {b.ORIGIN, b.NOTE}
    assert "Bom" in json.dumps(ticket_card(closed), ensure_ascii=False)
    assert action_ids(card(Status.REJECTED)) == {b.NOTE}


def test_in_progress_hides_take() -> None:
    assert b.TAKE not in action_ids(card(Status.IN_PROGRESS))


@pytest.mark.parametrize("status", list(Status))
def test_card_respects_block_kit_limits_and_carries_ids_only(status: Status) -> None:
    data = card(status, assunto="A" * 100, descricao="x" * 20_000,
                priority=Priority.CRITICAL, critical_reason=CriticalReason.TAX_DEADLINE)
    built = ticket_card(data)
    assert len(built) <= 50
    assert len(built[0]["text"]["text"]) <= 150
    for blk in built:
        assert len(blk.get("fields", [])) <= 10
        for item in [blk.get("text"), *blk.get("fields", []), *blk.get("elements", [])]:
            if item and item.get("type") == "mrkdwn":
                assert len(item["text"]) <= 3000
    for el in actions(built):
        label = el.get("text") or el.get("placeholder")
        assert len(label["text"]) <= 75
        values = [el["value"]] if "value" in el else [o["value"] for o in el["options"]]
        for value in values:
            assert ID_VALUE.match(value), value
        for option in el.get("options", []):
            assert len(option["text"]["text"]) <= 75
    for blk in built:
        if blk["type"] == "actions":
            ids = [el["action_id"] for el in blk["elements"]]
            assert len(ids) == len(set(ids))
            assert len(ids) <= 25


def test_user_text_is_escaped() -> None:
    data = card(assunto="<!channel> & tal", descricao="<@U123> veja <http://x|aqui>")
    text = json.dumps(ticket_card(data)[1:], ensure_ascii=False)
    assert "<!channel>" not in text
    assert "<@U123>" not in text
    assert "&lt;@U123&gt;" in text


def test_the_cards_message_text_cannot_ping_the_channel() -> None:
    """The card's message text (what notifications show) carried the customer's assunto as
    typed: "<!channel> urgente" would notify the whole triage channel."""
    summary = card_summary(card(assunto="<!channel> urgente & <https://x.example|ajuda>"))
    assert "<!channel>" not in summary
    assert "&lt;!channel&gt; urgente &amp; &lt;https://x.example|ajuda&gt;" in summary


def test_r22_origin_shows_suggestion_then_classification() -> None:
    assert "Sugerida: Erro de sistema (coberto pelo contrato)" in origin_text(card())
    data = card(origin="backup")
    classified = CardData(**{**data.__dict__, "origin": ORIGINS[1]})
    assert origin_text(classified) == "Backup (fora do contrato — faturável)"


def test_customer_card_has_no_buttons_nor_origin() -> None:
    text = json.dumps(customer_card(card()), ensure_ascii=False)
    assert "tk." not in text
    assert "Origem" not in text
    assert "Cobrança" not in text


def test_r23_a_customers_card_of_a_billable_ticket_shows_their_answer_to_the_charge() -> None:
    pending = json.dumps(customer_card(card(billable=True)), ensure_ascii=False)
    assert "*Cobrança*\\n⏳ Fora do contrato: aguardando a sua autorização" in pending
    assert "Origem" not in pending
    refused = json.dumps(customer_card(card(billable=True, billing_authorized=False)),
                         ensure_ascii=False)
    assert "não autorizada por você" in refused
    closed = card(Status.CLOSED, billable=True)  # auto-closed (R21) before an answer
    assert "encerrado sem a sua resposta" in json.dumps(customer_card(closed),
                                                        ensure_ascii=False)
    assert "Cobrança: encerrado sem resposta do cliente" in json.dumps(ticket_card(closed),
                                                                      ensure_ascii=False)


def test_modal_metadata_round_trip() -> None:
    view = text_modal(b.APPROVAL, 42, "202611/0493", channel="CTRIAGE", thread_ts="1.2")
    assert view["callback_id"] == "md.approval"
    assert parse_meta(view["private_metadata"]) == (42, "CTRIAGE", "1.2")
    assert len(view["title"]["text"]) <= 24
    assert parse_meta("7") == (7, None, None)


def test_reply_choices_become_buttons_carrying_the_choice_id() -> None:
    choices = [Choice(label=f"Opção {i}", id=f"3:op{i}") for i in range(30)]
    built = reply_blocks(Reply(text="Escolha <uma>", choices=choices, expect=Expect.CHOICE))
    assert built[0]["text"]["text"] == "Escolha &lt;uma&gt;"
    buttons = actions(built)
    assert [x["value"] for x in buttons] == [c.id for c in choices]
    assert all(len(blk["elements"]) <= 25 for blk in built if blk["type"] == "actions")
    assert len({x["action_id"] for x in buttons}) == 30


def test_a_long_reply_arrives_whole_in_sections_within_slacks_limit() -> None:
    text = "\n".join(f"Passo {i}: confira o cadastro & a condição." for i in range(300))
    built = reply_blocks(Reply(text=text, choices=[Choice(label="Ok", id="1:ok")]))
    parts = [blk["text"]["text"] for blk in built if blk["type"] == "section"]
    assert len(parts) > 1  # one section cut the text at 3 000 characters
    assert all(len(p) <= 3000 for p in parts)
    assert "\n".join(parts) == esc(text)  # cut at line ends: nothing lost or split
    assert len(built) <= 50
    word = "x" * 7000  # no line or word end to cut at: still within the limit
    assert all(len(blk["text"]["text"]) <= 3000 for blk in text_blocks(word))
    assert "".join(blk["text"]["text"] for blk in text_blocks(word)) == word


def test_note_marker_and_message_filter() -> None:
    assert split_note("!nota ligar amanhã") == (True, "ligar amanhã")
    assert split_note("!NOTA: ligar") == (True, "ligar")
    assert split_note("nota fiscal 10125") == (False, "nota fiscal 10125")
    assert is_ours({"user": "U1", "text": "oi"})
    assert is_ours({"user": "U1", "subtype": "file_share"})
    assert not is_ours({"user": "U1", "subtype": "message_changed"})
    assert not is_ours({"user": "U1", "bot_id": "B1"})
    assert not is_ours({"subtype": "bot_message"})


def test_manifest_declares_what_the_adapter_uses() -> None:
    manifest = yaml.safe_load((ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))
    settings = manifest["settings"]
    events = set(settings["event_subscriptions"]["bot_events"])
    assert {"message.channels", "message.im", "app_home_opened"} <= events
    assert settings["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # Exactly what the adapter calls for: an admin approving the app is asked for no more.
    assert scopes == {"chat:write", "commands", "channels:history", "groups:history",
                      "im:history", "im:write", "reactions:write", "files:read", "files:write"}
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/ticket"
    for url in (command["url"], settings["event_subscriptions"]["request_url"],
                settings["interactivity"]["request_url"],
                settings["interactivity"]["message_menu_options_url"]):
        assert url.endswith("/slack/events")
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_a_customer_unreachable_on_telegram_is_flagged_for_the_agents_only() -> None:
    flagged = card(unreachable_telegram=True)
    assert "bloqueou o bot" in json.dumps(ticket_card(flagged), ensure_ascii=False)
    assert "bloqueou o bot" not in json.dumps(customer_card(flagged), ensure_ascii=False)
    assert "bloqueou o bot" not in json.dumps(ticket_card(card()), ensure_ascii=False)


def test_over_100_agents_the_reassign_select_searches_instead() -> None:
    """Slack refuses a static select of over 100 options; the card's rows name their ticket."""
    few = ticket_card(card())
    many = ticket_card(card(agents=[(i, f"Agente {i}") for i in range(1, 102)]))
    (small,) = [el for el in actions(few) if el["action_id"] == b.ASSIGN]
    (big,) = [el for el in actions(many) if el["action_id"] == b.ASSIGN]
    assert small["type"] == "static_select"
    assert [o["value"] for o in small["options"]] == ["42:2:0:novo", "42:3:0:novo"]  # nobody, Novo
    assert big["type"] == "external_select"
    assert "options" not in big
    assert big["min_query_length"] == 0  # opening it lists the first 100 by name
    rows = [blk["block_id"] for blk in many if blk["type"] == "actions"]
    assert [b.ticket_of_block(r) for r in rows] == [42, 42]
    for forged in ("card.0", "card.0.x", "other.0.42", "card.0.42.1", ""):
        assert b.ticket_of_block(forged) is None


@pytest.mark.parametrize(("sent", "typed"), [
    ("Vendas &gt; Pedidos &amp; NF-e &lt;4431&gt;", "Vendas > Pedidos & NF-e <4431>"),
    ("a &amp;lt; b", "a &lt; b"),  # an entity the person typed stays as typed
    ("veja <https://ajuda.exemplo.com/x|o passo a passo>",
     "veja o passo a passo (https://ajuda.exemplo.com/x)"),
    ("site <http://www.exemplo.com|www.exemplo.com>", "site www.exemplo.com"),
    ("<https://ajuda.exemplo.com>", "https://ajuda.exemplo.com"),
    ("<mailto:fiscal@exemplo.com|fiscal@exemplo.com>", "fiscal@exemplo.com"),
    ("<@U123|ana> e <@U456> em <#C1|suporte>", "@ana e @U456 em #suporte"),
    ("<!here> <!subteam^S1|@fiscal>", "@here @fiscal"),
])
def test_slack_text_reads_as_the_person_typed_it(sent: str, typed: str) -> None:
    assert typed_text(sent) == typed


def test_an_article_in_markdown_arrives_as_mrkdwn() -> None:
    reply = Reply(text="plain", markdown="**Cancelar <NF-e>**\n\nClique em `Cancelar` e veja "
                                         "[a ajuda](https://sefaz.exemplo.gov.br/a?b=1&c=2).")
    [section] = reply_blocks(reply)
    assert section["text"]["text"] == (
        "*Cancelar &lt;NF-e&gt;*\n\nClique em `Cancelar` e veja "
        "<https://sefaz.exemplo.gov.br/a?b=1&amp;c=2|a ajuda>.")


def test_r15_in_development_does_not_offer_take() -> None:
    ids = action_ids(card(Status.IN_DEVELOPMENT, assignee_id=2))
    assert b.TAKE not in ids
    assert b.ASSIGN in ids


@pytest.mark.parametrize(("answer", "shown"), [(None, "aguardando a autorização do cliente"),
                                               (True, "Cobrança autorizada pelo cliente"),
                                               (False, "Cobrança não autorizada pelo cliente")])
def test_r23_the_agents_card_shows_the_customers_answer_to_the_charge(answer, shown) -> None:
    data = card(Status.IN_PROGRESS, billable=True, billing_authorized=answer)
    assert shown in json.dumps(ticket_card(data), ensure_ascii=False)
    assert "pelo cliente" not in json.dumps(customer_card(data), ensure_ascii=False)
    assert "Cobrança" not in json.dumps(ticket_card(card(Status.IN_PROGRESS)),
                                        ensure_ascii=False)


def test_r23_a_billable_open_card_offers_the_quote_and_shows_it_to_agent_and_customer() -> None:
    billable = card(Status.IN_PROGRESS, billable=True, billing_quote="2 h <ajuste> & teste")
    assert b.QUOTE in action_ids(billable)
    assert b.QUOTE not in action_ids(card(Status.IN_PROGRESS))  # covered: nothing to quote
    assert b.QUOTE not in action_ids(card(Status.CLOSED, billable=True))
    shown = json.dumps(ticket_card(billable), ensure_ascii=False)
    assert "Orçamento: 2 h &lt;ajuste&gt; &amp; teste" in shown  # escaped for mrkdwn
    mine = json.dumps(customer_card(billable), ensure_ascii=False)
    assert "Orçamento: 2 h &lt;ajuste&gt; &amp; teste" in mine
    assert "Orçamento:" not in json.dumps(
        ticket_card(card(Status.IN_PROGRESS, billable=True)), ensure_ascii=False)


@pytest.mark.parametrize(("decision", "shown"), [
    (Decision.APPROVED, "*Encerrado* · Aprovado"),
    (Decision.APPROVED_WITH_RESTRICTIONS, "*Encerrado* · Aprovado com restrições"),
    (Decision.AUTO_APPROVED, "*Encerrado* · Aprovado automaticamente")])
def test_r19_r21_a_closed_card_says_how_it_closed_and_shows_the_restriction(decision,
                                                                             shown) -> None:
    """The card said 'Encerrado' alike for an approval, a restriction and the 15 days run out;
    the restriction was only in the thread, far above for a busy ticket."""
    comment = "<!channel> O relatório ainda mostra o saldo antigo" \
        if decision == Decision.APPROVED_WITH_RESTRICTIONS else None
    built = ticket_card(card(Status.CLOSED, decision=decision, decision_comment=comment,
                               closed_at=T))
    texts = json.dumps(built, ensure_ascii=False)
    assert shown in texts
    if comment:
        assert "Restrição do cliente: &lt;!channel&gt; O relatório ainda mostra" in texts
    else:
        assert "Restrição" not in texts


def test_r19_an_open_card_names_no_earlier_decision() -> None:
    """A ticket not approved, answered again and awaiting: the old decision is history."""
    built = ticket_card(card(Status.AWAITING_APPROVAL, decision=Decision.NOT_APPROVED,
                               decision_comment="continua"))
    assert "Não aprovado" not in json.dumps(built, ensure_ascii=False)


def test_r7_a_tramite_too_long_for_a_section_is_cut_where_no_block_or_link_is_split() -> None:
    """The whole thread in a Slack DM: a trâmite longer than a section was cut at the 3 000th
    character's line or word end, inside its ``` block (the rest read as code, the block's
    end as an opening) or a <url|link>. Now it is cut as quoted_sections cuts (agent_split)."""
    from core.conversation.replies import Piece

    log = "\n".join(f"linha {i:04d} do log: erro 0x{i:04x} em nfe.emitir()" for i in range(100))
    typed = ("Veja o log:\n```\n" + log + "\n```\n" + "Leia [o manual da nota](https://ex.com/"
             "nfe/manual) e confira. " * 40 + "\n**Fim** do texto.")
    pieces = [Piece(text="Ticket 202611/0001 — histórico\n"),
              Piece(text="\n\n24/11/2026 10:00 — Ana:\n", breaks=True),
              Piece(text=typed, typed=True),
              Piece(text="\nArquivos: log.txt"),
              Piece(text="\n\n24/11/2026 11:00 — Carla:\nObrigada & até <logo>", breaks=True)]
    parts = [blk["text"]["text"] for blk in reply_blocks(
        Reply(text="x", pieces=pieces)) if blk["type"] == "section"]
    assert len(parts) > 2
    assert all(len(p) <= 3000 for p in parts)
    for part in parts:
        assert part.count("```") % 2 == 0, part  # a block closed where its section ends
        assert part.count("<") == part.count(">"), part  # no <url|words> split
        assert part.count("*") % 2 == 0, part  # no *bold* split
    whole = "\n".join(parts)
    for i in range(100):
        assert f"linha {i:04d} do log" in whole
    assert whole.count("<https://ex.com/nfe/manual|o manual da nota>") == 40
    assert "*Fim* do texto." in whole
    assert "Arquivos: log.txt" in whole
    assert parts[-1].endswith("Obrigada &amp; até &lt;logo&gt;")


def test_a_choice_pressed_redraws_its_question_within_a_message_s_limits() -> None:
    """The question's blocks kept as shown, its buttons replaced by the choice marked; a
    question as full as a message may be, and a label that grows escaped, still fit."""
    choices = [Choice(label="&" * 75, id=f"1:{i}") for i in range(2)]
    built = reply_blocks(Reply(text="x" * 9_000, choices=choices))
    asked = [blk for blk in built if blk["type"] != "actions"]
    redrawn = answered(built, "&" * 75)
    assert redrawn[:-1] == asked
    assert redrawn[-1]["text"]["text"] == "→ *" + "&amp;" * 75 + "*"
    full = [{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 2_400}}] * 4 \
        + [*built[-1:]] * 2 + [{"type": "section", "text": {"type": "mrkdwn", "text": "z"}}] * 60
    redrawn = answered(full, "&" * 75)
    assert len(redrawn) <= MAX_BLOCKS
    assert text_size(redrawn) <= BLOCKS_TEXT
    assert redrawn[0] == full[0]


def test_r13_r16_r12_the_cards_prazo_says_why_it_is_what_it_is() -> None:
    """Beside the date: on hold while the proposal awaits the customer (R13, R16); the
    definitive fix's, after a workaround (R12); nothing for a plain prazo."""
    paused = json.dumps(ticket_card(card(Status.ESTIMATE, due_at=T, prazo_paused_at=T)),
                        ensure_ascii=False)
    assert "19/11/2026 15:43" + t("fmt.prazo_paused", "pt_BR") in paused
    worked = json.dumps(ticket_card(card(Status.IN_PROGRESS, due_at=T, workaround_at=T)),
                        ensure_ascii=False)
    assert "19/11/2026 15:43" + t("fmt.prazo_workaround", "pt_BR",
                                    dt="19/11/2026 15:43") in worked
    plain = json.dumps(ticket_card(card(Status.IN_PROGRESS, due_at=T)), ensure_ascii=False)
    assert "19/11/2026 15:43\"" in plain
