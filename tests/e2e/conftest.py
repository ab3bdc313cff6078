"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_terminal_chat import helpdesk


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory where `helpdesk demo` ran: its database and files, for `demo()` to copy."""
    workdir = tmp_path_factory.mktemp("demo")
    helpdesk(workdir, "demo")
    return workdir
