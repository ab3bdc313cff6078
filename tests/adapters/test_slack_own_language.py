"""What Slack shows to one person only — a card button's form and its errors, a refusal seen
only by whoever clicked or wrote, /ticket's answers, Abrir's, the App Home, a DM — is in that
person's language (their profile's, else the desk's LANGUAGE); the triage channel's cards and
threads stay in the desk's language, since the whole team reads them.

Ana reads English here; Bruno set no language, so he reads the desk's Portuguese. Each of
these surfaces was in the desk's language whatever the agent's."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_harness import TRIAGE, Scenario, SlackWorld
from test_slack_card import _changed
from test_slack_cycle import modal
from test_slack_forged import posted_card, press_choice, responses
from test_slack_lists import home_blocks, open_button, press, responded

from core.i18n import label, t
from core.models import Status
from core.services import closing, handling


def speaks(ctx: Any, user_id: int, language: str = "en") -> None:
    user = ctx.uow.users.get(user_id)
    user.language = language
    ctx.uow.users.update(user)


def deactivate(ctx: Any, user_id: int) -> None:
    user = ctx.uow.users.get(user_id)
    user.active = False
    ctx.uow.users.update(user)


async def closed_card(w: SlackWorld) -> tuple[Any, str]:
    """A ticket answered and approved: its card's buttons are outdated."""
    ticket, ts = await posted_card(w)
    await w.core(closing.request_approval, w.ids["bruno"], ticket.id, "Ajustado.",
                 "erro_sistema")
    await w.core(closing.approve, w.ids["carla"], ticket.id)
    return ticket, ts


async def ephemerals(w: SlackWorld, n: int) -> list[dict[str, Any]]:
    """The first n ephemeral messages, once there are n."""
    return list(await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= n
                              and w.fake.of("chat.postEphemeral")[:n]))


def test_a_form_a_card_button_opens_is_in_the_agents_language(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        ticket, ts = await posted_card(w)
        for user, lang in (("UANA", "en"), ("UBRUNO", "pt_BR")):
            view = await modal(w, user, "tk.reject", ticket.id, ts)
            assert view["title"]["text"] == t("slack.modal.reject.title", lang), user
            assert view["submit"]["text"] == t("slack.modal.submit", lang), user
            assert view["blocks"][1]["label"]["text"] == t("slack.modal.reject.label", lang)
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        labels = [blk["label"]["text"] for blk in view["blocks"] if blk["type"] == "input"]
        assert labels == [t("slack.modal.approval.label", "en"),
                          t("slack.modal.approval.origin", "en"),
                          t("slack.modal.approval.quote", "en")]
        # The card in the channel, which the whole team reads, stays in the desk's language.
        card = json.dumps(w.fake.find(TRIAGE, ts)["blocks"], ensure_ascii=False)
        assert t("slack.btn.take", "pt_BR") in card

    run(scenario)


def test_a_forms_errors_are_in_the_agents_language(run: Callable[[Scenario], None]) -> None:
    """Empty, stale, refused by core, or a forged origin under the origin question."""
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        ticket, ts = await posted_card(w)
        meta = f"{ticket.id}|{TRIAGE}|{ts}"
        errors = []
        for callback, where, typed in (("md.note", meta, ""), ("md.note", "abc", "Nota"),
                                       ("md.reject", meta, "209901/9999")):
            _, body = await w.submit("UANA", callback, where, typed)
            errors.append(json.loads(body)["errors"]["input"])
        assert errors == [t("slack.modal.empty", "en"), t("slack.modal.stale", "en"),
                          t("error.no_such_number", "en", number="209901/9999",
                            example="202611/0001")]
        view = await modal(w, "UANA", "tk.approval", ticket.id, ts)
        _, body = await w.submit_view("UANA", view, "Corrigido.", {"tk.origin": "x"})
        [error] = json.loads(body)["errors"].values()
        assert error == t("error.unknown_choice", "en")

    run(scenario)


def test_a_refusal_after_the_form_closed_is_in_the_agents_language(
        run: Callable[[Scenario], None], monkeypatch: Any) -> None:
    from bots.slack import actions

    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)

    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        ticket, ts = await posted_card(w)
        await w.submit("UANA", "md.dev_return", f"{ticket.id}|{TRIAGE}|{ts}", "Pacote 3")
        [told] = await ephemerals(w, 1)
        assert told["text"] == t("slack.refuse.form_outdated", "en", number=ticket.number,
                                 status="New") \
            + "\n" + t("slack.modal.typed", "en", text="Pacote 3")

    run(scenario)


def test_a_refused_click_is_told_in_the_agents_language(
        run: Callable[[Scenario], None]) -> None:
    """A button or a form of an outdated card (the status named in her language too), a
    ticket that does not exist, a form Slack did not open in time."""
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        ticket, ts = await closed_card(w)
        await w.click("UANA", "tk.take", str(ticket.id), message_ts=ts)
        await ephemerals(w, 1)
        await w.click("UANA", "tk.approval", str(ticket.id), message_ts=ts)
        await ephemerals(w, 2)
        await w.click("UANA", "tk.take", "99999999", message_ts=ts)
        await ephemerals(w, 3)
        w.fake.fail("views.open", body={"ok": False, "error": "expired_trigger_id"})
        await w.click("UANA", "tk.note", str(ticket.id), message_ts=ts)
        told = [m["text"] for m in await ephemerals(w, 4)]
        outdated = t("slack.refuse.outdated_card", "en", number=ticket.number,
                     status=label("status", Status.CLOSED, "en"))
        assert told == [outdated, outdated, t("error.ticket_not_found", "en"),
                        t("slack.modal.expired", "en")]

    run(scenario)


def test_ticket_commands_refusals_and_novo_are_in_the_persons_language(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        await w.core(speaks, w.ids["carla"])
        await w.command("UANA", "209901/9999")
        await w.until(lambda: responses(w))
        await w.command("UCARLA", "novo")
        said = [r["text"] for r in await w.until(lambda: len(responses(w)) >= 2
                                                 and responses(w))]
        assert said == [t("error.no_such_number", "en", number="209901/9999",
                            example="202611/0001"),
                        t("slack.cmd.novo_dm", "en")]

    run(scenario)


def test_abrir_refused_is_told_in_the_agents_language(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        button = open_button(await home_blocks(w, "UANA"), ticket.number)
        await w.core(speaks, w.ids["ana"])
        opened = await responded(w, await press(w, "UANA", button, value="99999999"))
        assert opened["text"] == t("error.ticket_not_found", "en")
        await press(w, "UANA", button, value="99999999", home=True)
        [told] = await ephemerals(w, 1)
        assert told["text"] == t("error.ticket_not_found", "en")

    run(scenario)


def test_a_thread_reply_refused_or_edited_is_told_in_the_writers_language(
        run: Callable[[Scenario], None]) -> None:
    """Only the writer reads these (ephemeral); the thread itself stays in the desk's."""
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        await w.core(speaks, w.ids["carla"])
        ticket, ts = await closed_card(w)
        await w.thread_reply("UANA", ts, "Mais uma dica")
        await ephemerals(w, 1)
        await w.thread_reply("UCARLA", ts, "Obrigada")
        await ephemerals(w, 2)
        await w.thread_reply("UANA", ts, "!nota ligou")
        reply_ts = (await w.until(lambda: w.fake.of("reactions.add")))[-1]["timestamp"]
        await w.event(_changed(TRIAGE, "UANA", reply_ts, "!nota ligou", "!nota ligou 10h",
                               thread_ts=ts))
        told = [m["text"] for m in await ephemerals(w, 3)]
        assert told == [
            t("slack.refuse.reply_closed", "en", number=ticket.number,
              status=label("status", Status.CLOSED, "en")),
            t("slack.refuse.reply_not_sent", "en"), t("slack.edited_reply", "en")]

    run(scenario)


def test_a_dm_edit_a_file_refused_and_a_stale_choice_are_answered_in_the_persons_language(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["carla"])
        gone = w.fake.add_file("nota.xml", b"<nfeProc/>", "text/xml")
        gone["url_private_download"] = gone["url_private_download"].replace("nota", "apagado")
        await w.dm("UCARLA", "print", files=[gone])
        await w.until(lambda: [m for m in w.fake.messages("DCARLA")
                               if m["text"] == t("slack.file.failed", "en", name="nota.xml")])
        await w.dm("UCARLA", "hi")
        menu = await w.until(lambda: [m for m in w.fake.messages("DCARLA") if "blocks" in m
                                      and any(b["type"] == "actions" for b in m["blocks"])])
        await w.idle()
        button = next(e for b in menu[-1]["blocks"] if b["type"] == "actions"
                      for e in b["elements"])
        await press_choice(w, "UCARLA", "DRITA", button, "1700000300.000001")
        [told] = await ephemerals(w, 1)
        assert told["text"] == t("slack.choice.expired", "en")
        await w.event(_changed("DCARLA", "UCARLA", "1700000300.000001", "hi", "hello",
                               channel_type="im"))
        await w.until(lambda: [m for m in w.fake.messages("DCARLA")
                               if m["text"] == t("conv.edited", "en")])

    run(scenario)


def test_the_home_of_a_deactivated_agent_is_in_her_language(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        await w.core(deactivate, w.ids["ana"])
        home = json.dumps(await home_blocks(w, "UANA"), ensure_ascii=False)
        assert json.dumps(t("slack.refuse.inactive", "en"), ensure_ascii=False)[1:-1] in home

    run(scenario)


def test_a_dm_to_the_responsible_agent_is_in_her_language(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks, w.ids["ana"])
        ticket, _ = await posted_card(w)
        await w.core(handling.assign, w.ids["bruno"], ticket.id, w.ids["ana"])
        await w.deliver()
        [dm] = w.fake.messages("DANA")
        assert dm["text"].startswith("Bruno Suporte assigned ticket")

    run(scenario)


def test_an_agent_sets_her_language_in_the_bots_dm_and_her_forms_follow_it(
        run: Callable[[Scenario], None]) -> None:
    """How an agent chooses: *perfil* → *Idioma* in her DM with the bot, as anyone does."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        for typed in ("perfil", "idioma", "English"):
            before = len(w.fake.messages("DANA"))
            await w.dm("UANA", typed)
            await w.until(lambda n=before: w.fake.messages("DANA")[n:])
            await w.idle()
        assert (await w.read(lambda uow, i: uow.users.get(i), w.ids["ana"])).language == "en"
        view = await modal(w, "UANA", "tk.note", ticket.id, ts)
        assert view["title"]["text"] == t("slack.modal.note.title", "en")

    run(scenario)
