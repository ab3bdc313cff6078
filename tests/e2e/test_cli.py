"""The `helpdesk` command line as a user runs it: a subprocess on a SQLite file."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.process import in_process
from storage_world import add_tickets

from bots.commands.user import Language
from bots.demo import DEMO_QUOTE
from bots.settings import Settings
from core.calendar import BusinessCalendar
from core.i18n import LANGUAGES, t
from storage.sql import SqlStore

ROOT = Path(__file__).resolve().parents[2]
TAB_LABELS = ["novo", "em estimativa", "em atendimento", "repassada", "aguardando aprovação",
              "encerrado", "rejeitado"]


class Cli:
    """Runs `python -m bots.cli` against one database file from a clean directory."""

    def __init__(self, workdir: Path, db: Path) -> None:
        self.workdir = workdir
        self.db = db

    def __call__(self, *args: str, ok: bool = True, input: str | None = None,  # noqa: A002
                 **env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items()
                 if k.lower() not in Settings.model_fields}
        clean.update(DATABASE_URL=f"sqlite:///{self.db}", PYTHONPATH=str(ROOT),
                     NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
                     **env)
        result = subprocess.run([sys.executable, "-m", "bots.cli", *args], cwd=self.workdir,
                                env=clean, capture_output=True, text=True, timeout=120,
                                check=False, input=input)
        if ok:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def setup(self, *args: str, **env: str) -> str:
        """The same command in this process (fakes.process.in_process), for what a test sets up
        before the step it checks; what it printed."""
        return in_process(f"sqlite:///{self.db}", *args, cwd=self.workdir, **env)

    def copy(self, workdir: Path) -> Cli:
        """A Cli on a copy of this database, to change it without touching the others'."""
        db = workdir / "copy.db"
        shutil.copy(self.db, db)
        return Cli(workdir, db)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """A user mistake: exit 1, one `erro:` line, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("erro: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def ticket_lines(output: str) -> list[str]:
    """The rows of a `tickets list` table."""
    return [line for line in output.splitlines() if line[:6].isdigit() and "/" in line[:8]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A database where `helpdesk demo` already ran (shared read-only by this module); run in
    this process (test_the_demo_runs_on_a_machine_without_the_systems_time_zones and
    test_cli_language's first demos are processes of their own)."""
    workdir = tmp_path_factory.mktemp("demo")
    cli = Cli(workdir, workdir / "helpdesk.db")
    assert "Tickets criados:" in cli.setup("demo")
    return cli


def test_demo_is_idempotent_and_fills_every_tab(demo: Cli) -> None:
    """A second demo creates nothing; the listing has the manual's columns and every tab."""
    again = demo("demo")
    assert "nada foi criado" in again.stdout
    assert "carla@mercadoexemplo.com.br" in again.stdout
    listing = demo("tickets", "list").stdout
    header = listing.splitlines()[0].split()
    assert header[:3] == ["Ticket", "Abertura", "De"]
    for column in ("Assunto", "Prazo", "Responsável", "Status", "Justificativa"):
        assert column in header
    rows = ticket_lines(listing)
    assert len(rows) == 8
    for label in TAB_LABELS:
        assert any(f"  {label}" in row.lower() for row in rows), label
    assert "Em análise e Simulação" in listing
    novos = ticket_lines(demo("tickets", "list", "--tab", "novos").stdout)
    assert len(novos) == 2
    assert all("  Novo" in row for row in novos)


def test_listing_filters_by_text_and_company(demo: Cli) -> None:
    """--text searches the assunto; --company narrows to one client."""
    found = ticket_lines(demo("tickets", "list", "--text", "boleto").stdout)
    assert len(found) == 1
    assert "Boleto com vencimento errado" in found[0]
    other = demo("tickets", "list", "--company", "Mercado Exemplo Ltda", "--limit", "3")
    assert len(ticket_lines(other.stdout)) == 3
    assert "3 de 8 tickets." in other.stdout


def test_r8_a_listing_search_past_1000_tickets_says_more_than_1000(demo: Cli,
                                                                   tmp_path: Path) -> None:
    """--text stops counting past 1 000 matches (every match of a common word took 0.9 s to
    count at 1 000 000 tickets): the last line says "mais de 1000"."""
    cli = demo.copy(tmp_path)
    store = SqlStore(f"sqlite:///{cli.db}")
    with store() as uow:
        customer = next(u for u in uow.users.list() if u.company_ids and not u.is_staff)
        add_tickets(uow, 1001, customer.id or 0, "Nota fiscal rejeitada")
        uow.commit()
    store.dispose()
    listing = cli("tickets", "list", "--text", "nota", "--limit", "5").stdout
    assert "5 de mais de 1000 tickets." in listing


def test_company_is_found_by_the_start_of_its_name_or_words(demo: Cli, tmp_path: Path) -> None:
    """--company takes part of the name, any case or accent; several matches are named."""
    cli = demo.copy(tmp_path)
    cli.setup("company", "add", "Padaria Pão Quente Ltda")
    cli.setup("company", "add", "Padaria Central")
    assert len(ticket_lines(cli("tickets", "list", "--company", "mercado").stdout)) == 8
    assert len(ticket_lines(cli("tickets", "list", "--company", "EXEMPLO").stdout)) == 8
    assert "Nenhum ticket" in cli("tickets", "list", "--company", "pao quente").stdout
    assert "Nenhum ticket" in cli("tickets", "list", "--company", "Padaria Cen").stdout
    out = tmp_path / "mercado.csv"
    cli("tickets", "export", "--company", "Mercado Ex", "--output", str(out))
    assert len(read_export(out)) == 8
    assert_one_line_error(cli("tickets", "list", "--company", "Padaria", ok=False),
                          "Padaria", "Padaria Central, Padaria Pão Quente Ltda")
    assert_one_line_error(cli("tickets", "export", "--company", "Farmácia", ok=False),
                          "Empresa Farmácia não encontrada")


def test_r7_show_marks_internal_notes(demo: Cli) -> None:
    """tickets show prints every trâmite, the agents' notes marked as internal."""
    number = next(r.split()[0] for r in ticket_lines(demo("tickets", "list").stdout)
                  if "Em análise e Simulação" in r)
    shown = demo("tickets", "show", number).stdout
    assert shown.startswith(f"Ticket {number}")
    assert "[nota interna]" in shown
    assert "Reproduzi na base de testes" in shown


def test_r7_show_tells_system_lines_in_portuguese(demo: Cli) -> None:
    """System lines read as the Slack thread says them, not as stored codes."""
    number = next(r.split()[0] for r in ticket_lines(demo("tickets", "list").stdout)
                  if "Boleto com vencimento errado" in r)
    shown = demo("tickets", "show", number).stdout
    assert "Ana Ribeiro assumiu o ticket." in shown  # not "passou o ticket para" herself
    assert "Ana Ribeiro respondeu ao cliente; aguardando aprovação." in shown
    assert "Carla Souza aprovou a solução; ticket encerrado." in shown  # who, not "O cliente"
    assert "Carla Souza avaliou o atendimento: Ótimo." in shown
    assert "Decisão: Aprovado" in shown
    for code in ("approval_requested", "rated rating=", "assigned assignee="):
        assert code not in shown


def read_export(path: Path) -> list[dict[str, str]]:
    """The rows of an export as a pt-BR spreadsheet reads them: UTF-8 with a BOM, `;`."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel takes it as UTF-8: "Crítico", not "CrÃ­tico"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_r9_export_csv(demo: Cli, tmp_path: Path) -> None:
    """tickets export writes one CSV line per ticket under a header, as the chat's export."""
    out = tmp_path / "tickets.csv"
    result = demo("tickets", "export", "--format", "csv", "--output", str(out))
    assert "8 tickets exportados para" in result.stdout
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("numero;abertura;empresa;solicitante;")
    assert "," not in header
    rows = read_export(out)
    assert len(rows) == 8
    assert {r["empresa"] for r in rows} == {"Mercado Exemplo Ltda"}
    assert "aguardando aprovação" in {r["status"].lower() for r in rows}
    # Read as the listing names them, not as stored codes ("padrao", "otimo").
    assert {r["prioridade"] for r in rows} == {"Padrão", "Crítico"}
    assert "Ótimo" in {r["avaliacao"] for r in rows}
    assert "Aprovado" in {r["decisao"] for r in rows}


def test_r20_the_export_carries_the_rating_comment(demo: Cli, tmp_path: Path) -> None:
    """The customer's words given with the rating were in no column of the export."""
    from core.ports import TicketQuery
    from core.services import rating
    from core.services.context import Ctx

    cli = demo.copy(tmp_path)
    store = SqlStore(f"sqlite:///{cli.db}")
    with store() as uow:
        rated = next(k for k in uow.tickets.list(TicketQuery(limit=50)) if k.rating)
        rating.comment_rating(Ctx(uow, datetime.now(UTC)), rated.requester_id, rated.id or 0,
                              "=resolveu no mesmo dia")
        uow.commit()
    store.dispose()
    out = tmp_path / "tickets.csv"
    cli("tickets", "export", "--output", str(out))
    by_number = {r["numero"]: r for r in read_export(out)}
    assert by_number[rated.number]["comentario_avaliacao"] == "'=resolveu no mesmo dia"
    assert {r["comentario_avaliacao"] for n, r in by_number.items() if n != rated.number} == {""}


def test_r23_the_billable_tickets_to_invoice_with_the_customers_answer(demo: Cli,
                                                                       tmp_path: Path) -> None:
    """--faturaveis keeps the tickets outside the contract; the export says whether the
    customer authorized each charge, and `show` says it too."""
    out = tmp_path / "faturaveis.csv"
    demo("tickets", "export", "--faturaveis", "--output", str(out))
    rows = read_export(out)
    assert [(r["assunto"], r["origem"], r["faturavel"], r["cobranca"], r["orcamento"],
             r["valor_orcado"]) for r in rows] == [
        ("Relatório de vendas por vendedor com margem",
         "Necessidade não atendida (implementação)", "sim", "autorizada", DEMO_QUOTE,
         "2880,00")]
    billable = demo("tickets", "list", "--faturaveis").stdout
    assert billable.splitlines()[0].split()[-3:] == ["Origem", "Cobrança", "Orçamento"]
    listed = ticket_lines(billable)
    assert len(listed) == 1
    assert listed[0].endswith(f"Necessidade não atendida (implementação)  autorizada  "
                              f"{DEMO_QUOTE}")
    assert "Origem" not in demo("tickets", "list").stdout.splitlines()[0]
    number = listed[0].split()[0]
    shown = demo("tickets", "show", number).stdout
    assert "Faturável: sim — cobrança autorizada" in shown
    assert f"Orçamento: {DEMO_QUOTE}" in shown
    assert len(ticket_lines(demo("tickets", "list").stdout)) == 8  # without it: every ticket


def test_r8_tickets_of_a_month_listed_and_exported(demo: Cli, tmp_path: Path) -> None:
    """--month (the month to invoice, R23) lists and exports the tickets opened in it, by the
    support time zone: each demo ticket's number names its month; '--since-days 31' was the
    nearest before."""
    numbers = [row.split()[0] for row in ticket_lines(demo("tickets", "list").stdout)]
    for period in sorted({n[:6] for n in numbers}):
        month = f"{period[:4]}-{period[4:]}"
        listed = ticket_lines(demo("tickets", "list", "--month", month).stdout)
        assert sorted(row.split()[0] for row in listed) == sorted(
            n for n in numbers if n.startswith(period))
        out = tmp_path / f"{period}.csv"
        demo("tickets", "export", "--month", f"{period[4:]}/{period[:4]}", "--output", str(out))
        assert len(read_export(out)) == len(listed)
    assert "Nenhum ticket" in demo("tickets", "list", "--month", "2020-01").stdout
    assert_one_line_error(demo("tickets", "list", "--month", "brumário", ok=False), "brumário")


def test_r21_jobs_run_once_closes_silent_tickets(demo: Cli, tmp_path: Path) -> None:
    """Run as of 16 days later in business hours (R14), the sweep closes the ticket awaiting
    approval."""
    cli = demo.copy(tmp_path)
    later = BusinessCalendar().next_opening(datetime.now(UTC) + timedelta(days=16)).isoformat()
    report = cli("jobs", "run-once", "--now", later, "--confirmar").stdout
    assert "Tickets encerrados automaticamente: 1" in report
    assert len(ticket_lines(cli("tickets", "list", "--tab", "encerrados").stdout)) == 2
    assert "Tickets encerrados automaticamente: 0" in cli("jobs", "run-once").stdout


def test_r14_jobs_run_once_outside_business_hours_says_what_waits_until_when(
        demo: Cli, tmp_path: Path) -> None:
    """Run on a Sunday, the sweeps leave the reminders, closes and warnings for Monday 08:00
    (R14): the report said only zeros, as if nothing was due. It now says what waits and until
    when; in business hours it says nothing of it."""
    cli = demo.copy(tmp_path)
    sunday = cli("jobs", "run-once", "--now", "2026-11-29T15:00:00-03:00").stdout
    assert sunday.splitlines()[:2] == [
        "Rotinas executadas em 29/11/2026 15:00.",
        "Fora do horário de atendimento: lembretes de aprovação, encerramentos automáticos e "
        "avisos de prazo e de primeira resposta ficam para a próxima abertura, 30/11/2026 08:00."]
    english = cli("jobs", "run-once", "--now", "2026-11-29T15:00:00-03:00", LANGUAGE="en").stdout
    assert "wait for the next opening, 2026-11-30 08:00." in english
    monday = cli("jobs", "run-once", "--now", "2026-11-30T10:00:00-03:00").stdout
    assert "Fora do horário" not in monday
    assert monday.splitlines()[1].startswith("Lembretes de aprovação enviados: ")


def test_r21_jobs_run_once_in_the_future_asks_for_confirmar_first(
        demo: Cli, tmp_path: Path) -> None:
    """A --now in the future would really close tickets (closed ones cannot be reopened): the
    command refuses it without --confirmar and changes nothing; a past one needs none."""
    cli = demo.copy(tmp_path)
    later = BusinessCalendar().next_opening(datetime.now(UTC) + timedelta(days=16)).isoformat()
    refused = cli("jobs", "run-once", "--now", later, ok=False)
    assert_one_line_error(refused, "está no futuro", "--confirmar")
    assert refused.stdout == ""
    assert len(ticket_lines(cli("tickets", "list", "--tab", "encerrados").stdout)) == 1
    english = cli("jobs", "run-once", "--now", later, ok=False, LANGUAGE="en")
    assert "is in the future" in english.stderr
    assert "--yes" in english.stderr
    assert "--confirmar" not in english.stderr
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert "Tickets encerrados automaticamente: 0" in cli(
        "jobs", "run-once", "--now", earlier).stdout
    assert "Tickets encerrados automaticamente: 1" in cli(
        "jobs", "run-once", "--now", later, "--yes").stdout


def test_user_mistakes_print_one_line(demo: Cli, tmp_path: Path) -> None:
    """Duplicate e-mail, unknown company or ticket: one pt-BR line, exit 1, no traceback."""
    cli = demo.copy(tmp_path)
    duplicate = cli("user", "add", "--company", "Mercado Exemplo Ltda", "--name", "Outra Carla",
                    "--email", "CARLA@mercadoexemplo.com.br", ok=False)
    assert_one_line_error(duplicate, "carla@mercadoexemplo.com.br")
    unknown = cli("user", "add", "--company", "Empresa Que Não Existe", "--name", "Fulano",
                  "--email", "fulano@example.com", ok=False)
    assert_one_line_error(unknown, "Empresa Que Não Existe")
    assert_one_line_error(cli("company", "add", "Mercado Exemplo Ltda", ok=False))
    assert_one_line_error(cli("tickets", "show", "199901/0001", ok=False))
    assert_one_line_error(cli("user", "train", "ninguem@example.com", ok=False))
    assert_one_line_error(cli("jobs", "run-once", "--now", "ontem", ok=False), "ontem")


def test_r1_tickets_show_finds_a_ticket_by_the_end_of_its_number(demo: Cli) -> None:
    """An admin types the end of the number as people say it ("0004", "4", "#4"): the recent
    ticket ending so is shown; a number nobody has is said so (an admin sees every ticket)."""
    number = ticket_lines(demo("tickets", "list").stdout)[0].split()[0]
    end = number.split("/")[1]
    for typed in (end, str(int(end)), f"#{int(end)}"):
        assert demo("tickets", "show", typed).stdout.startswith(f"Ticket {number}"), typed
    missing = demo("tickets", "show", "9999", ok=False)
    assert_one_line_error(missing, "/9999")
    assert "entre os que você pode ver" not in missing.stderr
    whole = demo("tickets", "show", "199901/0001", ok=False)
    assert_one_line_error(whole, "Nenhum ticket tem o número 199901/0001")


def test_company_add_names_the_existing_company_as_it_is_registered(demo: Cli,
                                                                    tmp_path: Path) -> None:
    """A company typed again in other case is refused naming the one registered."""
    cli = demo.copy(tmp_path)
    assert_one_line_error(cli("company", "add", "mercado EXEMPLO ltda", ok=False),
                          "Já existe a empresa Mercado Exemplo Ltda.")


def test_r2_register_train_and_invite(tmp_path: Path,
                                      _sqlite_databases: Any) -> None:  # noqa: PT019
    """A new company and user; training; an invite code with the Telegram /start form."""
    _sqlite_databases.create(tmp_path / "fresh.db")  # empty: `company list` reads it
    cli = Cli(tmp_path, tmp_path / "fresh.db")
    assert "Nenhuma empresa" in cli("company", "list").stdout
    cli("company", "add", "Padaria Central")
    added = cli("user", "add", "--company", "Padaria Central", "--name", "Rosa Lima",
                "--email", "rosa@padaria.com.br", "--phone", "(11) 98765-4321").stdout
    assert "Rosa Lima" in added
    assert "helpdesk user train rosa@padaria.com.br" in added
    # R2: it said 'Rosa Lima agora está treinado', the masculine whoever was trained
    assert cli("user", "train", "rosa@padaria.com.br").stdout.strip() == \
        "Treinamento registrado para Rosa Lima <rosa@padaria.com.br>."
    # R2: trained again, it said 'agora está treinado' once more, as if it had changed
    assert cli("user", "train", "rosa@padaria.com.br").stdout.strip() == \
        "O treinamento de Rosa Lima <rosa@padaria.com.br> já estava registrado. Nada mudou."
    invite = cli("user", "invite", "rosa@padaria.com.br").stdout
    code = invite.split("/start ")[1].split()[0]
    assert len(code) >= 8
    assert code in invite.splitlines()[0]
    # The same code links a Slack account, typed alone in the bot's DM (a "/start" there would
    # be taken by Slack as an unknown slash command): the README says so, the output did not.
    assert f"No Slack, envie só o código numa mensagem direta ao bot: {code}" in invite
    users = cli("user", "list").stdout
    assert "rosa@padaria.com.br" in users
    assert "Padaria Central" in users
    # The start of the name is enough, as in `tickets --company` (it had to be exact).
    cli("user", "add", "--company", "padaria", "--name", "Caio Lima",
        "--email", "caio@padaria.com.br")
    [caio] = [line for line in cli("user", "list").stdout.splitlines() if "caio@" in line]
    assert "Padaria Central" in caio


def test_an_agent_registered_with_a_language_reads_it_from_the_start(tmp_path: Path) -> None:
    """`user add --language en`: an agent who reads English gets Slack's forms, refusals and
    DMs in English before ever opening her profile; a language with no catalog is refused."""
    cli = Cli(tmp_path, tmp_path / "lang.db")
    cli("user", "add", "--role", "agent", "--name", "Ana Atendente", "--email",
        "ana@suporte.com.br", "--slack-id", "UANA", "--language", "en")
    # the same command in this process: the process is Ana's add's and Zoe's refusal's
    cli.setup("user", "add", "--role", "agent", "--name", "Bia Suporte", "--email",
              "bia@suporte.com.br", "--language", "Português")  # by its name
    cli.setup("user", "add", "--role", "agent", "--name", "Bruno Suporte", "--email",
              "bruno@suporte.com.br")
    refused = cli("user", "add", "--role", "agent", "--name", "Zoe", "--email",
                  "zoe@suporte.com.br", "--language", "fr", ok=False)
    assert refused.returncode == 2, refused.stderr  # click's usage error, naming the value
    assert "'fr'" in refused.stderr
    store = SqlStore(f"sqlite:///{cli.db}")
    with store() as uow:
        languages = {u.email: u.language for u in uow.users.staff()}
    store.dispose()
    assert languages == {"ana@suporte.com.br": "en", "bia@suporte.com.br": "pt_BR",
                         "bruno@suporte.com.br": None}
    assert [x.value for x in Language] == list(LANGUAGES)  # every catalog, and only them


@pytest.mark.parametrize(("desk", "said", "again", "column"), [
    ("pt_BR", "Caio Cliente <caio@padaria.com.br> agora lê em English.",
     "Caio Cliente <caio@padaria.com.br> já lia em English. Nada mudou.", "Idioma"),
    ("en", "Caio Cliente <caio@padaria.com.br> now reads English.",
     "Caio Cliente <caio@padaria.com.br> already read English. Nothing changed.", "Language"),
])
def test_an_existing_users_language_is_changed_and_listed(
        tmp_path: Path, desk: str, said: str, again: str, column: str) -> None:
    """`user language EMAIL en`: someone registered without a language (so reading the desk's)
    reads English from then on; `user list` shows each one's (blank: LANGUAGE's). There was no
    way to change it but the person's own `perfil`."""
    cli = Cli(tmp_path, tmp_path / "lang.db")
    cli.setup("company", "add", "Padaria Central")
    cli.setup("user", "add", "--company", "Padaria", "--name", "Caio Cliente", "--email",
              "caio@padaria.com.br", "--trained")
    cli.setup("user", "add", "--role", "agent", "--name", "Ana Atendente", "--email",
              "ana@suporte.com.br", "--language", "pt_BR")
    greeting = cli("chat", "--email", "caio@padaria.com.br", input="sair\n").stdout
    assert "Olá, Caio!" in greeting
    changed = cli("user", "language", "caio@padaria.com.br", "en", LANGUAGE=desk)
    assert changed.stdout.strip() == said
    # by its name, in the desk's language: the same language
    same = cli("user", "language", "caio@padaria.com.br",
               "inglês" if desk == "pt_BR" else "English", LANGUAGE=desk)
    assert same.stdout.strip() == again
    greeting = cli("chat", "--email", "caio@padaria.com.br", input="sair\n").stdout
    assert "Hello, Caio!" in greeting
    listed = cli("user", "list", LANGUAGE=desk).stdout.splitlines()
    header = listed[0].split()
    assert column in header
    where = listed[0].index(column)
    rows = {next(w for w in line.split() if "@" in w): line[where:].split()[0]
            for line in listed[2:] if len(line) > where and line[where] != " "}
    assert rows == {"caio@padaria.com.br": "en", "ana@suporte.com.br": "pt_BR"}
    no_one = cli("user", "language", "zoe@padaria.com.br", "en", ok=False)
    assert_one_line_error(no_one, "zoe@padaria.com.br")
    assert cli("user", "language", "caio@padaria.com.br", "fr", ok=False).returncode == 2


def test_r3_catalog_show_and_load(tmp_path: Path) -> None:
    """The catalog prints as a tree, loads from YAML, and a broken file is one error line."""
    cli = Cli(tmp_path, tmp_path / "cat.db")
    assert "(NF-e)" in cli("catalog", "show").stdout
    good = tmp_path / "catalog.yaml"
    good.write_text(
        "tipos:\n  - id: erp\n    label: ERP\n    itens:\n      - id: suporte\n"
        "        label: Suporte\n        servicos:\n          - {id: vendas, label: Vendas}\n",
        encoding="utf-8")
    assert "1 tipo, 1 item, 1 serviço." in cli("catalog", "load", str(good)).stdout
    assert cli("catalog", "show").stdout.splitlines()[0] == "ERP [erp]"
    bad = tmp_path / "bad.yaml"
    bad.write_text("tipos:\n  - id: Com Espaço\n    label: X\n    itens: []\n", encoding="utf-8")
    assert_one_line_error(cli("catalog", "load", str(bad), ok=False), "catálogo inválido")
    assert_one_line_error(cli("catalog", "load", str(tmp_path / "missing.yaml"), ok=False))
    crowded = tmp_path / "crowded.yaml"  # 41 buttons under one question: Telegram refuses
    crowded.write_text(
        "tipos:\n  - id: erp\n    label: ERP\n    itens:\n      - id: suporte\n"
        "        label: Suporte\n        servicos:\n"
        + "".join(f"          - {{id: m{i}, label: Módulo {i}}}\n" for i in range(41)),
        encoding="utf-8")
    refused = cli("catalog", "load", str(crowded), ok=False)
    assert_one_line_error(refused, "catálogo inválido em erp.suporte.servicos: 41 opções")
    assert cli("catalog", "show").stdout.splitlines()[0] == "ERP [erp]"  # the loaded one stays


def test_bad_setting_is_one_line(tmp_path: Path) -> None:
    """A wrong environment variable names itself and exits 2."""
    result = Cli(tmp_path, tmp_path / "x.db")("company", "list", ok=False, LANGUAGE="fr")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("erro: configuração inválida: LANGUAGE")
    assert "Traceback" not in result.stderr


def test_help_lists_every_command(tmp_path: Path) -> None:
    """`helpdesk --help` shows the command groups, each with its help text."""
    out = Cli(tmp_path, tmp_path / "h.db")("--help").stdout
    for name in ("db", "company", "user", "catalog", "tickets", "jobs", "demo"):
        assert name in out
    assert not (tmp_path / "h.db").exists()


def test_rows_stored_with_escape_sequences_cannot_drive_the_terminal(demo: Cli,
                                                                       tmp_path: Path) -> None:
    """A ticket saved before control characters were refused prints as plain text."""
    import sqlite3

    cli = demo.copy(tmp_path)
    with sqlite3.connect(cli.db) as conn:
        number = conn.execute("SELECT number FROM tickets ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("UPDATE tickets SET assunto = ? WHERE number = ?",
                     ("Caixa \x1b[2J\x1b]0;owned\x07trava", number))
    for shown in (cli("tickets", "show", number).stdout, cli("tickets", "list").stdout):
        assert "Caixa trava" in shown
        assert "\x1b" not in shown
        assert "\x07" not in shown


def test_the_demo_day_is_a_business_day_in_working_hours(demo: Cli) -> None:
    """The demo reads like a support team's day: opened on a weekday between 08:00 and 18:00
    (São Paulo), never in the future."""
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo("America/Sao_Paulo")).replace(tzinfo=None)
    for row in ticket_lines(demo("tickets", "list").stdout):
        opened = datetime.strptime(" ".join(row.split()[1:3]), "%d/%m/%Y %H:%M")
        assert opened.weekday() < 5, row
        assert 8 <= opened.hour < 18, row
        assert opened <= now, row


def test_the_demo_runs_on_a_machine_without_the_systems_time_zones(tmp_path: Path) -> None:
    """Slim containers ship no /usr/share/zoneinfo: São Paulo's rules come with the package,
    where `helpdesk demo` stopped with ZoneInfoNotFoundError."""
    empty = tmp_path / "no-zoneinfo"
    empty.mkdir()
    result = Cli(tmp_path, tmp_path / "tz.db")("demo", PYTHONTZPATH=str(empty))
    assert "Tickets criados:" in result.stdout


def test_r2_an_agent_who_leaves_is_deactivated_and_her_tickets_go_back_to_the_queue(
        demo: Cli, tmp_path: Path) -> None:
    """`user deactivate` (there was no command: only the database could do it): Ana's open
    tickets lose their responsible with a line in the thread; her closed one keeps her."""
    cli = demo.copy(tmp_path)
    cli.setup("user", "invite", "ana@suporte.exemplo.com.br")
    out = cli("user", "deactivate", "ana@suporte.exemplo.com.br",
              "--motivo", "Saiu da equipe em dezembro").stdout
    assert "Conta desativada: Ana Ribeiro <ana@suporte.exemplo.com.br>" in out
    returned = [line for line in out.splitlines() if "devolvidos à fila" in line]
    assert len(returned) == 1, out
    assert "(3)" in returned[0]
    assert "Convites pendentes revogados: 1" in out
    assert "helpdesk user reactivate ana@suporte.exemplo.com.br" in out
    rows = ticket_lines(cli("tickets", "list").stdout)
    assert [r for r in rows if "Ana Ribeiro" in r] == [
        r for r in rows if "Encerrado" in r]  # only the closed one still names her
    assert len(ticket_lines(cli("tickets", "list", "--tab", "novos").stdout)) == 4
    number = returned[0].split(": ", 1)[1].split(", ")[0]
    shown = cli("tickets", "show", number).stdout
    assert "Ana Ribeiro não está mais na equipe de suporte" in shown
    again = cli("user", "deactivate", "ANA@suporte.exemplo.com.br").stdout
    assert "já estava desativada" in again
    assert "Saiu da equipe em dezembro" in again


def test_r2_user_list_shows_who_is_active_and_filters_the_deactivated(demo: Cli,
                                                                      tmp_path: Path) -> None:
    cli = demo.copy(tmp_path)
    cli.setup("user", "deactivate", "pedro@mercadoexemplo.com.br", "--motivo", "Saiu da empresa")
    listing = cli("user", "list").stdout
    assert "Ativo" in listing.splitlines()[0]
    [pedro] = [line for line in listing.splitlines() if "pedro@" in line]
    [carla] = [line for line in listing.splitlines() if "carla@" in line]
    assert pedro.rstrip().endswith("não")
    assert carla.rstrip().endswith("sim")
    gone = cli("user", "list", "--inativos").stdout
    assert "pedro@mercadoexemplo.com.br" in gone
    assert "Saiu da empresa" in gone
    assert "carla@" not in gone
    assert "Motivo" in gone.splitlines()[0]
    back = cli("user", "reactivate", "pedro@mercadoexemplo.com.br").stdout
    assert "Conta reativada: Pedro Alves" in back
    assert "já estava ativa" in cli("user", "reactivate", "pedro@mercadoexemplo.com.br").stdout
    assert "Nenhum usuário desativado" in cli("user", "list", "--inativos").stdout


def test_r2_the_last_coordinator_and_an_unknown_e_mail_are_refused_in_one_line(
        demo: Cli, tmp_path: Path) -> None:
    cli = demo.copy(tmp_path)
    assert_one_line_error(cli("user", "deactivate", "marcos@suporte.exemplo.com.br", ok=False),
                          "Marcos Lima", "único coordenador")
    assert_one_line_error(cli("user", "deactivate", "ninguem@example.com", ok=False),
                          "ninguem@example.com")
    assert_one_line_error(cli("user", "reactivate", "ninguem@example.com", ok=False),
                          "ninguem@example.com")
    [marcos] = [line for line in cli("user", "list").stdout.splitlines() if "marcos@" in line]
    assert marcos.rstrip().endswith("sim")


@pytest.mark.parametrize(("command", "name"), [
    ("company add", "NOME"), ("user invite", "EMAIL"), ("user train", "EMAIL"),
    ("user deactivate", "EMAIL"), ("user reactivate", "EMAIL"), ("catalog load", "ARQUIVO"),
    ("tickets show", "NÚMERO"), ("outbox retry", "ID"), ("kb add", "ARQUIVO.md"),
    ("kb import", "PASTA"), ("kb remove", "SLUG"), ("kb search", "PALAVRAS")])
def test_every_argument_is_named_and_explained_in_portuguese(tmp_path: Path, command: str,
                                                               name: str) -> None:
    """Arguments read like the options (NOME, EMAIL, ARQUIVO…), each with its help; they
    showed the code's names ({name}, {email}, [message_id]) and `kb remove` no help at all."""
    out = Cli(tmp_path, tmp_path / "h.db")(*command.split(), "--help").stdout
    assert out.splitlines()[0].endswith(("{" + name + "}", "[" + name + "]", "{" + name + "}...")
                                        ), out
    (line,) = [x for x in out.split("Argumentos:")[1].splitlines() if x.strip()][:1]
    assert line.split()[0] == name, out
    rest = line.split(None, 1)[1]  # after the name, a choice's values (`<pt_BR|en>`) if any
    explained = (rest.split(">", 1)[1] if rest.startswith("<") else rest)
    explained = explained.replace("[obrigatório]", "").strip()
    assert len(explained) > 5, out


def test_tickets_show_help_gives_this_months_number_as_example(tmp_path: Path) -> None:
    """`helpdesk tickets show --help` said 'p.ex. 202611/0001' in every month; the help is
    built when it runs, so the example is this month's number in the support timezone."""
    from datetime import UTC, datetime

    from core.models import example_number

    out = Cli(tmp_path, tmp_path / "h.db")("tickets", "show", "--help").stdout
    assert example_number(datetime.now(UTC), "America/Sao_Paulo") in out, out


def test_help_lists_the_commands_a_newcomer_runs_first(tmp_path: Path) -> None:
    """`helpdesk --help` listed bench first and the service among the rest (typer puts single
    commands before groups, each in module order): now run, chat and demo, then the
    administration as the README's CLI table has it, bench last; and it says the command runs
    the service and the terminal chat, not only administration."""
    out = Cli(tmp_path, tmp_path / "h.db")("--help").stdout
    listed = [line.split()[0] for line in out.split("Comandos:")[1].splitlines() if line.strip()]
    assert listed == ["run", "chat", "demo", "db", "company", "user", "catalog", "tickets",
                      "jobs", "outbox", "kb", "bench"]
    assert "Helpdesk por chat: o serviço, o chat no terminal, administração" in out


def test_r11_without_smtp_the_chat_sends_the_customer_to_support_and_user_email_changes_it(
        tmp_path: Path) -> None:
    """`helpdesk chat` on a fresh SQLite with no SMTP_URL: a new e-mail cannot be confirmed by
    a code mailed to it, so the chat keeps the old one and says to ask support; `helpdesk user
    email` is support's direct change, and the old address is told (through the outbox)."""
    cli = Cli(tmp_path, tmp_path / "email.db")
    cli.setup("company", "add", "Padaria Central")
    cli.setup("user", "add", "--company", "Padaria", "--name", "Caio Cliente", "--email",
              "caio@padaria.com.br", "--trained")
    said = cli("chat", "--email", "caio@padaria.com.br",
               input="perfil\nAlterar e-mail\ncaio.novo@padaria.com.br\nsair\n").stdout
    assert " ".join(t("error.email_unconfirmable", email="caio.novo@padaria.com.br").split()) \
        in " ".join(said.split())
    changed = cli("user", "email", "caio@padaria.com.br", "Caio.Novo@padaria.com.br")
    assert changed.stdout.strip() == t("cli.user.email_set", name="Caio Cliente",
                                       old="caio@padaria.com.br",
                                       email="caio.novo@padaria.com.br")
    same = cli("user", "email", "caio.novo@padaria.com.br", "caio.novo@padaria.com.br")
    assert same.stdout.strip() == t("cli.user.email_same", name="Caio Cliente",
                                    email="caio.novo@padaria.com.br")
    store = SqlStore(f"sqlite:///{cli.db}")
    with store() as uow:
        emails = [u.email for u in uow.users.list()]
        told = [(m.target, m.params["new"]) for m in uow.outbox.all()
                if m.kind == "profile.email_changed"]
    store.dispose()
    assert emails == ["caio.novo@padaria.com.br"]
    assert told == [("caio@padaria.com.br", "caio.novo@padaria.com.br")]
