"""The markdown summary of a run (bench/results/<mode>.md), written beside its JSON.

Figures are medians over interleaved rounds with their spread [lowest–highest]; ratios are the
median of the per-round ratios; every table gives the 1-minute load average measured with it.
"""

from __future__ import annotations

import json
from typing import Any

SERVERS = ("marsad", "fastapi", "starlette", "datasette", "floor")
NAMES = {
    "marsad": "Marsad",
    "fastapi": "FastAPI",
    "starlette": "Starlette",
    "datasette": "Datasette",
    "floor": "floor",
}
TARGET_P99_MS = 50


def _f(value: Any, digits: int = 1) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _spread(s: dict[str, Any] | None, digits: int = 1) -> str:
    if not s:
        return "–"
    if "median" not in s:
        return "error"
    failed = f" ({_f(s['failed'])} failed)" if s.get("failed") else ""
    if s["min"] == s["max"]:
        return _f(s["median"], digits) + failed
    return f"{_f(s['median'], digits)} [{_f(s['min'], digits)}–{_f(s['max'], digits)}]{failed}"


def _ratio(summary: dict[str, Any], a: str, b: str) -> str:
    r = summary.get("ratios", {}).get(f"{a}/{b}")
    if not r:
        return "–"
    return (
        f"{r['median']:.2f} [{r['min']:.2f}–{r['max']:.2f}]" if r["min"] != r["max"] else f"{r['median']:.2f}"
    )


def _load(summary: dict[str, Any]) -> str:
    loads = [v["load1"] for k, v in summary.items() if k != "ratios" and isinstance(v, dict) and "load1" in v]
    if not loads:
        return "–"
    return f"{min(loads):.1f}–{max(loads):.1f}" if min(loads) != max(loads) else f"{loads[0]:.1f}"


def _latency(s: dict[str, Any] | None) -> str:
    if not s or "p99_ms" not in s:
        return "error" if s else "–"
    failed = f" ({s['failed']} failed)" if s.get("failed") else ""
    return f"{_f(s.get('p50_ms'))} / {_f(s.get('p95_ms'))} / {_f(s.get('p99_ms'))}{failed}"


def http_tables(size: str, http: dict[str, Any], rounds: dict[str, int]) -> list[str]:
    present = [s for s in SERVERS if any(s in w.get("throughput", {}).get("runs", {}) for w in http.values())]
    out = [
        f"### Servers side by side at {int(size):,} events",
        "",
        f"Throughput: wrk, 16 connections, closed loop; {rounds['throughput']} interleaved rounds, median "
        "[lowest–highest]. Ratios: Marsad ÷ peer, the median of the per-round ratios [spread]; higher is better.",
        "",
        "| workload | "
        + " | ".join(f"{NAMES[s]} rps" for s in present)
        + " | "
        + " | ".join(f"÷ {NAMES[s]}" for s in present if s != "marsad")
        + " | load |",
        "|---|" + "---:|" * (2 * len(present) - 1) + "---:|",
    ]
    for name, w in http.items():
        if "throughput" not in w:
            out.append(f"| {name} | error: {w.get('error', '?')} |")
            continue
        s = w["throughput"]["summary"]
        out.append(
            f"| {name} | "
            + " | ".join(_spread(s.get(p)) for p in present)
            + " | "
            + " | ".join(_ratio(s, "marsad", p) for p in present if p != "marsad")
            + f" | {_load(s)} |"
        )
    notes = [(name, s, why) for name, w in http.items() for s, why in w.get("notes", {}).items()]
    notes += [
        (name, s, r["error"])
        for name, w in http.items()
        for s, runs in w.get("throughput", {}).get("runs", {}).items()
        for r in runs[:1]
        if r.get("error")
    ]
    if notes:
        out += ["", *[f"- {name}, {NAMES.get(s, s)}: {why}" for name, s, why in notes]]
    fixed = [s for s in SERVERS if s != "datasette" and s in present]
    out += [
        "",
        f"Latency at a shared fixed rate (open loop, half the slowest of Marsad, FastAPI, Starlette and the "
        f"floor; latency from the scheduled send time), {rounds['fixed_rate']} interleaved rounds, medians. "
        "p99 ratio: Marsad ÷ peer, lower is better.",
        "",
        "| workload | rate/s | "
        + " | ".join(f"{NAMES[s]} p50/p95/p99 ms" for s in fixed)
        + " | p99 ÷ FastAPI | p99 ÷ floor | load |",
        "|---|---:|" + "---|" * len(fixed) + "---:|---:|---:|",
    ]
    for name, w in http.items():
        if "fixed_rate" not in w:
            continue
        s = w["fixed_rate"]["summary"]
        out.append(
            f"| {name} | {_f(w.get('rate'))} | "
            + " | ".join(_latency(s.get(p)) for p in fixed)
            + f" | {_ratio(s, 'marsad', 'fastapi')} | {_ratio(s, 'marsad', 'floor')} | {_load(s)} |"
        )
    own = {name: w["own_rate"] for name, w in http.items() if "own_rate" in w}
    if own:
        out += [
            "",
            "Marsad alone at half of its own throughput (open loop), for the steady-rate latency target "
            f"(p99 < {TARGET_P99_MS} ms); medians over the rounds.",
            "",
            "| workload | rate/s | seconds | Marsad p50/p95/p99 ms | p99 spread | load |",
            "|---|---:|---:|---|---|---:|",
        ]
        for name, o in own.items():
            s = o["summary"]
            runs = [r.get("p99_ms") for r in o["runs"]["marsad"] if r.get("p99_ms") is not None]
            spread = f"{min(runs):.1f}–{max(runs):.1f}" if runs else "–"
            out.append(
                f"| {name} | {_f(o['rate'])} | {_f(o['seconds'])} | {_latency(s.get('marsad'))} | {spread} | "
                f"{_load(s)} |"
            )
    return out


def export_table(size: str, export: dict[str, Any], rounds: dict[str, int]) -> list[str]:
    out = [
        f"### Exports at {int(size):,} events",
        "",
        f"Rows per second, curl (one core, identity encoding, body discarded), {rounds['export']} interleaved "
        "rounds, median [lowest–highest]; the floor runs the same batches in-process without HTTP. Peak RSS "
        "growth: the server's resident memory during the download, above its level before.",
        "",
        "| export | rows | Marsad | FastAPI | Starlette | Datasette | floor | Marsad ÷ Datasette | Marsad RSS growth MB | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    checks = []
    for name, e in export.items():
        s = e["curl"]["summary"]
        out.append(
            f"| {name} | {_f(e['rows'])} | "
            + " | ".join(
                _spread(s.get(p), 0) for p in ("marsad", "fastapi", "starlette", "datasette", "floor")
            )
            + f" | {_ratio(s, 'marsad', 'datasette')} | {_f(s.get('marsad', {}).get('rss_peak_growth_mb'))} | "
            f"{_load(s)} |"
        )
        if e.get("client_check"):
            checks.append((name, e["client_check"]))
    for name, c in checks:
        out += [
            "",
            f"Client check ({name}): wrk, one connection, {_f(c.get('wrk_rows_per_s'))} rows/s against curl's "
            f"{_f(c.get('curl_rows_per_s'))} (load {_f(c.get('load1'))}).",
        ]
    for name, e in export.items():
        out += [f"- {name}: {e['title']}"]
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
        last = sizes[cols[-1]]["plans"].get(name)
        if last is None:
            continue
        seq = ", ".join(sorted(set(last["seq_scans"]))) or "none"
        out.append(
            f"| {name} | "
            + " | ".join(_f(sizes[c]["plans"].get(name, {}).get("median_ms"), 2) for c in cols)
            + f" | {seq} |"
        )
    return out


def extraction_lines(e: dict[str, Any]) -> list[str]:
    if not e or "cold" not in e:
        return [f"Extraction: {e.get('skipped') or e.get('error') or 'not run'}"]
    cold, warm = e["cold"], e["warm"]
    out = [
        f"Extraction {e['extractor_version']} on real articles ({e['corpus']}), one core (load {_f(e.get('load1'))}): "
        f"cold {_f(cold['articles_per_s'])} articles/s wall, {_f(cold['articles_per_cpu_s'])}/s of CPU time over "
        f"{cold['articles']} articles (mean {cold['mean_chars']} characters); warm {_f(warm['articles_per_s'])}/s "
        f"wall, {_f(warm['articles_per_cpu_s'])}/s of CPU time over the next {warm['articles']} (mean "
        f"{warm['mean_chars']} characters). Start {_f(e['start_s'], 2)} s, first article "
        f"{_f(e['first_article_ms'])} ms.",
        "",
        f"Profile ({e['profile']['articles']} more articles, {_f(e['profile']['seconds'], 2)} s): most time of their own",
        "",
        "| function | calls | own s | share |",
        "|---|---:|---:|---:|",
    ]
    for row in e["profile"]["by_own_time"][:10]:
        out.append(
            f"| `{row['function']}` | {_f(row['calls'])} | {_f(row['own_s'], 3)} | {row['own_share']:.1%} |"
        )
    return out


def merge(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One report from the results of several runs with the same settings (a long run finished in
    parts, e.g. after an interruption left ``<mode>.partial.json``): per size, every workload, export
    and plan comes from the last run that measured it. Each table row keeps the load average measured
    with it, and the report lists its parts."""
    rounds = {json.dumps(r["rounds"], sort_keys=True) for r in reports}
    if len(rounds) > 1:
        raise ValueError(f"the runs differ in their rounds ({', '.join(sorted(rounds))}): not one report")
    out: dict[str, Any] = {**reports[0], "sizes": {}, "parts": []}
    for r in reports:
        out["parts"].append(
            {
                "started": r["started"],
                "seconds": r.get("seconds"),
                "load_average_at_start": r["machine"]["load_average_at_start"],
                "load_average_at_end": r["machine"].get("load_average_at_end"),
                "measured": [
                    w for e in r["sizes"].values() for k in ("http", "export") for w in e.get(k, {})
                ],
            }
        )
        for key in ("extraction", "ingest"):
            if key in r:
                out[key] = r[key]
        for size, entry in r["sizes"].items():
            into = out["sizes"].setdefault(size, {})
            into["dataset"] = entry["dataset"]
            for key in ("plans", "http", "export"):
                if key in entry:
                    into.setdefault(key, {}).update(entry[key])
    out["sizes"] = dict(sorted(out["sizes"].items(), key=lambda kv: int(kv[0])))
    return out


def _loads(xs: list[float] | None) -> str:
    return ", ".join(f"{x:.2f}" for x in xs) if xs else "–"


def _header(report: dict[str, Any]) -> str:
    m = report["machine"]
    if "parts" not in report:
        end = m.get("load_average_at_end")
        return (
            f"Run {report['started']} in {report['seconds']} s. Machine: {m['cpu']}, {m['cores']} cores, "
            f"{m['memory_gb']} GB, Python {m['python']}, Postgres {m.get('postgres')} (embedded), "
            f"load average at start {_loads(m['load_average_at_start'])}"
            + (f", at end {_loads(end)}" if end else "")
        )
    parts = "; ".join(
        f"run {p['started']} (load average at start {_loads(p['load_average_at_start'])}"
        + (f", at end {_loads(p['load_average_at_end'])}" if p.get("load_average_at_end") else "")
        + f"): {', '.join(p['measured']) or 'plans only'}"
        for p in report["parts"]
    )
    return (
        f"One run in {len(report['parts'])} parts with the same settings, each measurement from the last part "
        f"that made it: {parts}. Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python "
        f"{m['python']}, Postgres {m.get('postgres')} (embedded)"
    )


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    out = [
        f"# Marsad benchmarks ({report['mode']})",
        "",
        _header(report)
        + f". SQL: {report['sql_origin']}. Pool: {report['pool_max']} connections per server. Postgres settings: "
        f"{', '.join(f'{k} {v}' for k, v in m.get('postgres_settings', {}).items()) or 'as configured'}.",
        "",
    ]
    for size, entry in report["sizes"].items():
        if "http" in entry:
            out += [*http_tables(size, entry["http"], report["rounds"]), ""]
        if entry.get("export"):
            out += [*export_table(size, entry["export"], report["rounds"]), ""]
    out += [*growth_table(report["sizes"]), ""]
    for size, entry in report["sizes"].items():
        d = entry["dataset"]
        out.append(
            f"- dataset {int(size):,} events: generated and loaded in {d['seconds']['total']} s; rows: "
            + ", ".join(f"{k} {v:,}" for k, v in d["counts"].items())
        )
    i = report.get("ingest", {})
    out += [
        "",
        *extraction_lines(report.get("extraction", {})),
        "",
        f"Ingest end to end (fresh database, load {_f(i.get('load1'))}): one article per call "
        f"{_f(i.get('one_at_a_time', {}).get('articles_per_s'), 2)} articles/s "
        f"(first {_f(i.get('one_at_a_time', {}).get('first_ms'))} ms, last "
        f"{_f(i.get('one_at_a_time', {}).get('last_ms'))} ms); one batch of "
        f"{i.get('batch', {}).get('articles')}: {_f(i.get('batch', {}).get('articles_per_s'), 2)} articles/s.",
        "",
    ]
    return "\n".join(out) + "\n"


DOC = "docs/benchmarks.md"


def embed(doc: str, name: str, text: str) -> str | None:
    """``doc`` with the results of run ``name`` put between its markers ``<!-- bench:NAME -->`` and
    ``<!-- /bench:NAME -->`` (headings one level down, the title dropped), or None without markers."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    if start not in doc or end not in doc:
        return None
    lines = text.rstrip("\n").split("\n")[2:]  # the title and the blank line after it
    body = "\n".join(("#" + line) if line.startswith("### ") else line for line in lines)
    head, rest = doc.split(start, 1)
    return f"{head}{start}\n{body}\n{end}{rest.split(end, 1)[1]}"
