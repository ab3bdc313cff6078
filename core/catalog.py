"""The intake catalog tipo → item → serviço (R3), with NF-e (R4) and implementation (R16) flags."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from core import data
from core.errors import InvalidInput

UNKNOWN_CHOICE = "error.unknown_choice"

# Ids travel in button payloads (Telegram allows 64 bytes for the whole callback data).
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=20)]
# Slack caps button text at 75 characters.
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=75)]


def _check_unique(entries: Iterable[_Entry], level: str) -> None:
    """Refuse two entries with the same id under one parent (the error's type is its own, so
    the team reads it in its language: settings.error.duplicate_id)."""
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise PydanticCustomError("duplicate_id", "duplicate {level} id: {id}",
                                      {"level": level, "id": entry.id})
        seen.add(entry.id)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Entry(_Frozen):
    """A catalog choice: its id, the label customers read, and other words they may type."""

    id: Slug
    label: Label
    label_en: Label | None = None
    aliases: tuple[Annotated[str, StringConstraints(max_length=60)], ...] = Field(
        default=(), max_length=20)

    def shown(self, language: str) -> str:
        """The label in the customer's language (English when the catalog has one)."""
        return self.label_en if language == "en" and self.label_en else self.label

    def words(self) -> str:
        """What else names this entry when typed: the other label and the aliases."""
        return " ".join([self.label_en or "", *self.aliases]).strip()


class Servico(_Entry):
    """A module of the system the ticket is about."""

    nfe: bool = False


class Item(_Entry):
    """What kind of help is asked for: support, an implementation request, a paid service."""

    implementation: bool = False
    billable: bool = False
    servicos: tuple[Servico, ...] = Field(min_length=1)

    @field_validator("servicos")
    @classmethod
    def _unique_servicos(cls, entries: tuple[Any, ...]) -> tuple[Any, ...]:
        _check_unique(entries, "servico")
        return entries


class Tipo(_Entry):
    """A product line, e.g. Sistemas de Varejo."""

    itens: tuple[Item, ...] = Field(min_length=1)

    @field_validator("itens")
    @classmethod
    def _unique_itens(cls, entries: tuple[Any, ...]) -> tuple[Any, ...]:
        _check_unique(entries, "item")
        return entries


class Catalog(_Frozen):
    """Every choice the intake offers, in display order."""

    tipos: tuple[Tipo, ...] = Field(min_length=1)

    @field_validator("tipos")
    @classmethod
    def _unique_tipos(cls, entries: tuple[Any, ...]) -> tuple[Any, ...]:
        _check_unique(entries, "tipo")
        return entries

    def tipo(self, tipo_id: str) -> Tipo:
        """Return a tipo by id, or raise InvalidInput(error.unknown_choice)."""
        for tipo in self.tipos:
            if tipo.id == tipo_id:
                return tipo
        raise InvalidInput(UNKNOWN_CHOICE, level="tipo", id=tipo_id)

    def item(self, tipo_id: str, item_id: str) -> Item:
        """Return an item of a tipo by id, or raise InvalidInput(error.unknown_choice)."""
        for item in self.tipo(tipo_id).itens:
            if item.id == item_id:
                return item
        raise InvalidInput(UNKNOWN_CHOICE, level="item", id=item_id)

    def servico(self, tipo_id: str, item_id: str, servico_id: str) -> Servico:
        """Return a serviço of an item by id, or raise InvalidInput(error.unknown_choice)."""
        for servico in self.item(tipo_id, item_id).servicos:
            if servico.id == servico_id:
                return servico
        raise InvalidInput(UNKNOWN_CHOICE, level="servico", id=servico_id)

    def is_nfe(self, tipo_id: str, item_id: str, servico_id: str) -> bool:
        """Say whether the choice is an NF-e matter (R4: ask for the rejection and the XML)."""
        return self.servico(tipo_id, item_id, servico_id).nfe

    def is_implementation(self, tipo_id: str, item_id: str) -> bool:
        """Say whether the item is an implementation request (R16: goes to Em estimativa)."""
        return self.item(tipo_id, item_id).implementation

    def is_billable(self, tipo_id: str, item_id: str) -> bool:
        """Say whether the item is a service outside the contract (R23)."""
        return self.item(tipo_id, item_id).billable

    def shown_labels(self, tipo: str, item: str, servico: str, language: str
                     ) -> tuple[str, str, str]:
        """A ticket's stored labels (written at registration, in pt-BR) in the reader's
        language; a label the catalog no longer has stays as stored."""
        found_tipo = next((t for t in self.tipos if t.label == tipo), None)
        found_item = next((i for i in found_tipo.itens if i.label == item), None) \
            if found_tipo else None
        found_servico = next((s for s in found_item.servicos if s.label == servico), None) \
            if found_item else None
        pairs: list[tuple[_Entry | None, str]] = [
            (found_tipo, tipo), (found_item, item), (found_servico, servico)]
        first, second, third = (e.shown(language) if e else stored for e, stored in pairs)
        return first, second, third

    def labels(self, tipo_id: str, item_id: str, servico_id: str) -> str:
        """Return 'tipo / item / serviço' labels, e.g. for coverage suggestions and listings."""
        tipo = self.tipo(tipo_id)
        item = self.item(tipo_id, item_id)
        servico = self.servico(tipo_id, item_id, servico_id)
        return f"{tipo.label} / {item.label} / {servico.label}"


MAX_CHOICES = 40
"""Entries one intake question may offer: each is a chat button, and Telegram refuses an inline
keyboard over 100 buttons (fewer with long labels); a longer list is unreadable anyway."""


def crowded(catalog: Catalog) -> tuple[str, int] | None:
    """The first question that would offer more than MAX_CHOICES buttons: (its path, count)."""
    levels: list[tuple[str, int]] = [("tipos", len(catalog.tipos))]
    for tipo in catalog.tipos:
        levels.append((f"{tipo.id}.itens", len(tipo.itens)))
        levels += [(f"{tipo.id}.{item.id}.servicos", len(item.servicos)) for item in tipo.itens]
    return next(((path, n) for path, n in levels if n > MAX_CHOICES), None)


def parse_catalog(text: str) -> Catalog:
    """Build a catalog from its YAML text."""
    return Catalog.model_validate(yaml.safe_load(text))


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """Return the catalog shipped in core/data/catalog.yaml."""
    return parse_catalog(data.read_text("catalog.yaml"))
