"""Storage the adapters need beyond core's ports: idempotent edges, Slack cards."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.models import Model
from core.outbox import OutboxMessage


class SlackCard(Model):
    """Where a ticket's card was posted in Slack: its thread carries the ticket's talk."""

    ticket_id: int
    channel: str
    ts: str


class SlackDevPost(Model):
    """A ticket's post in the development channel (R15): redrawn as the ticket moves on, its
    thread taking the developers' internal notes. A ticket sent there twice has two."""

    ticket_id: int
    channel: str
    ts: str
    actor: str
    """Who sent the ticket to development, as the post's first line names them."""
    note: str | None = None


class SlackOpenedCard(Model):
    """A ticket's card that Abrir showed one person: posted in the bot's DM (ts kept, so a
    second Abrir updates it and links to it; no ts while it is being posted) or below a
    listing, seen only by them (no ts)."""

    slack_id: str
    channel: str
    ticket_id: int
    ts: str | None = None
    drawn: str
    """A digest of the blocks shown, to tell whether the card is still current."""
    opened_at: datetime
    pointed: bool = False
    """A later Abrir already pointed to this card instead of showing it again."""


class SlackKeptNote(Model):
    """A note an agent typed that was refused (an Encaminhar a colleague made stale), kept so a
    button can offer it as an internal note whatever its length; used once. With no text, the
    identity of a card's *Nota interna* form (pressed twice, its two forms add one note)."""

    token: str
    ticket_id: int
    slack_id: str
    text: str
    kept_at: datetime
    used_at: datetime | None = None


class InboundEventRepository(Protocol):
    """Inbound update/event ids already seen, so a repeat is dropped."""

    def record(self, source: str, key: str, now: datetime) -> bool:
        """Remember the event; False when it was already recorded."""
        ...

    def delete_before(self, cutoff: datetime) -> int: ...


class SlackCardRepository(Protocol):
    """Slack messages that stand for tickets."""

    def get(self, ticket_id: int) -> SlackCard | None: ...
    def by_ts(self, channel: str, ts: str) -> SlackCard | None: ...
    def put(self, card: SlackCard) -> None: ...


class SlackDevPostRepository(Protocol):
    """The development channel's posts of tickets."""

    def for_ticket(self, ticket_id: int) -> list[SlackDevPost]: ...
    def by_ts(self, channel: str, ts: str) -> SlackDevPost | None: ...
    def add(self, post: SlackDevPost) -> None: ...


class SlackHomeRepository(Protocol):
    """Who opened the app's Home tab lately: their Home is redrawn as the tickets change."""

    def opened(self, slack_id: str, at: datetime) -> None: ...
    def viewers(self, since: datetime) -> list[str]:
        """The Slack ids that opened the Home at `since` or later."""
        ...


class SlackOpenedCardRepository(Protocol):
    """The cards Abrir showed each person lately, per conversation and ticket."""

    def get(self, slack_id: str, channel: str, ticket_id: int, lock: bool = False
            ) -> SlackOpenedCard | None:
        """The card shown there (`lock`: held until the transaction ends, so that a press at
        the same moment on another instance reads it after this one's change)."""
        ...

    def put(self, card: SlackOpenedCard) -> None:
        """Record the card (replacing the one of that person, conversation and ticket)."""
        ...

    def claim(self, card: SlackOpenedCard) -> SlackOpenedCard | None:
        """Record the card unless that person, conversation and ticket have one: None when
        recorded, else the one there (another press may have recorded it a moment ago)."""
        ...

    def forget(self, slack_id: str, before: datetime) -> int:
        """Drop the person's cards shown before `before`."""
        ...


class SlackKeptNoteRepository(Protocol):
    """Refused notes kept for the button that offers them as an internal note."""

    def keep(self, note: SlackKeptNote) -> None: ...

    def keep_once(self, note: SlackKeptNote) -> None:
        """Keep the note unless its token is kept already (a form opened twice)."""
        ...

    def get(self, token: str) -> SlackKeptNote | None: ...

    def starting(self, prefix: str) -> list[SlackKeptNote]:
        """The notes and forms whose token starts with `prefix`."""
        ...

    def delete_before(self, cutoff: datetime) -> int:
        """Forget the notes kept before cutoff (used or not); how many."""
        ...

    def use(self, token: str, at: datetime) -> bool:
        """Mark the note used; False when it was already (on another instance too: the row is
        held until the transaction ends, so the second use reads the first's once it commits).
        """
        ...


def destination(message: OutboxMessage) -> str:
    """The ordering key: messages to one destination are delivered in order."""
    return f"{message.channel.value}:{message.target}"
