"""Core's errors cross process boundaries whole (the Telegram step processes send them back)."""

from __future__ import annotations

import pickle

import pytest

from core.errors import Conflict, HelpdeskError, InvalidInput, NotFound


@pytest.mark.parametrize("error", [
    Conflict("error.conversation_moved"),
    InvalidInput("error.unknown_choice", level="origin"),
    NotFound(),
])
def test_an_error_comes_back_from_pickle_with_its_key_and_params(error: HelpdeskError) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert back.key == error.key
    assert back.params == error.params
    assert str(back) == str(error)
