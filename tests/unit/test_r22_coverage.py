"""R22/R23: the contract coverage table of the manual §12 and the origin suggestion."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from core.catalog import default_catalog
from core.coverage import CoverageTable, Responsible, billable_if, default_coverage
from core.errors import InvalidInput

TABLE = default_coverage()
SUPORTE = "Sistemas de Varejo / Suporte TOTALL SISTEMAS / Estoque"


@pytest.mark.parametrize(
    "origin_id", ["erro_sistema", "legislacao", "instrucao", "novas_versoes", "relatorios_padrao"]
)
def test_r22_covered_origins_are_the_vendors(origin_id: str) -> None:
    origin = TABLE.origin(origin_id)
    assert origin.covered
    assert origin.responsible is Responsible.TOTALL
    assert not billable_if(origin)


@pytest.mark.parametrize(
    "origin_id",
    [
        "backup",
        "infraestrutura",
        "conceito",
        "configuracao",
        "nao_atendidas",
        "validar_info",
        "instalacao",
        "layout",
        "atualizacao",
    ],
)
def test_r22_r23_uncovered_origins_are_the_clients_and_billable(origin_id: str) -> None:
    origin = TABLE.origin(origin_id)
    assert not origin.covered
    assert origin.responsible is Responsible.CLIENTE
    assert billable_if(origin)
    assert origin.billable


def test_r22_table_has_the_manuals_fourteen_lines() -> None:
    assert len(TABLE.origins) == 14
    assert len(TABLE.covered()) == 5
    assert len(TABLE.not_covered()) == 9
    assert "SPED" in TABLE.origin("validar_info").description
    assert TABLE.origin("erro_sistema").label == "Erro de sistema"


def test_r22_unknown_origin_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        TABLE.origin("nada")
    assert caught.value.key == "error.unknown_choice"


@pytest.mark.parametrize(
    ("labels", "assunto", "descricao", "expected"),
    [
        (SUPORTE, "Backup não está rodando", "", "backup"),
        (SUPORTE, "Reinstalar o sistema", "Trocamos o computador do caixa", "instalacao"),
        (SUPORTE, "Instalação em máquina nova", "", "instalacao"),
        (SUPORTE, "Mudar o LAYOUT do boleto", "Incluir o logotipo", "layout"),
        (SUPORTE, "Etiquetas de gôndola", "Trocar o tamanho das etiquetas", "layout"),
        (SUPORTE, "Erro no validador do SPED", "O validador acusa registro C170", "validar_info"),
        (SUPORTE, "Balancete não fecha", "", "validar_info"),
        (SUPORTE, "Erro ao confirmar pedido de venda", "Nota fiscal 10125", "erro_sistema"),
        (SUPORTE, "Rejeição 539 na NF-e", "Duplicidade de NF-e", "erro_sistema"),
        (SUPORTE, "Tela de baixa NÃO FUNCIONA", "", "erro_sistema"),
        (SUPORTE, "Impressora fiscal sem comunicação", "Queda de energia ontem", "infraestrutura"),
        (SUPORTE, "Cadastrar nova filial", "Configurar a tributação", "configuracao"),
        (SUPORTE, "Treinamento para funcionário novo", "", "conceito"),
        (SUPORTE, "Onde fica o cadastro de vendedores?", "", "instrucao"),
        (SUPORTE, "Pedido de venda", "Quero saber uma coisa", "instrucao"),
        (SUPORTE, "Nova lei da reforma tributária", "IBS e CBS", "legislacao"),
        (SUPORTE, "Copiar os executáveis", "Processo de atualização do sistema", "atualizacao"),
    ],
)
def test_r22_suggestion_examples(labels: str, assunto: str, descricao: str, expected: str) -> None:
    assert TABLE.suggest(labels, assunto, descricao, is_implementation=False).id == expected


@pytest.mark.parametrize(
    ("labels", "assunto", "descricao", "expected"),
    [
        (SUPORTE, "Backup is not running", "", "backup"),
        (SUPORTE, "Reinstall the system", "We replaced the checkout's computer", "instalacao"),
        (SUPORTE, "Installation on a new machine", "", "instalacao"),
        (SUPORTE, "Change the invoice layout", "", "layout"),
        (SUPORTE, "Change the boleto LAYOUT", "Add the logo", "layout"),
        (SUPORTE, "Shelf labels", "Change the size of the labels", "layout"),
        (SUPORTE, "Error in the SPED validator", "The validator flags record C170", "validar_info"),
        (SUPORTE, "Trial balance does not close", "", "validar_info"),
        (SUPORTE, "Error when confirming a sales order", "Invoice 10125", "erro_sistema"),
        (SUPORTE, "Rejection 539 on the NF-e", "Duplicate NF-e", "erro_sistema"),
        (SUPORTE, "The write-off screen DOES NOT WORK", "", "erro_sistema"),
        (SUPORTE, "The system crashed", "It keeps freezing", "erro_sistema"),
        (SUPORTE, "Printer not working", "", "infraestrutura"),
        (SUPORTE, "The printer doesn't work", "", "infraestrutura"),
        (SUPORTE, "Fiscal printer not communicating", "Power outage yesterday",
         "infraestrutura"),
        (SUPORTE, "How do I register a new branch", "", "configuracao"),
        (SUPORTE, "Register a new branch", "Configure the taxation", "configuracao"),
        (SUPORTE, "Training for a new employee", "", "conceito"),
        (SUPORTE, "Step by step to close the month", "", "conceito"),
        (SUPORTE, "Where is the salesperson registration?", "", "instrucao"),
        (SUPORTE, "Is it possible to export the list?", "", "instrucao"),
        (SUPORTE, "Sales order", "I want to know something", "instrucao"),
        (SUPORTE, "New law of the tax reform", "IBS and CBS", "legislacao"),
        (SUPORTE, "Copy the executables", "System update process", "atualizacao"),
        (SUPORTE, "New version available?", "", "novas_versoes"),
        (SUPORTE, "I would like the system to have a new field", "", "nao_atendidas"),
    ],
)
def test_r22_english_suggestion_examples(labels: str, assunto: str, descricao: str,
                                         expected: str) -> None:
    """An English ticket got the default origin ("printer not working": Instrução): the table's
    keywords were Portuguese only; English ones say the same things."""
    assert TABLE.suggest(labels, assunto, descricao, is_implementation=False).id == expected


@pytest.mark.parametrize(("assunto", "expected"), [
    ("Impressora não funciona", "infraestrutura"),
    ("A impressora parou", "infraestrutura"),
    ("Printer not working", "infraestrutura"),
])
def test_r22_a_printer_that_does_not_work_is_hardware(assunto: str, expected: str) -> None:
    """A printer that does not work tied a software error ('não funciona') with hardware
    ('impressora') and the tie went to the error: the printer is the client's (§12)."""
    assert TABLE.suggest(SUPORTE, assunto, "", is_implementation=False).id == expected


RELATORIOS = "Sistemas de Varejo / Suporte TOTALL SISTEMAS / Relatórios"


@pytest.mark.parametrize(
    ("labels", "assunto", "descricao", "expected"),
    [
        (RELATORIOS, "Alterar o layout do relatório de vendas", "Incluir o logotipo da loja",
         "layout"),
        (SUPORTE, "Relatório de estoque personalizado",
         "Queremos um relatório novo com o giro por fornecedor", "nao_atendidas"),
        (RELATORIOS, "Relatório de vendas mudou depois da atualização",
         "O total por vendedor não bate mais", "relatorios_padrao"),
        (SUPORTE, "Relatório padrão de inventário sem a coluna de custo", "",
         "relatorios_padrao"),
    ],
)
def test_r22_a_report_is_a_covered_correction_only_if_standard_or_after_an_update(
        labels: str, assunto: str, descricao: str, expected: str) -> None:
    """§12 covers 'Correções em relatórios padrões (se originadas por atualização do
    software)': a report's layout or a new, personalized report is the client's (layout,
    needs not met natively), whatever service the ticket was filed under."""
    assert TABLE.suggest(labels, assunto, descricao, is_implementation=False).id == expected


def test_r22_implementation_item_suggests_unmet_needs() -> None:
    origin = TABLE.suggest(
        "Sistemas de Varejo / Solicitação de implementação / Vendas",
        "Erro: falta um campo",
        "",
        is_implementation=True,
    )
    assert origin.id == "nao_atendidas"
    assert billable_if(origin)


def test_r22_chosen_service_label_weighs_in() -> None:
    labels = "Sistemas de Varejo / Serviços (fora do contrato) / Backup de banco de dados"
    assert TABLE.suggest(labels, "Preciso de ajuda", "", is_implementation=False).id == "backup"


def test_r22_assunto_outweighs_the_description() -> None:
    origin = TABLE.suggest(SUPORTE, "Erro ao gravar", "Talvez seja o backup", False)
    assert origin.id == "erro_sistema"


def test_r22_keywords_match_whole_words_only() -> None:
    # "lei" must not match "leitura"; "rede" must not match "redesenhar".
    origin = TABLE.suggest(SUPORTE, "Leitura do código", "Redesenhar tela", False)
    assert origin.id == "instrucao"


def base_table() -> dict[str, Any]:
    return {
        "default_origin": "a",
        "implementation_origin": "a",
        "origins": [
            {
                "id": "a",
                "label": "A",
                "description": "A.",
                "responsible": "TOTALL",
                "covered": True,
            }
        ],
    }


def test_r22_table_validation() -> None:
    assert CoverageTable.model_validate(base_table()).origin("a").keywords == ()
    raw = base_table()
    raw["origins"].append(raw["origins"][0])
    with pytest.raises(ValidationError, match="duplicate origin id"):
        CoverageTable.model_validate(raw)
    raw = base_table()
    raw["default_origin"] = "b"
    with pytest.raises(ValidationError, match="default_origin"):
        CoverageTable.model_validate(raw)
    raw = base_table()
    raw["origins"][0]["responsible"] = "OUTRO"
    with pytest.raises(ValidationError):
        CoverageTable.model_validate(raw)
    raw = base_table()
    raw["origins"][0]["label"] = " "
    with pytest.raises(ValidationError):
        CoverageTable.model_validate(raw)


def test_r22_table_round_trips_through_json() -> None:
    dumped = TABLE.model_dump(mode="json")
    assert CoverageTable.model_validate(dumped) == TABLE


def test_r22_r23_every_out_of_contract_service_suggests_an_uncovered_origin() -> None:
    catalog = default_catalog()
    item = catalog.item("varejo", "servicos")
    for servico in item.servicos:
        labels = catalog.labels("varejo", item.id, servico.id)
        origin = TABLE.suggest(labels, "Preciso de ajuda", "", is_implementation=False)
        assert billable_if(origin), (servico.id, origin.id)


@pytest.mark.parametrize(
    ("labels", "assunto", "descricao", "expected"),
    [
        (SUPORTE, "Sistema lento", "Desde a atualização o sistema está lento", "erro_sistema"),
        (SUPORTE, "Caixa lento desde a atualização", "", "erro_sistema"),
        (SUPORTE, "Slow since the update", "The till takes a minute per sale", "erro_sistema"),
        (SUPORTE, "Relatório de vendas sem a margem desde a atualização", "",
         "relatorios_padrao"),
        (SUPORTE, "Sales report lost its totals after the update", "", "relatorios_padrao"),
        (SUPORTE, "Copiar os executáveis", "Processo de atualização do sistema", "atualizacao"),
    ],
)
def test_r22_an_update_with_no_report_named_is_a_system_error(
        labels: str, assunto: str, descricao: str, expected: str) -> None:
    """'desde a atualização' alone suggested 'Correção em relatório padrão', which §12 keeps
    for a standard report broken by an update: with no report named, a problem since an
    update is a regression (Erro de sistema, covered too); a report named with it is still
    the report's correction, and the update's process still the client's."""
    assert TABLE.suggest(labels, assunto, descricao, is_implementation=False).id == expected
