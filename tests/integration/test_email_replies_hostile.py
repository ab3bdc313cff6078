"""Replies by e-mail read as an attacker sends them (R7): what the receiver answers in the
SMTP session to malformed or oversized mail, by real SMTP; SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import smtplib
import time
from pathlib import Path

import aiosmtplib
import pytest
from fakes.delivery_world import CARLA_EMAIL
from test_email_replies import Desk, running

from bots.email_inbound import DATA_LIMIT, MAX_MESSAGES


def headers(w: Desk, sender: str = CARLA_EMAIL) -> bytes:
    return (f"From: Carla Souza <{sender}>\r\nTo: {w.reply_to()}\r\nSubject: Re: ticket\r\n"
            f"Message-ID: <{time.monotonic_ns()}@mercado.com.br>\r\n").encode()


async def send_raw(w: Desk, raw: bytes, sender: str = CARLA_EMAIL) -> tuple[int, str]:
    """Send the bytes as they are; the server's answer to DATA (code, message)."""
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=w.host.replies_port, timeout=30,
                               start_tls=False) as smtp:
        await smtp.mail(sender)
        await smtp.rcpt(w.reply_to())
        try:
            answer = await smtp.data(raw)
        except aiosmtplib.SMTPDataError as refused:
            return refused.code, refused.message
        return answer.code, answer.message


def test_r7_a_message_nested_past_reason_is_refused_for_good_not_retried(
        db_url: str, tmp_path: Path) -> None:
    """3000 multiparts one inside the other broke the reader (RecursionError): it answered
    451, so the sender's server would retry it for days. Now 554, nothing added nor answered;
    the next reply is taken as usual."""
    async def story(w: Desk) -> None:
        raw = headers(w) + b"Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
        for depth in range(1, 3000):
            raw += b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (
                depth - 1, depth)
        code, message = await send_raw(w, raw)
        assert (code, message) == (554, "5.6.0 message not readable")
        assert w.public() == []
        code, _ = await send_raw(w, headers(w) + b"Content-Type: text/plain\r\n\r\nSaiu.\r\n")
        assert code == 250
        assert [e.text for e in w.public()] == ["Saiu."]
        assert len(w.smtp.to(CARLA_EMAIL)) == 1
        assert w.host.replies is not None
        assert w.host.replies.outcomes["unreadable"] == 1

    running(db_url, tmp_path, story)


def test_r7_a_from_that_is_no_address_is_ignored_not_answered(db_url: str, tmp_path: Path
                                                                ) -> None:
    async def story(w: Desk) -> None:
        raw = headers(w).replace(f"From: Carla Souza <{CARLA_EMAIL}>".encode(),
                                 f'From: "unterminated <{CARLA_EMAIL}>'.encode())
        code, _ = await send_raw(w, raw + b"Content-Type: text/plain\r\n\r\nOi.\r\n")
        assert code == 250
        assert w.public() == []
        assert w.host.replies is not None
        assert w.host.replies.outcomes == {"ignored: not one From address": 1}

    running(db_url, tmp_path, story)


def test_r7_the_size_limit_is_announced_and_a_larger_message_refused_before_its_data(
        db_url: str, tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=w.host.replies_port, timeout=30,
                                   start_tls=False) as smtp:
            await smtp.ehlo()
            assert smtp.esmtp_extensions["size"] == str(DATA_LIMIT)
            with pytest.raises(aiosmtplib.SMTPSenderRefused) as refused:
                await smtp.mail(CARLA_EMAIL, options=[f"SIZE={DATA_LIMIT + 1}"])
            assert refused.value.code == 552
        assert w.public() == []

    running(db_url, tmp_path, story)


def test_r7_a_message_to_more_than_100_reply_addresses_is_limited(db_url: str, tmp_path: Path
                                                                   ) -> None:
    """Any number of RCPT TO was taken, each kept in memory; past 100 (the least RFC 5321 lets
    a server take) the rest are told 452, and the message is taken once."""
    async def story(w: Desk) -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=w.host.replies_port, timeout=30,
                                   start_tls=False) as smtp:
            await smtp.mail(CARLA_EMAIL)
            await smtp.rcpt(w.reply_to())
            for n in range(99):
                await smtp.rcpt(f"suporte+{n}@exemplo.com.br")
            with pytest.raises(aiosmtplib.SMTPRecipientRefused) as refused:
                await smtp.rcpt("suporte+100@exemplo.com.br")
            assert refused.value.code == 452
            answer = await smtp.data(headers(w) + b"Content-Type: text/plain\r\n\r\nUma vez.\r\n")
            assert answer.code == 250
        assert [e.text for e in w.public()] == ["Uma vez."]

    running(db_url, tmp_path, story)


def test_r7_a_made_up_address_from_a_stranger_is_not_answered(db_url: str, tmp_path: Path
                                                               ) -> None:
    """Forged From addresses on made-up reply addresses made the desk mail refusals to anyone
    (backscatter: 3 an hour to each address named). A stranger's now only counts and logs."""
    async def story(w: Desk) -> None:
        for n in range(3):
            raw = headers(w, f"vitima{n}@exemplo.org").replace(
                w.reply_to().encode(), b"suporte+1-1-aaaaaaaaaaaaa@exemplo.com.br")
            async with aiosmtplib.SMTP(hostname="127.0.0.1", port=w.host.replies_port,
                                       timeout=30, start_tls=False) as smtp:
                await smtp.mail(f"vitima{n}@exemplo.org")
                await smtp.rcpt("suporte+1-1-aaaaaaaaaaaaa@exemplo.com.br")
                assert (await smtp.data(raw + b"Content-Type: text/plain\r\n\r\nOi\r\n")).code \
                    == 250
        await asyncio.sleep(0.5)  # a refusal would be out by now
        assert [m["To"] for m in w.smtp.messages] == [CARLA_EMAIL]  # her registration's only
        assert w.host.replies is not None
        assert w.host.replies.outcomes == {"stranger": 3}

    running(db_url, tmp_path, story)


def test_r7_one_connection_takes_100_messages_then_421_and_closes(db_url: str, tmp_path: Path
                                                                   ) -> None:
    """One SMTP session could send messages without end (MAIL, RSET, MAIL…). Past
    MAX_MESSAGES, 421 and the connection closed (its server opens another); a real client."""
    def session(port: int, reply_to: str) -> tuple[int, int, type[Exception]]:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            raw = (f"From: <{CARLA_EMAIL}>\r\nTo: <{reply_to}>\r\nSubject: Re: ticket\r\n\r\n"
                   "Primeira.\r\n")
            smtp.sendmail(CARLA_EMAIL, [reply_to], raw)
            for _ in range(MAX_MESSAGES - 1):
                assert smtp.mail(CARLA_EMAIL)[0] == 250
                assert smtp.rset()[0] == 250
            code = smtp.mail(CARLA_EMAIL)[0]
            try:
                smtp.noop()
            except smtplib.SMTPServerDisconnected as closed:
                return MAX_MESSAGES, code, type(closed)
            return MAX_MESSAGES, code, Exception

    async def story(w: Desk) -> None:
        assert await asyncio.to_thread(session, w.host.replies_port, w.reply_to()) == (
            100, 421, smtplib.SMTPServerDisconnected)
        code, _ = await send_raw(w, headers(w) + b"Content-Type: text/plain\r\n\r\nOutra.\r\n")
        assert code == 250
        assert [e.text for e in w.public()] == ["Primeira.", "Outra."]

    running(db_url, tmp_path, story)
