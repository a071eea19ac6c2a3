"""The command line: help for every command, extraction without a database, and one-line errors."""

import json
import os
import socket
import subprocess
import sys

import pytest

from service.config import PROJECT_ROOT

COMMANDS = ["serve", "migrate", "seed", "ingest", "reextract", "extract"]


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "service", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=full_env,
        timeout=timeout,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage: python -m service " + command in result.stdout


def test_extract_prints_the_dataset_without_a_database(tmp_path) -> None:
    result = run(
        "extract",
        "seeds",
        env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "MARSAD_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"sources", "actors", "events", "claims", "conflicts"}
    assert len(data["sources"]) == 5
    assert not (tmp_path / "postgres").exists()


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("marsad: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_unreachable_database_is_one_clear_line() -> None:
    line = one_line_error(run("migrate", env={"DATABASE_URL": "postgresql://marsad@127.0.0.1:1/marsad"}))
    assert "cannot connect to the database at 127.0.0.1:1/marsad" in line


def test_malformed_database_url_is_one_clear_line() -> None:
    line = one_line_error(run("migrate", env={"DATABASE_URL": "postgresql://x@[bad"}))
    assert "database" in line.lower() or "DATABASE_URL" in line


def test_port_in_use_is_one_clear_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = one_line_error(run("serve", "--port", str(port)))
    assert f"cannot listen on 127.0.0.1:{port}" in line


def test_unwritable_data_dir_is_one_clear_line(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    line = one_line_error(run("migrate", env={"DATABASE_URL": "", "MARSAD_DATA_DIR": str(blocker / "data")}))
    assert "data directory" in line


def test_bad_setting_is_one_clear_line() -> None:
    line = one_line_error(run("migrate", env={"MARSAD_POOL_MAX": "many"}))
    assert "MARSAD_POOL_MAX must be an integer" in line


def test_missing_input_path_is_one_clear_line() -> None:
    line = one_line_error(run("extract", "no/such/folder"))
    assert "no/such/folder" in line


def test_sigterm_stops_the_embedded_postgres_it_started(tmp_path) -> None:
    """serve starts its own Postgres; after SIGTERM it exits cleanly and stops that server too."""
    import signal
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": "", "MARSAD_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    pidfile = tmp_path / "data" / "postgres" / "postmaster.pid"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        assert proc.poll() is None, f"serve exited early: {proc.communicate()[1][-2000:]}"
        assert pidfile.exists()
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert not pidfile.exists(), "the embedded Postgres is still running"
