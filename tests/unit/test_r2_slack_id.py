"""R2: an agent's Slack member ID is Slack's own (U..., upper case); anything else typed is
refused, naming what was typed, in either language, and nobody is added."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.i18n import t
from core.models import Role
from core.services import users

EMAIL = "ana-ribeiro@exemplo.com.br"


@pytest.mark.parametrize("typed", ["ana", "@ana.ribeiro", "U123 456",
                                   "https://x.slack.com/team/U0123ABCD"])
def test_r2_a_slack_id_that_is_not_one_is_refused_naming_it(world, typed):
    with pytest.raises(InvalidInput) as refused:
        world.run(users.add_user, name="Ana Ribeiro", email=EMAIL, role=Role.AGENT,
                  slack_id=typed)
    assert (refused.value.key, refused.value.params) == ("error.slack_id_invalid",
                                                         {"slack_id": typed})
    said = {lang: t(refused.value.key, lang, **refused.value.params) for lang in ("pt_BR", "en")}
    assert all(typed in text for text in said.values())
    assert said["pt_BR"] != said["en"]
    assert world.read(lambda uow: uow.users.by_email(EMAIL)) is None


def test_r2_a_lower_case_slack_id_is_kept_upper(world):
    added = world.run(users.add_user, name="Ana Ribeiro", email=EMAIL, role=Role.AGENT,
                      slack_id=" u0anaribeiro ")
    assert added.slack_id == "U0ANARIBEIRO"
