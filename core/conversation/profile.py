"""The profile (R11): users keep their contact data current, the e-mail above all."""

from __future__ import annotations

import re

from core.conversation import intents
from core.conversation import typed as typed_words
from core.conversation.fmt import phone_shown
from core.conversation.intents_words import TROUBLE
from core.conversation.matching import match_words
from core.conversation.profile_email import CODE_STEP, on_email
from core.conversation.replies import Expect
from core.conversation.turn import IDLE, Step, Turn, register
from core.errors import InvalidInput
from core.i18n import LANGUAGES
from core.services import email_change, users
from core.services.access import load_user
from core.textmatch import fold, unhyphenate

CHANGEABLE = ("email", "phone", "language")
PHONE_LIKE = re.compile(r"\+?[\d\s().-]{8,24}")
"""Only a phone's characters, as many as a phone's: typed at the page, the new phone."""
PART_WORDS = {
    "email": frozenset({"email", "emails", "mail"}),
    "phone": frozenset({"telefone", "telefones", "fone", "celular", "whatsapp", "phone",
                        "mobile"}),
    "language": frozenset({"idioma", "lingua", "ingles", "portugues", "language", "english",
                           "portuguese"}),
}
"""The words that name each thing the page changes ("o telefone da loja mudou")."""


def begin(turn: Turn, what: str = "") -> None:
    """Show the profile, or ask straight away for the e-mail, phone or language named; one
    given with it ("email carla@…", from "meu email mudou para carla@…", "mudar o idioma para
    inglês") is kept at once."""
    part, _, value = what.partition(" ")
    if part in ("email", "phone") and value.strip():
        (on_email if part == "email" else on_phone)(turn, value.strip())
        return
    if part == "language" and value in LANGUAGES:  # "mudar o idioma para inglês"
        on_language(turn, value)
        return
    turn.go(f"profile.{what}" if what in CHANGEABLE else "profile.view")


def ask_view(turn: Turn) -> None:
    """Name, e-mail, phone, companies, language, and what can be changed."""
    user = load_user(turn.ctx, turn.user.id or 0)
    companies = [c.name for cid in user.company_ids if (c := turn.ctx.uow.companies.get(cid))]
    text = turn.t("conv.profile.view", name=user.name, email=user.email,
                  phone=phone_shown(user.phone, turn.lang) if user.phone
                  else turn.t("conv.profile.no_phone"),
                  companies=", ".join(companies) or "—",
                  language=turn.t(f"language.{turn.lang}"),
                  trained=turn.t("conv.yes" if user.trained else "conv.no"))
    if turn.ctx.mails(user.email):
        text += "\n" + turn.t("conv.profile.mail_note")
    choices = [(turn.t("conv.profile.change_email"), "email"),
               (turn.t("conv.profile.change_phone"), "phone"),
               (turn.t("conv.profile.change_language"), "language"),
               (turn.t("conv.menu.back"), "menu")]
    if (change := email_change.pending(turn.ctx, user.id or 0)) is not None:
        text += "\n" + turn.t("conv.profile.email_pending", email=change.email)
        choices.insert(0, (turn.t("conv.profile.type_code"), "code"))
    turn.ask("profile.view", text, choices)


def on_view(turn: Turn, value: str) -> None:
    """Pick what to change."""
    if value == "code":
        turn.go(CODE_STEP)
    elif value in CHANGEABLE:
        turn.go(f"profile.{value}")
    else:
        turn.go(IDLE)


def on_view_text(turn: Turn, text: str) -> None:
    """An e-mail or a phone typed at the page is the new one (checked as at its question);
    other words name an option ("telefone"); a sentence naming none is kept and offered as
    at the menu; else not understood."""
    typed = text.strip()
    if "@" in typed and len(typed.split()) == 1:
        on_email(turn, typed)
    elif PHONE_LIKE.fullmatch(typed) and sum(ch.isdecimal() for ch in typed) >= 8:
        on_phone(turn, typed)
    elif (named := match_words(turn.state, text)) is not None:
        on_view(turn, named)
    elif (part := _part_told(text)) is not None:
        _change_told(turn, part, text)
    elif not typed_words.not_a_choice(turn, text):
        raise InvalidInput("conv.error.choose")


def _part_told(text: str) -> str | None:
    """The one thing of the page a sentence is about ("o telefone da loja mudou ontem"), not
    a problem told ("o telefone do suporte não atende"): that is a matter."""
    words = set(fold(unhyphenate(text)).split())
    named = [part for part, said in PART_WORDS.items() if words & said]
    return named[0] if len(named) == 1 and not words & TROUBLE else None


def _change_told(turn: Turn, part: str, text: str) -> None:
    """Say which change the sentence was read as; the new e-mail or phone it holds is kept
    at once (as "meu email mudou para …" at the menu), else its question follows."""
    turn.say("conv.profile.understood", action=turn.t(f"conv.profile.change_{part}"))
    contact = intents.contact_in(text)
    if part == "email" and contact is not None and "@" in contact:
        on_email(turn, contact)
    elif part == "phone" and contact is not None and "@" not in contact:
        on_phone(turn, contact)
    else:
        turn.go(f"profile.{part}")


def ask_email(turn: Turn) -> None:
    """The new e-mail address."""
    turn.ask("profile.email", turn.t("conv.profile.ask_email", email=turn.user.email),
             [(turn.t("conv.closing.back"), "back")], Expect.TEXT)


def ask_phone(turn: Turn) -> None:
    """The new phone number."""
    choices = [(turn.t("conv.profile.remove_phone"), "remove")] if turn.user.phone else []
    choices.append((turn.t("conv.closing.back"), "back"))
    turn.ask("profile.phone", turn.t("conv.profile.ask_phone"), choices, Expect.TEXT)


def on_phone(turn: Turn, text: str) -> None:
    """Validate and keep the phone; nothing typed is no phone (removing it is a choice)."""
    if not text.strip():
        raise InvalidInput("error.phone_invalid")
    turn.user_or_none = users.update_profile(turn.ctx, turn.user.id or 0, phone=text)
    turn.say("conv.profile.phone_changed", phone=phone_shown(turn.user.phone or "", turn.lang))
    turn.go("profile.view")


def on_phone_choice(turn: Turn, value: str) -> None:
    """Remove the phone, or go back."""
    if value == "remove":
        turn.user_or_none = users.update_profile(turn.ctx, turn.user.id or 0, phone="")
        turn.say("conv.profile.phone_removed")
    turn.go("profile.view")


LANGUAGE_WORDS = {"pt_BR": "português portuguese brasil brazil", "en": "inglês english"}
"""A language's name in either language ("inglês" at Português (Brasil), English)."""


def ask_language(turn: Turn) -> None:
    """Português or English."""
    choices = [(turn.t(f"language.{lang}"), lang, LANGUAGE_WORDS.get(lang, ""))
               for lang in LANGUAGES]
    choices.append((turn.t("conv.closing.back"), "back", ""))
    turn.ask("profile.language", turn.t("conv.profile.ask_language"), choices)


def on_language(turn: Turn, value: str) -> None:
    """Keep the language; every later text uses it."""
    if value in LANGUAGES:
        user = load_user(turn.ctx, turn.user.id or 0)
        users.change_language(turn.ctx, user, value)
        turn.user_or_none = user
        turn.lang = user.language or turn.lang
        turn.say("conv.profile.language_changed")
    turn.go("profile.view")


register(
    Step("profile.view", ask_view, on_choice=on_view, on_text=on_view_text, requests=True,
         back="menu"),
    Step("profile.email", ask_email, on_choice=lambda turn, _: turn.go("profile.view"),
         on_text=on_email),
    Step("profile.phone", ask_phone, on_choice=on_phone_choice, on_text=on_phone),
    Step("profile.language", ask_language, on_choice=on_language),
)
