"""R9: what Slack's *Enviar artigo* form relies on in core: the articles a ticket's words point
to (its suggestion first), and an article sent once per form (`after`)."""

from __future__ import annotations

import pytest

from core.errors import Conflict, NotFound
from core.kb import Article, default_articles, related
from core.services import articles_sent

NFE = "nfe-rejeicao"


def by_slug(slug: str) -> Article:
    return next(a for a in default_articles() if a.slug == slug)


def test_r9_a_tickets_words_put_the_article_they_name_first() -> None:
    found = related(default_articles(), "Rejeição da NF-e ao enviar o XML\nA SEFAZ rejeitou", 5)
    assert [a.slug for a in found][:1] == [NFE]
    assert len(found) == len({a.slug for a in found})


def test_r9_words_of_any_complaint_point_to_no_article_and_limit_is_kept() -> None:
    assert related(default_articles(), "Erro no sistema, ajuda com o problema", 5) == []
    assert len(related(default_articles(), "atendimento ticket passos nota", 2)) <= 2


def test_r9_a_form_sends_its_article_once_and_names_who_sent_it_meanwhile(world) -> None:
    ticket = world.open("carla")
    start = world.run(articles_sent.latest_entry, ticket.id)
    world.run(articles_sent.send_article, world.ids["bruno"], ticket.id, by_slug(NFE), start)
    with pytest.raises(Conflict) as refused:
        world.run(articles_sent.send_article, world.ids["ana"], ticket.id, by_slug(NFE), start)
    assert refused.value.key == articles_sent.ALREADY_SENT
    assert refused.value.params["author"] == "Bruno Suporte"
    # another article, or the same from a form opened since, goes
    world.run(articles_sent.send_article, world.ids["ana"], ticket.id,
              by_slug("gravador-de-passos"), start)
    later = world.run(articles_sent.latest_entry, ticket.id)
    world.run(articles_sent.send_article, world.ids["ana"], ticket.id, by_slug(NFE), later)
    public = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert sum(e.text.startswith("**Como enviar a rejeição") for e in public) == 2


def test_r9_an_article_removed_from_the_base_is_gone(world) -> None:
    with pytest.raises(NotFound) as gone:
        world.run(articles_sent.article_by_slug, "nao-existe")
    assert gone.value.key == articles_sent.GONE
