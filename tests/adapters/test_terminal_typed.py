"""The terminal chat over a real store: what a person types reaches the conversation whole."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from storage_world import add_tickets

from bots.runtime import Desk
from bots.terminal.chat import TerminalChat
from core.i18n import t, without_buttons
from core.models import Rating, Role, User
from core.ports import TicketQuery
from core.services import users
from core.services.intake import TicketDraft

# Tuesday 2026-11-24 10:00 in São Paulo: business hours.
T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)



def terminal_t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """A catalog text as the terminal chat shows it: it has no buttons to tap."""
    with without_buttons():
        return t(key, lang, **params)

def carla_and_ana(desk: Desk) -> tuple[User, User]:
    """A customer of Mercado Exemplo and an agent."""
    desk.call(users.add_company, "Mercado Exemplo")
    carla = desk.call(users.add_user, name="Carla Souza", email="carla@example.com",
                      company_names=["Mercado Exemplo"], trained=True)
    ana = desk.call(users.add_user, name="Ana Atendente", email="ana@example.com",
                    role=Role.AGENT, trained=True)
    return carla, ana


DRAFT = TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas", versao="2026.11",
                    assunto="Nota rejeitada", descricao="A nota 10125 é rejeitada.")


def test_r3_control_characters_typed_in_the_terminal_are_dropped_and_the_words_kept(
        sql_store: Any, tmp_path: Path) -> None:
    """A NUL or an escape sequence pasted into the terminal (PostgreSQL refuses NUL in text
    and JSON) ended the whole session with a traceback; the words were lost."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        desk.call(users.add_company, "Mercado Exemplo")
        carla = desk.call(users.add_user, name="Carla Souza", email="carla@example.com",
                          company_names=["Mercado Exemplo"], trained=True)
        typed = "oi\nA nota\x00 10125 não\x07 sai\x1b[31m na impressora\nsair\n"
        out = io.StringIO()
        TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                     stdin=io.StringIO(typed), stdout=out).run()
        shown = out.getvalue()
        assert "A nota 10125 não sai na impressora" in shown.split("> A nota")[-1]
        assert "\x00" not in shown.split("> A nota")[-1]
        assert shown.rstrip().endswith("Até logo!")
    finally:
        desk.close()


def test_r19_the_approval_question_reads_the_agent_s_markdown_as_plain_words(
        sql_store: Any, tmp_path: Path) -> None:
    """A terminal shows no bold: the solution's '**' and backquotes are left out (R7)."""
    from core.services import closing, handling, intake

    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, ana = carla_and_ana(desk)
        ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
        desk.call(handling.take, ana.id, ticket.id)
        desk.call(closing.request_approval, ana.id, ticket.id,
                  "**Atenção**: rode `nfe --check`.\n- um", origin_id="erro_sistema")
        out = io.StringIO()
        TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                     stdin=io.StringIO("1\nsair\n"), stdout=out).run()
        shown = out.getvalue()
        assert "Atenção: rode nfe --check.\n• um" in shown
        assert "**" not in shown
        assert "`" not in shown
    finally:
        desk.close()


def test_r8_an_agents_search_in_the_terminal_says_more_than_1000(
        sql_store: Any, tmp_path: Path) -> None:
    """The terminal's listing, as Telegram's: past 1 000 matches it stops counting and says
    "mais de 1 000 tickets"."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, ana = carla_and_ana(desk)
        desk.call(lambda ctx: add_tickets(ctx.uow, 1001, carla.id, "Nota fiscal rejeitada", T0))
        out = io.StringIO()
        TerminalChat(desk, ana.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                     stdin=io.StringIO("/tickets nota\nsair\n"), stdout=out).run()
        said = out.getvalue()
        assert "todo o período: mais de 1\u00a0000 tickets. Página 1.\nBusca: nota" in said
    finally:
        desk.close()


def test_r7_a_tickets_page_and_its_thread_read_an_agent_s_marks_as_plain_words(
        sql_store: Any, tmp_path: Path) -> None:
    """The terminal shows no bold: an agent's '**', backquotes, ``` lines and [](…) are left
    out of the page and of 'Ver o histórico completo'; the customer's words stay as typed."""
    from core.models import Entry, EntryKind
    from core.services import intake

    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, ana = carla_and_ana(desk)
        ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
        said = ("**Atenção**: rode `nfe --check`.\n```\n" + "nfe --check --serie 1\n" * 30 +
                "```\n- veja [o manual](https://ex.com/nfe)")
        with desk.store() as uow:
            for author, text in ((ana.id, said), (carla.id, "Rodei **isso**")):
                uow.entries.add(Entry(ticket_id=ticket.id or 0, author_id=author, text=text,
                                      created_at=T0, kind=EntryKind.PUBLIC))
            uow.commit()
        out = io.StringIO()
        TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                     stdin=io.StringIO(f"/ticket {ticket.number}\n2\nsair\n"), stdout=out).run()
        page, _, thread = out.getvalue().partition("Trâmites do ticket")
        assert "Ana Atendente: Atenção: rode nfe --check.\nnfe --check --serie 1\n" in page
        assert "Carla Souza: Rodei **isso**" in page
        assert "Atenção: rode nfe --check.\nnfe --check" in thread
        assert "• veja o manual (https://ex.com/nfe)" in thread
        assert "Rodei **isso**" in thread
        for shown in (page, thread):
            assert "```" not in shown
            assert "`" not in shown
            assert "**Atenção" not in shown
    finally:
        desk.close()


def test_an_internal_error_in_a_step_is_said_in_the_persons_language_and_the_chat_goes_on(
        sql_store: Any, tmp_path: Path, monkeypatch: Any, caplog: Any) -> None:
    """A bug in a step ended `helpdesk chat` with a traceback, what was typed after it never
    read; Telegram and Slack say 'Something went wrong. Please try again.' and go on."""
    import logging

    from core.conversation import commands
    from core.i18n import t

    def broken(*_args: Any) -> None:
        raise RuntimeError("a bug in a step")

    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, _ = carla_and_ana(desk)
        _speaks_english(desk, carla.id or 0)
        monkeypatch.setattr(commands, "run", broken)
        out = io.StringIO()
        with caplog.at_level(logging.ERROR):
            TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                         stdin=io.StringIO("help\nsair\n"), stdout=out,
                         language="pt_BR").run()
        after = out.getvalue().split("> help\n", 1)[1]
        assert after.startswith(t("error.generic", "en") + "\n")
        assert out.getvalue().rstrip().endswith(t("terminal.bye", "en"))
        assert any(r.exc_info and "a bug in a step" in str(r.exc_info[1])
                   for r in caplog.records)
    finally:
        desk.close()


def _speaks_english(desk: Desk, user_id: int) -> None:
    def change(ctx: Any) -> None:
        user = ctx.uow.users.get(user_id)
        user.language = "en"
        ctx.uow.users.update(user)

    desk.call(change)


def _rated_in_the_terminal(desk: Desk, tmp_path: Path, typed: str
                           ) -> tuple[Any, io.StringIO]:
    """Carla's ticket answered and awaiting approval, then her terminal chat fed `typed`
    (Aprovar picked by its number is confirmed: "1\n1\n2" approves)."""
    from core.services import closing, handling, intake

    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    desk.call(handling.take, ana.id, ticket.id)
    desk.call(closing.request_approval, ana.id, ticket.id, "Rode isso.", origin_id="erro_sistema")
    out = io.StringIO()
    TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO(typed), stdout=out).run()
    return ticket, out


def test_r20_a_rating_off_the_manuals_scale_typed_in_the_terminal_is_refused(
        sql_store: Any, tmp_path: Path) -> None:
    """The options are numbered 1 to 6 (Agora não last): "0" was recorded as Péssimo and "7"
    as Bom (marks out of 10), as Telegram and Slack took "6" as Regular. Now "0" is refused
    and the question stays; "7", a mark out of 10, is said back (Bom) and recorded only once
    confirmed."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        ticket, out = _rated_in_the_terminal(desk, tmp_path, "1\n1\n2\n0\n7\n1\nsair\n")
        shown = out.getvalue()
        after = shown.split("> 0\n")[1]
        assert after.startswith("“0” não está na escala da avaliação, que vai de 1 a 5")
        assert "Como você avalia o atendimento do ticket" in after.split("> ")[0]
        after = shown.split("> 7\n")[1]
        assert after.startswith("“7” como nota de 0 a 10: na nossa escala, de Ótimo a Péssimo, "
                                "é Bom. Registro assim?")
        rated = desk.call(lambda ctx: ctx.uow.tickets.get(ticket.id))
        assert rated.rating == Rating.GOOD  # the "1" typed after: Sim, Bom
    finally:
        desk.close()


def test_r20_six_in_the_terminal_is_its_agora_nao_and_says_no_rating_was_kept(
        sql_store: Any, tmp_path: Path) -> None:
    """"6" is the rating question's sixth option, Agora não: it went to the menu without a
    word, which read as the rating 6 taken."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        ticket, out = _rated_in_the_terminal(desk, tmp_path, "1\n1\n2\n6\nsair\n")
        after = out.getvalue().split("> 6\n")[1]
        assert after.startswith(t("conv.closing.rate_later", "pt_BR", number=ticket.number))
        assert desk.call(lambda ctx: ctx.uow.tickets.get(ticket.id)).rating is None
    finally:
        desk.close()


def test_r3_a_folder_sent_as_a_file_is_said_to_be_a_folder_and_the_intake_kept(
        sql_store: Any, tmp_path: Path) -> None:
    """'@prints' naming a folder said 'Arquivo não encontrado' (it is there); typed without
    the @ at the anexos question, the folder's path went into the descrição as words
    ('Complemento acrescentado à descrição'). Now each says it is a folder, nothing sent, an
    example of a file in it to send; the intake's answers and the anexos question stay."""
    from core.services import queries

    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, _ = carla_and_ana(desk)
        prints = tmp_path / "meus prints"
        prints.mkdir()
        (prints / "tela.png").write_bytes(b"png")
        empty = tmp_path / "vazia"
        empty.mkdir()
        typed = ["novo", "1", "1", "1", "Erro no pedido", "Vendas > Pedidos: o pedido 4431",
                 f'@"{prints}"', f"@{prints}", str(prints), f"@{empty}/",
                 f'@"{prints}/tela.png"', "1", "1", "1", "sair"]
        out = io.StringIO()
        TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                     stdin=io.StringIO("\n".join(typed) + "\n"), stdout=out).run()
        shown = out.getvalue()
        said = t("terminal.folder", "pt_BR", path=str(prints),
                 example=str(prints / "tela.png"))
        assert shown.count(said) == 3  # quoted, unquoted with its space, and with no @
        assert t("terminal.folder.empty", "pt_BR", path=str(empty)) in shown
        assert "Arquivo não encontrado" not in shown
        assert "Complemento acrescentado" not in shown
        [ticket] = desk.call(lambda ctx: queries.list_tickets(
            ctx, carla.id or 0, queries.scoped_query(carla)).tickets)
        assert ticket.descricao == "Vendas > Pedidos: o pedido 4431"
        entries = desk.call(lambda ctx: ctx.uow.entries.list(ticket.id, False))
        assert [a.filename for e in entries for a in e.attachments] == ["tela.png"]
    finally:
        desk.close()


def _ticket_page_typed(desk: Desk, carla: User, tmp_path: Path, typed: list[str]) -> str:
    """What the terminal shows for lines typed at her ticket's page."""
    from core.services import intake

    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    out = io.StringIO()
    lines = [f"ticket {ticket.number}", *typed, "sair"]
    TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out).run()
    return out.getvalue()


def test_r7_a_file_and_words_on_one_line_send_the_file_with_the_words_as_its_text(
        sql_store: Any, tmp_path: Path) -> None:
    """'@tela.png veja o erro' said 'Arquivo não encontrado: veja; o; erro' and sent nothing:
    the file goes, the words as its text, as a photo's caption does in Telegram."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, _ = carla_and_ana(desk)
        (tmp_path / "tela.png").write_bytes(b"png")
        shown = _ticket_page_typed(desk, carla, tmp_path,
                                   [f'@{tmp_path / "tela.png"} veja o "erro" da nota', "1"])
        assert "Arquivo não encontrado" not in shown
        entries = desk.call(lambda ctx: ctx.uow.entries.list(
            ctx.uow.tickets.list(TicketQuery())[0].id, False))
        [sent] = [e for e in entries if e.attachments]
        assert sent.text == 'veja o "erro" da nota'
        assert [a.filename for a in sent.attachments] == ["tela.png"]
    finally:
        desk.close()


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r7_a_missing_file_with_words_says_which_file_and_that_the_words_were_not_sent(
        sql_store: Any, tmp_path: Path, lang: str) -> None:
    """'@nota.png veja' with no such file named 'veja' as a missing file too; now only the
    file, and the words typed are repeated as not sent, to send again."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, _ = carla_and_ana(desk)
        desk.call(lambda ctx: users.change_language(ctx, ctx.uow.users.get(carla.id), lang))
        shown = _ticket_page_typed(desk, carla, tmp_path, ["@nota.png veja isto"])
        assert t("terminal.no_file", lang, path="nota.png") in shown
        assert t("terminal.not_sent", lang, text="veja isto") in shown
        assert "nota.png; veja" not in shown
    finally:
        desk.close()


def test_r7_the_words_sent_with_a_file_keep_their_spaces(sql_store: Any,
                                                         tmp_path: Path) -> None:
    """'@tela.png Campo:   valor' went as 'Campo: valor': the words after the file were split
    and joined again with one space, losing the spaces typed to line a value up (a text sent
    alone keeps them). The words after the file are now sent as typed, as a caption is."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, _ = carla_and_ana(desk)
        (tmp_path / "tela.png").write_bytes(b"png")
        words = "Total:    R$ 10,00  (nota   10125)"
        shown = _ticket_page_typed(desk, carla, tmp_path,
                                   [f'@{tmp_path / "tela.png"} {words}', "1",
                                    f"@nada.png {words}"])
        entries = desk.call(lambda ctx: ctx.uow.entries.list(
            ctx.uow.tickets.list(TicketQuery())[0].id, False))
        [sent] = [e for e in entries if e.attachments]
        assert sent.text == words
        assert t("terminal.not_sent", "pt_BR", text=words) in shown
    finally:
        desk.close()


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
@pytest.mark.parametrize("typed", ["@", "@   "])
def test_r7_an_at_sign_alone_names_no_file_and_is_not_the_current_folder(
        sql_store: Any, tmp_path: Path, lang: str, typed: str) -> None:
    """'@' alone was read as the path '.', the folder the chat runs in: '. é uma pasta, não
    um arquivo', with one of that folder's files as the example to send. It names no file:
    the chat says what goes after the @, nothing is sent, the question stays."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    try:
        carla, _ = carla_and_ana(desk)
        desk.call(lambda ctx: users.change_language(ctx, ctx.uow.users.get(carla.id), lang))
        shown = _ticket_page_typed(desk, carla, tmp_path, [typed])
        after = shown.split("> " + typed)[-1]
        assert t("terminal.no_path", lang) in after
        assert "pasta" not in after
        assert "folder" not in after
        entries = desk.call(lambda ctx: ctx.uow.entries.list(
            ctx.uow.tickets.list(TicketQuery())[0].id, False))
        assert entries == []  # no trâmite
    finally:
        desk.close()
