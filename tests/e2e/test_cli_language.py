"""The admin commands' failures follow LANGUAGE like the rest of the desk: an English desk read
'erro: informe o ID de uma mensagem ou --failed (um dos dois)'."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_cli import Cli, assert_one_line_error
from typer.main import get_command
from typer.testing import CliRunner

from bots.cli import build_app, register_commands
from bots.clikit import error_text, localize
from bots.commands.user import language_code
from core.errors import NotFound
from core.i18n import LANGUAGES, has, t

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(tmp_path: Path, _sqlite_databases: Any) -> Cli:
    """A Cli on a new, empty database (a reading command refuses a missing one)."""
    _sqlite_databases.create(tmp_path / "language.db")
    return Cli(tmp_path, tmp_path / "language.db")


def english(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    """One `error:` line, exit 1, with these words."""
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    for word in words:
        assert word in line


def test_a_command_s_own_failure_is_in_english_with_language_en(cli: Cli) -> None:
    english(cli("outbox", "retry", ok=False, LANGUAGE="en"),
            "error: give a message ID or --failed (one of the two)")
    english(cli("jobs", "run-once", "--now", "ontem", ok=False, LANGUAGE="en-US"),
            "error: invalid date: 'ontem' (use ISO-8601")
    english(cli("kb", "import", str(cli.workdir), ok=False, LANGUAGE="en_US:en"),
            f"error: no .md file in {cli.workdir}")
    english(cli("catalog", "load", str(cli.workdir / "missing.yaml"), ok=False, LANGUAGE="en"),
            "error: could not read", "missing.yaml")


def test_a_core_error_and_a_bad_setting_are_in_english_too(cli: Cli) -> None:
    english(cli("tickets", "show", "199901/0001", ok=False, LANGUAGE="en"),
            "error: No ticket has the number 199901/0001")
    bad = cli("company", "list", ok=False, LANGUAGE="en", HTTP_PORT="oitenta")
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("error: invalid setting: HTTP_PORT: ")


def test_portuguese_stays_the_default(cli: Cli) -> None:
    assert_one_line_error(cli("outbox", "retry", ok=False),
                          "erro: informe o ID de uma mensagem ou --failed (um dos dois)")
    bad = cli("company", "list", ok=False, LANGUAGE="fr")
    assert bad.stderr.strip().startswith("erro: configuração inválida: LANGUAGE")


def test_help_is_in_english_with_language_en(cli: Cli) -> None:
    """The help came from Portuguese docstrings whatever LANGUAGE said."""
    out = cli("--help", LANGUAGE="en").stdout
    assert "Chat help desk: the service, the terminal chat, administration, reports" in out
    assert "Client companies." in out
    assert "Empresas clientes." not in out
    added = cli("user", "add", "--help", LANGUAGE="en_US:en").stdout
    assert "--name NAME" in added
    assert "Full name." in added
    assert "Nome completo" not in added
    assert "--company COMPANY" in added
    assert "Helpdesk por chat" in cli("--help").stdout


@pytest.mark.parametrize(("command", "name"), [
    ("company add", "NAME"), ("user invite", "EMAIL"), ("catalog load", "FILE"),
    ("tickets show", "NUMBER"), ("outbox retry", "ID"), ("kb add", "FILE.md"),
    ("kb import", "FOLDER"), ("kb search", "WORDS")])
def test_every_argument_is_named_and_explained_in_english(command: str, name: str) -> None:
    result = CliRunner().invoke(build_app(), [*command.split(), "--help"], env={"LANGUAGE": "en"})
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.output.split("Arguments:")[1].splitlines() if x.strip()][:1]
    assert line.split()[0] == name, result.output
    assert "cli." not in result.output


PYTHON_TYPE = re.compile(r"<(?:str|int|float|path|file|list\[[^>]*\])>")


def helped(command, path: list[str]) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Every command line under `command` that has a help page."""
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += helped(sub, [*path, name])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_help_shows_a_python_type_after_a_name(language: str) -> None:
    """`NOME <str>`, `ARQUIVO <path>`, `PALAVRAS <list[str]>`: typer's type after a name told
    a reader of the help nothing but Python; a choice's values (`<pt_BR|en>`) still show."""
    seen = []
    for path in helped(get_command(build_app()), []):
        result = CliRunner().invoke(build_app(), [*path, "--help"], env={"LANGUAGE": language})
        assert result.exit_code == 0, result.output
        seen += [f"helpdesk {' '.join(path)}: {found}"
                 for found in PYTHON_TYPE.findall(result.output)]
    assert seen == []
    shown = CliRunner().invoke(build_app(), ["user", "language", "--help"],
                               env={"LANGUAGE": language}).output
    assert "<pt_BR|en>" in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_command_list_of_helpdesk_help_cuts_no_sentence(language: str) -> None:
    """`helpdesk --help` is what a newcomer reads first: 'Inicia o helpdesk: canais de chat,
    servidor HTTP, envio de...' (click cuts a long help) now reads whole."""
    out = CliRunner().invoke(build_app(), ["--help"], env={"LANGUAGE": language}).output
    lines = [x for x in out.split(t("cli.usage.commands", language))[1].splitlines()
             if x.strip()]
    assert [x for x in lines if x.endswith("...")] == []


def _command(path: list[str]) -> Any:
    """The command at `path` under helpdesk."""
    command = get_command(build_app())
    for name in path:
        command = command.commands[name]
    return command


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_group_s_help_cuts_a_command_s_summary(language: str) -> None:
    """`helpdesk user --help` listed 'add  Cadastra um usuário de uma ou mais empresas, ou da
    equipe...' (click cuts a first sentence too long for the list): every group's list, in
    both languages, at the usual 80 columns, reads whole."""
    groups = [p for p in helped(get_command(build_app()), [])
              if hasattr(_command(p), "commands")]
    assert ["user"] in groups
    assert ["tickets"] in groups
    cut: list[str] = []
    for path in groups:
        out = CliRunner().invoke(build_app(), [*path, "--help"],
                                 env={"LANGUAGE": language, "COLUMNS": "80"}).output
        heading = t("cli.usage.commands", language)  # Comandos: in Portuguese
        assert heading in out, (path, out)
        listed = [x for x in out.split(heading)[1].splitlines() if x.strip()]
        cut += [f"{' '.join(path)}: {x.strip()}" for x in listed if x.endswith("...")]
    assert cut == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_help_text_and_metavar_is_resolved(language: str) -> None:
    """A catalog key left in the code would show as `cli.help.…`."""
    def walk(command, path: str) -> None:  # type: ignore[no-untyped-def]
        texts = [command.help, command.short_help]
        texts += [getattr(p, "help", None) for p in command.params]
        texts += [p.metavar for p in command.params]
        assert not [x for x in texts if x and x.startswith("cli.")], path
        assert command.help, path
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    command = get_command(build_app())
    localize(command, language)  # type: ignore[arg-type]
    walk(command, "helpdesk")


def test_a_broken_command_module_is_told_in_the_language(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    """'aviso: comandos de … indisponíveis' was Portuguese whatever LANGUAGE said."""

    class Refusing:
        def command(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("no")

        add_typer = command

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("LANGUAGE", "en")
    failed = register_commands(Refusing())  # type: ignore[arg-type]
    assert "bots.commands.company" in failed
    lines = capsys.readouterr().err.splitlines()
    assert ("warning: the commands of bots.commands.company are unavailable (RuntimeError: no)"
            in lines)
    monkeypatch.delenv("LANGUAGE")
    register_commands(Refusing())  # type: ignore[arg-type]
    assert ("aviso: comandos de bots.commands.company indisponíveis (RuntimeError: no)"
            in capsys.readouterr().err.splitlines())


@pytest.fixture(scope="module")
def demo_en(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A database where `helpdesk demo` ran with LANGUAGE=en (read-only for this module)."""
    workdir = tmp_path_factory.mktemp("demo_en")
    cli = Cli(workdir, workdir / "helpdesk.db")
    out = cli.setup("demo", LANGUAGE="en")
    assert "Demo company: " in out
    assert "Tickets created: " in out
    assert "Log in as (in the terminal chat):" in out
    return cli


def test_the_demo_says_who_to_log_in_as_in_english(tmp_path: Path) -> None:
    """`helpdesk demo` with LANGUAGE=en listed the people as 'cliente treinada', 'cliente NÃO
    treinado: não pode abrir tickets (R2)', 'atendente', 'coordenador'."""
    out = Cli(tmp_path, tmp_path / "helpdesk.db")("demo", LANGUAGE="en").stdout
    people = [line.split("# ", 1)[1] for line in out.splitlines() if "--email" in line]
    assert people == ["Carla Souza, trained customer", "João Pereira, trained customer",
                      "Pedro Alves, customer NOT trained: cannot open tickets (R2)",
                      "Ana Ribeiro, agent", "Marcos Lima, coordinator"]
    pt = Cli(tmp_path, tmp_path / "helpdesk.db")("demo").stdout
    assert "# Pedro Alves, cliente NÃO treinado: não pode abrir tickets (R2)" in pt


def header(output: str) -> list[str]:
    """The words of a table's first line."""
    return output.splitlines()[0].split()


def test_tables_are_in_english_with_language_en(demo_en: Cli) -> None:
    """Headers, labels and counts were Portuguese whatever LANGUAGE said."""
    cli = demo_en
    assert header(cli("company", "list", LANGUAGE="en").stdout) == ["Id", "Company", "Users"]
    listing = cli("tickets", "list", LANGUAGE="en").stdout
    assert header(listing) == ["Ticket", "Opened", "From", "Subject", "Due", "Responsible",
                               "Status", "Justification"]
    assert "Rejected" in listing
    assert listing.rstrip().splitlines()[-1] == "8 of 8 tickets."
    billable = cli("tickets", "list", "--faturaveis", LANGUAGE="en").stdout
    assert header(billable)[-3:] == ["Origin", "Charge", "Quote"]
    assert "authorized" in billable
    users = cli("user", "list", LANGUAGE="en").stdout
    assert header(users) == ["Id", "Name", "E-mail", "Role", "Trained", "Companies", "Telegram",
                             "Slack", "Language", "Active"]
    [pedro] = [line for line in users.splitlines() if "pedro@" in line]
    assert pedro.split()[4:6] == ["customer", "no"]
    assert "No deactivated user." in cli("user", "list", "--inativos", LANGUAGE="en").stdout
    outbox = cli("outbox", "status", LANGUAGE="en").stdout
    assert outbox.startswith("Pending: ")
    assert "Channel  pending  sent  failed" in outbox
    assert "No article found." in cli("kb", "search", "xyzzy", LANGUAGE="en").stdout
    assert "(implementation" in cli("catalog", "show", LANGUAGE="en").stdout


def test_dates_follow_the_language(demo_en: Cli) -> None:
    """`tickets list` and a ticket's page said '04/12/2026 13:53' with LANGUAGE=en, which an
    English reader takes for April 12 (the chat says 2026-12-04 13:53 there)."""
    cli = demo_en
    english = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b")
    portuguese = re.compile(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b")
    listing = cli("tickets", "list", LANGUAGE="en").stdout
    assert english.search(listing), listing
    assert not portuguese.search(listing), listing
    number = listing.splitlines()[2].split()[0]
    page = cli("tickets", "show", number, LANGUAGE="en").stdout
    assert english.search(page), page
    assert not portuguese.search(page), page
    listing = cli("tickets", "list").stdout
    assert portuguese.search(listing), listing
    assert not english.search(listing), listing


def test_a_ticket_and_the_export_are_in_english_with_language_en(demo_en: Cli,
                                                                 tmp_path: Path) -> None:
    cli = demo_en
    number = cli("tickets", "list", "--faturaveis").stdout.splitlines()[2].split()[0]
    shown = cli("tickets", "show", number, LANGUAGE="en").stdout
    for line in ("Company: Mercado Exemplo Ltda", "Priority: ", "Billable: yes — charge ",
                 "Description:", "Trâmites (the thread):"):
        assert line in shown, shown
    assert "Empresa:" not in shown
    out = tmp_path / "tickets.csv"
    said = cli("tickets", "export", "--faturaveis", "--output", str(out), LANGUAGE="en").stdout
    assert said.strip() == f"1 ticket exported to {out}."
    [row] = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert ",yes,authorized," in row


PT_EXPORT_HEADER = ["numero", "abertura", "empresa", "solicitante", "tipo", "item", "servico",
                    "versao", "assunto", "prioridade", "status", "responsavel", "prazo_entrega",
                    "justificativa", "encerramento", "decisao", "avaliacao",
                    "comentario_avaliacao", "origem",
                    "faturavel", "cobranca", "orcamento", "valor_orcado"]


def test_the_export_s_column_names_follow_language(demo_en: Cli, tmp_path: Path) -> None:
    """The CSV's header was Portuguese whatever LANGUAGE said; pt-BR keeps its names."""
    cli = demo_en
    english, portuguese = tmp_path / "en.csv", tmp_path / "pt.csv"
    cli("tickets", "export", "--output", str(english), LANGUAGE="en")
    cli("tickets", "export", "--output", str(portuguese))
    en_lines = english.read_text(encoding="utf-8-sig").splitlines()
    assert en_lines[0].split(",") == [
        "number", "opened", "company", "requester", "type", "item", "service", "version",
        "subject", "priority", "status", "assignee", "due", "justification", "closed",
        "decision", "rating", "rating_comment", "origin", "billable", "charge", "quote",
        "quoted_amount"]
    pt_lines = portuguese.read_text(encoding="utf-8-sig").splitlines()
    assert pt_lines[0].split(";") == PT_EXPORT_HEADER
    assert len(en_lines) == len(pt_lines) == 9


def test_the_export_s_quoted_amount_is_written_as_the_language_writes_numbers(
        demo_en: Cli, tmp_path: Path) -> None:
    """quoted_amount said 2880,00 with LANGUAGE=en too (a text, not a number, to an English
    spreadsheet, or 288000); pt-BR keeps 2880,00."""
    cli = demo_en
    english, portuguese = tmp_path / "en.csv", tmp_path / "pt.csv"
    cli("tickets", "export", "--faturaveis", "--output", str(english), LANGUAGE="en")
    cli("tickets", "export", "--faturaveis", "--output", str(portuguese))
    en_amounts = [line.split(",")[-1] for line in
                  english.read_text(encoding="utf-8-sig").splitlines()[1:]]
    pt_amounts = [line.split(";")[-1] for line in
                  portuguese.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert "2880.00" in en_amounts
    assert "2880,00" in pt_amounts


def test_changes_are_told_in_english_with_language_en(cli: Cli, tmp_path: Path) -> None:
    """Every success line of the commands that change something: the first two in a process
    of their own, the rest in this one (fakes.process.in_process: the same commands, what they
    print; 15 processes took ~11 s of the suite)."""
    def en(*args: str) -> str:
        return cli.setup(*args, LANGUAGE="en")

    assert cli("db", "upgrade", LANGUAGE="en").stdout.strip() == "Database updated."
    assert cli("company", "add", "Padaria Pão Quente", LANGUAGE="en").stdout.strip() == \
        "Company registered: Padaria Pão Quente (id 1)"
    added = en("user", "add", "--name", "Rosa", "--email", "rosa@padaria.com.br",
               "--company", "padaria").splitlines()
    assert added == ["User registered: Rosa <rosa@padaria.com.br> (customer, id 1)",
                     "Not trained yet: they may open tickets after "
                     "`helpdesk user train rosa@padaria.com.br`."]
    assert en("user", "train", "rosa@padaria.com.br").strip() == \
        "Rosa <rosa@padaria.com.br> is now trained."
    assert en("user", "train", "rosa@padaria.com.br").strip() == \
        "Rosa <rosa@padaria.com.br> was already trained. Nothing changed."  # R2
    assert en("user", "train", "--undo", "rosa@padaria.com.br").strip() == \
        "Rosa <rosa@padaria.com.br> is now not trained."
    assert en("user", "train", "--undo", "rosa@padaria.com.br").strip() == \
        "Rosa <rosa@padaria.com.br> was already not trained. Nothing changed."
    en("user", "train", "rosa@padaria.com.br")
    assert en("user", "invite", "rosa@padaria.com.br").startswith("Invite code for Rosa: ")
    gone = en("user", "deactivate", "rosa@padaria.com.br", "--motivo", "saiu")
    assert "Account deactivated: Rosa <rosa@padaria.com.br> (customer)." in gone
    assert "Reason: saiu" in gone
    assert "Pending invites revoked: 1" in gone
    assert "Nothing was deleted" in gone
    assert "was already deactivated (since " in en("user", "deactivate", "rosa@padaria.com.br")
    back = en("user", "reactivate", "rosa@padaria.com.br")
    assert "Account reactivated: Rosa <rosa@padaria.com.br> (customer)." in back
    assert "No chat account linked" in back
    assert en("outbox", "retry", "--failed").strip() == "0 failed messages back in the queue."
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "nota.md").write_text("# Nota fiscal\n\nTexto.\n", encoding="utf-8")
    assert en("kb", "import", str(tmp_path / "docs")).strip() == "Articles imported: 1"
    assert en("kb", "remove", "nota").strip() == "Article removed: nota"
    assert en("jobs", "run-once").startswith("Sweeps run at ")


def test_every_cli_key_the_commands_name_exists() -> None:
    used: set[str] = set()
    for path in [ROOT / "bots" / "cli.py", ROOT / "bots" / "clikit.py",
                 *(ROOT / "bots" / "commands").glob("*.py")]:
        used |= set(re.findall(r'"(cli\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert used
    assert sorted(k for k in used if not has(k)) == []


def test_an_error_key_the_catalog_lacks_says_its_kind_in_the_language() -> None:
    """It fell back to a Portuguese table ('não encontrado') whatever the language."""
    assert error_text(NotFound("error.nao_existe"), "en") == t("error.not_found", "en")
    assert error_text(NotFound("error.nao_existe")) == t("error.not_found", "pt_BR")
    assert error_text(NotFound("error.user_not_found"), "en") == t("error.user_not_found", "en")


def test_a_sqlite_file_in_a_folder_that_does_not_exist_names_the_folder(tmp_path: Path) -> None:
    """DATABASE_URL=sqlite:////srv/helpdesk/helpdesk.db before /srv/helpdesk was made said only
    SQLite's English 'unable to open database file'."""
    missing = tmp_path / "srv" / "helpdesk"
    cli = Cli(tmp_path, missing / "helpdesk.db")
    assert_one_line_error(cli("company", "list", ok=False),
                          f"erro: a pasta do banco SQLite de DATABASE_URL não existe: {missing};")
    english(cli("outbox", "status", ok=False, LANGUAGE="en"),
            f"error: the folder of DATABASE_URL's SQLite database does not exist: {missing};")


def test_a_mistake_on_the_command_line_is_one_line_in_the_language(cli: Cli) -> None:
    """typer's click said it in English over three lines ('Usage: …', "Try '… --help' for
    help.", 'Error: No such option: --falhas (Possible options: --failed)') on a pt-BR desk,
    and its help said Usage, Options and 'Show this message and exit.'."""
    def refused(*args: str, **env: str) -> str:
        result = cli(*args, ok=False, **env)
        assert result.returncode == 2, result.stdout + result.stderr
        return result.stderr.strip()

    assert refused("outbox", "status", "--falhas") == (
        "erro: opção desconhecida: --falhas — quis dizer --failed? "
        "(veja `helpdesk outbox status --help`)")
    assert refused("outbox", "retry", "abc") == (
        "erro: valor inválido para 'ID': deve ser um número inteiro "
        "(veja `helpdesk outbox retry --help`)")
    assert refused("outbox", "nada") == (
        "erro: comando desconhecido: nada (veja `helpdesk outbox --help`)")
    assert refused("companies", "list") == (  # typer's suggestion was English
        "erro: comando desconhecido: companies — quis dizer company? (veja `helpdesk --help`)")
    assert refused("companies", "list", LANGUAGE="en") == (
        "error: no such command: companies — did you mean company? (see `helpdesk --help`)")
    assert refused("user", "language", "caio@padaria.com.br", "fr") == (
        "erro: valor inválido para 'IDIOMA': 'fr' não é um destes: 'pt_BR', 'en' "
        "(veja `helpdesk user language --help`)")
    assert refused("outbox", "status", "--falhas", LANGUAGE="en") == (
        "error: no such option: --falhas — did you mean --failed? "
        "(see `helpdesk outbox status --help`)")
    shown = cli("outbox", "--help").stdout
    assert shown.startswith("Uso: helpdesk outbox [OPÇÕES] COMANDO [ARGUMENTOS]...\n"), shown
    for heading in ("Opções:", "Comandos:", "Mostra esta ajuda e sai."):
        assert heading in shown, shown
    assert "Show this message" not in shown


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_a_number_out_of_its_range_is_said_in_the_language(cli: Cli, lang: str) -> None:
    """`--since-days 0` said pydantic's "Input should be greater than or equal to 1"."""
    for args, reason in ((("tickets", "export", "--since-days", "0"),
                          t("settings.error.greater_than_equal", lang, ge=1)),
                         (("tickets", "list", "--limit", "5000"),
                          t("settings.error.less_than_equal", lang, le=1000))):
        result = cli(*args, ok=False, LANGUAGE=lang)
        assert result.returncode == 2, result.stdout + result.stderr
        [line] = result.stderr.strip().splitlines()
        assert reason in line, line
        assert "Input should" not in line


@pytest.mark.parametrize(("typed", "code"), [
    ("en", "en"), ("pt_BR", "pt_BR"), ("english", "en"), ("English", "en"), ("inglês", "en"),
    ("Ingles", "en"), ("português", "pt_BR"), ("Portuguese", "pt_BR"), ("pt-BR", "pt_BR"),
    ("Português (Brasil)", "pt_BR"), ("pt", "pt_BR")])
def test_a_language_is_taken_by_its_name_in_either_language(typed: str, code: str) -> None:
    """`helpdesk user language carla@... english` was refused: only the code was taken."""
    assert language_code(typed) == code


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_with_no_catalog_is_refused_naming_the_choices(language: str) -> None:
    result = CliRunner().invoke(build_app(), ["user", "language", "carla@exemplo.com.br",
                                              "klingon"], env={"LANGUAGE": language})
    assert result.exit_code == 2, result.output
    assert "'klingon'" in result.output
    assert "'pt_BR', 'en'" in result.output



def help_in(path: list[str], language: str) -> str:
    """A command's --help as printed with this LANGUAGE."""
    return CliRunner().invoke(build_app(), [*path, "--help"], env={"LANGUAGE": language},
                              terminal_width=200).output


def test_r9_the_export_s_help_names_its_options_and_tabs_in_the_language() -> None:
    """`helpdesk tickets export --help` listed the tabs' Portuguese values and `--faturaveis`
    (and `--month, --mes`) in English, and `user add --help` the English roles in Portuguese
    (the README's `--billable` was refused). Each option and value now has a name in each
    language, and the help shows LANGUAGE's."""
    pt, en = help_in(["tickets", "export"], "pt_BR"), help_in(["tickets", "export"], "en")
    tabs_pt = "novos|em_estimativa|em_atendimento|aguardando_aprovacao|encerrados|rejeitados"
    tabs_en = "new|in_estimate|in_progress|awaiting_approval|closed|rejected|all"
    assert f"--tab <{tabs_pt}|todos>" in pt
    assert "[padrão: todos]" in pt
    assert f"--tab <{tabs_en}>" in en
    assert "[default: all]" in en
    assert "novos" not in en
    for name_pt, name_en in (("--faturaveis", "--billable"), ("--mes", "--month")):
        assert f"{name_pt} " in pt
        assert name_en not in pt
        assert f"{name_en} " in en
        assert name_pt not in en
    roles = "<cliente|atendente|coordenador>", "<customer|agent|coordinator>"
    assert f"--role {roles[0]}" in help_in(["user", "add"], "pt_BR")
    assert f"--role {roles[1]}" in help_in(["user", "add"], "en")
    for path, name_pt, name_en in ((["user", "list"], "--inativos", "--inactive"),
                                   (["user", "deactivate"], "--motivo", "--reason"),
                                   (["jobs", "run-once"], "--confirmar", "--yes")):
        assert name_pt in help_in(path, "pt_BR")
        assert name_en not in help_in(path, "pt_BR")
        assert name_en in help_in(path, "en")
        assert name_pt not in help_in(path, "en")


def test_r9_either_language_s_names_of_an_option_and_a_tab_are_taken(demo_en: Cli) -> None:
    """What the help of either language shows is taken whatever LANGUAGE says: `--billable`
    (the README's) and `--tab closed` list what `--faturaveis` and `--tab encerrados` do; a
    tab that is neither is refused in one line naming LANGUAGE's tabs."""
    cli = demo_en
    assert cli("tickets", "list", "--billable").stdout == \
        cli("tickets", "list", "--faturaveis").stdout
    closed = cli("tickets", "list", "--tab", "closed", LANGUAGE="en").stdout
    assert closed == cli("tickets", "list", "--tab", "encerrados", LANGUAGE="en").stdout
    assert "Closed" in closed
    refused = cli("tickets", "list", "--tab", "fechado", ok=False)
    assert refused.returncode == 2
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("erro: valor inválido para '--tab': 'fechado' não é um destes: ")
    assert "'encerrados'" in line
