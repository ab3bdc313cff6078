"""A conversation survives a restart: step 3 of an intake in one process, step 4 in another."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from core.conversation import UserInput, handle, terminal_key
from core.conversation.turn import current_prompt
from core.policy import Policy
from core.ports import TicketQuery
from core.services import users
from core.services.context import Ctx
from storage.sql import SqlStore

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)

STEP_IN_NEW_PROCESS = """
import json, sys
from datetime import UTC, datetime
from core.conversation import UserInput, handle, terminal_key
from core.policy import Policy
from core.services.context import Ctx
from storage.sql import SqlStore

url, user_id, choice = sys.argv[1], int(sys.argv[2]), sys.argv[3]
store = SqlStore(url)
with store() as uow:
    replies = handle(Ctx(uow, datetime(2026, 11, 24, 13, 5, tzinfo=UTC), Policy()),
                     terminal_key(user_id), UserInput.of_choice(choice))
    uow.commit()
store.dispose()
print(json.dumps([r.text for r in replies]))
"""


def say(store, key, what):
    with store() as uow:
        replies = handle(Ctx(uow, NOW, Policy()), key, what)
        uow.commit()
    return replies


def choice(replies, label):
    return next(c.id for c in replies[-1].choices if label in c.label)


def test_an_intake_continues_in_a_new_process_on_the_same_database(db_url):
    store = SqlStore(db_url)
    with store() as uow:
        ctx = Ctx(uow, NOW, Policy())
        users.add_company(ctx, "Mercado Exemplo")
        carla = users.add_user(ctx, name="Carla Souza", email="carla@exemplo.com.br",
                               company_names=["Mercado Exemplo"], trained=True)
        uow.commit()
    key = terminal_key(carla.id)
    say(store, key, UserInput.of_command("novo"))                      # 1: intake starts
    replies = say(store, key, UserInput.of_choice(
        choice(say(store, key, UserInput.of_text("Suporte")), "Vendas")))  # 2, 3: item, serviço
    assert "versão" in replies[-1].text
    current = choice(replies, "atual")
    store.dispose()  # the first process goes away

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", STEP_IN_NEW_PROCESS, db_url, str(carla.id),
                          current], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    texts = json.loads(run.stdout)
    assert texts[-1].startswith("Qual o assunto?")                     # 4: in the new process

    store = SqlStore(db_url)
    try:
        with store() as uow:
            state = uow.conversations.get(key)
        assert state.step == "intake.assunto"
        assert state.data["intake"]["draft"]["servico_id"] == "vendas"
        assert state.data["intake"]["draft"]["versao"] == "2026.11"
        for text in ("Pedido não confirma", "Vendas > Pedidos: pedido 4431"):
            replies = say(store, key, UserInput.of_text(text))
        replies = say(store, key, UserInput.of_choice(choice(replies, "Concluir")))
        replies = say(store, key, UserInput.of_choice(choice(replies, "Padrão")))
        replies = say(store, key, UserInput.of_choice(choice(replies, "Registrar")))
        assert "registrado" in replies[0].text
        with store() as uow:
            [ticket] = uow.tickets.list(TicketQuery())
            state = uow.conversations.get(key)
        assert (ticket.assunto, ticket.versao) == ("Pedido não confirma", "2026.11")
        assert state.step == "menu.main"
        assert current_prompt(state).choices
    finally:
        store.dispose()
