"""The stores alike on account lifecycle (R2): a deactivation's date and reason, and the
revocation of a person's pending invite codes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from storage_world import T0, World

from core.models import EmailChange, Invite


@pytest.fixture
def world(store: Any) -> World:
    """A seeded world on each store."""
    return World(store)


def test_a_deactivation_s_date_and_reason_are_kept_and_cleared(world: World) -> None:
    with world.store() as uow:
        carla = uow.users.get(world.carla)
        assert (carla.deactivated_at, carla.deactivation_reason) == (None, None)
        carla.active, carla.deactivated_at = False, T0
        carla.deactivation_reason = "Saiu da empresa — em 24/11"
        uow.users.update(carla)
        uow.commit()
    with world.store() as uow:
        assert uow.users.by_email("carla@exemplo.com.br") == carla
        carla.active, carla.deactivated_at, carla.deactivation_reason = True, None, None
        uow.users.update(carla)
        uow.commit()
    with world.store() as uow:
        assert uow.users.get(world.carla) == carla


def test_revoking_a_person_s_invites_ends_the_pending_ones_only(world: World) -> None:
    hour = timedelta(hours=1)
    with world.store() as uow:
        for code, user, expires in (("PEND01", world.carla, T0 + 72 * hour),
                                    ("PEND02", world.carla, T0 + 24 * hour),
                                    ("GONE01", world.carla, T0 - hour),
                                    ("USED01", world.carla, T0 + 72 * hour),
                                    ("JOAO01", world.joao, T0 + 72 * hour)):
            uow.invites.add(Invite(code=code, user_id=user, created_at=T0 - 2 * hour,
                                   expires_at=expires))
        used = uow.invites.get("USED01")
        used.used_at = T0 - hour
        uow.invites.update(used)
        uow.commit()
    with world.store() as uow:
        assert uow.invites.revoke_for_user(world.carla, T0) == 2
        uow.commit()
    with world.store() as uow:
        assert uow.invites.get("PEND01").expires_at == T0
        assert uow.invites.get("PEND02").expires_at == T0
        assert uow.invites.get("GONE01").expires_at == T0 - hour
        assert uow.invites.get("USED01") == used
        assert uow.invites.get("JOAO01").expires_at == T0 + 72 * hour
        assert uow.invites.revoke_for_user(world.carla, T0) == 0


def test_a_persons_e_mail_change_is_kept_replaced_and_deleted(world: World) -> None:
    """R11: one change per person waits for its code; put replaces it, delete forgets it."""
    first = EmailChange(user_id=world.carla, email="carla.nova@mercado.com.br", code="042917",
                        sent_at=T0, expires_at=T0 + timedelta(hours=24))
    with world.store() as uow:
        assert uow.email_changes.get(world.carla) is None
        uow.email_changes.put(first)
        uow.commit()
    second = first.model_copy(update={"email": "carla.outra@mercado.com.br", "code": "",
                                      "failures": 5, "sent_at": T0 + timedelta(minutes=2)})
    with world.store() as uow:
        assert uow.email_changes.get(world.carla) == first
        uow.email_changes.put(second)
        uow.commit()
    with world.store() as uow:
        assert uow.email_changes.get(world.carla) == second
        uow.email_changes.delete(world.carla)
        uow.commit()
    with world.store() as uow:
        assert uow.email_changes.get(world.carla) is None


def test_customer_names_are_every_active_customers_and_no_one_elses(world: World) -> None:
    """A name typed to find a customer (Slack's /ticket cliente, "tickets da Carla") is
    matched against these: two columns, no companies read."""
    with world.store() as uow:
        rita = uow.users.get(world.rita)
        rita.active = False
        uow.users.update(rita)
        uow.commit()
    with world.store() as uow:
        assert uow.users.customer_names() == {world.carla: "Carla", world.joao: "João"}
