"""R23: `helpdesk run` with SERVICES_EMAIL and no SMTP_URL, beside other instances on one
PostgreSQL database. The refusal waits for an instance that sends e-mail to come up (up to
OUTBOX_LEASE_SECONDS while another instance is live, SERVICES_EMAIL_WAIT_SECONDS while none is):
instances started together by a service manager come up in any order (0a9c352 built the first;
it had no test)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.process import Running, clean_env, said, wait_for

AREA = "servicos@totall.com.br"
LEASE = "15"
"""The lease of the refusal test: long enough that waiting for it (the live instance) and
SERVICES_EMAIL_WAIT_SECONDS (2 s, none live) stay seconds apart on a loaded machine, each
beat (every 2 s) well within it."""
MAIL_FROM = "Suporte <suporte@exemplo.com.br>"


def closed_port() -> int:
    """A port nothing listens on (an SMTP server never asked: nothing is sent here)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def checking(run: Running) -> bool:
    """Whether the start has reached the SERVICES_EMAIL check (the HTTP server is up, the
    start not over), or ended."""
    return run.proc.poll() is not None or said("run.http_listening", run.text()) is not None


@pytest.mark.postgres
def test_r23_the_services_email_check_waits_for_an_e_mail_instance_starting_meanwhile(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """A Telegram-less, mail-less instance is live; the one with SERVICES_EMAIL starts and
    waits; the e-mail instance comes up 3 s later: the start goes on, naming it, instead of
    being refused (no instance sent e-mail in the last 24 h when it looked first)."""
    url = new_db_url("postgres")
    bare = Running(clean_env(url, OUTBOX_LEASE_SECONDS="30"), tmp_path, "bare")
    bare.wait_ready()
    services = Running(clean_env(url, OUTBOX_LEASE_SECONDS="30", SERVICES_EMAIL=AREA),
                       tmp_path, "services")
    wait_for(lambda: checking(services), within=60, what="the check")
    time.sleep(3)
    assert services.proc.poll() is None, services.text()  # waiting, not refused
    mail = Running(clean_env(url, OUTBOX_LEASE_SECONDS="30", MAIL_FROM=MAIL_FROM,
                             SMTP_URL=f"smtp://127.0.0.1:{closed_port()}"), tmp_path, "mail")
    mail.wait_ready()
    services.wait_ready(within=30)
    found = said("run.services_email_elsewhere", services.text(), instances=r"\S+")
    assert found is not None, services.text()
    assert f":{mail.proc.pid}:" in found.group("instances"), found.group(0)
    for run in (services, mail, bare):
        assert run.terminate() == 0, run.text()


@pytest.mark.postgres
def test_r23_two_instances_started_together_the_e_mail_one_the_slower(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """A service manager starts both at once and they come up in any order: the SERVICES_EMAIL
    one reached its check before the e-mail one's first heartbeat, saw no instance at all and
    was refused at once. It now waits a while (SERVICES_EMAIL_WAIT_SECONDS, 10 s by default)
    for one starting with it: a minute here, for the e-mail one's start on a loaded machine
    (it came up after the 10 s and the test failed); the start goes on as soon as it beats."""
    url = new_db_url("postgres")
    services = Running(clean_env(url, SERVICES_EMAIL=AREA, SERVICES_EMAIL_WAIT_SECONDS="60"),
                       tmp_path, "services")
    wait_for(lambda: checking(services), within=60, what="the check")
    mail = Running(clean_env(url, MAIL_FROM=MAIL_FROM,
                             SMTP_URL=f"smtp://127.0.0.1:{closed_port()}"), tmp_path, "mail")
    mail.wait_ready()
    services.wait_ready(within=60)
    found = said("run.services_email_elsewhere", services.text(), instances=r"\S+")
    assert found is not None, services.text()
    assert f":{mail.proc.pid}:" in found.group("instances"), found.group(0)
    for run in (services, mail):
        assert run.terminate() == 0, run.text()


@pytest.mark.postgres
def test_r23_the_wait_ends_after_a_lease_with_the_refusal(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """The live instance never sends e-mail: after OUTBOX_LEASE_SECONDS (15 s here) the start
    is refused as with no instance at all; with none live, after SERVICES_EMAIL_WAIT_SECONDS
    (2 s here)."""
    url = new_db_url("postgres")

    def refused_after(name: str) -> float:
        """Seconds from the check to the exit of a start refused."""
        run = Running(clean_env(url, OUTBOX_LEASE_SECONDS=LEASE, SERVICES_EMAIL=AREA,
                                SERVICES_EMAIL_WAIT_SECONDS="2"), tmp_path, name)
        wait_for(lambda: checking(run), within=60, what="the check")
        began = time.monotonic()
        code = run.proc.wait(90)
        seconds = time.monotonic() - began
        run.terminate()
        assert code == 1, run.text()
        assert said("run.services_email_no_smtp", run.text()) is not None, run.text()
        return seconds

    bare = Running(clean_env(url, OUTBOX_LEASE_SECONDS=LEASE), tmp_path, "bare")
    bare.wait_ready()
    waited = refused_after("services")
    assert bare.terminate() == 0, bare.text()
    alone = refused_after("alone")  # the bare one stopped: only SERVICES_EMAIL_WAIT_SECONDS
    assert waited >= float(LEASE) - 0.5, \
        f"refused after {waited:.1f} s, without waiting for the live one"
    assert 2 - 0.5 <= alone < waited - 5, (alone, waited)
