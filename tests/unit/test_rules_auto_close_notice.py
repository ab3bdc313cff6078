"""R20, R21: the notice of a ticket closed by itself after the 15 days invites the rating the
customer never got to give, and says where."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.i18n import render_notification
from core.models import Rating
from core.services import closing, handling, sweeps


def test_r21_the_auto_close_notice_invites_the_rating_and_the_page_takes_it(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    world.advance(days=15, minutes=1)
    world.run(sweeps.run_all)
    [notice] = [m for m in world.outbox() if m.kind == "ticket.auto_closed"]
    for lang in ("pt_BR", "en"):
        text = render_notification(notice.kind, notice.params, lang)[1]
        assert f"ticket {ticket.number}" in text
        assert ("avaliar o atendimento" if lang == "pt_BR" else "rate the service") in text
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.ticket.rate"))
    chat.click("Bom")
    assert world.ticket(ticket.id).rating == Rating.GOOD
