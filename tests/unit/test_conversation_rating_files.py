"""R20, R21: a photo sent at the rating question dropped the rating and offered a new ticket
with no word on the ticket just closed. The rating is still asked, the photo held and offered
after it, as a new ticket naming the closed one (which cannot be reopened)."""

from __future__ import annotations

from fakes.chat import attachment, pt
from test_conversation_rating import at_rating

from core.conversation import UserInput
from core.models import Rating


def test_r20_a_photo_at_the_rating_keeps_the_question_and_is_offered_after_it(world):
    ticket, chat = at_rating(world)
    chat.send(UserInput.of_files([attachment("tela.png")]))
    assert chat.replies[0].text == pt("conv.files.held.one", count=1, names="tela.png")
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)
    chat.click("Bom")
    assert world.ticket(ticket.id).rating == Rating.GOOD
    assert pt("conv.closing.thanks") in chat.text
    assert chat.prompt.text == "\n".join([
        pt("conv.typed.offer_files.one", count=1, names="tela.png"),
        pt("conv.typed.follows_note", number=ticket.number)])
    chat.click("Abrir")
    draft = chat.state().data["intake"]["draft"]
    assert [a["filename"] for a in draft["attachments"]] == ["tela.png"]
    assert draft["descricao"].startswith(pt("conv.typed.follows", number=ticket.number))


def test_r20_a_photo_whose_caption_rates_is_held_and_the_rating_kept(world):
    ticket, chat = at_rating(world)
    chat.send(UserInput.of_files([attachment("tela.png")], caption="ótimo"))
    assert world.ticket(ticket.id).rating == Rating.GREAT
    assert pt("conv.files.held.one", count=1, names="tela.png") in chat.text
    assert chat.prompt.text.startswith(pt("conv.typed.offer_files.one", count=1,
                                          names="tela.png"))


def test_r20_a_photo_at_not_now_is_not_lost_either(world):
    ticket, chat = at_rating(world)
    chat.send(UserInput.of_files([attachment("tela.png")]))
    chat.click("Agora não")
    assert world.ticket(ticket.id).rating is None
    assert pt("conv.closing.rate_later", number=ticket.number) in chat.text
    assert chat.state().step == "menu.typed"
