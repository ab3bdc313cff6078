"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.process import Running, in_process


@pytest.fixture(autouse=True)
def no_helpdesk_run_left() -> Iterator[None]:
    """A test that fails halfway leaves no `helpdesk run` behind (twelve were, in one session)."""
    yield
    Running.kill_left()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory where `helpdesk demo` ran (in this process): its database and files, for
    `demo()` to copy."""
    workdir = tmp_path_factory.mktemp("demo")
    in_process(f"sqlite:///{workdir / 'helpdesk.db'}", "demo", cwd=workdir)
    return workdir
