"""R8: a customer's search that finds none of her own tickets looks among her companies' in
one grouped count, however many companies she belongs to (an accountant serving forty shops)."""

from __future__ import annotations

from typing import Any

from test_registration_statements import round_trips

from core.conversation import handle, parse, terminal_key
from core.i18n import t
from core.services import intake, users
from core.services.context import Ctx

COMPANIES = 12


def seed(ctx: Ctx) -> int:
    """Lia in twelve shops; a PDV ticket in two of them (three in the last), by others."""
    names = [f"Loja {n:02d}" for n in range(COMPANIES)]
    for name in names:
        users.add_company(ctx, name)
    lia = users.add_user(ctx, name="Lia Contadora", email="lia@contabil.example.com",
                         company_names=names, trained=True)
    for shop, count in ((names[3], 1), (names[10], 3)):
        other = users.add_user(ctx, name=f"Gerente {shop}", email=f"g{shop[-2:]}@x.example.com",
                               company_names=[shop], trained=True)
        for n in range(count):
            intake.open_ticket(ctx, other.id, intake.TicketDraft(
                tipo_id="varejo", item_id="suporte", servico_id="vendas", versao="2026.11",
                assunto=f"PDV trava no caixa {n}", descricao="Vendas > PDV: trava ao abrir."))
    assert lia.id is not None
    return lia.id


def test_r8_a_search_none_of_hers_finds_counts_her_companies_in_one_statement(desk: Any) -> None:
    lia = desk.call(seed)
    key = terminal_key(lia)
    for typed in ("tickets", "buscar"):
        desk.call(handle, key, parse(typed))
    with round_trips(desk) as sent:
        replies = desk.call(handle, key, parse("PDV"))
    shown = replies[-1].text
    found = "; ".join([t("conv.list.company_count", "pt_BR", company="Loja 03", count=1),
                       t("conv.list.company_count", "pt_BR", company="Loja 10", count=3)])
    assert t("conv.list.found_in_companies", "pt_BR", found=found) in shown
    on_tickets = [sql for sql, _ in sent if "FROM tickets" in sql]
    # Her own search (a page and its count, in every tab and period), then one for all twelve
    # companies: it was a page and a count for each company, 24 statements.
    assert len(on_tickets) <= 6, on_tickets


def test_r8_a_search_of_all_her_companies_reads_only_those_where_it_found_some(
        desk: Any) -> None:
    """Slack's /tickets buscar for a customer: every company counted at once, then a page of
    each one holding matches (it was a page and a count for each of the twelve)."""
    from core.services import queries

    lia = desk.call(seed)
    with round_trips(desk) as sent:
        page = desk.call(queries.search, lia, "PDV", 10)
    assert page.total == 4
    assert [k.assunto for k in page.tickets] == [
        "PDV trava no caixa 2", "PDV trava no caixa 1", "PDV trava no caixa 0",
        "PDV trava no caixa 0"]
    assert len([sql for sql, _ in sent if "FROM tickets" in sql]) <= 5  # twelve: 24
