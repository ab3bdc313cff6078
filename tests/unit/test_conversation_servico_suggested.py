"""R3: a ticket opened from a message already typed ("a nota fiscal 10125 foi rejeitada pela
SEFAZ") has the serviço that message points to said at the serviço's question, taken with a
yes; the customer still chooses any other. Every serviço was listed with nothing said."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation.intake_suggest import suggested
from core.i18n import t
from core.services.reference import default_catalog


@pytest.mark.parametrize(("descricao", "servico"), [
    ("a nota fiscal 10125 foi rejeitada pela SEFAZ com erro 539", "nfe"),
    ("O XML da NF-e não foi gerado", "nfe"),
    ("erro no pedido 10125 ao confirmar", "vendas"),
    ("o caixa da loja 2 travou", "pdv"),
    ("o boleto saiu com vencimento errado", "financeiro"),
    ("saldo de estoque divergente após inventário", "estoque"),
    ("Contratos > Reajuste: o valor da parcela fica zerado", "contratos"),
    ("o sistema está lento", None),  # points nowhere
    ("relatório de vendas por vendedor não abre", None),  # two alike: none said
])
def test_r3_the_servico_a_descricao_points_to(descricao, servico):
    item = default_catalog().item("varejo", "suporte")
    found = suggested(item, descricao)
    assert (found.id if found else None) == servico


def to_servico(world, typed):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    chat.click("Abrir ticket com essa mensagem")
    chat.click("Suporte")
    assert chat.state().step == "intake.servico"
    return chat


def test_r3_the_servico_suggested_is_said_and_taken_with_a_yes(world):
    chat = to_servico(world, "a nota fiscal 10125 foi rejeitada pela SEFAZ com erro 539")
    assert pt("conv.intake.servico_suggested", servico="Fiscal / NF-e") in chat.prompt.text
    assert len(chat.labels) > 10  # every serviço still offered
    chat.send("sim")
    assert chat.state().step == "intake.versao"
    assert chat.state().data["intake"]["draft"]["servico_id"] == "nfe"


def test_r3_another_servico_chosen_over_the_one_suggested(world):
    chat = to_servico(world, "a nota fiscal 10125 foi rejeitada pela SEFAZ com erro 539")
    chat.click("NFC-e")
    assert chat.state().data["intake"]["draft"]["servico_id"] == "nfce"


def test_r3_no_servico_said_when_the_message_points_nowhere_and_a_yes_chooses_none(world):
    chat = to_servico(world, "o sistema está muito lento desde ontem")
    assert "parece ser" not in chat.prompt.text
    chat.send("sim")
    assert chat.state().step == "intake.servico"
    assert chat.state().data["intake"]["draft"].get("servico_id") is None


@pytest.mark.parametrize(("itemid", "descricao", "servico"), [
    ("suporte", "the POS can't print receipts since the update", "pdv"),
    ("suporte", "the NF-e was rejected by SEFAZ", "nfe"),
    ("suporte", "the boleto has the wrong due date", "financeiro"),
    ("suporte", "the bank slip came out with the wrong due date", "financeiro"),
    ("suporte", "the till at store 2 froze", "pdv"),
    ("suporte", "the fiscal coupon was rejected", "nfce"),
    ("suporte", "the product's balance is wrong after the stocktake", "estoque"),
    ("suporte", "the supplier's purchase invoice won't go in", "compras"),
    ("suporte", "can't register a new customer", "cadastros"),
    ("suporte", "the trial balance does not close", "contabilidade"),
    ("suporte", "the online store is not syncing", "integracoes"),
    ("suporte", "the system is slow", None),  # points nowhere
    ("suporte", "sales report by salesperson doesn't open", None),  # two alike
    ("servicos", "the backup failed last night", "backup"),
    ("servicos", "set up a new branch", "configuracao"),
    ("servicos", "a course for the new cashier", "treinamento"),
    ("servicos", "validate the SPED file", "validacao"),
    ("servicos", "change the label template", "layout"),
    ("servicos", "the system is slow", None),
    ("implementacao", "the supplier screen should show the phone", "compras"),
])
def test_r3_the_servico_an_english_descricao_points_to(itemid, descricao, servico):
    """An English chat's message suggested nothing, or the wrong serviço: the English labels'
    "the", "and", "new" matched any sentence ("the backup failed" tied Backup with Version
    update), and English words for the modules were few."""
    item = default_catalog().item("varejo", itemid)
    found = suggested(item, descricao)
    assert (found.id if found else None) == servico


def test_r3_the_servico_suggested_in_an_english_chat(world):
    def english(uow):
        user = uow.users.get(world.ids["carla"])
        user.language = "en"
        uow.users.update(user)
        uow.commit()

    world.read(english)
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send("the backup failed last night")
    chat.click("Open a ticket with this message")
    chat.click("Services (outside the contract)")
    assert t("conv.intake.servico_suggested", "en",
             servico="Database and application backup") in chat.prompt.text
    chat.send("yes")
    assert chat.state().data["intake"]["draft"]["servico_id"] == "backup"
