"""CallLog: how the tests and benchmarks count calls and sequential rounds."""

from __future__ import annotations

from sagemaker_lineage_ext.core.observe import CallLog, CallRecord


def log_of(*spans: tuple[float, float]) -> CallLog:
    log = CallLog()
    for start, end in spans:
        log(CallRecord("Op", start, end))
    return log


def test_call_log_rounds_counts_the_longest_chain_of_calls_one_after_another():
    # two overlapping calls, then one that starts when the first ended, then one after it
    log = log_of((0, 1), (0.5, 1.5), (1, 2), (2.5, 3))
    assert log.rounds() == 3
    assert log.max_in_flight() == 2


def test_call_log_rounds_waits_for_the_call_that_ends_last_only_when_needed():
    # C starts after A ended but while B (the long call) still runs: A -> C, B alone
    log = log_of((0, 1), (0, 5), (1.2, 2), (5, 6))
    assert log.rounds() == 3  # A -> C is 2; B -> D is 2; A -> C -> D is 3


def test_call_log_rounds_of_many_concurrent_waves_is_the_number_of_waves():
    spans = [(wave + i / 1000, wave + 0.9) for wave in range(12) for i in range(300)]
    assert log_of(*spans).rounds() == 12


def test_call_log_without_calls_has_no_rounds():
    assert CallLog().rounds() == 0 and CallLog().max_in_flight() == 0
