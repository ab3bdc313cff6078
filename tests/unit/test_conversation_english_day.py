"""R10: words an English customer types by habit (and their Portuguese counterparts) at the
menu do what they say instead of being offered as a new ticket or a trâmite: "open ticket 4"
shows ticket 4, "main menu" the menu."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "open ticket {end}"), ("en", "open ticket {number}"), ("en", "please open ticket {end}"),
    ("pt_BR", "abrir o chamado {end}"), ("pt_BR", "abre o ticket {number}")])
def test_r10_open_ticket_and_its_number_shows_that_tickets_page(world, lang, typed):
    """'open ticket 4' was offered as a trâmite of ticket 4 or a new ticket's descrição."""
    world.speaks("carla", lang)
    ticket = world.open("carla", assunto="Reajuste zera a parcela")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed.format(number=ticket.number, end=int(ticket.number.split("/")[1])))
    assert chat.state().step == "ticket.view"
    assert "Reajuste zera a parcela" in chat.text
    assert t("conv.typed.offer_named", lang, text="", number=ticket.number,
             assunto="")[:12] not in chat.text


@pytest.mark.parametrize("typed", ["open a ticket", "open new ticket", "abrir chamado"])
def test_r3_open_a_ticket_with_no_number_still_opens_one(world, typed):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step.startswith("intake")


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "main menu"), ("en", "back to menu"), ("en", "back to the main menu"),
    ("en", "go to menu"), ("pt_BR", "menu principal"), ("pt_BR", "voltar ao menu"),
    ("pt_BR", "volta pro menu")])
def test_r10_the_menu_asked_in_a_few_words_shows_the_menu(world, lang, typed):
    """'main menu' was offered as a new ticket's descrição."""
    world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("tickets")
    chat.send(typed)
    assert chat.prompt.text.endswith(t("conv.menu.prompt", lang))
    assert chat.state().step == "menu.main"
    assert typed not in chat.text


PORTUGUESE_COMMANDS = ("novo", "resumo", "exportar", "perfil", "contato", "cancelar", "fila",
                       "relatório", "atrasados", "aguardando aprovação", "meus", "sem responsável")


@pytest.mark.parametrize("who", ["carla", "ana"])
def test_r10_the_english_help_names_the_commands_by_their_english_words(world, who):
    """'novo (new)', 'resumo (summary)', 'cancelar (cancel)': the English help taught the
    Portuguese words first, while the English ones work (and Telegram's English menu has
    /new, /summary)."""
    world.speaks(who, "en")
    chat = chat_for(world, who)
    chat.send("hi")
    chat.send("help")
    lines = [line for line in chat.text.splitlines() if line.startswith("• ")]
    assert lines
    for line in lines:
        words = line.split(" — ")[0]
        assert not any(p in words.split(", ") or words.startswith(p + " ")
                       or f"{p} (" in words for p in PORTUGUESE_COMMANDS), line
    for typed in ("new" if who == "carla" else "queue", "summary", "profile", "cancel"):
        assert f"• {typed}" in chat.text or f", {typed}" in chat.text


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "status of {end}"), ("en", "open ticket {end}"), ("pt_BR", "como está o {end}?"),
    ("pt_BR", "qual o status do chamado {number}?")])
def test_r10_a_tickets_status_asked_at_the_knowledge_bases_results_shows_the_ticket(
        world, lang, typed):
    """'status of 4' after a search of the knowledge base searched the articles for it."""
    world.speaks("carla", lang)
    ticket = world.open("carla", assunto="Reajuste zera a parcela")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("kb nfe")
    chat.send(typed.format(number=ticket.number, end=int(ticket.number.split("/")[1])))
    assert chat.state().step == "ticket.view"
    assert "Reajuste zera a parcela" in chat.text


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "check {end}"), ("en", "check on {end}"), ("en", "look at {end}"),
    ("pt_BR", "ver o {end}"), ("pt_BR", "consultar o {end}")])
def test_r10_check_and_a_tickets_end_shows_that_ticket(world, lang, typed):
    """'check 4' was offered as a new ticket's descrição."""
    world.speaks("carla", lang)
    ticket = world.open("carla", assunto="Reajuste zera a parcela")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed.format(end=int(ticket.number.split("/")[1])))
    assert chat.state().step == "ticket.view"
    assert "Reajuste zera a parcela" in chat.text


@pytest.mark.parametrize("typed", ["check 4 invoices", "ver 4 notas rejeitadas"])
def test_r3_check_with_a_number_of_things_is_still_a_matter(typed):
    from core.conversation import intents

    assert intents.command(typed) is None


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "tickets from the last 7 days"), ("en", "my tickets of the last 7 days"),
    ("pt_BR", "tickets dos últimos 7 dias"), ("pt_BR", "meus chamados dos últimos 7 dias")])
def test_r8_tickets_of_the_last_days_typed_at_the_menu_lists_them(world, lang, typed):
    """'tickets from the last 7 days' was offered as a new ticket's descrição (as '/tickets
    from the last 7 days' and the listing's own words already listed them)."""
    world.speaks("carla", lang)
    world.open("carla", assunto="Reajuste zera a parcela")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "list.view"
    assert "Reajuste zera a parcela" in chat.text
    assert chat.state().data["list"]["days"] == 7


@pytest.mark.parametrize("key", ["cli.help.user.add.language", "cli.help.user.language"])
def test_the_english_cli_help_names_the_profile_in_english(key):
    """'until they choose in perfil': the chat's English menu says 'My profile'."""
    text = t(key, "en")
    assert "perfil" not in text
    assert "profile" in text
