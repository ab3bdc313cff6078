"""R20: feedback typed at the rating question is kept as the rating's comment. It got "rate
later" and the offer of a new ticket with the words as its matter: the most useful thing a
customer says about the service never reached the team. Now a mark named is saved with the
words; words naming none are held and the mark asked; a new problem is still offered as a new
ticket; after a mark tapped, one skippable question offers to leave a comment."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_rating import at_rating, in_english

from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from core.i18n import render_notification, t
from core.models import Rating
from core.services import closing, rating


def low_notes(world):
    return [m for m in world.outbox() if m.kind == "agent.rated_low"]


def card_lines(world, event):
    return [m for m in world.outbox() if m.kind == "card" and m.params.get("event") == event]


@pytest.mark.parametrize(("typed", "mark"), [
    ("péssimo, ninguém me respondeu por 3 dias", Rating.TERRIBLE),
    ("Ótimo atendimento, o técnico explicou tudo com paciência", Rating.GREAT),
    ("foi bom, mas demorou para retornar", Rating.GOOD)])
def test_r20_feedback_naming_a_mark_is_saved_with_its_words_as_the_comment(world, typed,
                                                                         mark):
    ticket, chat = at_rating(world)
    chat.send(typed)
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (mark, typed)
    assert pt("conv.closing.rated_with_comment", rating=t(f"rating.{mark.value}"),
              comment=typed) in chat.text
    assert chat.prompt.text == pt("conv.menu.prompt")  # no second question about it


def test_r20_a_low_mark_with_feedback_tells_the_agent_and_the_thread_the_words(world):
    ticket, chat = at_rating(world)
    chat.send("péssimo, ninguém me respondeu por 3 dias")
    [note] = low_notes(world)
    text = render_notification(note.kind, note.params)[1]
    assert "Péssimo" in text
    assert "“péssimo, ninguém me respondeu por 3 dias”" in text
    [line] = card_lines(world, "rated")
    assert render_notification("card", line.params)[1] == (
        "Carla Souza avaliou o atendimento: Péssimo.\n"
        "Comentário: “péssimo, ninguém me respondeu por 3 dias”")


@pytest.mark.parametrize("typed", ["foi muito bom", "ótimo", "nota 8", "5 estrelas",
                                   "ótimo atendimento, obrigada"])
def test_r20_a_mark_alone_keeps_no_comment(world, typed):
    ticket, chat = at_rating(world)
    chat.send(typed)
    stored = world.ticket(ticket.id)
    assert stored.rating is not None
    assert stored.rating_comment is None


@pytest.mark.parametrize(("lang", "typed", "click"), [
    ("pt_BR", "demorou muito, mas resolveu", "Regular"),
    ("pt_BR", "o técnico foi muito atencioso", "Ótimo"),
    ("en", "took too long, but ok", "Fair")])
def test_r20_feedback_naming_no_mark_is_held_and_the_mark_asked_with_it_shown(world, lang,
                                                                             typed, click):
    ticket, chat = at_rating(world)
    if lang == "en":
        in_english(world)
    chat.send(typed)
    assert world.ticket(ticket.id).rating is None
    assert chat.prompt.text == "\n".join([
        t("conv.closing.ask_rating", lang, number=ticket.number),
        t("conv.closing.comment_held", lang, comment=typed)])
    assert t("conv.closing.rate_later", lang, number=ticket.number) not in chat.text
    chat.click(click)
    stored = world.ticket(ticket.id)
    assert stored.rating_comment == typed
    assert stored.rating.value == {"Regular": "regular", "Ótimo": "otimo", "Fair": "regular"}[
        click]
    assert t("conv.closing.rated_with_comment", lang, rating=click, comment=typed) in chat.text


def test_r20_feedback_then_a_mark_in_words_saves_both(world):
    ticket, chat = at_rating(world)
    chat.send("demorou muito, mas resolveu")
    chat.send("demorou muito, mas resolveu")  # sent twice: kept once
    chat.send("ruim")
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (Rating.POOR,
                                                      "demorou muito, mas resolveu")


@pytest.mark.parametrize("typed", ["agora a impressora não imprime",
                                   "O contrato 4412 ainda zera a parcela",
                                   "now the printer does not print the invoice"])
def test_r20_a_new_problem_at_the_rating_is_still_offered_as_a_new_ticket(world, typed):
    ticket, chat = at_rating(world)
    chat.send(typed)
    assert chat.replies[0].text == pt("conv.closing.rate_later", number=ticket.number)
    assert chat.prompt.text == pt("conv.typed.offer", text=typed)
    assert world.ticket(ticket.id).rating_comment is None


def test_r20_a_mark_with_a_new_problem_is_saved_and_the_problem_offered_after(world):
    ticket, chat = at_rating(world)
    chat.send("ótimo, mas agora a impressora travou")
    assert world.ticket(ticket.id).rating == Rating.GREAT
    assert chat.prompt.text.startswith(
        pt("conv.typed.offer", text="ótimo, mas agora a impressora travou"))


def test_r20_agora_nao_with_feedback_held_says_the_comment_was_not_kept(world):
    ticket, chat = at_rating(world)
    chat.send("demorou muito, mas resolveu")
    chat.click("Agora não")
    assert pt("conv.closing.comment_dropped", comment="demorou muito, mas resolveu") \
        in chat.text
    assert world.ticket(ticket.id).rating is None


def test_r20_after_a_tap_a_comment_is_offered_and_can_be_skipped(world):
    ticket, chat = at_rating(world)
    chat.click("Bom")
    assert chat.prompt.text == pt("conv.closing.ask_rate_comment", number=ticket.number)
    assert chat.labels == ["Não, obrigado"]
    chat.click("Não, obrigado")
    assert chat.prompt.text == pt("conv.menu.prompt")
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (Rating.GOOD, None)


@pytest.mark.parametrize("typed", ["não", "não, obrigada", "obrigada"])
def test_r20_a_no_in_words_skips_the_comment(world, typed):
    ticket, chat = at_rating(world)
    chat.click("Bom")
    chat.send(typed)
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert world.ticket(ticket.id).rating_comment is None


@pytest.mark.parametrize(("lang", "typed"), [
    ("pt_BR", "sim, quero"), ("pt_BR", "quero sim"), ("pt_BR", "quero"),
    ("pt_BR", "sim, quero deixar um comentário"), ("pt_BR", "gostaria sim"),
    ("pt_BR", "pode ser"), ("en", "yes I want to"), ("en", "yes, I'd like to"),
    ("en", "I want to leave a comment")])
def test_r20_wanting_to_comment_asks_for_the_comment_not_kept_as_it(world, lang, typed):
    """"sim, quero" at "Quer deixar um comentário?" was saved as the comment itself, and the
    team read "sim, quero" as what the customer had to say."""
    ticket, chat = at_rating(world)
    if lang == "en":
        in_english(world)
    chat.click("Bom")
    chat.send(typed)
    assert t("conv.closing.comment_write", lang) in chat.text
    assert chat.state().step == "closing.rate_comment"
    assert world.ticket(ticket.id).rating_comment is None
    chat.send("O técnico explicou tudo com paciência")
    assert world.ticket(ticket.id).rating_comment == "O técnico explicou tudo com paciência"


@pytest.mark.parametrize("typed", ["não quero", "no, I don't want to"])
def test_r20_not_wanting_to_comment_skips_it(world, typed):
    ticket, chat = at_rating(world)
    chat.click("Bom")
    chat.send(typed)
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert world.ticket(ticket.id).rating_comment is None


def test_r20_the_comment_after_a_tap_is_saved_and_told_to_the_team(world):
    ticket, chat = at_rating(world)
    chat.click("Ruim")
    chat.send("O técnico não conhecia o módulo fiscal")
    assert pt("conv.closing.comment_kept") in chat.text
    assert chat.prompt.text == pt("conv.menu.prompt")
    assert world.ticket(ticket.id).rating_comment == "O técnico não conhecia o módulo fiscal"
    [line] = card_lines(world, "rating_comment")
    assert render_notification("card", line.params)[1] == (
        "Carla Souza comentou a avaliação (Ruim): “O técnico não conhecia o módulo fiscal”")
    staff = chat_for(world, "ana")  # the ticket's whole thread, as the team reads it
    staff.send("oi")
    staff.send(f"ticket {ticket.number}")
    staff.click(pt("conv.ticket.whole_thread"))
    assert "comentou a avaliação (Ruim): “O técnico não conhecia o módulo fiscal”" \
        in staff.prompt.text
    [note] = [m for m in world.outbox() if m.kind == "agent.rating_comment"]
    assert "O técnico não conhecia o módulo fiscal" in render_notification(
        note.kind, note.params)[1]


def test_r20_a_new_problem_at_the_comment_question_is_offered_not_kept(world):
    ticket, chat = at_rating(world)
    chat.click("Bom")
    chat.send("agora a impressora não imprime")
    assert pt("conv.closing.comment_is_matter") in chat.text
    assert chat.prompt.text.startswith(pt("conv.typed.offer",
                                          text="agora a impressora não imprime"))
    assert world.ticket(ticket.id).rating_comment is None


def test_r20_a_huge_comment_keeps_what_fits_and_says_so(world):
    ticket, chat = at_rating(world)
    chat.click("Regular")
    huge = "O atendimento demorou. " * 100
    chat.send(huge)
    kept = world.ticket(ticket.id).rating_comment
    assert 0 < len(kept) <= rating.COMMENT_MAX
    assert huge.startswith(kept)
    assert pt("conv.closing.comment_cut", length=len(huge.strip()), max=rating.COMMENT_MAX,
              kept=len(kept), end=kept[-60:].lstrip()) in chat.text


def test_r20_feedback_held_while_she_rated_from_another_chat_joins_that_rating(world):
    ticket, chat = at_rating(world)
    chat.send("demorou muito, mas resolveu")
    world.run(closing.rate, world.ids["carla"], ticket.id, Rating.FAIR)  # from Telegram
    chat.click("Bom")
    assert pt("conv.closing.comment_kept") in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (Rating.FAIR,
                                                      "demorou muito, mas resolveu")


def test_r20_feedback_held_while_a_colleague_rated_is_not_put_on_their_rating(world):
    ticket, chat = at_rating(world)
    chat.send("demorou muito, mas resolveu")
    world.run(closing.rate, world.ids["joao"], ticket.id, Rating.GOOD)
    chat.click("Ruim")
    assert pt("conv.closing.rated_by", who="João Lima", number=ticket.number,
              rating="Bom") in chat.text
    assert pt("conv.closing.comment_not_kept", comment="demorou muito, mas resolveu") \
        in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (Rating.GOOD, None)


def test_r20_a_comment_given_meanwhile_from_another_chat_is_said_not_replaced(world):
    ticket, chat = at_rating(world)
    chat.click("Bom")
    world.run(rating.comment_rating, world.ids["carla"], ticket.id, "Gostei da rapidez")
    chat.send("O técnico foi atencioso")
    assert pt("conv.closing.commented_already", who="Você", number=ticket.number,
              comment="Gostei da rapidez") in chat.text
    assert world.ticket(ticket.id).rating_comment == "Gostei da rapidez"
    assert chat.prompt.text == pt("conv.menu.prompt")


def test_r20_a_comment_is_never_put_on_another_persons_rating_or_company(world):
    ticket, chat = at_rating(world)
    chat.click("Bom")
    with pytest.raises(NotAllowed):  # a colleague of the same company
        world.run(rating.comment_rating, world.ids["joao"], ticket.id, "Foi ótimo")
    with pytest.raises(NotFound):  # another company's customer
        world.run(rating.comment_rating, world.ids["rival"], ticket.id, "Foi ótimo")
    with pytest.raises(NotAllowed):  # the team does not comment the customer's rating
        world.run(rating.comment_rating, world.ids["ana"], ticket.id, "Foi ótimo")
    assert world.ticket(ticket.id).rating_comment is None


def test_r20_bad_comments_are_refused(world):
    ticket, chat = at_rating(world)
    chat.click("Bom")
    for bad in ("", "   ", "!!!", "x" * (rating.COMMENT_MAX + 1)):
        with pytest.raises(InvalidInput):
            world.run(rating.comment_rating, world.ids["carla"], ticket.id, bad)
    world.run(rating.comment_rating, world.ids["carla"], ticket.id, "Rápido")
    world.run(rating.comment_rating, world.ids["carla"], ticket.id, "Rápido")  # repeated
    with pytest.raises(InvalidTransition):
        world.run(rating.comment_rating, world.ids["carla"], ticket.id, "Outra coisa")
    assert len(card_lines(world, "rating_comment")) == 1


def test_r20_a_ticket_not_rated_takes_no_comment(world):
    ticket, chat = at_rating(world)
    with pytest.raises(InvalidTransition):
        world.run(rating.comment_rating, world.ids["carla"], ticket.id, "Foi ótimo")


def test_r20_the_tickets_page_shows_the_comment(world):
    ticket, chat = at_rating(world)
    chat.send("péssimo, ninguém me respondeu por 3 dias")
    staff = chat_for(world, "ana")
    staff.send("oi")
    staff.send(f"ticket {ticket.number}")
    assert pt("conv.ticket.rated_comment",
              comment="péssimo, ninguém me respondeu por 3 dias") in staff.prompt.text


@pytest.mark.parametrize(("typed", "step"), [("meus tickets", "list.view"),
                                             ("tickets", "list.view")])
def test_r20_a_request_at_the_comment_question_runs_and_is_no_comment(world, typed, step):
    ticket, chat = at_rating(world)
    chat.click("Bom")
    chat.send(typed)
    assert chat.state().step == step
    assert world.ticket(ticket.id).rating_comment is None


def test_r20_a_mark_with_words_typed_after_she_rated_elsewhere_keeps_the_words(world):
    ticket, chat = at_rating(world)
    world.run(closing.rate, world.ids["carla"], ticket.id, Rating.POOR)  # from Telegram
    chat.send("ruim, ninguém me respondeu por 3 dias")
    assert pt("conv.closing.rated_by", who="Você", number=ticket.number,
              rating="Ruim") in chat.text
    assert world.ticket(ticket.id).rating_comment == "ruim, ninguém me respondeu por 3 dias"


@pytest.mark.parametrize(("typed", "mark"), [("1 estrela", Rating.TERRIBLE),
                                             ("nota 4", Rating.POOR), ("muito bom", Rating.GOOD)])
def test_r20_a_mark_typed_alone_offers_the_comment_as_a_tap_does(world, typed, mark):
    """A mark typed alone went straight to the menu: the words she wrote next about the
    service ("demorou muito") were offered as a new ticket's descrição."""
    ticket, chat = at_rating(world)
    chat.send(typed)
    assert pt("conv.closing.rated_as", rating=t(f"rating.{mark.value}")) in chat.text
    assert chat.prompt.text == pt("conv.closing.ask_rate_comment", number=ticket.number)
    chat.send("demorou muito")
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (mark, "demorou muito")
    assert pt("conv.closing.comment_kept") in chat.text
    assert not (chat.state().data.get("typed") or {}).get("text")


def test_r20_a_mark_typed_alone_in_english_offers_the_comment_in_english(world):
    ticket, chat = at_rating(world)
    in_english(world)
    chat.send("1 star")
    assert chat.prompt.text == t("conv.closing.ask_rate_comment", "en", number=ticket.number)
