"""R11, R5: a new e-mail address replaces the old one only once the code mailed to it is
typed in the chat; meanwhile the ticket e-mails (R5) still go to the old one, which is told of
the change afterwards. Wrong codes, expired ones, another user's code or address are refused."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, mailed_code, pt

from core.errors import InvalidInput
from core.i18n import render_notification
from core.services import email_change

NEW = "carla.nova@mercado.com.br"
OLD = "carla@exemplo.com.br"


def email_of(world, who="carla"):
    return world.read(lambda uow: uow.users.get(world.ids[who])).email


def mails(world, kind=None):
    return [m for m in world.outbox() if m.channel == "email" and (kind is None or m.kind == kind)]


def asked(world, who="carla", address=NEW):
    """The chat at the code's question, a code mailed to `address`."""
    chat = chat_for(world, who)
    chat.reach = lambda: {"email", "telegram"}
    chat.send("perfil")
    chat.click("Alterar e-mail")
    chat.send(address)
    assert chat.state().step == "profile.email_code"
    return chat


def wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_r11_r5_the_new_address_waits_for_its_code_and_ticket_mail_goes_to_the_old_one(world):
    chat = asked(world)
    assert pt("conv.profile.email_code_sent", email=NEW) in chat.text
    assert NEW in chat.prompt.text
    assert OLD in chat.prompt.text
    [code_mail] = mails(world, email_change.CODE_KIND)
    assert code_mail.target == NEW  # the new mailbox only, never a chat
    assert len(code_mail.params["code"]) == 6
    assert code_mail.params["code"].isdecimal()
    assert email_of(world) == OLD
    ticket = world.open()
    registered = [m for m in mails(world, "ticket.registered") if m.ticket_id == ticket.id]
    assert [m.target for m in registered] == [OLD]  # R5: still the old address

    chat.send(code_mail.params["code"])
    assert pt("conv.profile.email_changed", email=NEW) in chat.text
    assert chat.state().step == "profile.view"
    assert email_of(world) == NEW
    [notice] = mails(world, email_change.CHANGED_KIND)
    assert notice.target == OLD
    assert (notice.params["old"], notice.params["new"]) == (OLD, NEW)
    later = world.open()
    assert [m.target for m in mails(world, "ticket.registered") if m.ticket_id == later.id] \
        == [NEW]


def test_r11_a_wrong_code_is_said_and_the_right_one_still_works(world):
    chat = asked(world)
    code = mailed_code(world.store, NEW)
    chat.send(wrong(code))
    assert chat.replies[0].text == pt("error.email_code_wrong", left=4)
    assert chat.state().step == "profile.email_code"
    chat.send("12 34")
    assert chat.replies[0].text == pt("error.email_code_format", digits=6)
    chat.send(f"{code[:3]} {code[3:]}")  # as it may be copied from the e-mail
    assert email_of(world) == NEW


def test_r11_guessing_codes_drops_the_change_at_the_fifth_wrong_one(world):
    chat = asked(world)
    code = mailed_code(world.store, NEW)
    for left in (4, 3, 2, 1):
        chat.send(wrong(code))
        assert chat.replies[0].text == pt("error.email_code_wrong", left=left)
    chat.send(wrong(code))
    assert pt("error.email_code_too_many") in chat.text
    assert chat.state().step == "profile.view"
    with pytest.raises(InvalidInput) as refused:
        world.run(email_change.confirm, world.ids["carla"], code)  # the right code, too late
    assert refused.value.key == "error.email_change_none"
    assert email_of(world) == OLD
    assert not mails(world, email_change.CHANGED_KIND)


def test_r11_a_resend_gives_a_new_code_not_more_guesses_and_not_too_often(world):
    chat = asked(world)
    first = mailed_code(world.store, NEW)
    chat.send(wrong(first))
    chat.send(wrong(first))
    chat.click("Reenviar")
    assert chat.replies[0].text.startswith(pt("error.email_code_wait", seconds=60)[:30])
    assert len(mails(world, email_change.CODE_KIND)) == 1
    world.advance(seconds=61)
    chat.click("Reenviar")
    assert pt("conv.profile.email_code_resent", email=NEW) in chat.text
    second = mailed_code(world.store, NEW)
    assert len(mails(world, email_change.CODE_KIND)) == 2
    if second != first:
        chat.send(first)  # the first code no longer works
        assert chat.replies[0].text == pt("error.email_code_wrong", left=2)
    chat.send(second)
    assert email_of(world) == NEW


def test_r11_another_address_right_after_waits_for_the_resend_interval(world):
    chat = asked(world)
    chat.send("carla.outra@mercado.com.br")
    assert chat.replies[0].text.startswith(pt("error.email_code_wait", seconds=60)[:30])
    chat.send(NEW)  # the same address again: its code stands, nothing new is mailed
    assert chat.state().step == "profile.email_code"
    assert len(mails(world, email_change.CODE_KIND)) == 1
    world.advance(seconds=60)
    chat.send("carla.outra@mercado.com.br")
    code = mailed_code(world.store, "carla.outra@mercado.com.br")
    chat.send(code)
    assert email_of(world) == "carla.outra@mercado.com.br"


def test_r11_a_code_typed_after_it_expired_changes_nothing(world):
    chat = asked(world)
    code = mailed_code(world.store, NEW)
    world.advance(hours=25)
    chat.send(code)
    assert pt("error.email_code_expired", email=NEW) in chat.text
    assert email_of(world) == OLD
    assert chat.state().step == "profile.view"
    assert pt("conv.profile.type_code") not in chat.labels


def test_r11_another_users_code_does_not_confirm_ones_own_change(world):
    carla = asked(world)
    rita = asked(world, "rival", "rita.nova@rival.com.br")
    rita.send(mailed_code(world.store, NEW))  # Carla's code, typed in Rita's chat
    assert rita.replies[0].text == pt("error.email_code_wrong", left=4)
    assert email_of(world, "rival") == "rival@exemplo.com.br"
    assert email_of(world) == OLD
    carla.send(mailed_code(world.store, NEW))
    assert email_of(world) == NEW
    assert email_of(world, "rival") == "rival@exemplo.com.br"


def test_r11_a_code_with_no_change_waiting_is_refused(world):
    code = "123456"
    with pytest.raises(InvalidInput) as refused:
        world.run(email_change.confirm, world.ids["joao"], code)
    assert refused.value.key == "error.email_change_none"


def test_r11_another_users_address_is_refused_at_the_request_and_at_the_code(world):
    chat = chat_for(world, "carla")
    chat.reach = lambda: {"email"}
    chat.send("perfil")
    chat.click("Alterar e-mail")
    chat.send("joao@exemplo.com.br")
    assert chat.replies[0].text == pt("error.email_exists", email="joao@exemplo.com.br")
    assert not mails(world, email_change.CODE_KIND)
    chat.send(NEW)
    code = mailed_code(world.store, NEW)
    with world.store() as uow:  # João takes the address meanwhile (the CLI's direct change)
        joao = uow.users.get(world.ids["joao"])
        joao.email = NEW
        uow.users.update(joao)
        uow.commit()
    chat.send(code)
    assert pt("error.email_exists", email=NEW) in chat.text
    assert email_of(world) == OLD
    assert chat.state().step == "profile.view"


def test_r11_cancel_keeps_the_old_address_and_the_code_no_longer_works(world):
    chat = asked(world)
    code = mailed_code(world.store, NEW)
    chat.click("Cancelar")
    assert pt("conv.profile.email_change_cancelled", email=OLD) in chat.text
    assert chat.state().step == "profile.view"
    with pytest.raises(InvalidInput):
        world.run(email_change.confirm, world.ids["carla"], code)
    assert email_of(world) == OLD


def test_r11_a_code_typed_at_the_menu_after_a_while_confirms_the_change(world):
    chat = asked(world)
    code = mailed_code(world.store, NEW)
    chat.click("Voltar")
    chat.click("Menu")
    world.advance(hours=3)
    chat.send(code)
    assert pt("conv.profile.email_changed", email=NEW) in chat.text
    assert email_of(world) == NEW


def test_r11_the_change_waits_while_the_customer_is_away_and_the_code_is_typed_later(world):
    chat = asked(world)
    code = mailed_code(world.store, NEW)
    chat.click("Voltar")
    with world.store() as uow:  # the conversation forgotten (a stale chat is swept)
        uow.conversations.delete(chat.key)
        uow.commit()
    world.advance(hours=5)
    chat.send("perfil")
    assert pt("conv.profile.email_pending", email=NEW) in chat.prompt.text
    chat.click("Digitar o código")
    chat.send(code)
    assert email_of(world) == NEW
    assert pt("conv.profile.email_pending", email=NEW) not in chat.prompt.text


def test_r11_without_e_mail_going_out_the_change_is_for_support(world):
    """No SMTP (the demo): no code can reach the new address, so the chat cannot change it;
    the customer is told to ask support (`helpdesk user email`) and the old one stays."""
    chat = chat_for(world, "carla")
    chat.send("perfil")
    chat.click("Alterar e-mail")
    chat.send(NEW)
    assert pt("error.email_unconfirmable", email=NEW) in chat.text
    assert chat.state().step == "profile.view"
    assert email_of(world) == OLD
    assert not mails(world)


def test_r11_the_address_one_has_changes_nothing(world):
    chat = chat_for(world, "carla")
    chat.reach = lambda: {"email"}
    chat.send("perfil")
    chat.click("Alterar e-mail")
    chat.send("Carla@Exemplo.com.br")
    assert chat.replies[0].text == pt("error.email_same", email=OLD)
    assert not mails(world)


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r11_the_code_and_the_notice_read_in_the_persons_language(lang):
    subject, text = render_notification(email_change.CODE_KIND, {
        "code": "042917", "email": NEW, "name": "Carla", "hours": 24, "language": lang})
    assert "042917" in subject
    assert "042917" in text
    assert NEW in text
    subject, text = render_notification(email_change.CHANGED_KIND, {
        "old": OLD, "new": NEW, "name": "Carla", "language": lang})
    assert OLD in text
    assert NEW in text
    assert "{" not in subject + text
