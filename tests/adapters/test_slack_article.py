"""R7, R9: "!artigo PALAVRAS" in a card's thread sends the knowledge-base article the words
(or its id) name to the customer as a trâmite, its whole text; words that name none, or
several, send nothing and are told to the agent only; through the real slack-bolt app and
signed requests."""

from __future__ import annotations

from collections.abc import Callable

from slack_harness import Scenario, SlackWorld
from test_slack_lists import answer

from core.i18n import t

NFE = "Como enviar a rejeição e o XML de uma NF-e"


def test_r9_bang_artigo_sends_the_article_to_the_customer_as_a_tramite(
        run: Callable[[Scenario], None]) -> None:
    """An agent answering from Slack typed the NF-e instructions again for every ticket."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "!artigo xml nf-e")
        await w.until(lambda: w.fake.of("reactions.add"))
        assert w.fake.of("reactions.add")[-1]["name"] == "white_check_mark"
        sent = [m for m in await w.outbox() if m.kind == "ticket.tramite"]
        assert sent
        assert sent[-1].params["text"].startswith(f"**{NFE}**")
        assert "SEFAZ" in sent[-1].params["text"]
        await w.thread_reply("UANA", ts, "!artigo gravador-de-passos")  # by its id
        await w.until(lambda: len(w.fake.of("reactions.add")) == 2)

    run(scenario)


def test_r9_words_naming_no_article_or_several_send_nothing_and_say_so(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "!artigo xyzzy")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == t("error.article_none", words="xyzzy")
        await w.thread_reply("UANA", ts, "!artigo arquivo")
        told = (await w.until(lambda: w.fake.of("chat.postEphemeral")[1:]))[0]
        assert told["text"].startswith("Mais de um artigo para “arquivo”")
        assert not [m for m in await w.outbox() if m.kind == "ticket.tramite"]

    run(scenario)


def test_r9_ticket_artigos_lists_the_articles_with_the_id_bang_artigo_takes(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        every = await answer(w, "UANA", "artigos")
        assert every["text"].startswith(t("slack.cmd.articles_title"))
        assert f"• {NFE} — `nfe-rejeicao`" in every["text"]
        assert "`gravador-de-passos`" in every["text"]
        found = await answer(w, "UANA", "artigos xml")
        assert "`nfe-rejeicao`" in found["text"]
        assert "`gravador-de-passos`" not in found["text"]
        assert (await answer(w, "UANA", "artigos xyzzy"))["text"] == \
            t("error.article_none", words="xyzzy")
        assert (await answer(w, "UCARLA", "artigos"))["text"] == t("error.staff_only")

    run(scenario)


def test_r9_huge_words_after_bang_artigo_or_cliente_are_cut_and_answered_quickly(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "!artigo " + "xyzzy " * 5000)
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"].startswith("Nenhum artigo da base de conhecimento para “xyzzy")
        assert len(told["text"]) < 600
        reply = await answer(w, "UANA", "cliente " + "carla " * 2000)
        assert reply["text"].startswith("Cliente carla carla")
        assert len(reply["text"]) < 600

    run(scenario)
