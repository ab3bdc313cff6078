"""`helpdesk demo` then `helpdesk chat --email …`: a newcomer opens a ticket and sees it listed."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bots.settings import Settings
from core.i18n import t

ROOT = Path(__file__).resolve().parents[2]
CARLA = "carla@mercadoexemplo.com.br"


def helpdesk(workdir: Path, *args: str, stdin: str | None = None, ok: bool = True
             ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(DATABASE_URL=f"sqlite:///{workdir / 'helpdesk.db'}", PYTHONPATH=str(ROOT),
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    result = subprocess.run([sys.executable, "-m", "bots.cli", *args], cwd=workdir, env=env,
                            input=stdin, capture_output=True, text=True, timeout=120,
                            check=False)
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def demo(demo_dir: Path, workdir: Path) -> None:
    """Where `helpdesk demo` ran, in workdir: a copy of the one run of this worker (demo_dir)."""
    shutil.copytree(demo_dir, workdir, dirs_exist_ok=True)


def test_demo_then_chat_opens_a_ticket_and_lists_it(tmp_path, demo_dir):
    demo(demo_dir, tmp_path)
    screenshot = tmp_path / "tela.png"
    screenshot.write_bytes(b"\x89PNG fake screenshot")
    lines = ["novo", "suporte", "1", "1", "Erro ao confirmar pedido de venda",
             "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma",
             f"@{screenshot}", "1", "1", "1", "tickets", "exportar", "sair"]
    out = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="\n".join(lines) + "\n").stdout
    assert "Olá, Carla!" in out
    assert "Recebi: tela.png." in out
    registered = re.search(r"Ticket (\d{6}/\d{4}) registrado: Erro ao confirmar pedido de venda",
                           out)
    assert registered, out
    number = registered.group(1)
    listing = out[out.index("Tickets — seus tickets"):]
    assert f"{number} · Novo · Erro ao confirmar pedido de venda" in listing
    assert "Exportei" in out
    [csv_file] = list(tmp_path.glob("tickets-*.csv"))
    assert number in csv_file.read_text(encoding="utf-8-sig")
    digest = hashlib.sha256(screenshot.read_bytes()).hexdigest()
    assert (tmp_path / "files" / digest[:2] / digest).read_bytes() == screenshot.read_bytes()
    assert "Traceback" not in out
    # The ticket is really there for the support team too.
    assert number in helpdesk(tmp_path, "tickets", "list").stdout


def test_untrained_demo_user_is_told_why_and_the_chat_survives_eof(tmp_path, demo_dir):
    demo(demo_dir, tmp_path)
    out = helpdesk(tmp_path, "chat", "--email", "pedro@mercadoexemplo.com.br",
                   stdin="novo\n9\n").stdout
    assert "treinamento" in out
    assert "Não há opção 9: digite um número de 1 a" in out  # a number not offered, said so
    assert out.rstrip().endswith("Até logo!")


def test_r9_kb_articles_managed_by_the_cli_are_found_in_the_chat(tmp_path, demo_dir):
    demo(demo_dir, tmp_path)
    folder = tmp_path / "artigos"
    folder.mkdir()
    (folder / "Gerar SPED.md").write_text(
        "---\ntitle: Gerar o SPED Fiscal\ntags: [sped, fiscal]\n---\n"
        "Menu Fiscal > SPED > Gerar arquivo.\n", encoding="utf-8")
    assert "Artigos importados: 1" in helpdesk(tmp_path, "kb", "import", str(folder)).stdout
    listed = helpdesk(tmp_path, "kb", "list").stdout
    assert "gerar-sped" in listed
    assert "nfe-rejeicao" in listed  # the packaged articles stay
    out = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="kb sped fiscal\n1\nsair\n").stdout
    assert "Menu Fiscal > SPED > Gerar arquivo." in out
    helpdesk(tmp_path, "kb", "remove", "gerar-sped")
    assert "gerar-sped" not in helpdesk(tmp_path, "kb", "list").stdout


def test_the_terminal_speaks_the_language_the_user_just_chose(tmp_path, demo_dir):
    demo(demo_dir, tmp_path)
    out = helpdesk(tmp_path, "chat", "--email", CARLA,
                   stdin="perfil\nidioma\nEnglish\nsair\n").stdout
    assert "Language updated." in out
    assert out.rstrip().endswith("Goodbye!"), out[-200:]


def test_lines_starting_with_at_are_files_when_they_name_one_and_text_otherwise(tmp_path, demo_dir):
    demo(demo_dir, tmp_path)
    spaced = tmp_path / "arq com espaço.txt"
    spaced.write_text("log do caixa\n", encoding="utf-8")
    empty = tmp_path / "vazio.log"
    empty.write_bytes(b"")  # kept as an attachment before: nothing in it for the team
    lines = ["@" + "a" * 300, "@/nao/existe.png", f"@{empty}", f"@{spaced}", "3",
             "@Ana Ribeiro, obrigada pelo retorno", "sair"]
    out = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="\n".join(lines) + "\n").stdout
    assert "Traceback" not in out
    assert "Arquivo não encontrado: /nao/existe.png. Um caminho com espaços vai entre aspas" in out
    assert "O arquivo vazio.log está vazio (0 bytes), então não o guardei." in out
    assert "Recebi 1 arquivo: arq com espaço.txt" in out
    assert "“@Ana Ribeiro, obrigada pelo retorno”" in out
    assert out.rstrip().endswith("Até logo!")


def test_r19_words_with_two_tickets_awaiting_ask_which_then_go_to_the_chosen_one(tmp_path,
                                                                                 demo_dir):
    from datetime import UTC, datetime

    from core.ports import TicketQuery
    from core.services import billing, closing
    from core.services.context import Ctx
    from storage.sql import SqlStore

    demo(demo_dir, tmp_path)  # João has one ticket awaiting approval; Ana answers a second
    store = SqlStore(f"sqlite:///{tmp_path / 'helpdesk.db'}")
    with store() as uow:
        ctx = Ctx(uow, datetime.now(UTC))
        by_assunto = {t.assunto: t for t in uow.tickets.list(TicketQuery(limit=50))}
        second = by_assunto["Módulo Contratos - campos ocultos"]
        first = by_assunto["Saldo de estoque divergente após inventário"]
        ana = second.assignee_id or 0
        billing.classify_origin(ctx, ana, second.id or 0, "erro_sistema")
        closing.request_approval(ctx, ana, second.id or 0, "Campos restaurados na tela.")
        uow.commit()
    store.dispose()
    said = "não resolveu, o saldo continua negativo"
    out = helpdesk(tmp_path, "chat", "--email", "joao@mercadoexemplo.com.br",
                   stdin=f"{said}\n1\n1\nsair\n").stdout
    assert f"A qual deles se refere “{said}”?" in out
    assert f"{first.number} — Saldo de estoque divergente após inventário" in out
    assert f"o ticket {first.number} voltou para atendimento com o seu motivo." in out
    assert "Traceback" not in out
    shown = helpdesk(tmp_path, "tickets", "show", first.number).stdout
    assert "Em atendimento" in shown
    assert said in shown
    assert "Aguardando aprovação" in helpdesk(tmp_path, "tickets", "show", second.number).stdout


def test_r19_r22_the_whole_cycle_in_two_terminals_without_slack(tmp_path, demo_dir):
    """Carla opens a ticket; Ana, in her own terminal, takes it and sends the solution with its
    origin; Carla approves it and rates the service."""
    demo(demo_dir, tmp_path)
    lines = ["novo", "suporte", "1", "1", "Pedido de venda não confirma",
             "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma", "1", "1", "1", "sair"]
    out = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="\n".join(lines) + "\n").stdout
    number = re.search(r"Ticket (\d{6}/\d{4}) registrado", out).group(1)  # type: ignore[union-attr]
    ana = ["oi", f"ticket {number}", "Assumir", "Enviar solução",
           "Corrigido no pacote 2026.11.3: reinstale e confirme o pedido.", "erro de sistema",
           "sair"]
    out = helpdesk(tmp_path, "chat", "--email", "ana@suporte.exemplo.com.br",
                   stdin="\n".join(ana) + "\n").stdout
    assert f"Você assumiu o ticket {number}" in out
    assert "(coberto) — sugerida" in out  # the contract table, the suggestion first
    assert f"Solução enviada: o ticket {number} aguarda a aprovação do cliente." in out
    out = helpdesk(tmp_path, "chat", "--email", CARLA,
                   stdin="funcionou, obrigada!\nsim\nótimo\nsair\n").stdout
    assert f"Ticket {number} aprovado e encerrado." in out
    assert "Obrigado pela avaliação!" in out
    assert "Traceback" not in out
    shown = helpdesk(tmp_path, "tickets", "show", number).stdout
    assert "Encerrado" in shown
    assert "Ótimo" in shown
    assert "Erro de sistema" in shown


def test_r15_an_agent_forwards_to_development_then_returns_with_the_package(tmp_path, demo_dir):
    """Ana, in the terminal, sends Carla's ticket to development and brings it back with the
    correction package, from the ticket's team actions."""
    demo(demo_dir, tmp_path)
    lines = ["novo", "suporte", "1", "1", "Pedido de venda não confirma",
             "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma", "1", "1", "1", "sair"]
    out = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="\n".join(lines) + "\n").stdout
    number = re.search(r"Ticket (\d{6}/\d{4}) registrado", out).group(1)  # type: ignore[union-attr]
    ana = ["oi", f"ticket {number}", "Ações da equipe", "Encaminhar ao desenvolvimento",
           "Falha na confirmação com o ICMS-ST", "Ações da equipe", "Retorno do desenvolvimento",
           "Pacote 2026.11.4", "sair"]
    out = helpdesk(tmp_path, "chat", "--email", "ana@suporte.exemplo.com.br",
                   stdin="\n".join(ana) + "\n").stdout
    assert f"Ticket {number} encaminhado ao desenvolvimento." in out
    assert f"Ticket {number} de volta em atendimento, com o pacote “Pacote 2026.11.4”." in out
    assert "Traceback" not in out
    shown = helpdesk(tmp_path, "tickets", "show", number).stdout
    assert "Em atendimento" in shown
    assert "Pacote 2026.11.4" in shown


def test_r8_a_subject_typed_at_the_listing_is_searched_then_offered_as_a_ticket(tmp_path, demo_dir):
    """"novo cadastro" typed at the listing showed the profile ("Seu cadastro: …")."""
    demo(demo_dir, tmp_path)
    out = helpdesk(tmp_path, "chat", "--email", CARLA,
                   stdin="meus tickets\nnovo cadastro\n1\nsair\n").stdout
    assert "Seu cadastro" not in out
    assert "Busca: novo cadastro" in out
    assert "1. Abrir ticket com essa busca" in out
    assert "Qual o item?" in out


def test_r12_urgente_without_a_reason_asks_which_reason_before_the_summary(tmp_path, demo_dir):
    """"urgente, preciso emitir nota" registered Crítico — área parada, a stop never told."""
    demo(demo_dir, tmp_path)
    lines = ["novo", "1", "1", "atual", "Nota do pedido 55",
             "Vendas / Pedidos: preciso emitir a nota do pedido 55", "concluir", "concluir",
             "urgente, preciso emitir nota"]
    out = helpdesk(tmp_path, "chat", "--email", CARLA, stdin="\n".join(lines) + "\n").stdout
    asked = out[out.rindex("> urgente, preciso emitir nota"):]
    assert asked.splitlines()[1] == t("conv.intake.ask_motivo", "pt_BR")
    assert "1. Empresa ou área parada" in asked
    assert "Confira o seu ticket" not in asked
