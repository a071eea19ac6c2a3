"""The markdown summary of a run (bench/results/<mode>.md), written beside its JSON."""

from __future__ import annotations

from typing import Any

PEERS = ("marsad", "fastapi", "starlette", "floor")
TARGET_P99_MS = 50


def _f(value: Any, digits: int = 1) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _ratio(a: Any, b: Any) -> str:
    try:
        return f"{a / b:.2f}"
    except (TypeError, ZeroDivisionError):
        return "–"


def _latency(r: dict[str, Any] | None) -> str:
    if not r or "p99_ms" not in r:
        return "error" if r else "–"
    errors = f" ({r['errors'] + r.get('non2xx', 0)} failed)" if r.get("errors") or r.get("non2xx") else ""
    return f"{_f(r['p50_ms'])} / {_f(r['p95_ms'])} / {_f(r['p99_ms'])}{errors}"


def http_tables(size: str, http: dict[str, Any]) -> list[str]:
    out = [
        f"### Servers side by side at {int(size):,} events",
        "",
        "Throughput: wrk, 16 connections, closed loop. Ratios are Marsad ÷ peer (higher is better for "
        "throughput).",
        "",
        "| workload | Marsad rps | FastAPI rps | Starlette rps | asyncpg floor rps | ÷ FastAPI | ÷ Starlette | ÷ floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, w in http.items():
        if "throughput" not in w:
            out.append(f"| {name} | error: {w.get('error', '?')} |")
            continue
        t = w["throughput"]
        rps = {p: t.get(p, {}).get("rps") for p in PEERS}
        out.append(
            f"| {name} | "
            + " | ".join(_f(rps[p]) for p in PEERS)
            + " | "
            + " | ".join(_ratio(rps["marsad"], rps[p]) for p in ("fastapi", "starlette", "floor"))
            + " |"
        )
    out += [
        "",
        "Latency at a fixed rate (open loop, half the slowest peer's throughput; latency from the "
        "scheduled send time). p99 ratio is Marsad ÷ peer (lower is better).",
        "",
        "| workload | rate/s | Marsad p50/p95/p99 ms | FastAPI p50/p95/p99 | Starlette p50/p95/p99 | floor p50/p95/p99 | p99 ÷ FastAPI | p99 ÷ floor |",
        "|---|---:|---|---|---|---|---:|---:|",
    ]
    for name, w in http.items():
        if "fixed_rate" not in w:
            continue
        f = w["fixed_rate"]
        m = f.get("marsad", {}).get("p99_ms")
        out.append(
            f"| {name} | {_f(w.get('rate'))} | "
            + " | ".join(_latency(f.get(p)) for p in PEERS)
            + " | "
            + f"{_ratio(m, f.get('fastapi', {}).get('p99_ms'))} | {_ratio(m, f.get('floor', {}).get('p99_ms'))} |"
        )
    own = {name: w["own_rate"] for name, w in http.items() if "own_rate" in w}
    if own:
        out += [
            "",
            "Marsad alone at half of its own throughput (open loop), for the steady-rate latency target.",
            "",
            "| workload | rate/s | seconds | Marsad p50/p95/p99 ms |",
            "|---|---:|---:|---|",
        ]
        out += [
            f"| {name} | {_f(o['rate'])} | {_f(o['seconds'])} | {_latency(o.get('marsad'))} |"
            for name, o in own.items()
        ]
    return out


def growth_table(sizes: dict[str, Any]) -> list[str]:
    names = list(next(iter(sizes.values()))["plans"])
    cols = list(sizes)
    out = [
        "### Growth: one request in-process (all its statements), median ms",
        "",
        "| workload | "
        + " | ".join(f"{int(c):,}" for c in cols)
        + " | seq scans in the main plan at the largest size |",
        "|---|" + "---:|" * len(cols) + "---|",
    ]
    for name in names:
        last = sizes[cols[-1]]["plans"][name]
        seq = ", ".join(sorted(set(last["seq_scans"]))) or "none"
        out.append(
            f"| {name} | "
            + " | ".join(_f(sizes[c]["plans"][name]["median_ms"], 2) for c in cols)
            + f" | {seq} |"
        )
    return out


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    out = [
        f"# Marsad benchmarks ({report['mode']})",
        "",
        f"Run {report['started']} in {report['seconds']} s. Machine: {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gb']} GB, Python {m['python']}, Postgres {m.get('postgres')} (embedded), "
        f"load average at start {', '.join(f'{x:.2f}' for x in m['load_average_at_start'])}. "
        f"SQL: {report['sql_origin']}. Pool: {report['pool_max']} connections per server. Postgres settings: "
        f"{', '.join(f'{k} {v}' for k, v in m.get('postgres_settings', {}).items()) or 'as configured'}.",
        "",
    ]
    for size, entry in report["sizes"].items():
        if "http" in entry:
            out += [*http_tables(size, entry["http"]), ""]
        if entry.get("export"):
            out += [
                f"### NDJSON export at {int(size):,} events",
                "",
                "| server | rows | seconds | rows/s | MB | peak RSS growth MB | rows (small export) | "
                "peak RSS growth MB (small) | rows/s (small) | rows/s (small, gzip asked) |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for s, e in entry["export"].items():
                if s == "in-process":
                    out.append(
                        f"| in-process, no HTTP: statements only {_f(e.get('statements_rows_per_s'))} rows/s; "
                        f"statements + NDJSON body {_f(e.get('ndjson_rows_per_s'))} rows/s |"
                    )
                    continue
                out.append(
                    f"| {s} | "
                    + " | ".join(
                        _f(e.get(k))
                        for k in (
                            "rows",
                            "seconds",
                            "rows_per_s",
                            "mb",
                            "rss_peak_growth_mb",
                            "small_rows",
                            "small_rss_peak_growth_mb",
                            "small_rows_per_s",
                            "small_gzip_rows_per_s",
                        )
                    )
                    + " |"
                )
            out.append("")
        if entry.get("server_choice"):
            out += ["### Marsad's server: uvicorn vs granian (rps / p99 ms under load)", ""]
            for s, r in entry["server_choice"].items():
                if not isinstance(r, dict):
                    continue
                out.append(
                    f"- {s}: "
                    + ", ".join(
                        f"{w} {_f(v.get('rps'))} rps / p99 {_f(v.get('p99_ms'))} ms"
                        for w, v in r.items()
                        if isinstance(v, dict)
                    )
                )
            out.append("")
    out += [*growth_table(report["sizes"]), ""]
    for size, entry in report["sizes"].items():
        d = entry["dataset"]
        out.append(
            f"- dataset {int(size):,} events: generated and loaded in {d['seconds']['total']} s; rows: "
            + ", ".join(f"{k} {v:,}" for k, v in d["counts"].items())
        )
    e, i = report.get("extraction", {}), report.get("ingest", {})
    out += [
        "",
        f"Extraction (one core): {_f(e.get('articles_per_s'))} articles/s wall, "
        f"{_f(e.get('articles_per_s_cpu'))} articles/s of CPU time, over {e.get('articles')} seed-like "
        f"articles (mean {e.get('mean_chars')} characters); the five seeds alone {_f(e.get('seeds_per_s'))}/s.",
        "",
        f"Ingest end to end (fresh database): one article per call "
        f"{_f(i.get('one_at_a_time', {}).get('articles_per_s'), 2)} articles/s "
        f"(first {_f(i.get('one_at_a_time', {}).get('first_ms'))} ms, last "
        f"{_f(i.get('one_at_a_time', {}).get('last_ms'))} ms); one batch of "
        f"{i.get('batch', {}).get('articles')}: {_f(i.get('batch', {}).get('articles_per_s'), 2)} articles/s.",
        "",
    ]
    return "\n".join(out) + "\n"
