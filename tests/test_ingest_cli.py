"""The bulk `ingest`, `seed`, `reextract` and `keys` commands against a real database of their own."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from tests.api.test_ingest import ARTICLE
from tests.conftest import SEEDS, create_database, drop_database
from tests.test_cli import run


@pytest.fixture(scope="module")
async def cli_db() -> AsyncIterator[str]:
    name = f"marsad_test_cli_{uuid.uuid4().hex[:8]}"
    dsn = await create_database(name)
    yield dsn
    await drop_database(name)


async def count_sources(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval("SELECT count(*) FROM sources")
    finally:
        await conn.close()


def articles_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE + "\nتحديث.", encoding="utf-8")
    (folder / "bad-utf8.txt").write_bytes(b"\xd9\x85\xff")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "manifest.json").write_text(
        json.dumps([{"file": "a.txt", "outlet": "بترا", "published": "2025-11-05"}])
    )
    lines = [
        json.dumps(
            {"text": ARTICLE + "\nسطر أول.", "outlet": "وكالة", "external_id": "nd-1"}, ensure_ascii=False
        ),
        "",
        "{not json",
        json.dumps({"text": "<div>markup</div>"}),
        json.dumps({"text": ARTICLE + "\nسطر ثان.", "unknown": 1}, ensure_ascii=False),
        json.dumps({"text": ARTICLE + "\nسطر ثالث.", "external_id": "nd-1"}, ensure_ascii=False),
    ]
    (folder / "more.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


async def test_bulk_ingest_reports_each_input_and_resumes(cli_db: str, tmp_path: Path) -> None:
    folder = articles_folder(tmp_path)
    env = {"DATABASE_URL": cli_db}
    first = run("ingest", str(folder), "--batch-size", "2", env=env)
    assert first.returncode == 1, first.stderr
    assert first.stdout.strip(), first.stderr
    results = dict(line.split("\t")[:2] for line in first.stdout.strip().splitlines())
    assert results == {
        f"{folder}/a.txt": "created",
        f"{folder}/b.txt": "created",
        f"{folder}/bad-utf8.txt": "failed",
        f"{folder}/empty.txt": "failed",
        f"{folder}/more.ndjson:1": "created",
        f"{folder}/more.ndjson:3": "failed",
        f"{folder}/more.ndjson:4": "failed",
        f"{folder}/more.ndjson:5": "failed",
        f"{folder}/more.ndjson:6": "failed",
    }
    assert "9 articles: 3 created, 0 already stored, 6 failed" in first.stderr
    for reason in ("not valid UTF-8", "empty", "HTML", "unknown field", "nd-1", "JSON"):
        assert reason in first.stderr, reason
    assert "Traceback" not in first.stderr
    assert await count_sources(cli_db) == 3

    again = run("ingest", str(folder), env=env)  # resumable: what is stored is recognised, nothing doubles
    assert "9 articles: 0 created, 3 already stored, 6 failed" in again.stderr
    assert await count_sources(cli_db) == 3

    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(folder / "a.txt", good / "a.txt")
    (good / "c.txt").write_text(ARTICLE + "\nجديد.", encoding="utf-8")
    ok = run("ingest", str(good), "--quiet", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "2 articles: 1 created, 1 already stored, 0 failed" in ok.stderr
    assert "[1/2]" not in ok.stderr


async def test_seed_uses_the_bulk_path_and_is_idempotent(cli_db: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": cli_db, "MARSAD_SEEDS_DIR": str(SEEDS)}
    first = run("seed", env=env)
    assert first.returncode == 0, first.stderr
    before = await count_sources(cli_db)
    second = run("seed", env=env)
    assert second.returncode == 0 and "0 created, 5 already stored, 0 failed" in second.stdout
    assert await count_sources(cli_db) == before


async def test_reextract_reports_json(cli_db: str) -> None:
    result = run("reextract", env={"DATABASE_URL": cli_db})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["sources"] == await count_sources(cli_db) and report["removed"] == []
    missing = run("reextract", "--source", "src_nope", env={"DATABASE_URL": cli_db})
    assert missing.returncode == 2 and "src_nope" in missing.stderr and "Traceback" not in missing.stderr


async def test_keys_create_list_revoke(cli_db: str) -> None:
    env = {"DATABASE_URL": cli_db}
    created = run("keys", "create", "newsroom bot", "--scope", "write", env=env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("mk_") and "shown once" in created.stderr
    key_id = created.stderr.split()[1]
    listed = run("keys", "list", "--json", env=env)
    keys = {k["id"]: k for k in json.loads(listed.stdout)}
    assert keys[key_id]["name"] == "newsroom bot" and keys[key_id]["scopes"] == ["write"]
    assert token not in listed.stdout
    assert run("keys", "revoke", key_id, env=env).returncode == 0
    assert key_id not in run("keys", "list", env=env).stdout
    assert key_id in run("keys", "list", "--all", env=env).stdout
    unknown = run("keys", "revoke", "key_nope", env=env)
    assert unknown.returncode == 2 and "key_nope" in unknown.stderr
    bad_scope = run("keys", "create", "x", "--scope", "root", env=env)
    assert bad_scope.returncode == 2 and "invalid choice" in bad_scope.stderr


@pytest.mark.parametrize(
    "command",
    [("keys",), ("keys", "create"), ("keys", "list"), ("keys", "revoke"), ("ingest",), ("reextract",)],
)
def test_new_commands_explain_themselves(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0 and "usage: python -m service " + " ".join(command) in result.stdout
