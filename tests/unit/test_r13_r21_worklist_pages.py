"""R13, R21: the support team's overdue and awaiting-approval lists read page by page, each
page the next tickets in the list's own order, none twice."""

from __future__ import annotations

from typing import Any

from core.services import closing, handling, worklists


def numbers(page: Any) -> list[str]:
    return [k.number for k in page.tickets]


def test_r13_r21_the_overdue_and_awaiting_lists_page_in_their_order(world: Any) -> None:
    tickets = [world.open() for _ in range(5)]
    for ticket in tickets:
        world.run(handling.take, world.ids["ana"], ticket.id)
        world.advance(minutes=1)  # the prazos one minute apart: the order is theirs
    world.advance(days=30)
    ana = world.ids["ana"]
    pages = [world.run(worklists.overdue, ana, 2, n) for n in range(3)]
    assert [numbers(p) for p in pages] == [[k.number for k in tickets[i:i + 2]]
                                           for i in (0, 2, 4)]
    assert {(p.page, p.total, p.pages) for p in pages} == {(0, 5, 3), (1, 5, 3), (2, 5, 3)}
    for ticket in reversed(tickets):  # the last answered waits longest
        world.run(closing.request_approval, ana, ticket.id, "Corrigido.", "erro_sistema")
        world.advance(minutes=1)
    pages = [world.run(worklists.awaiting_approval, ana, 2, n) for n in range(3)]
    assert [numbers(p) for p in pages] == [[k.number for k in tickets[::-1][i:i + 2]]
                                           for i in (0, 2, 4)]
    assert world.run(worklists.overdue, ana, 2, 0).total == 0
