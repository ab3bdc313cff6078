"""Pure parts of delivery: limits, backoff, pacing, the one-second window, classification."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import aiosmtplib
import pytest
from telegram import error as tg

from bots.delivery.limits import Backoff, Limits
from bots.delivery.registry import Pacer, SenderRegistry, WindowLimiter
from bots.delivery.render import render
from bots.delivery.results import Permanent, RetryAfter, Sent, Transient
from bots.email import classify as classify_smtp
from bots.email import mail_domain, message_id, subject_for
from bots.telegram.sender import classify as classify_telegram
from bots.telegram.sender import use_timedelta_periods
from core.i18n import t
from core.outbox import Channel, OutboxMessage


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _msg(**kw: object) -> OutboxMessage:
    data: dict = {"id": 5, "channel": Channel.EMAIL, "target": "x@y.com.br",
                  "kind": "ticket.tramite", "ticket_id": 9,
                  "params": {"number": "202611/0001", "assunto": "Ação"},
                  "created_at": datetime.now(UTC)}
    data.update(kw)
    return OutboxMessage(**data)


def test_limits_stay_under_telegram_and_slack_published_numbers() -> None:
    """30/s overall, 1/s per chat, 20/min per group, 1/s per Slack channel, all with margin."""
    limits = Limits()
    assert limits.channel_interval("telegram") > 1 / 30
    assert limits.channel_window("telegram") == 29
    assert limits.channel_interval("email") is None
    assert limits.destination_interval("telegram", "1001") >= 1.0
    assert limits.destination_interval("telegram", "-100200") >= 3.0
    assert limits.destination_interval("slack", "triage") >= 1.0
    assert limits.destination_interval("email", "a@b.com") == 0.0


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    """Half fixed, half random, doubling per attempt, never above the cap."""
    backoff = Backoff(base=2, cap=60)
    assert backoff.delay(1, rnd=lambda: 0.0) == 1.0
    assert backoff.delay(1, rnd=lambda: 1.0) == 2.0
    assert backoff.delay(3, rnd=lambda: 1.0) == 8.0
    assert backoff.delay(30, rnd=lambda: 1.0) == 60.0


def test_pacer_spaces_starts_even_after_a_stall() -> None:
    """Three sends asked at once start interval apart; a pause pushes them all."""
    clock = Clock()
    pacer = Pacer(0.5, clock=clock)
    assert [pacer.reserve() for _ in range(3)] == [0.0, 0.5, 1.0]
    clock.now += 10
    pacer.pause(3)
    assert pacer.reserve() == 3.0


def test_pacer_keeps_its_rate_when_sends_come_late() -> None:
    """A send held elsewhere past its turn (the window, a late wake-up) loses no time overall."""
    clock = Clock()
    pacer = Pacer(0.1, clock=clock)
    starts = []
    for i in range(100):
        if i % 4 == 3:
            clock.now += 0.14  # this one reaches the pacer 0.04 s after its turn
        clock.now += pacer.reserve()
        starts.append(clock.now)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert (starts[-1] - starts[0]) / 99 == pytest.approx(0.1, abs=0.002)
    assert min(gaps) >= 0.05 - 1e-9  # never closer than half an interval


def test_pacer_does_not_bank_idle_time() -> None:
    """After a quiet minute, sends asked at once are a whole interval apart again."""
    clock = Clock()
    pacer = Pacer(0.5, clock=clock)
    pacer.reserve()
    clock.now += 60
    assert [pacer.reserve() for _ in range(3)] == [0.0, 0.5, 1.0]


def test_window_limiter_counts_in_flight_and_recent_completions() -> None:
    """No more than `limit` requests in flight or completed within the last second."""
    clock = Clock()

    async def story() -> list[float]:
        window = WindowLimiter(2, clock=clock)
        await window.acquire()
        await window.acquire()
        assert window._room() > 0
        window.release()
        assert window._room() > 0  # completed just now: still inside the window
        clock.now += 1.0
        assert window._room() == 0.0
        await window.acquire()
        return [window._in_flight, len(window._done)]

    assert asyncio.run(story()) == [2, 0]


def test_registry_refuses_an_object_without_send() -> None:
    """Only objects with async send(msg) can be registered."""
    registry = SenderRegistry()
    with pytest.raises(TypeError):
        registry.register("email", object())  # type: ignore[arg-type]


def test_telegram_errors_map_to_results() -> None:
    """429 → RetryAfter(seconds), 403 → permanent and unreachable, 5xx/network → transient."""
    use_timedelta_periods()
    assert classify_telegram(tg.RetryAfter(7)) == RetryAfter(7.0, str(tg.RetryAfter(7)))
    blocked = classify_telegram(tg.Forbidden("Forbidden: bot was blocked by the user"))
    assert isinstance(blocked, Permanent)
    assert blocked.unreachable
    gone = classify_telegram(tg.BadRequest("Bad Request: chat not found"))
    assert isinstance(gone, Permanent)
    assert gone.unreachable
    bad = classify_telegram(tg.BadRequest("Bad Request: message is too long"))
    assert isinstance(bad, Permanent)
    assert not bad.unreachable
    assert isinstance(classify_telegram(tg.NetworkError("Bad Gateway")), Transient)
    assert isinstance(classify_telegram(tg.TimedOut()), Transient)
    assert isinstance(classify_telegram(tg.InvalidToken("Unauthorized")), Transient)


def test_smtp_errors_map_to_results() -> None:
    """5xx refusals are permanent (bounces), 4xx and authentication problems transient."""
    refused = aiosmtplib.SMTPRecipientsRefused(
        [aiosmtplib.SMTPRecipientRefused(550, "no such user", "x@y.com")])
    result = classify_smtp(refused)
    assert isinstance(result, Permanent)
    assert result.unreachable
    busy = aiosmtplib.SMTPRecipientsRefused(
        [aiosmtplib.SMTPRecipientRefused(450, "try later", "x@y.com")])
    assert isinstance(classify_smtp(busy), Transient)
    assert isinstance(classify_smtp(aiosmtplib.SMTPResponseException(535, "auth")), Transient)
    assert isinstance(classify_smtp(aiosmtplib.SMTPResponseException(554, "spam")), Permanent)
    assert isinstance(classify_smtp(ConnectionRefusedError()), Transient)


def test_r7_email_thread_ids_and_subject() -> None:
    """The registration mail is the thread root; later rows have unique, stable ids."""
    assert mail_domain("Suporte <suporte@exemplo.com.br>") == "exemplo.com.br"
    assert mail_domain("") == "helpdesk.local"
    root = _msg(kind="ticket.registered")
    assert message_id(root, "d.com") == "<ticket-9@d.com>"
    assert message_id(_msg(), "d.com") == "<ticket-9-5@d.com>"
    assert message_id(_msg(ticket_id=None), "d.com") == "<outbox-5@d.com>"
    assert subject_for(_msg(), "x") == "[Ticket 202611/0001] Ação"
    assert subject_for(_msg(params={}), "Convite") == "Convite"


def test_render_gives_an_unknown_kind_the_catalog_s_generic_text_in_the_language() -> None:
    """A kind the catalog lacks still gives a line with the ticket number, in the language."""
    params = {"number": "202611/0001", "assunto": "Ação", "status": "novo"}
    for lang in ("pt_BR", "en"):
        subject, text = render("nao.existe", params, lang)
        assert (subject, text) == (t("notify.other.subject", lang, **params),
                                   t("notify.other.text", lang, **params).strip())
        assert "202611/0001" in text
    subject, text = render("ticket.registered", params, "pt_BR")
    assert "202611/0001" in text


def test_a_row_core_never_writes_is_a_sender_error_not_a_portuguese_line() -> None:
    """It was answered with a plain pt-BR line whatever the person's language; now the
    dispatcher records the error on the row (outbox status --failed shows it)."""
    with pytest.raises(TypeError):
        render("ticket.tramite", {"number": "202611/0001", "files": 5, "language": "en"})
    assert Sent() == Sent(None)
