"""Bad input at every step: a clear pt-BR message, the same prompt again, the state unchanged."""

from __future__ import annotations

import pytest
from fakes.chat import attachment, chat_for, pt

from core.conversation import UserInput
from core.services import closing, handling

LONG = "x" * 10_000
EMOJI = "😀🎉👍"

# How to reach each step from a fresh conversation of Carla (trained, one company).
INTAKE = [("send", "novo")]
TO_SERVICO = [*INTAKE, ("click", "Suporte")]
TO_VERSAO = [*TO_SERVICO, ("click", "Vendas")]
TO_ASSUNTO = [*TO_VERSAO, ("click", "atual")]
TO_DESCRICAO = [*TO_ASSUNTO, ("send", "Pedido não confirma")]
TO_MAIS = [*TO_DESCRICAO, ("send", "Não confirma")]
TO_ANEXOS = [*TO_DESCRICAO, ("send", "Vendas > Pedidos: pedido 4431")]
TO_PRIORIDADE = [*TO_ANEXOS, ("click", "Concluir")]
TO_MOTIVO = [*TO_PRIORIDADE, ("click", "Crítico")]
TO_RESUMO = [*TO_PRIORIDADE, ("click", "Padrão")]
TO_CORRIGIR = [*TO_RESUMO, ("click", "Corrigir")]
TO_CONFIRM = [*TO_ASSUNTO, ("send", "cancelar")]
STEPS = {
    "menu.main": [("send", "oi")],
    "menu.typed": [("send", "oi"), ("send", "PDV travado")],
    "intake.item": INTAKE,
    "intake.servico": TO_SERVICO,
    "intake.versao": TO_VERSAO,
    "intake.assunto": TO_ASSUNTO,
    "intake.descricao": TO_DESCRICAO,
    "intake.descricao_mais": TO_MAIS,
    "intake.anexos": TO_ANEXOS,
    "intake.prioridade": TO_PRIORIDADE,
    "intake.motivo": TO_MOTIVO,
    "intake.resumo": TO_RESUMO,
    "intake.corrigir": TO_CORRIGIR,
    "menu.cancel_confirm": TO_CONFIRM,
    "list.days": [("send", "tickets"), ("click", "Período")],
    "ticket.view": [("ticket", None)],
    "closing.decide": [("awaiting", None), ("send", "/start"), ("click", "Responder")],
    "closing.reason": [("awaiting", None), ("send", "/start"), ("click", "Responder"),
                       ("click", "Não aprovar")],
    "closing.rate": [("awaiting", None), ("send", "/start"), ("click", "Responder"),
                     ("click", "Aprovar")],
    "profile.view": [("send", "perfil")],
    "profile.email": [("send", "perfil"), ("click", "Alterar e-mail")],
    "kb.results": [("send", "kb nota")],
}
CHOICE_STEPS = {"menu.main", "menu.typed", "intake.item", "intake.servico", "intake.prioridade",
                "intake.motivo", "intake.resumo", "intake.corrigir", "menu.cancel_confirm",
                "list.days", "ticket.view", "closing.decide", "closing.rate", "profile.view"}
BUSY = {s for s in STEPS if s.startswith("intake.")} | {"menu.cancel_confirm"}
TEXT_STEPS = {"intake.versao", "intake.assunto", "intake.descricao",
              "intake.descricao_mais", "closing.reason", "profile.email", "kb.results"}


def reach(world, step):
    chat = chat_for(world, "carla")
    for action, arg in STEPS[step]:
        if action == "send":
            chat.send(arg)
        elif action == "click":
            chat.click(arg)
        elif action == "ticket":
            ticket = world.open("carla")
            chat.send(f"ticket {ticket.number}")
        else:
            ticket = world.open("carla")
            world.run(handling.take, world.ids["ana"], ticket.id)
            world.run(closing.request_approval, world.ids["ana"], ticket.id, "Resolvido.",
                      origin_id="erro_sistema")
    state = chat.state()
    assert state.step == step, (step, state.step, chat.text)
    return chat


def assert_refused(chat, before, message):
    """The message first, then the very same prompt; nothing stored changed."""
    assert chat.replies[0].text == message
    assert chat.replies[-1] == before_prompt(before)
    assert chat.state() == before


def before_prompt(state):
    from core.conversation.turn import current_prompt

    return current_prompt(state)


FIELDS = {"intake.versao": "Versão", "intake.assunto": "Assunto",
          "intake.descricao": "Descrição", "intake.descricao_mais": "Descrição",
          "closing.reason": "Motivo", "kb.results": "Busca"}


def bad_cases():
    """(step, input, expected message) for every bad input that applies to the step."""
    cases = []
    for step in STEPS:
        if step in CHOICE_STEPS:
            message = pt("conv.error.not_understood" if step.startswith("menu.")
                         and step != "menu.cancel_confirm" else "conv.error.choose")
            if step == "intake.prioridade":  # what the options are, and how to say them
                message = pt("conv.intake.priority_options")
            cases += [(step, text, message) for text in ("", LONG, EMOJI)]
        elif step == "intake.anexos":
            cases += [(step, text, pt("conv.intake.expect_files")) for text in ("", LONG, EMOJI)]
        elif step == "profile.email":
            cases += [(step, text, pt("error.email_invalid")) for text in ("", LONG, EMOJI)]
        else:
            field = FIELDS[step]
            cases += [(step, "", pt("error.empty", field_label=field)),
                      (step, EMOJI, pt("error.no_words", field_label=field))]
    cases += [
        ("intake.versao", "9" * 10_000, pt("error.too_long", field_label="Versão",
                                           length=10_000, max=40)),
        # words with no number are no version, however long (the matter is kept if a sentence)
        ("intake.versao", LONG, pt("conv.intake.version_no_number", typed=LONG[:60],
                                   current="2026.11")),
        # (a long assunto with no descrição yet becomes the descrição, and an over-long
        # descrição keeps what fits: test_conversation_intake)
        # A number alone (the previous question's option, say) says nothing of the matter.
        ("intake.assunto", "1", pt("error.no_letters", field_label="Assunto")),
        ("intake.descricao", " 4431 ", pt("error.no_letters", field_label="Descrição")),
    ]
    return cases


@pytest.mark.parametrize(("step", "text", "message"), bad_cases(),
                         ids=lambda v: v[:12] if isinstance(v, str) else None)
def test_bad_text_is_refused_and_nothing_changes(world, step, text, message):
    chat = reach(world, step)
    before = chat.state()
    chat.send(text)
    assert_refused(chat, before, message)


@pytest.mark.parametrize("step", list(STEPS))
def test_a_choice_never_offered_is_refused(world, step):
    chat = reach(world, step)
    before = chat.state()
    chat.send(UserInput.of_choice(f"{before.prompt_id}:t:999"))
    assert_refused(chat, before, pt("conv.error.not_offered"))
    chat.send(UserInput.of_choice("garbage"))
    assert_refused(chat, before, pt("conv.error.not_offered"))


@pytest.mark.parametrize("step", list(STEPS))
def test_a_choice_from_an_older_prompt_is_refused(world, step):
    chat = chat_for(world, "carla")
    chat.send("oi")
    old = chat.choice_id("Resumo")
    chat.send("menu")  # the same menu again, under a new prompt id
    chat = reach(world, step)
    before = chat.state()
    chat.send(UserInput.of_choice(old))
    assert_refused(chat, before, pt("conv.error.old_prompt"))


@pytest.mark.parametrize("step", sorted(BUSY))
def test_r3_a_command_in_the_middle_of_an_intake_puts_the_ticket_aside(world, step):
    chat = reach(world, step)
    before = chat.state()
    came = before.data.get("cancel", {}).get("from", step)  # "Descartar?" came from a question
    for command in ("tickets", "/resumo", "kb nota fiscal", "perfil"):
        chat.send(command)
        assert chat.state().step != came
        if step == "intake.item":  # nothing chosen yet: nothing to keep, nothing offered
            assert "parked" not in chat.state().data
            continue
        assert chat.replies[0].text.startswith(pt("conv.parked.kept", about="")[:30])
        chat.send("menu")
        chat.click(pt("conv.parked.continue"))
        assert chat.state().step == came
        assert chat.state().data["intake"] == before.data["intake"]
        assert "parked" not in chat.state().data


# At the menu, files are kept and offered as a new ticket's anexos (test_conversation_intake).
# ticket.view: a trâmite; closing.reason and closing.decide: a print of the error that is
# still there (test_conversation_closing); closing.rate: held, offered after the rating
# (test_conversation_rating_files).
FILE_STEPS = {"intake.anexos", "menu.main", "menu.typed", "ticket.view", "closing.reason",
              "closing.decide", "closing.rate"}


@pytest.mark.parametrize("step", [s for s in STEPS if s not in FILE_STEPS | BUSY])
def test_r3_a_file_where_no_file_is_asked_is_offered_as_at_the_menu(world, step):
    """A print sent at the listing, the profile or an article's results was
    refused ('Agora não estou esperando arquivos') and lost: offered as a new ticket's anexo."""
    chat = reach(world, step)
    chat.send(UserInput.of_files([attachment("tela.png")]))
    assert chat.replies[0].text.startswith(
        pt("conv.typed.offer_files", count=1, names="tela.png"))
    assert chat.state().step == "menu.typed"
    assert [f["filename"] for f in chat.state().data["typed"]["files"]] == ["tela.png"]


def test_r3_a_file_at_descartar_o_ticket_joins_its_anexos(world):
    chat = reach(world, "menu.cancel_confirm")
    chat.send(UserInput.of_files([attachment("tela.png")]))
    assert chat.replies[0].text == pt("conv.intake.files_kept", names="tela.png")
    assert chat.state().step == "menu.cancel_confirm"
    assert _anexos(chat) == ["tela.png"]


def _anexos(chat):
    return [a["filename"] for a in chat.state().data["intake"]["draft"]["attachments"]]


@pytest.mark.parametrize("step", [s for s in STEPS
                                  if s.startswith("intake.") and s not in FILE_STEPS])
def test_a_file_at_any_intake_question_is_kept_as_anexo_and_the_question_asked_again(world,
                                                                                     step):
    chat = reach(world, step)
    before = chat.state()
    chat.send(UserInput.of_files([attachment("tela.png")]))
    assert chat.replies[0].text == pt("conv.intake.files_kept", names="tela.png")
    after = chat.state()
    assert after.step == step
    assert _anexos(chat) == ["tela.png"]
    draft = {k: v for k, v in after.data["intake"]["draft"].items() if k != "attachments"}
    assert draft == {k: v for k, v in before.data["intake"]["draft"].items()
                     if k != "attachments"}  # nothing typed before is lost
    assert [c.label for c in chat.prompt.choices] == \
        [c.label for c in before_prompt(before).choices]


def test_a_refused_caption_at_an_intake_question_keeps_its_file(world):
    chat = reach(world, "intake.servico")
    before = chat.state()
    chat.send(UserInput.of_files([attachment("tela.png")], "não sei qual é"))
    assert [r.text for r in chat.replies[:2]] == [
        pt("conv.intake.files_kept", names="tela.png"), pt("conv.error.choose")]
    assert chat.state().step == "intake.servico"
    assert _anexos(chat) == ["tela.png"]
    assert chat.state().data["intake"]["draft"]["servico_id"] == \
        before.data["intake"]["draft"]["servico_id"]


def test_r3_a_captioned_file_at_an_article_s_results_is_offered_with_its_words(world):
    """'cupom fiscal' with a print at the knowledge base's results searched the words and
    dropped the print; both are offered, as at the menu (a ticket, or the search)."""
    chat = reach(world, "kb.results")
    chat.send(UserInput.of_files([attachment("tela.png")], "cupom fiscal"))
    assert chat.replies[0].text.startswith(
        pt("conv.typed.offer_both", text="cupom fiscal", count=1, names="tela.png"))
    assert pt("conv.typed.kb") in [c.label for c in chat.prompt.choices]


def test_a_number_out_of_range_is_refused(world):
    chat = reach(world, "intake.item")
    before = chat.state()
    last = len(chat.prompt.choices)
    chat.send("9")  # says which numbers there are, not only "Não entendi"
    assert_refused(chat, before, pt("conv.error.choose_number", number=9, last=last, count=last))


def test_control_characters_never_reach_a_ticket(world):
    """Escape sequences typed or pasted would recolour or rewrite an agent's terminal
    (helpdesk tickets show) and garble CSV files; line breaks and tabs are kept."""
    ticket = world.open("carla", assunto="Caixa \x1b[31mtrava\x1b[0m\x07 ao fechar",
                        descricao="Passo 1:\tabrir o caixa\r\nPasso 2: fechar\x1b]0;owned\x07\x00")
    stored = world.ticket(ticket.id)
    assert stored.assunto == "Caixa trava ao fechar"
    assert stored.descricao == "Passo 1:\tabrir o caixa\nPasso 2: fechar"
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send("\x1b[2Jnova informação\x1b[H: o erro voltou")
    chat.click("Enviar")
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    assert entries[-1].text == "nova informação: o erro voltou"


def test_bidi_overrides_never_reach_a_ticket_but_right_to_left_text_does(world):
    """An override (U+202E) typed or pasted shows the rest of the line reversed wherever the
    ticket is read ("Nota \u202e01521" reads "Nota 12510"); Arabic or Hebrew words and the
    marks that order them (U+200F) are text."""
    ticket = world.open("carla", assunto="Nota \u202e01521\u202c rejeitada",
                        descricao="Cliente \u2067مرحبا\u2069 e \u200fשלום\u200f, nota 10125")
    stored = world.ticket(ticket.id)
    assert stored.assunto == "Nota 01521 rejeitada"
    assert stored.descricao == "Cliente مرحبا e \u200fשלום\u200f, nota 10125"


@pytest.mark.parametrize("step", ["menu.main", "closing.decide", "list.days", "intake.item"])
def test_a_superscript_digit_typed_or_forged_in_a_click_is_refused_not_a_crash(world, step):
    chat = reach(world, step)
    before = chat.state()
    chat.send("¹")  # str.isdigit() says yes, int() says no: it raised ValueError
    assert chat.state() == before
    chat.send(UserInput.of_choice(f"{before.prompt_id}:t:²"))
    assert_refused(chat, before, pt("conv.error.not_offered"))


@pytest.mark.parametrize("step", sorted(STEPS))
def test_r3_a_sticker_at_any_step_says_what_the_step_takes_and_changes_nothing(world, step):
    from core.conversation.unhandled import not_an_answer

    chat = reach(world, step)
    before = chat.state()
    [reply] = world.run(not_an_answer, chat.key, "sticker")
    assert reply.text.startswith("Recebi uma figurinha, mas não consigo")
    assert "{" not in reply.text
    assert chat.state() == before
    if step == "menu.main":
        assert "Escreva o que precisa" in reply.text
    elif step in CHOICE_STEPS:
        assert "Toque em uma das opções da pergunta acima" in reply.text
    elif step in TEXT_STEPS:  # some with a button too (Voltar, Seguir assim)
        assert "screva a resposta" in reply.text
    draft = step.startswith("intake.") and step not in (
        "intake.item", "intake.servico", "intake.versao", "intake.assunto")
    typed = step in ("menu.typed", "kb.results")  # a message offered, a search's words
    assert reply.text.endswith(pt("conv.unhandled.kept")) == (draft or typed)


def test_r2_a_die_from_someone_unregistered_says_to_send_the_invite_code(world):
    from core.conversation import telegram_key
    from core.conversation.unhandled import not_an_answer

    [reply] = world.run(not_an_answer, telegram_key(5550001, 5550001), "dice")
    assert reply.text == pt("conv.unhandled.stranger", what=pt("conv.unhandled.dice"))
    assert "código de convite" in reply.text


def test_r3_a_sticker_after_a_long_pause_does_not_point_at_an_old_question(world):
    from core.conversation.unhandled import not_an_answer

    chat = reach(world, "intake.servico")
    world.advance(days=3)
    [reply] = world.run(not_an_answer, chat.key, "sticker")
    assert reply.text == pt("conv.unhandled.idle", what=pt("conv.unhandled.sticker"))
