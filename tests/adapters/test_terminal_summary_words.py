"""A matter typed at the summary (R9) is kept and offered as a new ticket, as at the menu."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_typed import T0, carla_and_ana

from bots.runtime import Desk
from bots.terminal.chat import TerminalChat
from core.i18n import t
from core.services import users

WORDS = "o caixa 2 travou de novo ao fechar o dia"


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def test_r9_a_matter_typed_at_the_summary_is_offered_as_a_new_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """Looking at her counts, Carla typed her problem: 'Não entendi. Escolha uma das
    opções', the words gone. They are offered as a new ticket, as at the menu."""
    carla, _ = carla_and_ana(desk)
    out = io.StringIO()
    TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO(f"resumo\n{WORDS}\nmeus tickets\nsair\n"), stdout=out).run()
    after = out.getvalue().split(f"> {WORDS}\n", 1)[1].split("> meus tickets", 1)[0]
    assert not after.startswith(t("conv.error.choose")), after
    assert WORDS in after
    assert t("conv.typed.offer", text=WORDS) in after


@pytest.mark.parametrize(("typed", "language"), [("inglês", "en"), ("em português", "pt_BR")])
def test_r11_the_language_named_in_words_is_picked(desk: Desk, tmp_path: Path, typed: str,
                                                   language: str) -> None:
    """'inglês' at 'Em qual idioma você prefere conversar?' (options Português (Brasil),
    English) was not understood: the language's name in either language picks it."""
    carla, _ = carla_and_ana(desk)
    out = io.StringIO()
    first = "2" if language == "pt_BR" else "1"  # from the other language
    TerminalChat(desk, carla.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO(f"perfil\n3\n{first}\nperfil\n3\n{typed}\nsair\n"),
                 stdout=out).run()
    with desk.store() as uow:
        stored = uow.users.get(carla.id or 0)
    assert stored is not None
    assert stored.language == language, out.getvalue()[-600:]


def test_r2_a_search_with_no_article_does_not_tell_an_untrained_customer_to_open_a_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """Pedro, not yet trained, was refused a ticket, offered the knowledge base, and told
    there 'Não encontrei artigos … Tente outras palavras ou abra um ticket.' He is told whom
    to ask about the training instead, as at the refusal."""
    carla_and_ana(desk)
    pedro = desk.call(users.add_user, name="Pedro Alves", email="pedro@example.com",
                      company_names=["Mercado Exemplo"], trained=False)
    out = io.StringIO()
    TerminalChat(desk, pedro.id or 0, files_dir=tmp_path / "files", out_dir=tmp_path,
                 stdin=io.StringIO("kb xyzzy plugh\nsair\n"), stdout=out).run()
    after = out.getvalue().split("> kb xyzzy plugh\n", 1)[1]
    assert after.startswith(t("conv.kb.none_untrained", query="xyzzy plugh", contact=""))
    assert t("conv.kb.none", query="xyzzy plugh") not in after
