"""Random input sequences: nothing escapes, every reply renders, no incomplete ticket exists."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fakes.chat import Chat, attachment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.conversation import UserInput, terminal_key
from core.conversation.replies import MAX_CHOICE_ID, Command
from core.models import Role
from core.policy import Policy
from core.ports import TicketQuery
from core.services import closing, handling, intake, users
from core.services.context import Ctx
from storage.memory import MemoryStore

T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}")
WORDS = ["novo", "tickets", "ajuda", "cancelar", "menu", "resumo", "exportar", "perfil",
         "kb nota", "ticket 202611/0001", "/start", "sim", "não", "1", "2", "3", "15", "",
         "2026.11", "2025.1", "Erro ao confirmar pedido", "Vendas > Pedidos: pedido 4431",
         "carla@exemplo.com.br", "(11) 98765-4321", "😀", "x" * 150]


class Clock:
    def __init__(self) -> None:
        self.now = T0


def setup() -> tuple[MemoryStore, dict[str, int], Clock]:
    store, clock, ids = MemoryStore(), Clock(), {}
    with store() as uow:
        ctx = Ctx(uow, T0, Policy())
        users.add_company(ctx, "Mercado Exemplo")
        users.add_company(ctx, "Loja Rival")
        for key, companies, role in (("carla", ["Mercado Exemplo", "Loja Rival"], Role.CUSTOMER),
                                     ("ana", [], Role.AGENT)):
            ids[key] = users.add_user(ctx, name=key.title(), email=f"{key}@exemplo.com.br",
                                      company_names=companies, role=role, trained=True).id
        company = uow.companies.by_name("Mercado Exemplo").id
        ticket = intake.open_ticket(ctx, ids["carla"], intake.TicketDraft(
            company_id=company, tipo_id="varejo", item_id="suporte", servico_id="vendas",
            assunto="Primeiro", descricao="Vendas > Pedidos: pedido 1"))
        handling.take(ctx, ids["ana"], ticket.id)
        closing.request_approval(ctx, ids["ana"], ticket.id, "Resolvido", origin_id="erro_sistema")
        uow.commit()
    return store, ids, clock


action = st.one_of(
    st.tuples(st.just("pick"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("text"), st.sampled_from(WORDS)),
    st.tuples(st.just("text"), st.text(alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="{}"), max_size=60)),
    st.tuples(st.just("command"), st.sampled_from(list(Command))),
    st.tuples(st.just("files"), st.sampled_from(["a.png", "n.xml", "v.mp4"])),
    st.tuples(st.just("forged"), st.sampled_from(["0:x", "1:t:1", "garbage", "99:register",
                                                  ":", "5:t:999999"])),
    st.tuples(st.just("old"), st.integers(min_value=1, max_value=3)),
    st.tuples(st.just("wait"), st.sampled_from([1, 30])),
)


def check_replies(replies) -> None:
    assert replies, "every input gets an answer"
    for reply in replies:
        assert isinstance(reply.text, str)
        assert reply.text.strip()
        assert not PLACEHOLDER.search(reply.text), reply.text
        for choice in reply.choices:
            assert choice.label.strip()
            assert len(choice.id.encode()) <= MAX_CHOICE_ID
    assert len({c.id for c in replies[-1].choices}) == len(replies[-1].choices)


def check_tickets(store) -> None:
    with store() as uow:
        for ticket in uow.tickets.list(TicketQuery(limit=500)):
            for field in ("tipo", "item", "servico", "assunto", "descricao"):
                assert getattr(ticket, field).strip(), (ticket.number, field)
            assert len(ticket.assunto) <= 100
            assert ticket.company_id in (1, 2)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(action, min_size=1, max_size=30))
def test_random_input_sequences_never_break_the_conversation(actions):
    store, ids, clock = setup()
    chat = Chat(store, terminal_key(ids["carla"]), lambda: clock.now)
    seen_ids: list[str] = []
    for kind, value in actions:
        prompt = chat.replies[-1] if chat.replies else None
        if kind == "pick":
            if prompt is None or not prompt.choices:
                continue
            user_input = UserInput.of_choice(prompt.choices[value % len(prompt.choices)].id)
        elif kind == "text":
            user_input = value
        elif kind == "command":
            user_input = UserInput.of_command(value, "")
        elif kind == "files":
            user_input = UserInput.of_files([attachment(value)])
        elif kind == "forged":
            user_input = UserInput.of_choice(value)
        elif kind == "old":
            if len(seen_ids) < value:
                continue
            user_input = UserInput.of_choice(seen_ids[-value])
        else:
            clock.now += timedelta(hours=value)
            continue
        replies = chat.send(user_input)
        check_replies(replies)
        seen_ids.extend(c.id for c in replies[-1].choices[:1])
    check_tickets(store)


SCRIPT = [("text", "novo"), ("click", "Mercado"), ("click", "Suporte"), ("click", "Vendas"),
          ("text", "2026.11"), ("text", "Pedido não confirma"),
          ("text", "Vendas > Pedidos: pedido 4431"), ("click", "Concluir"),
          ("click", "Padrão"), ("click", "Registrar")]
NOISE = st.one_of(st.sampled_from(["", "😀😀", "ajuda", "   "]).map(lambda t: ("text", t)),
                  st.sampled_from(["garbage", "0:x", "77:register"]).map(lambda c: ("forged", c)),
                  st.just(("old", 1)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(SCRIPT) - 1), NOISE),
                max_size=12))
def test_r3_bad_input_anywhere_in_an_intake_changes_nothing(noise):
    store, ids, clock = setup()
    chat = Chat(store, terminal_key(ids["carla"]), lambda: clock.now)
    chat.send("oi")
    chat.click("Agora não")
    old = chat.choice_id("Resumo")
    chat.send("menu")
    for position, (kind, arg) in enumerate(SCRIPT):
        for at, (noise_kind, value) in noise:
            if at != position:
                continue
            before = chat.state()
            if noise_kind == "text":
                replies = chat.send(value)
            elif noise_kind == "forged":
                replies = chat.send(UserInput.of_choice(value))
            else:
                replies = chat.send(UserInput.of_choice(old))
            check_replies(replies)
            after = chat.state()
            assert (after.step, after.data, after.prompt_id) == (
                before.step, before.data, before.prompt_id)
        if kind == "click":
            chat.click(arg)
        else:
            chat.send(arg)
    with store() as uow:
        created = [t for t in uow.tickets.list(TicketQuery(limit=10)) if t.seq == 2]
    assert [(t.assunto, t.servico, t.versao) for t in created] == [
        ("Pedido não confirma", "Vendas / Pedidos de venda", "2026.11")]
