"""Slack cuts what is longer than its limits: the card's and forms' texts fit them whole."""

from __future__ import annotations

import pytest

from core.i18n import LANGUAGES, catalog, label, t
from core.models import CriticalReason

MODAL_TITLE_MAX = 24
"""Slack's limit on a modal's title and on its submit and close buttons."""
BUTTON_MAX = 75
"""Slack's limit on a button's or an option's text."""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_form_title_and_its_buttons_fit_slack_whole(lang: str) -> None:
    """'Retorno do desenvolvimento' has 26 characters: Slack showed 'Retorno do desenvolvime…'."""
    keys = [k for k in catalog(lang) if k.startswith("slack.modal.") and k.endswith(".title")]
    keys += ["slack.modal.submit", "slack.modal.cancel"]
    too_long = {k: t(k, lang) for k in keys if len(t(k, lang)) > MODAL_TITLE_MAX}
    assert not too_long


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_card_button_and_option_fits_slack_whole(lang: str) -> None:
    texts = [t(k, lang) for k in catalog(lang) if k.startswith("slack.btn.")
             and k != "slack.btn.critical"]
    texts += [t("slack.btn.critical", lang, reason=label("critical_reason", r, lang))
              for r in CriticalReason]
    assert [text for text in texts if len(text) > BUTTON_MAX] == []
