"""R2: a chat account already linked, deactivated or active, and what it is told."""

from __future__ import annotations

from fakes.chat import Chat, chat_for, pt

from core.conversation import slack_key, telegram_key
from core.i18n import t
from core.policy import Policy
from core.services import users


def deactivate(world, who: str) -> None:
    def off(ctx, user_id):
        user = ctx.uow.users.get(user_id)
        user.active = False
        ctx.uow.users.update(user)
    world.run(off, world.ids[who])


def linked_chat(world, who: str = "carla", telegram_id: int = 5550001):
    invite = world.run(users.create_invite, f"{who}@exemplo.com.br")
    chat = chat_for(world, who, key=telegram_key(telegram_id, telegram_id))
    chat.send(f"/start {invite.code}")
    return chat


ASK = " (Anderson Coordenação, coord@exemplo.com.br)"
"""Whom a deactivated account is told to ask: the world's coordinator."""


def test_r2_a_deactivated_customer_in_telegram_is_told_so_not_asked_for_an_invite(world):
    """She was told 'Não encontrei seu cadastro… envie o código de convite'."""
    chat = linked_chat(world)
    deactivate(world, "carla")
    chat.send("Bom dia, a nota fiscal 10125 foi rejeitada")
    assert chat.text.startswith(pt("conv.eligibility.inactive", contact=ASK))
    assert "coordenação técnica" in chat.text
    chat.send("/start")
    assert chat.text == pt("conv.eligibility.inactive", contact=ASK)


def test_r2_a_deactivated_agent_in_a_slack_dm_is_told_so(world):
    deactivate(world, "ana")
    chat = chat_for(world, "ana", key=slack_key("DANA", "UANA"))
    chat.send("oi")
    assert chat.text == pt("conv.eligibility.inactive", contact=ASK)


def test_r2_a_deactivated_account_can_still_redeem_a_new_invite(world):
    """Carla moved: her old user is deactivated and João's invite links this account to him."""
    chat = linked_chat(world)
    deactivate(world, "carla")
    invite = world.run(users.create_invite, "joao@exemplo.com.br")
    chat.send(f"/start {invite.code}")
    assert pt("conv.eligibility.linked", name="João Lima") in chat.text


def test_r2_start_with_another_code_from_a_linked_account_says_the_code_was_not_used(world):
    """'/start OTHERCODE' from Carla's linked Telegram showed the menu as if nothing was sent."""
    chat = linked_chat(world)
    other = world.run(users.create_invite, "joao@exemplo.com.br")
    chat.send(f"/start {other.code}")
    assert pt("conv.eligibility.already_linked", name="Carla Souza") in chat.text
    assert "João" not in chat.text
    assert pt("conv.menu.prompt") in chat.text
    carla = world.read(lambda uow: uow.users.get(world.ids["carla"]))
    assert carla.telegram_id == 5550001
    invite = world.read(lambda uow: uow.invites.get(other.code))
    assert invite.used_at is None


def test_r2_an_invite_code_typed_by_a_linked_account_is_not_read_as_a_message(world):
    chat = linked_chat(world)
    chat.send("menu")
    other = world.run(users.create_invite, "joao@exemplo.com.br")
    chat.send(other.code)
    assert chat.replies[0].text == pt("conv.eligibility.already_linked", name="Carla Souza")
    assert chat.state().step == "menu.main"
    assert "typed" not in chat.state().data
    chat.send("novo")
    chat.click("Suporte")
    # Mid-intake too, typed in two parts: the question is asked again. (Lower case would be
    # no code when the random code has no digit: then only capitals mark it as one.)
    chat.send(f"{other.code[:5]}-{other.code[5:]}")
    assert chat.replies[0].text == pt("conv.eligibility.already_linked", name="Carla Souza")
    assert chat.state().step == "intake.servico"


GUESSES = ("CHUTE0001", "CHUTE0002", "ABCDEFGHJK", "XPTO12345", "/start ZZZ999ZZZ")
"""Five wrong codes: typed alone (a digit in them, or all capitals) or sent with /start."""


def stranger(world, key):
    return Chat(world.store, key, lambda: world.now, world.policy)


def test_r2_guessing_invite_codes_in_a_slack_dm_is_stopped_after_five_failures(world):
    """A Slack DM had no limit at all: a code could be guessed there as often as one liked."""
    chat = stranger(world, slack_key("DZECA", "UZECA"))
    for guess in GUESSES:
        chat.send(guess)
        assert chat.text == pt("error.invite_unknown")
    invite = world.run(users.create_invite, "joao@exemplo.com.br")
    world.advance(minutes=3)
    chat.send(invite.code)  # even a good code waits
    assert chat.text == pt("error.invite_locked", minutes=7)
    assert world.read(lambda uow: uow.users.by_slack("UZECA")) is None
    assert world.read(lambda uow: uow.invites.get(invite.code)).used_at is None
    chat.send("oi")  # no code: told how to get one, as before
    assert chat.text == pt("conv.eligibility.unknown")
    # Another conversation is not locked by this one's failures.
    joao = stranger(world, slack_key("DJOAO", "UJOAO"))
    joao.send(invite.code)
    assert pt("conv.eligibility.linked", name="João Lima") in joao.text
    # Ten minutes after the first failure the lock is over: a good code links.
    world.advance(minutes=7)
    carla = world.run(users.create_invite, "carla@exemplo.com.br")
    chat.send(f"/start {carla.code}")
    assert pt("conv.eligibility.linked", name="Carla Souza") in chat.text
    assert world.read(lambda uow: uow.users.by_slack("UZECA")).id == world.ids["carla"]


def test_r2_the_lock_is_the_engines_for_telegram_too_and_speaks_the_contracts_language(world):
    """The engine counts the failures (not each channel's adapter), in the conversation's key."""
    world.policy = Policy(language="en")
    chat = stranger(world, telegram_key(5559999, 5559999))
    for n, guess in enumerate(GUESSES):
        world.advance(minutes=5 if n == 1 else 0)  # one at 10:00, four at 10:05
        chat.send(guess)
        assert chat.text == t("error.invite_unknown", "en")
    world.advance(minutes=4, seconds=1)
    chat.send("CHUTE0006")
    assert chat.text == t("error.invite_locked", "en", minutes=1)
    world.advance(seconds=59)  # 10:10: the failure of 10:00 no longer counts
    chat.send("CHUTE0007")
    assert chat.text == t("error.invite_unknown", "en")
    chat.send("CHUTE0008")  # five in the last ten minutes again: wait for 10:15
    assert chat.text == t("error.invite_locked", "en", minutes=5)


def test_r2_a_linked_account_cannot_probe_invite_codes_without_limit(world):
    """An issued code typed alone by a linked account is answered 'already linked'; another word
    shaped like a code is read as a message. That difference told which codes exist, in the
    terminal as in every chat, as often as one liked: five misses in 10 minutes now stop it."""
    chat = chat_for(world, "carla")  # the terminal
    already = pt("conv.eligibility.already_linked", name="Carla Souza")
    for guess in GUESSES[:4] + ("QWERTY9876",):
        chat.send("menu")
        chat.send(guess)
        assert already not in chat.text
    other = world.run(users.create_invite, "joao@exemplo.com.br")
    chat.send("menu")
    chat.send(other.code)
    assert already not in chat.text  # read as what was typed: nothing said about the code
    assert world.read(lambda uow: uow.invites.get(other.code)).used_at is None
    # Another account's conversation still hears about the codes it types.
    rita = linked_chat(world, "rival", telegram_id=5550002)
    rita.send(other.code)
    assert pt("conv.eligibility.already_linked", name="Rita Rival") in rita.text
    world.advance(minutes=10)
    chat.send("menu")
    chat.send(other.code)
    assert chat.replies[0].text == already
