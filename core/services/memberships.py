"""A customer's companies changed by the team: added to another, taken off one (R2, R8)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import InvalidInput, NotFound
from core.models import User
from core.services.context import Ctx
from core.services.users import normalize_email


@dataclass
class CompaniesChange:
    """The user as saved, and the names of the companies added and taken off (empty: none)."""

    user: User
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def change_companies(ctx: Ctx, email: str, add: list[str], remove: list[str]
                     ) -> CompaniesChange:
    """Add the customer to the companies named in `add` and take them off those in `remove`
    (their tickets stay the company's, which they no longer see, R8); a customer keeps at
    least one company, and the support team belongs to none."""
    user = ctx.uow.users.by_email(normalize_email(email))
    if user is None or not user.active:
        raise NotFound("error.user_not_found")
    if user.is_staff:
        raise InvalidInput("error.staff_no_company", name=user.name)
    change = CompaniesChange(user)
    ids = list(user.company_ids)
    for name, adding in [*((n, True) for n in add), *((n, False) for n in remove)]:
        company = ctx.uow.companies.by_name(name)
        if company is None or company.id is None:
            raise NotFound("error.company_not_found", name=name)
        if adding and company.id not in ids:
            ids.append(company.id)
            change.added.append(company.name)
        elif not adding and company.id in ids:
            ids.remove(company.id)
            change.removed.append(company.name)
    if not ids:
        raise InvalidInput("error.customer_needs_company")
    if change.added or change.removed:
        user.company_ids = ids
        ctx.uow.users.update(user)
    return change
