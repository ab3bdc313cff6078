"""Words a customer really types where the bot waits for something else: "não entendi",
"como assim?", "?"."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_bad_input import before_prompt, reach


def same(state, before):
    """The same question with the same answers so far (only the time of the last word moved)."""
    return (state.step, state.data, state.prompt_id) == (before.step, before.data,
                                                           before.prompt_id)


CONFUSED = ("não entendi", "Como assim?", "??", "não entendi nada", "hein?")


@pytest.mark.parametrize("text", CONFUSED)
def test_not_understood_at_the_menu_explains_what_can_be_done(world, text):
    chat = chat_for(world, "carla")
    chat.send("oi")
    before = chat.state()
    chat.send(text)
    assert pt("conv.smalltalk.assent") not in chat.text  # it said "Certo!"
    assert pt("conv.smalltalk.hello", name="Carla") not in chat.text  # "como assim" as "oi"
    assert chat.replies[0].text == pt("conv.confused.intro")
    assert pt("conv.help", example="202611/0001") in chat.text
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert same(chat.state(), before)


@pytest.mark.parametrize("step", ["intake.item", "intake.servico", "intake.versao",
                                  "intake.assunto", "intake.descricao", "intake.resumo",
                                  "closing.decide", "closing.reason", "closing.rate",
                                  "ticket.view"])
def test_not_understood_at_a_question_explains_it_and_asks_it_again(world, step):
    chat = reach(world, step)
    before = chat.state()
    chat.send("não entendi")
    said = chat.replies[0].text
    assert said == pt(f"conv.confused.{step}")  # not "Não entendi", "Certo!", "não é um assunto"
    assert chat.replies[-1] == before_prompt(before)
    if step.startswith("intake."):
        assert pt("conv.confused.intake_ways") in chat.text
    assert same(chat.state(), before)  # nothing typed is lost, nothing taken as an answer


def test_not_understood_at_a_question_without_its_own_text_says_what_it_takes(world):
    chat = reach(world, "profile.email")
    before = chat.state()
    chat.send("como assim?")
    assert chat.replies[0].text == pt("conv.confused.expect_text")
    assert chat.replies[-1] == before_prompt(before)
    assert same(chat.state(), before)


def test_not_understood_written_as_a_message_on_a_ticket_is_still_the_message(world):
    chat = reach(world, "ticket.view")
    chat.click("Adicionar trâmite")
    chat.send("não entendi")
    assert pt("conv.confused.ticket.view") not in chat.text
    assert "não entendi" in chat.text


LONG_DESCRICAO = "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma. " * 60


def _half_written(world):
    """Carla's ticket written up to the anexos, then a long silence."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido não confirma")
    chat.send(LONG_DESCRICAO)
    assert chat.state().step == "intake.anexos"
    world.advance(hours=60)  # left on Friday evening, back on Monday
    return chat


def test_r3_a_ticket_half_written_survives_a_long_pause(world):
    chat = _half_written(world)
    chat.send("bom dia")
    assert pt("conv.stale") not in chat.text  # "O que estava em andamento foi descartado."
    assert chat.replies[0].text.startswith(pt("conv.stale_draft", when="", about="")[:40])
    assert "Pedido não confirma" in chat.replies[0].text
    draft = chat.state().data["intake"]["draft"]
    assert draft["assunto"] == "Pedido não confirma"
    assert draft["descricao"] == LONG_DESCRICAO.strip()
    assert chat.state().step == "intake.anexos"
    assert chat.prompt.text == pt("conv.intake.ask_anexos")
    chat.click("Concluir")
    chat.click("Padrão")
    chat.click("Registrar")
    assert "registrado" in chat.text


def test_r3_words_sent_after_the_pause_are_shown_back_not_taken_as_an_answer(world):
    chat = _half_written(world)
    chat.send("O pedido 4432 também não confirma")
    assert pt("conv.stale_unused", text="O pedido 4432 também não confirma") in chat.text
    assert "4432" not in chat.state().data["intake"]["draft"]["descricao"]
    assert chat.state().step == "intake.anexos"


def test_r3_cancelar_after_the_pause_still_asks_before_discarding(world):
    chat = _half_written(world)
    chat.send("cancelar")
    assert chat.state().step == "menu.cancel_confirm"
    chat.click("Não")
    assert chat.state().data["intake"]["draft"]["assunto"] == "Pedido não confirma"


@pytest.mark.parametrize(("text", "step"), [("quero abrir um chamado", "intake.item"),
                                            ("meus chamados", "list.view"),
                                            ("ver meus tickets encerrados", "list.view")])
def test_r8_a_request_in_words_at_a_ticket_page_runs_instead_of_being_a_tramite(world, text,
                                                                              step):
    chat = reach(world, "ticket.view")
    chat.send(text)
    assert chat.state().step == step  # was "Envio como trâmite do ticket …?"
    assert pt("conv.tramite.said", text=text) not in chat.text


def test_r7_a_question_to_the_team_at_a_ticket_page_is_still_offered_as_its_tramite(world):
    chat = reach(world, "ticket.view")
    chat.send("Alguma novidade?")
    assert chat.state().step == "ticket.said"


def test_r8_a_search_that_finds_nothing_in_this_tab_says_where_it_finds_some(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")  # a Novo ticket
    world.open("rival", assunto="Boleto da Loja Rival")  # another company's: never counted
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Aba")
    chat.click("Encerrados")
    chat.click("Buscar")
    chat.send(ticket.number)
    assert pt("conv.list.found_elsewhere", count=1) in chat.prompt.text  # "Nenhum ticket aqui."
    chat.click(pt("conv.list.widen"))
    assert ticket.number in chat.labels
    assert chat.state().data["list"]["tab"] == "todos"


def test_r8_a_search_found_elsewhere_past_the_count_s_cap_says_more_than(world, monkeypatch):
    """A search's total stops at queries.SEARCH_TOTAL_MAX (1 000; 3 here), or at the end of
    the page shown if further: found in other tabs past it, the chat says "mais de 3", not a
    count it never finished; its pages (of 5) go on until the count is whole."""
    from core.services import queries

    monkeypatch.setattr(queries, "SEARCH_TOTAL_MAX", 3)
    for n in range(7):
        world.open("carla", assunto=f"Boleto {n} com vencimento errado")  # Novo tickets
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Aba")
    chat.click("Encerrados")
    chat.click("Buscar")
    chat.send("boleto")
    assert pt("conv.list.found_elsewhere_more", count=3) in chat.prompt.text
    chat.click(pt("conv.list.widen"))
    assert "todo o período: mais de 5 tickets. Página 1.\n" in chat.prompt.text
    chat.click(pt("conv.list.next"))
    assert "todo o período: 7 tickets. Página 2 de 2.\n" in chat.prompt.text
    assert pt("conv.list.next") not in chat.labels


def test_r8_a_colleague_s_ticket_searched_by_its_number_is_found_in_the_company(world):
    ticket = world.open("joao", assunto="PDV não abre o caixa")
    world.open("rival", assunto="PDV da Loja Rival")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Buscar")
    chat.send("PDV")
    assert pt("conv.list.found_in_company", count=1) in chat.prompt.text
    chat.click(pt("conv.list.widen"))
    assert chat.labels[0] == ticket.number
    assert len([c for c in chat.labels if "/" in c]) == 1


def test_r8_a_search_that_finds_nothing_anywhere_says_so_plainly(world):
    world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Buscar")
    chat.send("inexistente")
    assert pt("conv.list.empty") in chat.prompt.text
    assert pt("conv.list.widen") not in chat.labels


def test_r3_voltar_to_the_assunto_shows_it_and_keeps_it_with_one_click(world):
    chat = reach(world, "intake.descricao")  # the assunto "Pedido não confirma" typed
    chat.send("voltar")
    assert chat.state().step == "intake.assunto"
    assert pt("conv.intake.current", value="Pedido não confirma") in chat.prompt.text
    chat.click(pt("conv.intake.keep_assunto"))  # no need to type it again
    assert chat.state().step == "intake.descricao"
    assert chat.state().data["intake"]["draft"]["assunto"] == "Pedido não confirma"


def test_r3_voltar_to_the_assunto_then_a_new_one_replaces_it(world):
    chat = reach(world, "intake.descricao")
    chat.send("voltar")
    chat.send("Pedido 4431 não confirma")
    assert chat.state().data["intake"]["draft"]["assunto"] == "Pedido 4431 não confirma"


@pytest.mark.parametrize(("text", "talk"), [("obrigado", "thanks"), ("valeu", "thanks"),
                                            ("bom dia", "hello"), ("tchau", "bye")])
def test_small_talk_at_the_offer_of_a_typed_message_is_answered_in_kind(world, text, talk):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("PDV travado na loja 3")
    assert chat.state().step == "menu.typed"
    chat.send(text)  # was "Não entendi."
    assert chat.replies[0].text == pt(f"conv.smalltalk.{talk}", name="Carla")
    assert chat.state().step == "menu.typed"  # the message is still offered, not dropped
    assert "PDV travado na loja 3" in chat.prompt.text


def test_r8_a_subject_typed_at_the_listing_searches_and_offers_it_as_a_ticket(world):
    """"novo cadastro" at the listing opened the profile ("Seu cadastro: …"); a customer who
    types a subject there searches for it, and when no ticket is about it may open one."""
    world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send("novo cadastro")
    assert chat.state().step == "list.view"
    assert pt("conv.list.searching", text="novo cadastro") in chat.prompt.text
    assert pt("conv.list.empty") in chat.prompt.text
    chat.click(pt("conv.list.open_ticket"))
    assert chat.state().step == "intake.item"
    assert chat.state().data["intake"]["draft"]["descricao"] == "novo cadastro"


def test_r8_a_search_that_finds_tickets_or_is_not_a_customer_s_offers_no_ticket(world):
    world.open("carla", assunto="Cadastro de produto novo não salva")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send("novo cadastro")
    assert "Cadastro de produto novo não salva" in chat.prompt.text
    assert pt("conv.list.open_ticket") not in chat.labels
    for who in ("novato", "ana"):  # may not open tickets (R2), or opens none by chat
        other = chat_for(world, who)
        other.send("tickets")
        other.send("inexistente")
        assert pt("conv.list.open_ticket") not in other.labels
