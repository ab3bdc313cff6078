"""Companies, users, invites, failed invite codes and e-mail changes in SQL."""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, or_, select, update

from core.conversation_state import ConversationKey
from core.errors import Conflict
from core.models import Company, EmailChange, Invite, Role, User
from storage.search import fold
from storage.sql.base import SqlRepo, new_id
from storage.sql.prepared import rows
from storage.tables import (
    companies,
    email_changes,
    invites,
    link_failures,
    user_companies,
    users,
)

_USER_FIELDS = [f for f in User.model_fields if f not in ("id", "company_ids")]
USER_COLS = [users.c.id, *(users.c[f] for f in _USER_FIELDS)]
_USER_KEYS = [c.key for c in USER_COLS]
_INVITE_FIELDS = list(Invite.model_fields)
# The lookups every use case makes, built once (their compiled form is then cached).
_LINKS = (
    select(user_companies.c.user_id, user_companies.c.company_id)
    .where(user_companies.c.user_id.in_(bindparam("ids", expanding=True)))
    .order_by(user_companies.c.user_id, user_companies.c.position)
)
_BY = {
    # One statement per lookup: the user's row once per company link (or once, unlinked).
    name: select(*USER_COLS, user_companies.c.company_id)
    .select_from(users.outerjoin(user_companies, user_companies.c.user_id == users.c.id))
    .where(users.c.id == select(users.c.id).where(column == bindparam("key"))
           .order_by(users.c.id).limit(1).scalar_subquery())
    .order_by(user_companies.c.position)
    for name, column in (("email_key", users.c.email_key),
                         ("telegram_id", users.c.telegram_id), ("slack_id", users.c.slack_id))
}
_NAMES = select(users.c.id, users.c.name).where(users.c.id.in_(bindparam("ids", expanding=True)))
_COMPANY = select(companies.c.id, companies.c.name).where(companies.c.id == bindparam("id"))
_COMPANY_NAMES = select(companies.c.id, companies.c.name).where(
    companies.c.id.in_(bindparam("ids", expanding=True)))
# By primary key no subquery is needed to pick one user.
_BY["id"] = (
    select(*USER_COLS, user_companies.c.company_id)
    .select_from(users.outerjoin(user_companies, user_companies.c.user_id == users.c.id))
    .where(users.c.id == bindparam("key"))
    .order_by(user_companies.c.position)
)


class SqlCompanies(SqlRepo):
    """Client companies; names are unique without regard to case and accents."""

    def add(self, company: Company) -> Company:
        stmt = insert(companies).values(name=company.name, name_key=fold(company.name))
        result = self.insert_unique(stmt, Conflict("error.company_exists", name=company.name))
        company.id = new_id(result)
        return company

    def get(self, company_id: int) -> Company | None:
        """The company; on PostgreSQL, asked while no transaction is open (a chat step's
        summary), a statement of its own: the step's one write then needs no BEGIN or COMMIT
        round trip either (SqlOutbox.add_with)."""
        with self.on_its_own():
            found = rows(self.conn, _COMPANY, {"id": company_id})
        return Company(id=found[0][0], name=found[0][1]) if found else None

    def names(self, company_ids: Collection[int]) -> dict[int, str]:
        """The names of these companies, in one statement."""
        if not company_ids:
            return {}
        found = self.conn.execute(_COMPANY_NAMES, {"ids": sorted(set(company_ids))})
        return {company_id: name for company_id, name in found}

    def by_name(self, name: str) -> Company | None:
        row = self.conn.execute(
            select(companies.c.id, companies.c.name).where(companies.c.name_key == fold(name))
        ).first()
        return Company.model_validate(row._mapping) if row else None

    def list(self) -> builtins.list[Company]:
        rows = self.conn.execute(
            select(companies.c.id, companies.c.name).order_by(self.binary(companies.c.name_key))
        )
        return [Company.model_validate(r._mapping) for r in rows]


class SqlUsers(SqlRepo):
    """Users with their companies; e-mails are unique without regard to case.

    A lookup is remembered until the unit of work writes a user (a chat step looks its person
    up two or three times); every call still returns a new User.
    """

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._seen: dict[tuple[str, Any], dict[str, Any] | None] = {}

    def _values(self, user: User) -> dict[str, Any]:
        values = {f: getattr(user, f) for f in _USER_FIELDS}
        values["email_key"] = user.email.lower()
        return values

    def _set_companies(self, user_id: int, company_ids: list[int]) -> None:
        self.conn.execute(delete(user_companies).where(user_companies.c.user_id == user_id))
        rows = [
            {"user_id": user_id, "company_id": cid, "position": i}
            for i, cid in enumerate(dict.fromkeys(company_ids))
        ]
        if rows:
            self.conn.execute(insert(user_companies), rows)

    def _load(self, rows: list[Row[Any]]) -> builtins.list[User]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        links: dict[int, list[int]] = defaultdict(list)
        found = self.conn.execute(_LINKS, {"ids": ids})
        for user_id, company_id in found:
            links[user_id].append(company_id)
        return [User.model_validate({**r._mapping, "company_ids": links[r.id]}) for r in rows]

    def add(self, user: User) -> User:
        self._seen.clear()
        conflict = Conflict("error.email_exists", email=user.email)
        result = self.insert_unique(insert(users).values(**self._values(user)), conflict)
        user.id = new_id(result)
        self._set_companies(user.id, user.company_ids)
        return user

    def _by(self, column: str, key: Any) -> User | None:
        if (column, key) not in self._seen:
            # On PostgreSQL, before anything is written, a statement of its own: a use case's
            # first read then needs no BEGIN round trip (a write after it begins one).
            with self.on_its_own():
                read = rows(self.conn, _BY[column], {"key": key})  # company_id last
            self.remember(column, key, read[0] if read else None,
                          [r[-1] for r in read if r[-1] is not None])
        found = self._seen[(column, key)]
        return None if found is None else User.model_validate(found)

    def remember(self, column: str, key: Any, row: Sequence[Any] | None,
                 company_ids: builtins.list[int]) -> None:
        """Keep a lookup read elsewhere (row: USER_COLS' values in order, None for no user)
        as if `column` = key had been asked here; a user found is known by id too."""
        if row is None:
            self._seen[(column, key)] = None
            return
        found = {**dict(zip(_USER_KEYS, row, strict=False)), "company_ids": company_ids}
        self._seen[(column, key)] = self._seen[("id", found["id"])] = found

    def get(self, user_id: int) -> User | None:
        return self._by("id", user_id)

    def by_email(self, email: str) -> User | None:
        return self._by("email_key", email.lower())

    def by_telegram(self, telegram_id: int) -> User | None:
        return self._by("telegram_id", telegram_id)

    def by_slack(self, slack_id: str) -> User | None:
        return self._by("slack_id", slack_id)

    def update(self, user: User) -> None:
        self._seen.clear()
        other = self.by_email(user.email)
        if other and other.id != user.id:
            raise Conflict("error.email_exists", email=user.email)
        stmt = update(users).where(users.c.id == user.id).values(**self._values(user))
        self.insert_unique(stmt, Conflict("error.email_exists", email=user.email))
        if user.id is not None:
            self._set_companies(user.id, user.company_ids)
        self._seen.clear()

    def staff(self) -> builtins.list[User]:
        """Active agents and coordinators (an index on role: customers are not read)."""
        stmt = select(*USER_COLS).where(
            users.c.role.in_([Role.AGENT.value, Role.COORDINATOR.value]), users.c.active,
        ).order_by(users.c.id)
        return self._load(list(self.conn.execute(stmt)))

    def names(self, user_ids: Collection[int]) -> dict[int, str]:
        """The names of these people: those this unit of work read already, the others in
        one statement."""
        known = {i: found["name"] for i in set(user_ids)
                 if (found := self._seen.get(("id", i))) is not None}
        missing = sorted(set(user_ids) - known.keys())
        if missing:
            known.update((i, name) for i, name in self.conn.execute(_NAMES, {"ids": missing}))
        return known

    def customer_names(self) -> dict[int, str]:
        """Every active customer's name by id, in one statement of two columns (no companies
        read: 5 000 customers' whole rows took 50–180 ms)."""
        stmt = select(users.c.id, users.c.name).where(
            users.c.role == Role.CUSTOMER.value, users.c.active)
        return {user_id: name for user_id, name in self.conn.execute(stmt)}

    def list(self, company_id: int | None = None) -> builtins.list[User]:
        stmt = select(*USER_COLS).order_by(users.c.id)
        if company_id is not None:
            member = select(user_companies.c.user_id).where(
                user_companies.c.company_id == company_id
            )
            stmt = stmt.where(users.c.id.in_(member))
        return self._load(list(self.conn.execute(stmt)))


class SqlInvites(SqlRepo):
    """One-time invite codes."""

    def add(self, invite: Invite) -> None:
        stmt = insert(invites).values(**invite.model_dump())
        self.insert_unique(stmt, Conflict("error.invite_exists"))

    def get(self, code: str) -> Invite | None:
        cols = [invites.c[f] for f in _INVITE_FIELDS]
        row = self.conn.execute(select(*cols).where(invites.c.code == code)).first()
        return Invite.model_validate(row._mapping) if row else None

    def update(self, invite: Invite) -> None:
        values = invite.model_dump(exclude={"code"})
        self.conn.execute(update(invites).where(invites.c.code == invite.code).values(**values))

    def delete_expired(self, now: datetime) -> int:
        stmt = delete(invites).where(
            or_(invites.c.expires_at <= now, invites.c.used_at.is_not(None))
        )
        return self.conn.execute(stmt).rowcount

    def revoke_for_user(self, user_id: int, now: datetime) -> int:
        stmt = update(invites).where(
            invites.c.user_id == user_id, invites.c.used_at.is_(None), invites.c.expires_at > now,
        ).values(expires_at=now)
        return self.conn.execute(stmt).rowcount


_FAILURES = select(func.count(), func.min(link_failures.c.failed_at)).where(
    link_failures.c.channel == bindparam("channel"),
    link_failures.c.chat_id == bindparam("chat_id"),
    link_failures.c.user_key == bindparam("user_key"),
    link_failures.c.failed_at > bindparam("after"))


class SqlLinkFailures(SqlRepo):
    """Invite codes a conversation got wrong, by conversation key (R2)."""

    def add(self, key: ConversationKey, at: datetime) -> None:
        self.conn.execute(insert(link_failures).values(**key.model_dump(), failed_at=at))

    def recent(self, key: ConversationKey, after: datetime) -> tuple[int, datetime | None]:
        row = self.conn.execute(_FAILURES, {**key.model_dump(), "after": after}).one()
        return int(row[0]), row[1]

    def delete_before(self, before: datetime) -> int:
        stmt = delete(link_failures).where(link_failures.c.failed_at < before)
        return self.conn.execute(stmt).rowcount


_CHANGE_COLS = [email_changes.c[f] for f in EmailChange.model_fields]


class SqlEmailChanges(SqlRepo):
    """The new e-mail address each user waits to confirm (R11)."""

    def get(self, user_id: int) -> EmailChange | None:
        row = self.conn.execute(select(*_CHANGE_COLS)
                                .where(email_changes.c.user_id == user_id)).first()
        return EmailChange.model_validate(row._mapping) if row else None

    def put(self, change: EmailChange) -> None:
        values = change.model_dump()
        stmt = self.upsert(email_changes).values(**values)
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=[email_changes.c.user_id],
            set_={k: v for k, v in values.items() if k != "user_id"}))

    def delete(self, user_id: int) -> None:
        self.conn.execute(delete(email_changes).where(email_changes.c.user_id == user_id))
