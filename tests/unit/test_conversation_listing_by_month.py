"""A listing by month (R8): "tickets de novembro", "mês passado", "nov/2026", "this month",
typed at the menu or at a listing, or the Período's Este mês and Mês passado. Before, the
window was only "últimos N dias": at a listing "tickets de novembro" searched the words "de
novembro" (0 tickets), at the menu it was offered as a new ticket's descrição. The month's
bounds are the team's time zone's (America/Sao_Paulo): 30/11 22:30 in Brasília is November."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fakes.chat import chat_for

from core.conversation.listing_month import named, resolved
from core.models import Role
from core.services import closing, handling, users
from core.textmatch import fold

TODAY = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday 7/12/2026 10:00 in Brasília


def _months(world: Any) -> dict[str, Any]:
    """Carla's tickets of October (one closed), November (one at 30/11 22:30 in Brasília),
    December (one at 1/12 00:30), and João's of November; the clock then at 7/12/2026."""
    made = {}
    for name, who, at in (
            ("oct_open", "carla", datetime(2026, 10, 5, 13, 0, tzinfo=UTC)),
            ("oct_closed", "carla", datetime(2026, 10, 6, 13, 0, tzinfo=UTC)),
            ("nov", "carla", datetime(2026, 11, 10, 13, 0, tzinfo=UTC)),
            ("nov_joao", "joao", datetime(2026, 11, 11, 13, 0, tzinfo=UTC)),
            ("nov_late", "carla", datetime(2026, 12, 1, 1, 30, tzinfo=UTC)),
            ("dec", "carla", datetime(2026, 12, 1, 3, 30, tzinfo=UTC))):
        world.now = at
        made[name] = world.open(who, assunto=f"Assunto {name}")
    done = made["oct_closed"]
    world.run(handling.take, world.ids["ana"], done.id)
    world.run(closing.request_approval, world.ids["ana"], done.id, "Corrigido.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], done.id)
    world.now = TODAY
    return made


def _shows(text: str, made: dict[str, Any], *names: str) -> None:
    """The listing shows those tickets and no other of made."""
    shown = {name for name, ticket in made.items() if ticket.number in text}
    assert shown == set(names), text


NOVEMBER = ("nov", "nov_late")
FORMS = [
    ("tickets de novembro", "novembro de 2026", NOVEMBER),
    ("novembro", "novembro de 2026", NOVEMBER),
    ("Novembro", "novembro de 2026", NOVEMBER),
    ("de novembro de 2026", "novembro de 2026", NOVEMBER),
    ("nov/2026", "novembro de 2026", NOVEMBER),
    ("11/2026", "novembro de 2026", NOVEMBER),
    ("mês passado", "novembro de 2026", NOVEMBER),
    ("do mês passado", "novembro de 2026", NOVEMBER),
    ("meus chamados do mês passado", "novembro de 2026", NOVEMBER),
    ("este mês", "dezembro de 2026", ("dec",)),
    ("deste mês", "dezembro de 2026", ("dec",)),
    ("dezembro", "dezembro de 2026", ("dec",)),
    ("tickets de outubro", "outubro de 2026", ("oct_open", "oct_closed")),
    ("de novembro de 2025", "novembro de 2025", ()),
    ("tickets de 2026-11", "novembro de 2026", NOVEMBER),  # as the CLI's --month: it searched
]


@pytest.mark.parametrize(("typed", "month", "shown"), FORMS)
def test_r8_a_month_typed_at_the_listing_lists_that_month(world, typed, month, shown):
    """Before: "tickets de novembro" at Carla's listing searched "de novembro": 0 tickets."""
    made = _months(world)
    chat = chat_for(world, "carla")
    chat.send("meus tickets")
    chat.send(typed)
    listing = chat.prompt.text
    assert chat.state().step == "list.view"
    assert f"seus tickets, aba Todos, {month}: " in listing, listing
    assert "Busca:" not in listing
    _shows(listing, made, *shown)


@pytest.mark.parametrize(("typed", "month", "shown"), FORMS)
def test_r8_a_month_asked_at_the_menu_opens_its_listing(world, typed, month, shown):
    """Before: "tickets de novembro" at the menu was offered as a new ticket's descrição."""
    made = _months(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    listing = chat.prompt.text
    assert chat.state().step == "list.view", listing
    assert f"aba Todos, {month}: " in listing
    assert "Busca:" not in listing
    _shows(listing, made, *shown)


def test_r6_r8_a_tab_and_the_company_with_a_month(world):
    made = _months(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("encerrados de outubro")
    assert "seus tickets, aba Encerrados, outubro de 2026: 1 ticket." in chat.prompt.text
    _shows(chat.prompt.text, made, "oct_closed")
    chat.send("menu")
    chat.send("da empresa em novembro")
    assert "aba Todos, novembro de 2026: 3 tickets." in chat.prompt.text
    _shows(chat.prompt.text, made, "nov", "nov_joao", "nov_late")
    chat.send("últimos 7 dias")  # a window of days replaces the month
    assert "últimos 7 dias: 2 tickets" in chat.prompt.text
    _shows(chat.prompt.text, made, "nov_late", "dec")


@pytest.mark.parametrize(("typed", "month"), [
    ("november", "November 2026"), ("tickets from november", "November 2026"),
    ("last month", "November 2026"), ("this month", "December 2026"),
    ("my tickets from last month", "November 2026")])
def test_r8_a_month_in_english(world, typed, month):
    made = _months(world)
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send(typed)
    assert f"tab All, {month}: " in chat.prompt.text, chat.prompt.text
    _shows(chat.prompt.text, made, *(("dec",) if "this" in typed else NOVEMBER))


@pytest.mark.parametrize(("today", "typed", "month"), [
    (datetime(2027, 1, 10, 13, 0, tzinfo=UTC), "dezembro", "dezembro de 2026"),
    (datetime(2027, 1, 10, 13, 0, tzinfo=UTC), "janeiro", "janeiro de 2027"),
    (datetime(2027, 1, 10, 13, 0, tzinfo=UTC), "mês passado", "dezembro de 2026"),
    (datetime(2026, 12, 7, 13, 0, tzinfo=UTC), "janeiro", "janeiro de 2026"),
    # 1/12 02:00 UTC is still 30/11 (23:00) in Brasília
    (datetime(2026, 12, 1, 2, 0, tzinfo=UTC), "este mês", "novembro de 2026"),
])
def test_r8_a_month_without_a_year_is_the_latest_one_not_to_come(world, today, typed, month):
    """In January 2027 "dezembro" is December 2026; the date is Brasília's."""
    world.now = today
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send(typed)
    assert f"aba Todos, {month}: " in chat.prompt.text


def test_r8_the_periodo_question_offers_this_month_and_last_month(world):
    made = _months(world)
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Período")
    labels = chat.labels
    assert {"Últimos 7 dias", "Todo o período", "Este mês", "Mês passado"} <= {
        label[:1].upper() + label[1:] for label in labels}, labels
    chat.click(next(label for label in labels if label.lower() == "mês passado"))
    assert "aba Todos, novembro de 2026: 2 tickets." in chat.prompt.text
    _shows(chat.prompt.text, made, *NOVEMBER)
    chat.click("Período")
    chat.click(next(label for label in chat.labels if label.lower() == "este mês"))
    assert "aba Todos, dezembro de 2026: 1 ticket." in chat.prompt.text
    chat.click("Período")
    chat.click(next(label for label in chat.labels if label.lower() == "todo o período"))
    assert "aba Todos, todo o período: 5 tickets." in chat.prompt.text


@pytest.mark.parametrize(("typed", "window"), [
    ("2", "últimos 30 dias"), ("7", "últimos 7 dias"), ("6", "novembro de 2026"),
    ("novembro", "novembro de 2026"), ("últimos 15 dias", "últimos 15 dias"),
    ("mês passado", "novembro de 2026")])
def test_r8_the_periodo_answered_in_numbers_or_words(world, typed, window):
    """"7" stays seven days though the options are 7 now; a month typed there is that one."""
    _months(world)
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Período")
    chat.send(typed)
    assert chat.state().step == "list.view"
    assert f"aba Todos, {window}: " in chat.prompt.text


def test_r9_the_csv_export_of_a_month_holds_that_month(world):
    made = _months(world)
    chat = chat_for(world, "carla")
    chat.send("tickets de novembro")
    chat.click("Exportar CSV")
    reply = next(r for r in chat.replies if r.file is not None)
    assert "novembro de 2026" in reply.text
    content = reply.file.content.decode("utf-8-sig")
    assert {n for n, tk in made.items() if tk.number in content} == set(NOVEMBER)


def test_r8_an_agents_month_of_a_company(world):
    made = _months(world)
    world.open("rival", assunto="Da Loja Rival")  # December, another company
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("tickets de novembro da Mercado Exemplo")
    listing = chat.prompt.text
    assert "novembro de 2026: 3 tickets" in listing, listing
    assert "Mercado Exemplo" in listing.splitlines()[0]
    assert "Busca:" not in listing
    _shows(listing, made, "nov", "nov_joao", "nov_late")
    chat.send("encerrados de outubro")
    assert "aba Encerrados, outubro de 2026: 1 ticket." in chat.prompt.text


@pytest.mark.parametrize("typed", ["boleto de novembro", "a nota de novembro não saiu"])
def test_r8_a_matter_that_names_a_month_is_still_a_matter(world, typed):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step != "list.view"


def test_r8_a_months_bounds_are_brasilias_on_each_store(store, world_on):
    """30/11 22:30 in Brasília (1/12 01:30 UTC) is November's, 1/12 00:30 December's: listed
    and counted so on the memory store, SQLite and PostgreSQL."""
    world = world_on(store)
    made = _months(world)
    chat = chat_for(world, "carla")
    chat.send("tickets de novembro")
    assert "aba Todos, novembro de 2026: 2 tickets." in chat.prompt.text
    _shows(chat.prompt.text, made, *NOVEMBER)
    chat.send("dezembro")
    assert "aba Todos, dezembro de 2026: 1 ticket." in chat.prompt.text
    _shows(chat.prompt.text, made, "dec")


def test_r8_a_months_listing_is_half_open_at_its_edges_on_each_store(store, world_on):
    """30/11 23:59:59.999999 in Brasília is November's last moment, 1/12 00:00 December's
    first: each ticket listed in its own month only."""
    world = world_on(store)
    made = {}
    for name, at in (("last", datetime(2026, 12, 1, 2, 59, 59, 999999, tzinfo=UTC)),
                     ("first", datetime(2026, 12, 1, 3, 0, tzinfo=UTC))):
        world.now = at
        made[name] = world.open("carla", assunto=f"Assunto {name}")
    world.now = TODAY
    chat = chat_for(world, "carla")
    chat.send("tickets de novembro")
    assert "aba Todos, novembro de 2026: 1 ticket." in chat.prompt.text
    _shows(chat.prompt.text, made, "last")
    chat.send("dezembro")
    assert "aba Todos, dezembro de 2026: 1 ticket." in chat.prompt.text
    _shows(chat.prompt.text, made, "first")


@pytest.mark.parametrize(("typed", "month"), [
    ("tickets de março", "2026-03"), ("marco de 2026", "2026-03"), ("tickets do Marco", None),
    ("set", None), ("out/2026", "2026-10"), ("set 2025", "2025-09"), ("may", "2026-05"),
    ("no mês de novembro", "2026-11"), ("mês anterior", "2026-11"), ("13/2026", None),
    ("boleto", None), ("previous month", "2026-11"), ("current month", "2026-12"),
    ("2026-11", "2026-11"), ("de 2026/11", "2026-11"), ("2026-13", None), ("nf 2026 11", None)])
def test_r8_the_words_of_a_month(typed, month):
    """"marco" alone may be a name (an agent's "tickets do Marco"); short names need a year."""
    found = named(fold(typed), typed)
    assert (resolved(found[0], date(2026, 12, 7)) if found else None) == month


def test_r8_an_empty_month_offers_all_time_and_the_nearest_months_with_tickets(world):
    """Before: "tickets de setembro" with none said "Nenhum ticket aqui." and offered only the
    filters (Período had no month but this and the last): no way to the months with tickets."""
    made = _months(world)
    world.now = datetime(2026, 7, 15, 13, 0, tzinfo=UTC)
    made["jul"] = world.open("carla", assunto="Assunto jul")
    world.now = TODAY
    chat = chat_for(world, "carla")
    chat.send("tickets de setembro")
    assert "aba Todos, setembro de 2026: 0 tickets." in chat.prompt.text
    assert "Há tickets em julho de 2026 e em outubro de 2026." in chat.prompt.text
    assert chat.labels[:3] == ["Todo o período", "julho de 2026", "outubro de 2026"]
    chat.click("outubro de 2026")
    assert "aba Todos, outubro de 2026: 2 tickets." in chat.prompt.text
    _shows(chat.prompt.text, made, "oct_open", "oct_closed")
    chat.send("tickets de agosto")
    chat.click("julho de 2026")
    _shows(chat.prompt.text, made, "jul")
    chat.send("tickets de setembro")
    chat.click("Todo o período")
    assert "aba Todos, todo o período: 6 tickets." in chat.prompt.text
    chat.send("tickets de janeiro")  # January 2026: nothing before it
    assert "Há tickets em julho de 2026." in chat.prompt.text
    assert chat.labels[:2] == ["Todo o período", "julho de 2026"]
    world.speaks("carla", "en")
    chat.send("tickets for september")
    assert "There are tickets in July 2026 and in October 2026." in chat.prompt.text
    assert chat.labels[:3] == ["All time", "July 2026", "October 2026"]


def test_r8_an_empty_months_nearest_are_of_the_tickets_the_person_may_see(world):
    """João's one ticket is of November: Carla's of October and December are not his (R8)."""
    _months(world)
    chat = chat_for(world, "joao")
    chat.send("tickets de setembro")
    assert "Há tickets em novembro de 2026." in chat.prompt.text
    assert "outubro" not in chat.prompt.text
    assert chat.labels[:2] == ["Todo o período", "novembro de 2026"]
    chat.send("tickets de novembro de 2025")  # none in the months around but November 2026
    assert "Há tickets em novembro de 2026." in chat.prompt.text


def test_r8_a_month_with_no_ticket_around_offers_no_way_out(world):
    chat = chat_for(world, "carla")
    chat.send("tickets de setembro")
    assert "Nenhum ticket aqui." in chat.prompt.text
    assert "Há tickets" not in chat.prompt.text
    assert "Todo o período" not in chat.labels


@pytest.mark.parametrize("typed", ["tickets de março", "de março", "março", "tickets de maio"])
def test_r8_an_agents_month_is_no_colleague_whose_name_starts_with_it(world, typed):
    """Before: with Marcos Lima (or Maiara) on the team, an agent's "tickets de março" showed
    'Marcos Lima não tem tickets abertos.', his worklist, not the month's tickets."""
    for name, key in (("Marcos Lima", "marcos"), ("Maiara Reis", "maiara")):
        world.run(users.add_user, name=name, email=f"{key}@exemplo.com.br",
                  role=Role.COORDINATOR, trained=True)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(typed)
    month = "maio de 2026" if "maio" in typed else "março de 2026"
    assert chat.state().step == "list.view", chat.text
    assert f"todos os tickets, aba Todos, {month}: 0 tickets." in chat.prompt.text
    chat.send("tickets do Marcos")  # his name: his open tickets, as before
    assert "Marcos Lima não tem tickets abertos." in chat.text
