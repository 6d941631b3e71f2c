"""Exporting an activity of very many tiny logs costs little beyond the decoded logs."""

from __future__ import annotations

import tracemalloc

from viewer.export.pathway_csv import PathwayExport

LOGS = 200_000


def _answer() -> bytes:
    log = '{"email":"u%d@e.x","status":{"state":"started"}}'
    logs = ",".join(log % i for i in range(LOGS))
    return (
        '{"status":"success","data":[{"pathway":{"ID":"p","name":"P"},"activities":'
        '[{"ID":"a","name":"A","logs":[' + logs + "]}]}]}"
    ).encode()


def test_memory_per_log_stays_bounded_in_both_passes():
    body = _answer()
    tracemalloc.start()
    try:
        export = PathwayExport.read(body)
        checked = tracemalloc.get_traced_memory()[1] / LOGS
        tracemalloc.reset_peak()
        written = sum(1 for _ in export.rows())
        made = tracemalloc.get_traced_memory()[1] / LOGS
    finally:
        tracemalloc.stop()
    assert written == LOGS
    # The decoded logs themselves take about 265 bytes each; cells made for all of them at
    # once took another 100 to 260.
    assert checked < 320, f"{checked:.0f} bytes per log while checking the answer"
    assert made < 400, f"{made:.0f} bytes per log while making the rows"
