"""What a descrição seems to lack (R3) and which NF-e files are still missing (R4)."""

from __future__ import annotations

import re

from core.models import Attachment
from core.textmatch import unhyphenate, words

_PATH = re.compile(r"\w\s*(?:>|/|→|»|->|\|)\s*\w")
_PATH_WORDS = {"menu", "tela", "caminho", "rotina", "opcao", "aba", "botao", "modulo"}
_VERSION = re.compile(r"\b\d{1,4}[.,]\d{1,3}(?:[.,]\d+)*\b")
_VERSION_WORDS = {"versao", "release", "build"}
_DOCUMENT = re.compile(r"\d{3,}")
_NFE_WORDS = frozenset({"nfe", "nfce", "nf", "nfc", "nota", "notas", "danfe", "sefaz", "sat",
                        "invoice", "invoices"})
_REJECTED = ("rejei", "denega", "reject", "denied")
_CODE = re.compile(r"\d{3}")
_IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".heic")


def missing_parts(descricao: str, versao: str | None) -> list[str]:
    """Which of menu path, example document and version the text does not seem to carry."""
    folded_words = set(words(descricao))
    missing = []
    if not _PATH.search(descricao) and not folded_words & _PATH_WORDS:
        missing.append("path")
    without_versions = _VERSION.sub(" ", descricao)
    if not _DOCUMENT.search(without_versions):
        missing.append("document")
    has_version = bool(versao) or bool(_VERSION.search(descricao)) or bool(
        folded_words & _VERSION_WORDS)
    if not has_version:
        missing.append("version")
    return missing


def is_image(attachment: Attachment) -> bool:
    """A screenshot or photo."""
    return attachment.content_type.startswith("image/") or attachment.filename.lower().endswith(
        _IMAGE_EXT)


def is_xml(attachment: Attachment) -> bool:
    """An XML file, such as the NF-e the system generated."""
    return attachment.filename.lower().endswith(".xml") or attachment.content_type.endswith("xml")


def about_nfe_rejection(*texts: str | None) -> bool:
    """Whether an assunto or descrição tells of an NF-e/NFC-e rejection ("Nota fiscal rejeição
    225", "NFC-e rejeitada", "rejeição 539"), whatever the serviço chosen (R4)."""
    said = words(unhyphenate(" ".join(t for t in texts if t)))  # "NFC-e" is "nfce"
    rejected = [i for i, w in enumerate(said) if w.startswith(_REJECTED)]
    return bool(rejected) and (bool(set(said) & _NFE_WORDS) or any(
        i + 1 < len(said) and _CODE.fullmatch(said[i + 1]) for i in rejected))


_DOCUMENTS = {"nfe": "NF-e", "nfce": "NFC-e", "sat": "SAT", "cte": "CT-e", "mdfe": "MDF-e",
              "nfse": "NFS-e"}


def fiscal_document(*texts: str | None) -> str | None:
    """The fiscal documents a text names, as written officially and in the order told
    ("a NFC-e não sai" is NFC-e; "nfe e nfce" NF-e/NFC-e); None when it names none (R4)."""
    said = words(unhyphenate(" ".join(t for t in texts if t)))
    named = list(dict.fromkeys(_DOCUMENTS[w] for w in said if w in _DOCUMENTS))
    return "/".join(named) or None


def nfe_missing(attachments: list[Attachment]) -> list[str]:
    """For NF-e matters the rejection screenshot and the XML are asked for explicitly (R4)."""
    missing = []
    if not any(is_image(a) for a in attachments):
        missing.append("print")
    if not any(is_xml(a) for a in attachments):
        missing.append("xml")
    return missing
