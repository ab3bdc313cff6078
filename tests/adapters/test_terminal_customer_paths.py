"""A demanding customer in the terminal chat: what is sent at a question is never lost."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_typed import DRAFT, T0, carla_and_ana
from test_terminal_typed import terminal_t as t

from bots.runtime import Desk
from bots.terminal.chat import TerminalChat
from core.models import EntryKind, Status, Ticket
from core.ports import TicketQuery


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def _awaiting(desk: Desk) -> tuple[Any, Ticket]:
    """Carla, and her ticket answered by Ana and awaiting her approval (R19)."""
    from core.services import closing, handling, intake

    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    desk.call(handling.take, ana.id, ticket.id)
    desk.call(closing.request_approval, ana.id, ticket.id, "Rode isso.", origin_id="erro_sistema")
    return carla, ticket


def _chat(desk: Desk, user_id: int, tmp_path: Path, typed: str) -> str:
    """The transcript of a terminal session fed `typed`."""
    out = io.StringIO()
    TerminalChat(desk, user_id, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO(typed), stdout=out).run()
    return out.getvalue()


def _print(tmp_path: Path) -> Path:
    shot = tmp_path / "tela.png"
    shot.write_bytes(b"\x89PNG ainda trava")
    return shot


def test_r19_a_print_sent_at_the_approval_question_then_decidir_depois_is_offered(
        desk: Desk, tmp_path: Path) -> None:
    """Carla sent a print at the approval question ('Guardei o arquivo…'), then chose Decidir
    depois: the print was dropped. It is offered as the ticket's trâmite; Enviar sends it and
    the ticket still awaits her approval."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"1\n@{_print(tmp_path)}\n4\n1\nsair\n")
    after = shown.split("> 4\n", 1)[1]
    assert t("conv.closing.later_kept", number=ticket.number) in after
    assert "tela.png" in after
    with desk.store() as uow:
        files = uow.entries.attachments(ticket.id or 0)
        stored = uow.tickets.get(ticket.id or 0)
    assert [f.filename for f in files] == ["tela.png"]
    assert stored is not None
    assert stored.status == Status.AWAITING_APPROVAL


def test_r19_words_kept_at_the_approval_question_then_decidir_depois_are_offered(
        desk: Desk, tmp_path: Path) -> None:
    """Words kept at the question ('vou testar amanhã no caixa 2') were dropped by Decidir
    depois; offered as the ticket's trâmite, Descartar drops them and nothing is sent."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  "1\nvou testar amanhã no caixa 2\n4\n2\nsair\n")
    after = shown.split("> 4\n", 1)[1]
    assert t("conv.closing.later_kept", number=ticket.number) in after
    assert "vou testar amanhã no caixa 2" in after
    assert t("conv.tramite.dropped") in after
    with desk.store() as uow:
        public = [e for e in uow.entries.list(ticket.id or 0, False)
                  if e.kind == EntryKind.PUBLIC and e.author_id == carla.id]
    assert public == []


def test_r19_a_print_sent_with_the_restriction_stays_on_the_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """At Aprovar com restrições, a print with the restriction as its text: the words closed
    the ticket and the print was dropped ('Nesta pergunta não guardo arquivos'). It goes into
    the thread as a trâmite, as at the approval question."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"1\n3\n@{_print(tmp_path)} o relatório demora 2 min\nsair\n")
    assert t("conv.error.files_not_kept") not in shown
    assert t("conv.closing.files_as_tramite", count=1, number=ticket.number) in shown
    with desk.store() as uow:
        files = uow.entries.attachments(ticket.id or 0)
        stored = uow.tickets.get(ticket.id or 0)
    assert [f.filename for f in files] == ["tela.png"]
    assert stored is not None
    assert stored.status == Status.CLOSED
    assert stored.decision_comment == "o relatório demora 2 min"


def test_r20_a_captioned_print_sent_at_the_rating_is_offered_with_a_new_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """At the rating question (the ticket just approved), a print 'voltou a travar no caixa
    3': the words were offered as a new ticket, the print dropped. Both are offered."""
    carla, _ = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"1\n1\n2\n@{_print(tmp_path)} voltou a travar no caixa 3\n1\nsair\n")
    after = shown.split("voltou a travar no caixa 3\n", 1)[1]
    assert t("conv.error.files_not_kept") not in after
    assert "e enviou 1 arquivo: tela.png" in after
    assert t("conv.intake.intro") in after


def test_r3_a_print_sent_at_the_tickets_listing_is_offered_as_a_new_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """A print sent while the listing was shown was refused ('Agora não estou esperando
    arquivos') and lost; it is offered as a new ticket's anexo, as at the menu."""
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"tickets\n@{_print(tmp_path)}\nsair\n")
    after = shown.split("tela.png\n", 1)[1]
    assert t("conv.error.files_not_expected") not in after
    assert t("conv.typed.offer_files", count=1, names="tela.png") in after


def test_r10_a_print_sent_at_the_pending_approvals_is_held_and_offered_after_them(
        desk: Desk, tmp_path: Path) -> None:
    """The session opened on the approvals awaiting Carla (R10); a print sent there was
    refused and lost. It is held, and once she leaves the approvals for later, offered."""
    carla, _ = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"@{_print(tmp_path)}\n2\nsair\n")
    after = shown.split("tela.png\n", 1)[1]
    assert after.startswith(t("conv.files.held", count=1, names="tela.png"))
    assert t("conv.typed.offer_files", count=1, names="tela.png") in after


def test_r3_a_number_past_the_last_option_at_the_complement_question_is_no_complement(
        desk: Desk, tmp_path: Path) -> None:
    """At 'Escreva um complemento … ou toque em Seguir assim' (one option), '2' was added to
    the descrição as its complement. It is told there is no option 2, the descrição kept as
    typed; '1' goes on."""
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  "novo\n1\n1\n1\nPedido não confirma\nNão confirma\n2\n1\nsair\n")
    after = shown.split("> 2\n", 1)[1]
    assert after.startswith(t("conv.error.no_option_or_words", number=2, last=1,
                              count=1))
    assert t("conv.coach.added") not in after
    assert t("conv.intake.ask_anexos") in after.split("> 1\n", 1)[1]


def test_r19_a_number_past_the_last_option_at_the_reason_question_is_no_reason(
        desk: Desk, tmp_path: Path) -> None:
    """At the reason question (Usar o que escrevi, Voltar), '3' sent the ticket back to
    attendance with the reason '3'. It is told there is no option 3; the words kept stay."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  "1\nnão resolveu, o pedido 4431 não sai\n3\nsair\n")
    after = shown.split("> 3\n", 1)[1]
    assert after.startswith(t("conv.error.no_option_or_words", number=3, last=2))
    assert "não resolveu, o pedido 4431 não sai" in after
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
    assert stored is not None
    assert stored.status == Status.AWAITING_APPROVAL


INTAKE_TO_VERSION = "novo\n1\n1\n"


def test_r17_a_version_named_in_the_descricao_fills_the_one_left_unknown(
        desk: Desk, tmp_path: Path) -> None:
    """Não sei at the version, then 'na versão 2026.9 o pedido 4431 não confirma': the summary
    said 'Versão: não informada'. The version the descrição names, shaped as the system's,
    is kept (said so, with R17's warning for an older one)."""
    carla, _ = carla_and_ana(desk)
    words = "Na versão 2026.9 o pedido 4431 não confirma em Vendas > Pedidos"
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"{INTAKE_TO_VERSION}2\nPedido não confirma\n{words}\n1\n1\nsair\n")
    after = shown.split(f"> {words}\n", 1)[1]
    assert after.startswith(t("conv.intake.version_from_descricao", version="2026.9"))
    assert t("conv.intake.version_old", reported="2026.9", current="2026.11") in after
    assert "Versão: 2026.9\n" in after


def test_r17_a_version_not_shaped_as_the_system_s_is_not_invented(
        desk: Desk, tmp_path: Path) -> None:
    """'na versão 4.2.1 trava ao emitir NF': no version of the system reads so (they are like
    2026.11); it stays não informada, and the customer is told why, not left to guess."""
    carla, _ = carla_and_ana(desk)
    words = "Na versão 4.2.1 trava ao emitir NF do pedido 4431 em Vendas > Pedidos"
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"{INTAKE_TO_VERSION}2\nTrava ao emitir NF\n{words}\n1\n1\nsair\n")
    after = shown.split(f"> {words}\n", 1)[1]
    assert after.startswith(t("conv.intake.version_named_unknown", version="4.2.1",
                              current="2026.11"))
    assert "Versão: não informada\n" in after


def test_r17_a_version_named_in_a_matter_typed_first_is_offered_at_the_version_question(
        desk: Desk, tmp_path: Path) -> None:
    """A matter typed at the menu naming 'versão 2026.10' became the descrição, and the
    version question then offered only the current one and Não sei: the one named is offered
    too, one tap away."""
    carla, _ = carla_and_ana(desk)
    words = "Na versão 2026.10 o pedido 4431 não confirma em Vendas > Pedidos"
    shown = _chat(desk, carla.id or 0, tmp_path, f"{words}\n1\n1\n1\n1\nsair\n")
    asked = shown.split(t("conv.intake.ask_versao", current="2026.11"), 1)[1]
    assert "  1. " + t("conv.intake.versao_named", version="2026.10") in asked
    assert t("conv.intake.version_old", reported="2026.10", current="2026.11") in asked


def test_r3_words_typed_at_the_version_question_are_no_version(
        desk: Desk, tmp_path: Path) -> None:
    """The assunto typed a question early, at the version: 'Não reconheci esse formato de
    versão, mas guardei', the ticket's version 'Erro ao confirmar pedido de venda'. Words
    with no number are no version: kept for the assunto (offered there to keep), and the
    version asked again."""
    carla, _ = carla_and_ana(desk)
    words = "Erro ao confirmar pedido de venda"
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"{INTAKE_TO_VERSION}{words}\n1\n1\nsair\n")
    after = shown.split(f"> {words}\n", 1)[1]
    assert after.startswith(t("conv.intake.version_words_assunto", typed=words,
                              current="2026.11"))
    assert t("conv.intake.ask_versao", current="2026.11") in after.split("> 1\n")[0]
    at_assunto = after.split("> 1\n")[1]
    assert t("conv.intake.current", value=words) in at_assunto
    assert t("conv.intake.keep_assunto") in at_assunto


def test_r19_words_that_decide_typed_at_the_page_of_a_ticket_awaiting_approval(
        desk: Desk, tmp_path: Path) -> None:
    """At the page of her ticket awaiting approval ('Aprovar ou não a solução' on it), Carla
    typed 'ainda trava no caixa 2': offered as a trâmite, the ticket waiting on (to close as
    approved after 15 days). Words that decide are its decision, as at the question."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"2\nticket {ticket.number}\nainda trava no caixa 2\n1\nsair\n")
    after = shown.split("> ainda trava no caixa 2\n", 1)[1]
    assert after.startswith(t("conv.closing.ask_reason", number=ticket.number))
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
    assert stored is not None
    assert stored.status == Status.IN_PROGRESS


def test_r18_a_print_sent_at_a_duplicate_s_page_is_offered_to_its_original(
        desk: Desk, tmp_path: Path) -> None:
    """At the page of a ticket rejected as a duplicate, a print 'o erro continua' got 'O
    ticket … foi rejeitado e não recebe novos trâmites' and was lost; words alone were offered
    as a new ticket. Both are offered as a trâmite of the open original."""
    from core.services import handling, intake

    carla, ana = carla_and_ana(desk)
    original = desk.call(intake.open_ticket, carla.id, DRAFT)
    again = desk.call(intake.open_ticket, carla.id, DRAFT)
    desk.call(handling.reject_duplicate, ana.id, again.id, original.number)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"ticket {again.number}\n@{_print(tmp_path)} o erro continua\n1\nsair\n")
    after = shown.split("o erro continua\n", 1)[1]
    assert after.startswith(t("conv.tramite.not_open_duplicate", number=again.number,
                              original=original.number))
    assert t("conv.tramite.offer", number=original.number) in after
    with desk.store() as uow:
        files = uow.entries.attachments(original.id or 0)
    assert [f.filename for f in files] == ["tela.png"]


def test_r7_a_print_sent_at_a_closed_ticket_s_page_is_offered_with_a_new_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """At a closed ticket's page a print 'voltou a travar' was refused ('… abra um novo
    ticket') and lost; words alone were offered as a new ticket naming it. So is the print."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"1\n1\n2\n1\nticket {ticket.number}\n@{_print(tmp_path)} voltou a travar\n"
                  "sair\n")
    after = shown.split("voltou a travar\n", 1)[1]
    assert after.startswith(t("conv.tramite.not_open_closed", number=ticket.number))
    assert "e enviou 1 arquivo: tela.png" in after
    assert t("conv.typed.follows_note", number=ticket.number) in after


def test_r3_a_print_sent_at_descartar_o_ticket_joins_its_anexos(
        desk: Desk, tmp_path: Path) -> None:
    """At 'Descartar o que você digitou?' (cancelar typed mid-intake) a print was refused
    ('Agora não estou esperando arquivos') and lost: it joins the anexos, as at the intake's
    questions, and the question stays."""
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"{INTAKE_TO_VERSION}1\ncancelar\n@{_print(tmp_path)}\nsair\n")
    after = shown.split("tela.png\n", 1)[1]
    assert after.startswith(t("conv.intake.files_kept", names="tela.png"))
    assert t("conv.error.files_not_expected") not in after


def test_r7_voltar_at_the_trâmite_offer_is_not_added_to_the_message(
        desk: Desk, tmp_path: Path) -> None:
    """'voltar' typed at 'Envio como trâmite do ticket …?' was added to the message on offer
    ('alguma novidade?\\nvoltar'), to be sent to the team so. It is told the message is not
    sent yet (Enviar or Descartar), the message as it was."""
    from core.services import intake

    carla, _ = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"ticket {ticket.number}\nalguma novidade?\nvoltar\nsair\n")
    after = shown.split("> voltar\n", 1)[1]
    assert after.startswith(t("conv.error.busy_tramite", command="voltar"))
    assert "“alguma novidade?”" in after


def test_r19_meus_tickets_typed_at_the_reason_question_is_the_listing_not_the_reason(
        desk: Desk, tmp_path: Path) -> None:
    """'meus tickets' typed at the Não aprovar reason question sent the ticket back to
    attendance with the reason 'meus tickets'. It is the listing, as 'tickets' there is and as
    at the intake's questions; the ticket still awaits her approval."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, "1\nnão aprovar\nmeus tickets\nsair\n")
    after = shown.split("> meus tickets\n", 1)[1]
    assert t("conv.list.scope_mine") in after
    assert t("conv.closing.not_approved", number=ticket.number) not in after
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
        said = [e.text for e in uow.entries.list(ticket.id or 0, False)
                if e.author_id == carla.id and e.kind == EntryKind.PUBLIC]
    assert stored is not None
    assert stored.status == Status.AWAITING_APPROVAL
    assert said == []


def test_r19_a_reason_that_mentions_meus_tickets_in_a_sentence_is_the_reason(
        desk: Desk, tmp_path: Path) -> None:
    """A reason that merely contains the listing's words is the reason."""
    carla, ticket = _awaiting(desk)
    reason = "continua travando, está nos meus tickets desde ontem"
    shown = _chat(desk, carla.id or 0, tmp_path, f"1\nnão aprovar\n{reason}\nsair\n")
    assert t("conv.closing.not_approved", number=ticket.number) in shown
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
        said = [e.text for e in uow.entries.list(ticket.id or 0, False)
                if e.author_id == carla.id and e.kind == EntryKind.PUBLIC]
    assert stored is not None
    assert stored.status == Status.IN_PROGRESS
    assert said == [reason]


def test_r4_a_255_character_file_name_is_cut_in_the_anexos_list_and_stored_whole(
        desk: Desk, tmp_path: Path) -> None:
    """Two files with 255-character names: each 'Anexos até agora' line repeated them whole.
    The list cuts each in the middle, the extension and the end telling them apart kept, as
    'Guardei …' does; the ticket stores the names whole."""
    from core.conversation.fmt import NAME_SHOWN

    carla, _ = carla_and_ana(desk)
    stem = "Relatorio_de_rejeicao_da_NF-e_10125_emitida_no_caixa_3_" * 5
    names = [stem[: 255 - 11] + f"_parte{n}.xml" for n in (1, 2)]
    for name in names:
        (tmp_path / name).write_bytes(name.encode())
    sent = "".join(f"@{tmp_path / name}\n" for name in names)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"{INTAKE_TO_VERSION}2\nNota rejeitada\nVendas > Notas: a nota 10125 é "
                  f"rejeitada\n{sent}1\n1\n1\n1\n1\nsair\n")
    prefix = t("conv.intake.anexos_so_far", count=2, names="")
    listed = [line for line in shown.split("\n") if line.startswith(prefix)][-1]
    cut = listed.removeprefix(prefix).split(", ")
    assert all(len(name) <= NAME_SHOWN for name in cut)
    assert cut[0].endswith("parte1.xml")
    assert cut[1].endswith("parte2.xml")
    assert f"{t('field.anexos')}: {', '.join(cut)}\n" in shown  # the review's list, too
    said = "\n".join(line for line in shown.split("\n") if not line.startswith("> "))
    assert said.count(names[0]) == said.count(names[1]) == 0  # "Guardei …" cuts them too
    assert t("conv.intake.files_kept", names=cut[1]) in said  # sent before the step
    with desk.store() as uow:
        [ticket] = uow.tickets.list(TicketQuery(limit=10))
        stored = [a.filename for a in uow.entries.attachments(ticket.id or 0)]
    assert stored == names
