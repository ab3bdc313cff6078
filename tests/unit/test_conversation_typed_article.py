"""R9: a message typed at the menu that clearly points to a knowledge-base article (its title
or tags hold two of its words, more than any other's) has the article named beside the offer
to open a ticket, one button away; a ticket opened from the article still carries the
message."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core import kb
from core.conversation.replies import UserInput
from core.i18n import t


def test_r9_a_message_its_words_point_to_one_article_by_title_or_tags():
    articles = kb.default_articles()
    assert kb.suggestion(articles, "preciso enviar o XML da nota").slug == "nfe-rejeicao"
    assert kb.suggestion(articles, "o que o contrato cobre?").slug == "cobertura-contrato"
    assert kb.suggestion(articles, "o gravador de passos não abre").slug == "gravador-de-passos"


def test_r9_words_of_any_message_or_of_the_body_only_point_to_nothing():
    articles = kb.default_articles()
    assert kb.suggestion(articles, "como cancelo uma venda no pdv") is None  # body only
    assert kb.suggestion(articles, "o assunto do meu ticket está errado") is None  # one word
    assert kb.suggestion(articles, "erro no sistema, ticket de suporte") is None  # generic
    assert kb.suggestion(articles, "") is None


def test_r9_the_offer_names_the_article_and_reads_it_with_the_message_kept(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("Preciso mandar o XML da nota rejeitada, como faço?")
    title = "Como enviar a rejeição e o XML de uma NF-e"
    assert pt("conv.typed.article", title=title) in chat.prompt.text
    labels = [c.label for c in chat.prompt.choices]
    assert labels.index(pt("conv.typed.open")) < labels.index(pt("conv.typed.read"))
    chat.click(pt("conv.typed.read"))
    assert chat.state().step == "kb.article"
    assert chat.prompt.text.startswith(title)
    assert "SEFAZ" in chat.prompt.text  # the article itself, not a list of titles
    chat.click(pt("conv.menu.new"))  # not solved: a ticket, the message as its descrição
    assert chat.state().step.startswith("intake.")
    assert chat.state().data["intake"]["draft"]["descricao"] == \
        "Preciso mandar o XML da nota rejeitada, como faço?"


def test_r9_back_from_the_article_the_results_of_the_message(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("Preciso mandar o XML da nota rejeitada")
    chat.click(pt("conv.typed.read"))
    chat.click(pt("conv.kb.back"))
    assert chat.state().step == "kb.results"
    assert "Como enviar a rejeição e o XML de uma NF-e" in chat.prompt.text


def test_r9_a_message_pointing_to_no_article_is_offered_as_before(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O caixa 3 trava ao fechar a venda")
    assert pt("conv.typed.read") not in [c.label for c in chat.prompt.choices]
    assert "conhecimento ajude" not in chat.prompt.text


def test_r9_an_untrained_customer_is_pointed_to_the_article_too(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send("o que o contrato de manutenção cobre?")
    assert pt("conv.typed.article", title="O que o contrato de manutenção cobre") \
        in chat.prompt.text
    chat.click(pt("conv.typed.read"))
    assert chat.prompt.text.startswith("O que o contrato de manutenção cobre")
    assert pt("conv.menu.new") not in [c.label for c in chat.prompt.choices]  # R2


def test_r9_a_forged_click_on_an_article_never_offered_is_refused(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O caixa 3 trava ao fechar a venda")
    prompt_id = chat.state().prompt_id
    chat.send(UserInput.of_choice(f"{prompt_id}:article"))
    assert pt("conv.error.not_offered") in chat.text
    assert chat.state().data["typed"]["text"] == "O caixa 3 trava ao fechar a venda"


def test_r9_the_suggestion_reads_in_english(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send("I need to send the XML of the rejected NF-e")
    assert t("conv.typed.article", "en", title="Como enviar a rejeição e o XML de uma NF-e") \
        in chat.prompt.text


def test_r9_a_question_searched_at_the_listing_that_finds_no_ticket_names_the_article(world):
    """'como envio o XML da nota rejeitada?' typed at the listing found no ticket: only
    'Nenhum ticket aqui' and a ticket to open with it."""
    chat = chat_for(world, "carla")
    chat.send("meus tickets")
    chat.send("como envio o XML da nota rejeitada?")
    assert chat.state().step == "list.view"
    title = "Como enviar a rejeição e o XML de uma NF-e"
    assert pt("conv.typed.article", title=title) in chat.prompt.text
    chat.click(pt("conv.typed.read"))
    assert chat.prompt.text.startswith(title)
    chat.click(pt("conv.menu.new"))
    assert chat.state().data["intake"]["draft"]["descricao"] == \
        "como envio o XML da nota rejeitada?"


def test_r9_a_search_that_finds_tickets_names_no_article(world):
    world.open("carla", assunto="XML da nota rejeitada")
    chat = chat_for(world, "carla")
    chat.send("meus tickets")
    chat.send("XML da nota")
    assert "conhecimento ajude" not in chat.text
