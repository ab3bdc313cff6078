"""Words an agent types alone in a card's thread that name a team action: done, or pointed to
the card's button; never a trâmite the customer reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_harness import TRIAGE, Scenario, SlackWorld

from core.i18n import t
from core.models import Role, Status
from core.services import closing, handling, users


def speaks(ctx: Any, user_id: int, language: str = "en") -> None:
    user = ctx.uow.users.get(user_id)
    user.language = language
    ctx.uow.users.update(user)


async def tramites_to_carla(w: SlackWorld) -> list[str]:
    return [m.params.get("text") for m in await w.outbox()
            if m.kind == "ticket.tramite" and m.target == "user:UCARLA"]


def test_r6_r7_assumo_and_repassa_pro_bruno_typed_in_the_thread_act_and_reach_no_customer(
        run: Callable[[Scenario], None]) -> None:
    """Ana typed "assumo" in a Novo ticket's thread: Carla got "assumo" as the agent's answer
    (by Slack and e-mail). Then "assumo" again and "repassa pro Bruno": Carla got those too,
    and the ticket stayed Ana's. As in the team's chat, the words take the ticket, say it is
    already hers, hand it to Bruno; none reaches Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "assumo")
        await w.until(lambda: w.fake.of("reactions.add"))
        await w.idle()
        stored = await w.ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, w.ids["ana"])
        await w.deliver()
        assert any("Ana Atendente assumiu o ticket" in m["text"]
                   for m in w.fake.thread(TRIAGE, ts))
        await w.thread_reply("UANA", ts, "Assumo.")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == t("error.already_yours", number=ticket.number)
        await w.thread_reply("UANA", ts, "repassa pro Bruno")

        async def handed() -> Any:
            stored = await w.ticket(ticket.id)
            return stored if stored.assignee_id == w.ids["bruno"] else None

        assert (await w.until(handed)).status == Status.ASSIGNED
        await w.idle()
        assert await tramites_to_carla(w) == []

    run(scenario)


def test_r7_r19_enviar_solucao_typed_in_the_thread_names_the_button_in_the_agents_language(
        run: Callable[[Scenario], None]) -> None:
    """"enviar solução", "Solução de contorno" typed in the thread went to Carla as answers.
    They are refused, only Ana reads why (the card's button that does it, in her language),
    and nothing goes to Carla; a whole answer still goes."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UBRUNO", ts, "enviar solução")
        await w.thread_reply("UBRUNO", ts, "Solução de contorno")
        await w.core(speaks, w.ids["ana"])
        await w.thread_reply("UANA", ts, "send the solution")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 3
                             and w.fake.of("chat.postEphemeral"))
        assert sorted((m["user"], m["text"]) for m in told) == sorted([
            ("UBRUNO", t("slack.refuse.action_words", words="enviar solução",
                         button="Solicitar aprovação")),
            ("UBRUNO", t("slack.refuse.action_words", words="Solução de contorno",
                         button="Solução de contorno")),
            ("UANA", t("slack.refuse.action_words", "en", words="send the solution",
                       button="Request approval"))])
        await w.idle()
        assert await tramites_to_carla(w) == []
        assert (await w.ticket(ticket.id)).status == Status.NEW
        await w.thread_reply("UANA", ts, "Carla, vou enviar a solução ainda hoje.")
        assert await w.until(lambda: tramites_to_carla(w)) == [
            "Carla, vou enviar a solução ainda hoje."]

    run(scenario)


def test_r6_r19_assumo_on_a_ticket_awaiting_approval_names_its_status_and_files_still_go(
        run: Callable[[Scenario], None]) -> None:
    """"assumo" on a ticket awaiting Carla's approval said the ticket did not allow it 'no
    status atual', naming none; it names the status, in the agent's language. "assumo" sent
    with a file is for Carla: the file and the words reach her as before."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Ajustado.",
                     "erro_sistema")
        await w.core(speaks, w.ids["bruno"])
        await w.thread_reply("UBRUNO", ts, "repassa pro Ana")
        await w.thread_reply("UANA", ts, "assumo")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                             and w.fake.of("chat.postEphemeral"))
        assert sorted((m["user"], m["text"]) for m in told) == [
            ("UANA", t("slack.refuse.words_status", number=ticket.number,
                       status="Aguardando aprovação")),
            ("UBRUNO", t("slack.refuse.words_status", "en", number=ticket.number,
                         status="Awaiting approval"))]
        other = await w.open_ticket(assunto="Outro erro")
        await w.deliver()
        other_ts = await w.card_ts(other.id)
        xml = w.fake.add_file("nota.xml", b"<nfeProc/>", "text/xml")
        await w.thread_reply("UANA", other_ts, "assumo", subtype="file_share", files=[xml])
        assert await w.until(lambda: tramites_to_carla(w)) == ["assumo"]

    run(scenario)


def test_r6_an_english_speaking_agent_sets_the_justification_with_its_english_marker(
        run: Callable[[Scenario], None]) -> None:
    """Ana reads English: the refusal of an unknown marker called it the justificativa, and
    her "!justification Waiting for the vendor" was refused as an unknown marker. It sets the
    text beside the status, as "!justificativa" does; her refusals name "!justification"."""
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "!justification Waiting for the vendor")
        await w.until(lambda: w.fake.of("reactions.add"))
        assert (await w.ticket(ticket.id)).justificativa == "Waiting for the vendor"
        await w.thread_reply("UANA", ts, "!justify it")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert "!justification" in told["text"]
        assert told["text"] == t("slack.refuse.unknown_marker", "en", marker="!justify")
        assert await tramites_to_carla(w) == []

    run(scenario)


def test_r7_a_file_sent_alone_in_the_thread_reaches_the_customer_without_an_empty_line(
        run: Callable[[Scenario], None]) -> None:
    """Ana shared the XML in the thread without a word: Carla read "Ana Atendente escreveu no
    ticket …:", an empty line, then "Anexos: nota.xml". The files' line follows at once."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        xml = w.fake.add_file("nota.xml", b"<nfeProc/>", "text/xml")
        await w.thread_reply("UANA", ts, "", subtype="file_share", files=[xml])
        await w.until(lambda: tramites_to_carla(w))
        await w.deliver()
        [said] = [m["text"] for m in w.fake.of("chat.postMessage")
                  if m["channel"] == "DCARLA" and "nota.xml" in m["text"]]
        assert said.endswith(f"{ticket.number} — {ticket.assunto}:\nAnexos: nota.xml"), said

    run(scenario)


def test_r7_words_to_a_colleague_called_by_name_in_the_thread_reach_no_customer(
        run: Callable[[Scenario], None]) -> None:
    """"Bruno, pode olhar esse?" typed in the thread went to Carla as Ana's answer; a Slack
    mention of Bruno was refused, his name typed was not. It is refused as the mention is,
    only Ana told why; "Carla, …" and "Olá Carla, …" still reach Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "Bruno, pode olhar esse? É o XML de novo")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == t("slack.refuse.colleague_called", name="Bruno")
        await w.thread_reply("UANA", ts, "@bruno suporte: viu isso?")
        await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2)
        await w.thread_reply("UANA", ts, "Carla, pode reenviar a nota?")
        await w.thread_reply("UANA", ts, "Olá Carla, já corrigimos.")
        await w.until(lambda: len(w.fake.of("reactions.add")) >= 2)
        await w.idle()
        assert sorted(await tramites_to_carla(w)) == [
            "Carla, pode reenviar a nota?", "Olá Carla, já corrigimos."]

    run(scenario)


def test_r6_passa_para_o_financeiro_says_nobody_is_called_so_and_names_whom_it_can_go_to(
        run: Callable[[Scenario], None]) -> None:
    """"passa para o financeiro" (a module, not a person) typed in the thread was refused as
    words asking for the card's Repassar, naming nobody it could go to. There are no teams to
    hand a ticket to: Bruno is told nobody on the team is called "financeiro", the ticket not
    handed, and whom it can go to by name; in English for Ana. "repassa pro Ana" with two
    Anas names both. Nothing reaches Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        await w.thread_reply("UBRUNO", ts, "passa para o financeiro")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert (told["user"], told["text"]) == ("UBRUNO", (
            "Ninguém da equipe de suporte se chama “financeiro”, então o ticket "
            f"{ticket.number} não foi repassado e nada foi enviado ao cliente. Ele pode ir "
            "para Ana Atendente ou Dora Semslack: escreva, por exemplo, “repassar para Ana”, "
            "ou use *Repassar para…* no card."))
        await w.core(speaks, w.ids["ana"])
        await w.core(lambda ctx: users.add_user(
            ctx, name="Ana Beatriz", email="anab@example.com", company_names=[],
            role=Role.AGENT, trained=True, slack_id="UANAB"))
        await w.thread_reply("UANA", ts, "hand it over to finance")
        await w.thread_reply("UBRUNO", ts, "repassa pro Ana")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 3
                             and w.fake.of("chat.postEphemeral"))
        assert sorted((m["user"], m["text"]) for m in told[1:]) == [
            ("UANA", "No one on the support team is called “finance”, so ticket "
             f"{ticket.number} was not handed over and nothing was sent to the customer. It "
             "can go to Ana Beatriz or Dora Semslack: type, for example, “assign to Dora”, "
             "or use *Assign to…* on the card."),
            ("UBRUNO", "Mais de uma pessoa da equipe se chama “Ana”: Ana Atendente e Ana "
             f"Beatriz. O ticket {ticket.number} não foi repassado e nada foi enviado ao "
             "cliente: escreva o nome inteiro, por exemplo, “repassar para Ana Atendente”, ou use "
             "*Repassar para…* no card.")]
        await w.idle()
        assert await tramites_to_carla(w) == []
        assert (await w.ticket(ticket.id)).assignee_id == w.ids["bruno"]

    run(scenario)


def test_r6_r7_a_hand_over_said_in_a_whole_sentence_hands_it_and_reaches_no_customer(
        run: Callable[[Scenario], None]) -> None:
    """"pode passar o ticket para o Bruno" (seven words) went to Carla as Ana's answer, the
    ticket still Ana's: only five words or fewer were read as a hand-over. It hands the
    ticket to Bruno, as "repassa pro Bruno" does; "pode transferir o chamado para o
    financeiro" is refused naming whom it can go to. Nothing reaches Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.thread_reply("UANA", ts, "pode transferir o chamado para o financeiro")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == t("slack.refuse.assign_nobody", name="financeiro",
                                 number=ticket.number, names="Bruno Suporte ou Dora Semslack",
                                 example="Bruno", button="Repassar para…")
        await w.thread_reply("UANA", ts, "pode passar o ticket para o Bruno")

        async def handed() -> Any:
            stored = await w.ticket(ticket.id)
            return stored if stored.assignee_id == w.ids["bruno"] else None

        assert (await w.until(handed)).status == Status.ASSIGNED
        await w.idle()
        assert await tramites_to_carla(w) == []

    run(scenario)


def test_r19_r21_reabrir_and_encerrar_typed_in_the_thread_say_why_for_the_tickets_status(
        run: Callable[[Scenario], None]) -> None:
    """"reabrir" typed in the thread went to Carla as Ana's answer, on an open ticket and on a
    closed one; "encerrar" and "prioridade crítica" on a ticket awaiting Carla's approval
    pointed Ana to card buttons that status does not show. Each now says why, as the team's
    chat does (nothing to reopen, never reopened, closes by the approval; the status that
    refuses the action), in the agent's language; nothing reaches Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.thread_reply("UANA", ts, "reabrir")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == (f"O ticket {ticket.number} está aberto (Em atendimento): não há "
                                "o que reabrir. “reabrir” não foi enviado ao cliente.")
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Ajustado.",
                     "erro_sistema")
        await w.thread_reply("UANA", ts, "encerrar")
        await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2)
        await w.thread_reply("UANA", ts, "prioridade crítica")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 3
                             and w.fake.of("chat.postEphemeral"))
        assert [m["text"] for m in told[1:]] == [
            f"O ticket {ticket.number} já aguarda a aprovação do cliente: ele se encerra quando "
            "o cliente aprovar, ou sozinho após 15 dias sem resposta. “encerrar” não foi "
            "enviado ao cliente.",
            t("slack.refuse.words_status", number=ticket.number,
              status="Aguardando aprovação")]
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        await w.thread_reply("UANA", ts, "Reabrir o ticket")
        await w.core(speaks, w.ids["bruno"])
        await w.thread_reply("UBRUNO", ts, "reopen it")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 5
                             and w.fake.of("chat.postEphemeral"))
        assert sorted((m["user"], m["text"]) for m in told[3:]) == [
            ("UANA", f"O ticket {ticket.number} está encerrado e não pode ser reaberto: um "
             "ticket aprovado, ou encerrado como aprovado após os dias sem resposta, nunca "
             "volta. Se o problema voltou, o cliente abre um ticket novo, que cita este. "
             "“Reabrir o ticket” não foi enviado ao cliente."),
            ("UBRUNO", f"Ticket {ticket.number} is closed and cannot be reopened: a ticket "
             "approved, or closed as approved after the days without an answer, never comes "
             "back. If the problem is back, the customer opens a new ticket, which cites this "
             "one. “reopen it” was not sent to the customer.")]
        await w.idle()
        assert await tramites_to_carla(w) == []

    run(scenario)


def test_r12_critical_priority_said_adjective_first_names_the_priority_button(
        run: Callable[[Scenario], None]) -> None:
    """"critical priority", typed by an English-speaking agent in the thread, went to Carla
    as her answer ("priority critical" was read as the action); so did "set priority to
    critical", "mark it as critical" and "marcar como crítico". Each is refused naming the
    card's Prioridade…, in the agent's language; nothing reaches Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        await w.core(speaks, w.ids["ana"])
        typed = ["critical priority", "set priority to critical", "mark it as critical"]
        for words in typed:
            await w.thread_reply("UANA", ts, words)
        await w.thread_reply("UBRUNO", ts, "marcar como crítico")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 4
                             and w.fake.of("chat.postEphemeral"))
        assert sorted(m["text"] for m in told) == sorted([
            *(t("slack.refuse.action_words", "en", words=words, button="Priority…")
              for words in typed),
            t("slack.refuse.action_words", words="marcar como crítico", button="Prioridade…")])
        await w.idle()
        assert await tramites_to_carla(w) == []

    run(scenario)


def test_r7_thanks_to_a_colleague_named_at_the_end_reach_no_customer(
        run: Callable[[Scenario], None]) -> None:
    """"obrigada, Bruno" typed in the thread (Ana thanking a colleague who helped) went to
    Carla as Ana's answer; "Bruno, …" at the start was refused, his name at the end was not.
    A short message ending by calling a colleague ("valeu Bruno!", "thanks, Bruno") is the
    team's: refused, Ana told why and how to keep it as a note; "Obrigada, Carla" and an
    answer naming Bruno in a sentence still reach Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "obrigada, Bruno")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == (
            "Sua mensagem termina chamando Bruno, da equipe, então não foi enviada ao cliente. "
            "Para falar com a equipe, use !nota (ex.: !nota obrigada, Bruno); para responder ao "
            "cliente, escreva sem esse nome no fim.")
        await w.core(speaks, w.ids["ana"])
        await w.thread_reply("UANA", ts, "valeu Bruno!")
        await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2)
        assert w.fake.of("chat.postEphemeral")[1]["text"].startswith(
            "Your message ends by calling Bruno, of the team,")
        await w.thread_reply("UANA", ts, "Obrigada, Carla")
        await w.thread_reply("UANA", ts, "O técnico que vai te ligar é o Bruno")
        await w.until(lambda: len(w.fake.of("reactions.add")) >= 2)
        await w.idle()
        assert sorted(await tramites_to_carla(w)) == [
            "O técnico que vai te ligar é o Bruno", "Obrigada, Carla"]

    run(scenario)


def test_r12_a_ticket_command_word_typed_in_the_thread_names_the_slash_command(
        run: Callable[[Scenario], None]) -> None:
    """"próximo" typed in a card's thread (Ana done with the ticket, wanting the queue's
    next) went to Carla as Ana's answer; so did "fila" and "ticket relatório". Words that
    are /ticket's alone are refused, Ana told which command does it, in her language;
    nothing reaches Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "próximo")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == (
            "“próximo” é um comando da equipe, então não foi enviado ao cliente: use "
            "`/ticket proximo`. Para responder ao cliente, escreva a resposta inteira; para "
            "falar com a equipe, comece com !nota.")
        await w.thread_reply("UANA", ts, "ticket relatório")
        await w.core(speaks, w.ids["bruno"])
        await w.thread_reply("UBRUNO", ts, "queue")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 3
                             and w.fake.of("chat.postEphemeral"))
        assert sorted((m["user"], m["text"].split(":")[1]) for m in told[1:]) == [
            ("UANA", " use `/ticket relatorio`. Para responder ao cliente, escreva a resposta "
             "inteira; para falar com a equipe, comece com !nota."),
            ("UBRUNO", " use `/ticket queue`. To answer the customer, write the whole answer; "
             "to talk to the team, start with !note.")]
        await w.idle()
        assert await tramites_to_carla(w) == []

    run(scenario)


def test_r7_ajuda_typed_in_the_thread_names_ticket_ajuda(
        run: Callable[[Scenario], None]) -> None:
    """"ajuda" typed in a card's thread (an agent new to the desk, as in the team's chat)
    went to Carla as the agent's answer. It is refused naming `/ticket ajuda`, where the
    commands are; nothing reaches Carla."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.thread_reply("UANA", ts, "Ajuda")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert told["text"] == t("slack.refuse.command_words", words="Ajuda", command="ajuda")
        await w.idle()
        assert await tramites_to_carla(w) == []

    run(scenario)


def test_r7_an_acknowledgement_alone_reaches_no_customer_and_cliente_sends_it(
        run: Callable[[Scenario], None]) -> None:
    """Ana's "ok", "blz", "👍" (":+1:" as Slack sends it typed), "vou ver", "Ok, vou ver!"
    typed alone in the thread went to Carla as the agent's answers, a colleague's word read by
    the customer. They are refused, Ana told how to send one after all ("!cliente ok"), in her
    language; "!cliente ok" and "!customer on it" reach Carla as "ok" and "on it", and "sim"
    (an answer to Carla's question) and a whole answer still go as typed."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        await w.core(handling.take, w.ids["ana"], ticket.id)
        typed = ["ok", "blz", "👍", ":+1:", "vou ver", "Ok, vou ver!"]
        for words in typed:
            await w.thread_reply("UANA", ts, words)
        await w.core(speaks, w.ids["bruno"])
        await w.thread_reply("UBRUNO", ts, "on it :eyes:")
        told = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= len(typed) + 1
                             and w.fake.of("chat.postEphemeral"))
        assert sorted((m["user"], m["text"]) for m in told) == sorted(
            [("UANA", t("slack.refuse.acknowledgement", words=words)) for words in typed]
            + [("UBRUNO", t("slack.refuse.acknowledgement", "en", words="on it :eyes:"))])
        assert "!cliente ok" in t("slack.refuse.acknowledgement", words="ok")
        await w.idle()
        assert await tramites_to_carla(w) == []
        await w.thread_reply("UANA", ts, "!cliente ok")
        assert await w.until(lambda: tramites_to_carla(w)) == ["ok"]
        await w.thread_reply("UBRUNO", ts, "!customer on it")
        await w.thread_reply("UANA", ts, "sim")
        await w.thread_reply("UANA", ts, "Ok, já estou verificando a nota 10125.")
        await w.until(lambda: _count(w, 4))
        assert sorted(await tramites_to_carla(w)) == sorted(
            ["ok", "on it", "sim", "Ok, já estou verificando a nota 10125."])

    run(scenario)


async def _count(w: SlackWorld, n: int) -> bool:
    return len(await tramites_to_carla(w)) >= n
