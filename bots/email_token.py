"""The Reply-To of a ticket's e-mail (MAIL_REPLY_TO): `suporte+<token>@…`, the token naming the
ticket and the person, signed with MAIL_REPLY_SECRET so that no one makes one up."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field

MAC_CHARS = 13
"""65 bits of the HMAC in base32: short in an address, never guessed."""
TOKEN = re.compile(rf"(\d{{1,12}})-(\d{{1,12}})-([a-z2-7]{{{MAC_CHARS}}})")
"""ticket-user-mac, all lower case: mail systems lowercase local parts."""


@dataclass(frozen=True)
class ReplyAddress:
    """Makes and reads the signed reply addresses of MAIL_REPLY_TO."""

    address: str
    secret: bytes = field(repr=False)

    @property
    def local(self) -> str:
        return self.address.rpartition("@")[0]

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]

    def _mac(self, ticket_id: int, user_id: int) -> str:
        digest = hmac.new(self.secret, f"reply:{ticket_id}:{user_id}".encode(),
                          hashlib.sha256).digest()
        return base64.b32encode(digest).decode("ascii")[:MAC_CHARS].lower()

    def token(self, ticket_id: int, user_id: int) -> str:
        """The token of a person's replies to a ticket's e-mails."""
        return f"{ticket_id}-{user_id}-{self._mac(ticket_id, user_id)}"

    def for_reply(self, ticket_id: int, user_id: int) -> str:
        """`suporte+<token>@domain`: where that person's replies go."""
        return f"{self.local}+{self.token(ticket_id, user_id)}@{self.domain}"

    def token_in(self, address: str) -> str | None:
        """The token of an address of ours (`suporte+…@domain`, any case), or None."""
        local, _, domain = address.strip().strip("<>").rpartition("@")
        base, plus, token = local.partition("+")
        if not plus or base.lower() != self.local.lower() \
                or domain.lower() != self.domain.lower():
            return None
        return token.lower()

    def read(self, token: str) -> tuple[int, int] | None:
        """(ticket id, user id) of a token signed by us; None when made up or altered."""
        match = TOKEN.fullmatch(token.strip().lower())
        if match is None:
            return None
        ticket_id, user_id = int(match.group(1)), int(match.group(2))
        if not hmac.compare_digest(match.group(3), self._mac(ticket_id, user_id)):
            return None
        return ticket_id, user_id

    def is_ours(self, address: str) -> bool:
        """Whether an address is MAIL_REPLY_TO itself or one of its reply addresses."""
        bare = address.strip().strip("<>").lower()
        return bare == self.address.lower() or self.token_in(bare) is not None
