"""The paced chat figures alternate bare and ours in rounds and pool what each measured."""

from __future__ import annotations

import pytest

from bench.chat import _pooled, _rounds


@pytest.mark.parametrize(("chats", "n", "sizes"), [
    (12, 3, [4, 4, 4]),
    (13, 3, [5, 4, 4]),
    (2, 3, [1, 1]),
    (1, 3, [1]),
])
def test_every_customer_runs_in_exactly_one_round(chats: int, n: int, sizes: list[int]) -> None:
    ids = list(range(100, 100 + chats))
    groups = _rounds(ids, n)
    assert [len(g) for g in groups] == sizes
    assert [c for g in groups for c in g] == ids


def test_pooled_rounds_keep_every_latency_and_failure() -> None:
    runs = [{"latencies": [0.004, 0.005], "elapsed": 1.0, "failures": ["x"], "failed": 1,
             "updates": 2},
            {"latencies": [0.006], "elapsed": 0.5, "failures": [], "failed": 0, "updates": 1}]
    pooled = _pooled(runs)
    assert sorted(pooled["latencies"]) == [0.004, 0.005, 0.006]
    assert pooled["updates"] == 3
    assert pooled["failed"] == 1
    assert pooled["elapsed"] == 1.5
