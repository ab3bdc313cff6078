"""One answer, one Telegram message: a step's texts joined, cut only where Telegram must."""

from __future__ import annotations

from bots.telegram.render import MAX_TEXT, Outgoing, one_message, render_replies, shown_len
from core.conversation.replies import Choice, Expect, FilePayload, Reply


def _question() -> Reply:
    return Reply(text="Qual o item?", choices=[Choice(label="Suporte", id="1:suporte")],
                 expect=Expect.CHOICE)


def test_an_answer_s_texts_are_one_message_with_the_buttons_under_the_question() -> None:
    replies = [Reply(text="Olá, Carla!"), Reply(text="Vamos abrir um ticket."), _question()]
    [message] = one_message(render_replies(replies))
    assert message.html == "Olá, Carla!\n\nVamos abrir um ticket.\n\nQual o item?"
    assert message.buttons == [[("Suporte", "1:suporte")]]
    assert message.prompt


def test_a_long_answer_is_cut_at_a_paragraph_with_the_buttons_on_the_last_part() -> None:
    first = "\n\n".join(f"Parágrafo {n}: " + "a" * 900 for n in range(4))  # ~3 650
    second = "\n\n".join(f"Trecho {n}: " + "b" * 900 for n in range(3))  # ~2 740
    messages = one_message(render_replies([Reply(text=first), Reply(text=second),
                                           _question()]))
    assert len(messages) == 2
    assert all(shown_len(m.html) <= MAX_TEXT for m in messages)
    assert messages[0].html == first
    assert messages[1].html == second + "\n\nQual o item?"
    assert [m.has_keyboard for m in messages] == [False, True]
    assert [m.prompt for m in messages] == [False, True]


def test_a_text_over_the_limit_on_its_own_is_cut_at_its_paragraphs_and_joined_after() -> None:
    long = "\n\n".join(f"Parágrafo {n}: " + "c" * 1500 for n in range(4))  # ~6 060
    messages = one_message(render_replies([Reply(text=long), _question()]))
    assert len(messages) == 2
    assert all(shown_len(m.html) <= MAX_TEXT for m in messages)
    assert messages[0].html.endswith("c" * 1500)  # cut between paragraphs
    assert messages[1].html.startswith("Parágrafo 2")
    assert messages[1].html.endswith("Qual o item?")
    assert messages[1].has_keyboard


def test_a_document_keeps_its_place_between_the_texts() -> None:
    export = Reply(text="Segue a planilha.",
                   file=FilePayload(filename="tickets.csv", content=b"a;b\n"))
    messages = one_message(render_replies([Reply(text="Exportando."), export,
                                           Reply(text="Como posso ajudar?")]))
    assert [(m.html, m.document is not None) for m in messages] == [
        ("Exportando.\n\nSegue a planilha.", False), ("", True), ("Como posso ajudar?", False)]


def test_a_ticket_named_by_one_text_stays_linked_in_the_joined_message() -> None:
    """A reply to a message about one ticket becomes its trâmite (R7): joined with texts that
    name no ticket the message keeps that link; with another ticket's, it names none."""
    [joined] = one_message([Outgoing(html="Ticket 202611/0001 registrado.", ticket_id=7),
                            Outgoing(html="Como posso ajudar?")])
    assert joined.ticket_id == 7
    [mixed] = one_message([Outgoing(html="Ticket 202611/0001", ticket_id=7),
                           Outgoing(html="Ticket 202611/0002", ticket_id=8)])
    assert mixed.ticket_id is None
