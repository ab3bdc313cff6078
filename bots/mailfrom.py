"""E-mail addresses: whether MAIL_FROM is one mailbox (and needs SMTPUTF8), and how it and a
recipient are written in the From, the To and the Message-IDs."""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.utils import getaddresses

MAILBOX = re.compile(r"[^@\s<>\",;]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*")
"""local@domain, the domain in letters, digits and hyphens (a dotless one serves a local relay)."""


def is_sender(mail_from: str) -> bool:
    """Whether MAIL_FROM is one mailbox: `suporte@exemplo.com.br` or `Suporte <suporte@…>`."""
    pairs = getaddresses([mail_from])
    if len(pairs) != 1 or MAILBOX.fullmatch(pairs[0][1]) is None:
        return False
    try:
        ascii_domain(pairs[0][1])
    except UnicodeError:  # no IDNA form (a label too long): no server would take it
        return False
    return True


def needs_smtputf8(mail_from: str) -> bool:
    """Whether MAIL_FROM has letters beyond ASCII before the @ (`sú@empresa.com.br`): no ASCII
    form exists, so only a server offering SMTPUTF8 sends its e-mails."""
    pairs = getaddresses([mail_from])
    return bool(pairs) and not pairs[0][1].rpartition("@")[0].isascii()


def ascii_domain(address: str) -> str:
    """The address with its domain in IDNA form (`empresá.com.br` -> `xn--empres-qta.com.br`):
    the same mailbox, and a server without SMTPUTF8 takes it (the domain in letters as typed
    was refused, every e-mail retried until given up). UnicodeError when it has no such form."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def sender_header(mail_from: str) -> str | Address:
    """The From of the e-mails: MAIL_FROM as written, its domain in IDNA form when not ASCII."""
    name, address = getaddresses([mail_from])[0]
    plain = ascii_domain(address)
    return mail_from if plain == address else Address(display_name=name, addr_spec=plain)


def mail_domain(mail_from: str) -> str:
    """The domain of the sender address, used in Message-IDs."""
    pairs = getaddresses([mail_from])
    address = ascii_domain(pairs[0][1]) if pairs else ""
    return address.rpartition("@")[2] or "helpdesk.local"


def recipient_header(target: str) -> str | Address:
    """The To of an e-mail: one mailbox, its domain in IDNA form. Letters beyond ASCII before
    the @ go as typed (Address refuses to build them; the server must offer SMTPUTF8)."""
    plain = ascii_domain(target)
    if plain.rpartition("@")[0].isascii():
        return Address(addr_spec=plain)
    if MAILBOX.fullmatch(target) is None:
        raise ValueError(f"not one mailbox: {target!r}")
    return plain
