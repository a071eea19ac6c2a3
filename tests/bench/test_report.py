"""A benchmark run finished in parts gives one report: each measurement from the last part that
made it, each with its own load average, and parts measured differently are refused."""

from __future__ import annotations

import pytest

from bench.report import markdown, merge


def _run(started: str, load: float, rounds: int, **workloads: float) -> dict:
    def summary(rps: float) -> dict:
        return {"marsad": {"median": rps, "min": rps, "max": rps, "load1": load}, "ratios": {}}

    return {
        "mode": "full",
        "started": started,
        "machine": {
            "cpu": "cpu",
            "cores": 2,
            "memory_gb": 1.0,
            "python": "3.11",
            "load_average_at_start": [load, load, load],
        },
        "sql_origin": "service.db",
        "pool_max": 10,
        "rounds": {"throughput": rounds, "fixed_rate": 2, "export": rounds},
        "sizes": {
            "1000000": {
                "dataset": {"counts": {"events": 1_000_000}, "seconds": {"total": 1.0}},
                "plans": {
                    w: {"median_ms": 1.0, "max_ms": 1.0, "plan": [], "seq_scans": []} for w in workloads
                },
                "http": {
                    w: {"throughput": {"summary": summary(rps), "runs": {"marsad": [{}]}}}
                    for w, rps in workloads.items()
                },
            }
        },
    }


def test_later_parts_win_and_keep_their_loads() -> None:
    first = _run("2026-01-01T10:00:00Z", 6.0, 3, timeline=10.0, facets=20.0)
    second = _run("2026-01-01T11:00:00Z", 2.0, 3, facets=40.0)
    report = merge([first, second])
    http = report["sizes"]["1000000"]["http"]
    assert http["timeline"]["throughput"]["summary"]["marsad"]["median"] == 10.0
    assert http["facets"]["throughput"]["summary"]["marsad"]["median"] == 40.0
    assert [p["measured"] for p in report["parts"]] == [["timeline", "facets"], ["facets"]]
    text = markdown(report)
    assert "One run in 2 parts" in text and "(load average at start 2.00, 2.00, 2.00): facets" in text
    rows: dict[str, str] = {}
    for line in text.splitlines():  # the throughput table comes first
        if line.startswith("| "):
            rows.setdefault(line.split(" | ")[0], line)
    assert rows["| facets"].startswith("| facets | 40.0 |") and rows["| facets"].endswith("| 2.0 |")
    assert rows["| timeline"].startswith("| timeline | 10.0 |") and rows["| timeline"].endswith("| 6.0 |")


def test_parts_with_other_rounds_are_refused() -> None:
    with pytest.raises(ValueError, match="rounds"):
        merge([_run("a", 1.0, 3, timeline=1.0), _run("b", 1.0, 4, timeline=1.0)])
