"""R7, R9: an agent sends a knowledge-base article to the customer as a trâmite of the ticket
shown (Ações da equipe › Enviar artigo da base): picked from the list or found by words typed;
the customer reads it in the ticket's thread, as any answer, and is notified."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.i18n import t

NFE = "Como enviar a rejeição e o XML de uma NF-e"


def at_articles(world, ticket, who="ana"):
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.actions"))
    chat.click(pt("conv.staff.send_article"))
    assert chat.state().step == "ticket.article"
    return chat


def public_texts(world, ticket):
    return [e.text for e in world.read(lambda uow: uow.entries.list(ticket.id, False))]


def test_r9_an_agent_sends_an_article_picked_from_the_list_as_a_tramite(world):
    ticket = world.open("carla", assunto="NF-e rejeitada")
    chat = at_articles(world, ticket)
    chat.click(NFE)
    assert pt("conv.staff.article_sent", title=NFE, number=ticket.number) in chat.text
    assert chat.state().step == "ticket.view"
    sent = public_texts(world, ticket)[-1]
    assert sent.startswith(f"**{NFE}**")  # its title in bold (an agent's trâmite: Markdown)
    assert "XML" in sent
    assert "SEFAZ" in sent
    notices = [m for m in world.outbox() if m.kind == "ticket.tramite" and
               m.ticket_id == ticket.id]
    assert notices  # the customer is told, as of any answer


def test_r9_words_typed_find_the_article_to_send(world):
    ticket = world.open("carla")
    chat = at_articles(world, ticket)
    chat.send("gravador de passos")
    assert [c.label for c in chat.prompt.choices][0] == "Gravador de passos do Windows (psr.exe)"
    chat.send("xyzzy")
    assert pt("conv.kb.none_staff", query="xyzzy") in chat.text
    assert public_texts(world, ticket) == []  # nothing sent by a search


def test_r9_back_sends_nothing(world):
    ticket = world.open("carla")
    chat = at_articles(world, ticket)
    chat.click(pt("conv.tramite.back"))
    assert chat.state().step == "ticket.view"
    assert public_texts(world, ticket) == []


def test_r9_a_customer_has_no_such_action_and_a_forged_click_sends_nothing(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    assert pt("conv.staff.actions") not in chat.labels
    prompt_id = chat.state().prompt_id
    from core.conversation.replies import UserInput
    chat.send(UserInput.of_choice(f"{prompt_id}:actions"))
    assert public_texts(world, ticket) == []


def test_r9_the_article_question_reads_in_english(world):
    ticket = world.open("carla")
    world.speaks("ana", "en")
    chat = chat_for(world, "ana")
    chat.send("hi")
    chat.send(f"ticket {ticket.number}")
    chat.click(t("conv.staff.actions", "en"))
    chat.click(t("conv.staff.send_article", "en"))
    assert chat.prompt.text.startswith(t("conv.staff.ask_article", "en", number=ticket.number))


def test_r9_the_number_of_an_article_typed_sends_it_and_the_start_of_a_title_searches(world):
    ticket = world.open("carla")
    chat = at_articles(world, ticket)
    chat.send("gravador de passos")  # the start of a title: a search, nothing sent
    assert public_texts(world, ticket) == []
    first = chat.prompt.choices[0].label
    chat.send("1")  # the terminal's way to pick
    assert public_texts(world, ticket)[-1].startswith(f"**{first}**")


def test_r9_bang_artigo_typed_at_the_page_or_as_the_tramite_sends_the_article(world):
    """As in a card's Slack thread: '!artigo xml nf-e' was refused as an unknown marker."""
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send("!artigo xml nf-e")
    assert pt("conv.staff.article_sent", title=NFE, number=ticket.number) in chat.text
    assert public_texts(world, ticket)[-1].startswith(f"**{NFE}**")
    chat.click(pt("conv.ticket.add_tramite"))
    chat.send("!artigo gravador-de-passos")
    assert public_texts(world, ticket)[-1].startswith("**Gravador de passos")
    chat.send("!artigo xyzzy")
    assert pt("error.article_none", words="xyzzy") in chat.text
    assert len([x for x in public_texts(world, ticket) if x.startswith("**")]) == 2
