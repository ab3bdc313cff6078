"""R9: the knowledge base — articles with front matter and an accent-insensitive search."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.kb import Article, default_articles, parse_article, query_terms, search
from core.textmatch import contains, fold, words

ARTICLE = """---
title: Como enviar o XML da NF-e
tags: [NF-e, rejeição, XML]
---
Anexe a imagem da rejeição e o arquivo XML.
"""


def art(slug: str, title: str, tags: tuple[str, ...] = (), body: str = "") -> Article:
    return Article(slug=slug, title=title, tags=tags, body=body)


def test_r9_parse_article_with_front_matter() -> None:
    article = parse_article(ARTICLE, "nfe")
    assert article.slug == "nfe"
    assert article.title == "Como enviar o XML da NF-e"
    assert article.tags == ("NF-e", "rejeição", "XML")
    assert article.body == "Anexe a imagem da rejeição e o arquivo XML."


def test_r9_parse_article_falls_back_to_heading_then_slug() -> None:
    assert parse_article("# Horário\n\nTexto.", "h").title == "Horário"
    assert parse_article("Só texto.", "so-texto").title == "so-texto"
    with_comma_tags = parse_article("---\ntitle: T\ntags: a, b ,\n---\ncorpo", "t")
    assert with_comma_tags.tags == ("a", "b")
    assert with_comma_tags.body == "corpo"


@pytest.mark.parametrize(("text", "key"), [
    ("---\ntitle: [unclosed\n---\nx", "error.article_front_matter_invalid"),
    ("---\n- a list\n---\nx", "error.article_front_matter_invalid"),
    ("---\ntags: 3\n---\nx", "error.article_tags_invalid")])
def test_r9_bad_front_matter_is_invalid_input(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_article(text, "bad")
    assert caught.value.key == key


def test_r9_default_articles_ship_with_the_package() -> None:
    articles = default_articles()
    slugs = [a.slug for a in articles]
    assert slugs == sorted(slugs)
    assert {"nfe-rejeicao", "gravador-de-passos", "horario-atendimento"} <= set(slugs)
    for article in articles:
        assert article.title
        assert article.tags
        assert article.body
        assert not article.body.startswith("---")


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("rejeicao xml", "nfe-rejeicao"),
        ("REJEIÇÕES", "nfe-rejeicao"),
        ("psr.exe", "gravador-de-passos"),
        ("gravador", "gravador-de-passos"),
        ("horario", "horario-atendimento"),
        ("feriado", "horario-atendimento"),
        ("o que o contrato cobre", "cobertura-contrato"),
        ("cobrança", "cobertura-contrato"),
    ],
)
def test_r9_search_finds_the_sample_articles(query: str, slug: str) -> None:
    assert search(default_articles(), query)[0].slug == slug


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("how do I open a good ticket", "abrir-ticket"),
        ("invoice rejected, the XML", "nfe-rejeicao"),
        ("rejection", "nfe-rejeicao"),
        ("steps recorder", "gravador-de-passos"),
        ("screenshots", "gravador-de-passos"),
        ("business hours", "horario-atendimento"),
        ("holidays", "horario-atendimento"),
        ("what does the contract cover", "cobertura-contrato"),
        ("billing", "cobertura-contrato"),
    ],
)
def test_r9_english_words_find_the_sample_articles(query: str, slug: str) -> None:
    """The articles are in Portuguese; an English chat found them only by Portuguese words."""
    assert search(default_articles(), query)[0].slug == slug


@pytest.mark.parametrize("query", ["what is this", "how do I", "is it the"])
def test_r9_english_common_words_alone_ask_for_a_word_about_the_problem(query) -> None:
    with pytest.raises(InvalidInput) as err:
        search(default_articles(), query)
    assert err.value.key == "error.kb_common_words"


def test_r9_title_and_tag_matches_rank_above_body_matches() -> None:
    body_only = art("b", "Outro assunto", body="fala de backup no meio do texto")
    in_title = art("t", "Backup diário")
    in_tag = art("g", "Rotina noturna", tags=("backup",))
    ranked = search([body_only, in_title, in_tag], "backup")
    assert [a.slug for a in ranked[2:]] == ["b"]
    assert {a.slug for a in ranked[:2]} == {"t", "g"}


def test_r9_more_matched_words_rank_first_and_misses_are_dropped() -> None:
    both = art("both", "Nota", body="xml")
    one = art("one", "Nota fiscal eletrônica")
    none = art("none", "Horário")
    assert [a.slug for a in search([one, none, both], "nota xml")] == ["both", "one"]


def test_r9_empty_query_lists_all_by_title_and_limit_applies() -> None:
    articles = [art("z", "Zebra"), art("a", "abacaxi"), art("m", "Manga")]
    assert [a.slug for a in search(articles, "   ")] == ["a", "m", "z"]
    assert [a.slug for a in search(articles, "", limit=2)] == ["a", "m"]
    assert search(articles, "inexistente") == []


@pytest.mark.parametrize("query", ["o que é isso", "de da do", "  de  ", "Quero ver isso aqui"])
def test_r9_a_query_of_common_words_only_asks_for_a_word_about_the_problem(query) -> None:
    """Such a query matched nothing to rank by and listed every article."""
    with pytest.raises(InvalidInput) as err:
        search(default_articles(), query)
    assert err.value.key == "error.kb_common_words"


def test_r9_query_terms_drop_stopwords_and_fold() -> None:
    assert query_terms("Como enviar as Notas da NF-e") == ["enviar", "nota", "nf"]


def test_text_folding_is_accent_and_case_insensitive() -> None:
    assert fold("  Rejeição   NÃO-funciona! ") == "rejeicao nao funciona"
    assert words("") == []
    assert contains(fold("A instalação falhou"), "instal*")
    assert contains(fold("Erro na leitura"), "erro")
    assert not contains(fold("Erro na leitura"), "lei")
    assert not contains("qualquer", "  ")


def test_r9_words_every_article_shares_do_not_drag_in_unrelated_articles() -> None:
    common = [art(f"a{i}", f"Rotina {i}", body=f"O sistema faz a rotina {i} todo dia.")
              for i in range(4)]
    nota = art("nota", "Nota fiscal rejeitada", tags=("NF-e",),
               body="Quando o sistema não emite a nota fiscal, veja a rejeição.")
    query = "o sistema não emite nota fiscal desde ontem"
    assert [a.slug for a in search([*common, nota], query)] == ["nota"]
    # A rare word found only in an article's body still finds it.
    assert [a.slug for a in search([*common, nota], "rejeição")] == ["nota"]


def test_r9_short_words_match_whole_words_only() -> None:
    versao = art("v", "Versão do sistema", body="Como saber a versão instalada.")
    assert search([versao], "sis") == []
    assert [a.slug for a in search([versao], "sist")] == ["v"]


def test_r9_markdown_blocks_read_plainly_in_the_chat() -> None:
    from core.markdown_text import plain_text

    text = plain_text("# Título\n\nEscreva para [fiscal@x.com](mailto:fiscal@x.com) ou veja "
                      "<https://x.com>.\n\n3. três\n4. quatro\n   - detalhe\n\n"
                      "| Campo | Valor |\n|---|---|\n| CFOP | 5102 |\n\n"
                      "```\nC:\\\\psr.exe  /start\n```\n\n"
                      "![tela de erro](erro.png)")
    assert text == ("Título\n\nEscreva para fiscal@x.com ou veja https://x.com.\n\n"
                    "3. três\n4. quatro\n  • detalhe\n\nCampo | Valor\nCFOP | 5102\n\n"
                    "C:\\\\psr.exe  /start\n\ntela de erro")


@pytest.mark.parametrize("lang", ["pt_BR", "en"])
def test_r9_the_words_the_common_words_refusal_suggests_find_articles(lang):
    """Its examples 'caixa' and 'estoque' found no shipped article: a suggestion that failed."""
    from core.i18n import t

    said = t("error.kb_common_words", lang, words="de da do")
    examples = said.rsplit(":", 1)[1].strip().rstrip(".").split(", ")
    assert len(examples) >= 4
    for word in examples:
        assert search(default_articles(), word), word
