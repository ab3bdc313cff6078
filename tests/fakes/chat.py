"""A chat driver for conversation tests: send inputs, click choices by label, read replies."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from core.conversation import Reply, UserInput, handle, parse
from core.conversation_state import ConversationKey, ConversationState
from core.i18n import t
from core.models import Attachment
from core.policy import Policy
from core.services.context import Ctx, Reach, nowhere


def attachment(name: str, content: bytes | None = None, mime: str | None = None) -> Attachment:
    """A stored file as an adapter hands it over."""
    body = content if content is not None else name.encode()
    guessed = mime or ("image/png" if name.endswith(".png") else
                       "application/xml" if name.endswith(".xml") else "application/octet-stream")
    return Attachment(filename=name, content_type=guessed, size=len(body),
                      sha256=hashlib.sha256(body).hexdigest())


class Chat:
    """One person talking to the engine; each input runs in its own committed transaction."""

    def __init__(self, store: Callable[[], Any], key: ConversationKey,
                 now: Callable[[], datetime], policy: Policy | None = None) -> None:
        self.store = store
        self.key = key
        self.now = now
        self.policy = policy or Policy()
        self.reach: Reach = nowhere
        """The channels a notice goes out on (none: no e-mail is promised)."""
        self.replies: list[Reply] = []
        self.history: list[Reply] = []

    def send(self, what: UserInput | str) -> list[Reply]:
        """Send typed text (commands recognised as adapters do) or a prepared input."""
        user_input = parse(what) if isinstance(what, str) else what
        with self.store() as uow:
            ctx = Ctx(uow, self.now(), self.policy, self.reach)
            self.replies = handle(ctx, self.key, user_input)
            uow.commit()
        self.history.extend(self.replies)
        return self.replies

    def click(self, label: str) -> list[Reply]:
        """Click the choice of the current prompt whose label contains `label`."""
        return self.send(UserInput.of_choice(self.choice_id(label)))

    def choice_id(self, label: str) -> str:
        """The id of the current prompt's choice whose label contains `label`."""
        prompt = self.prompt
        found = [c for c in prompt.choices if label.casefold() in c.label.casefold()]
        assert found, f"no choice {label!r} in {[c.label for c in prompt.choices]}"
        return found[0].id

    def files(self, *names: str) -> list[Reply]:
        """Send files (already stored)."""
        return self.send(UserInput.of_files([attachment(n) for n in names]))

    @property
    def prompt(self) -> Reply:
        """The last reply, which carries the current prompt."""
        assert self.replies, "no replies yet"
        return self.replies[-1]

    @property
    def text(self) -> str:
        """Every text of the last turn."""
        return "\n".join(r.text for r in self.replies)

    @property
    def labels(self) -> list[str]:
        """The current prompt's choice labels."""
        return [c.label for c in self.prompt.choices]

    def state(self) -> ConversationState | None:
        """The stored conversation state."""
        with self.store() as uow:
            return uow.conversations.get(self.key)


def mailed_code(store: Callable[[], Any], address: str) -> str:
    """The last e-mail change code written to the outbox for `address` (R11)."""
    with store() as uow:
        codes = [m.params["code"] for m in uow.outbox.all()
                 if m.channel == "email" and m.target == address
                 and m.kind == "profile.email_code"]
    assert codes, f"no code mailed to {address}"
    return str(codes[-1])


def pt(key: str, **params: Any) -> str:
    """A pt-BR catalog text, for assertions."""
    return t(key, "pt_BR", **params)


def chat_for(world: Any, who: str, key: ConversationKey | None = None) -> Chat:
    """A chat of one of the unit-test world's people (terminal key unless given)."""
    from core.conversation import terminal_key

    return Chat(world.store, key or terminal_key(world.ids[who]), lambda: world.now, world.policy)


def to_anexos(chat: Chat, assunto: str = "Erro ao confirmar pedido de venda",
              servico: str = "Vendas", item: str = "Suporte") -> Chat:
    """Walk the intake with sensible answers up to the anexos question."""
    chat.send("novo")
    chat.click(item)
    chat.click(servico)
    chat.click("atual")
    chat.send(assunto)
    chat.send("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma")
    return chat


def to_summary(chat: Chat, assunto: str = "Erro ao confirmar pedido de venda",
               servico: str = "Vendas", item: str = "Suporte") -> Chat:
    """Walk the intake with sensible answers up to the summary, before Registrar."""
    to_anexos(chat, assunto, servico, item)
    chat.click("Concluir")
    if "NF-e" in chat.prompt.text:
        chat.click("Concluir")
    chat.click("Padrão")
    return chat


def open_ticket_by_chat(chat: Chat, assunto: str = "Erro ao confirmar pedido de venda",
                        servico: str = "Vendas", item: str = "Suporte") -> str:
    """Walk the intake with sensible answers and return the registration text."""
    to_summary(chat, assunto, servico, item).click("Registrar")
    return chat.text
