"""The words of a reply by e-mail in the charsets mail clients send (R7): latin-1 labels that
are Windows' cp1252 (Outlook's “quotes” and €), no charset at all, one unknown or wrong."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from typing import Any

import pytest

from bots.email_inbound_read import reply_text

HEAD = b"From: Carla <carla@mercado.com.br>\r\nSubject: Re: nota\r\n"


def read(content_type: bytes, body: bytes, encoding: bytes = b"8bit") -> str:
    mail: Any = BytesParser(policy=policy.default).parsebytes(
        HEAD + b"Content-Type: " + content_type + b"\r\nContent-Transfer-Encoding: " + encoding
        + b"\r\n\r\n" + body)
    return reply_text(mail)


@pytest.mark.parametrize(("content_type", "body", "encoding"), [
    (b"text/plain; charset=iso-8859-1", b"Ol\xe1, \x93n\xe3o\x94 saiu: \x80 10", b"8bit"),
    (b"text/plain; charset=windows-1252", b"Ol=E1, =93n=E3o=94 saiu: =80 10",
     b"quoted-printable"),
    (b"text/plain; charset=us-ascii", b"Ol\xc3\xa1, \xe2\x80\x9cn\xc3\xa3o\xe2\x80\x9d saiu: "
     b"\xe2\x82\xac 10", b"8bit"),
    (b"text/plain", b"Ol\xe1, \x93n\xe3o\x94 saiu: \x80 10", b"8bit"),
    (b"text/plain", b"Ol\xc3\xa1, \xe2\x80\x9cn\xc3\xa3o\xe2\x80\x9d saiu: \xe2\x82\xac 10",
     b"8bit"),
    (b"text/plain; charset=x-unknown", b"Ol\xe1, \x93n\xe3o\x94 saiu: \x80 10", b"8bit"),
    (b"text/plain; charset=utf-8", b"Ol\xe1, \x93n\xe3o\x94 saiu: \x80 10", b"8bit"),
    (b"text/html; charset=iso-8859-1", b"<p>Ol\xe1, \x93n\xe3o\x94 saiu: \x80 10</p>", b"8bit"),
])
def test_r7_a_reply_reads_right_whatever_its_charset_label(content_type: bytes, body: bytes,
                                                           encoding: bytes) -> None:
    assert read(content_type, body, encoding) == "Olá, “não” saiu: € 10"


def test_r7_a_reply_in_another_declared_charset_is_read_in_it() -> None:
    assert read(b"text/plain; charset=koi8-r", "Привет".encode("koi8-r")) == "Привет"
