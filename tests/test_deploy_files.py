"""No Docker engine runs in CI: check that what the Dockerfile and compose file reference exists."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from service.__main__ import build_parser
from service.config import PROJECT_ROOT

COMMANDS = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def dockerfile_lines() -> list[str]:
    return (PROJECT_ROOT / "Dockerfile").read_text().splitlines()


def test_dockerfile_copies_existing_paths() -> None:
    copies = [
        line.split()[1:-1] for line in dockerfile_lines() if line.startswith("COPY ") and "--from" not in line
    ]
    assert copies
    for sources in copies:
        for src in sources:
            assert (PROJECT_ROOT / src).exists(), src


def test_dockerfile_runs_as_non_root_with_a_healthcheck_and_a_real_command() -> None:
    text = "\n".join(dockerfile_lines())
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    assert "HEALTHCHECK" in text and "/health" in text
    cmd = re.search(r'^CMD \["python", "-m", "service", "(\w+)"', text, re.M)
    assert cmd and cmd.group(1) in COMMANDS
    assert text.count("FROM ") >= 2  # multi-stage


def test_compose_services_use_real_commands() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "migrate", "api", "worker"} <= set(services)
    for name in ("migrate", "api", "worker"):
        command = " ".join(services[name]["command"])
        used = re.findall(r"python -m service (\w+)", command)
        assert used and set(used) <= COMMANDS, (name, used)
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert services[name]["build"] == "."
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_wheel_ships_migrations_seeds_and_data(tmp_path: Path) -> None:
    """An installed wheel must be able to migrate and seed: both folders travel inside the package."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(PROJECT_ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("marsad-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = {n for n in names if n.startswith("service/migrations/versions/") and n.endswith(".py")}
    assert len(migrations) == len(list((PROJECT_ROOT / "migrations" / "versions").glob("*.py")))
    assert {"service/migrations/env.py", "service/migrations/script.py.mako"} <= names
    seeds = {n.removeprefix("service/seeds/") for n in names if n.startswith("service/seeds/")}
    assert seeds == {p.name for p in (PROJECT_ROOT / "seeds").iterdir() if p.is_file()}
    assert "service/extract/data/event_types.json" in names
    assert not any("__pycache__" in n or n.startswith(("tests/", "bench/")) for n in names)
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    probe = (
        "import service.config as c; print(c.SOURCE_ROOT, c.MIGRATIONS_DIR.is_dir(), c.SEEDS_DIR.is_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(unpacked)},
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout.split() == ["None", "True", "True"]


def test_compose_puts_a_proxy_with_header_and_body_timeouts_in_front_of_the_api() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "ports" not in services["api"] and services["proxy"]["ports"] == ["8000:80"]
    mount = services["proxy"]["volumes"][0].split(":")[0]
    config = (PROJECT_ROOT / mount).read_text()
    for directive in ("client_header_timeout", "client_body_timeout", "send_timeout", "limit_conn"):
        assert re.search(rf"^\s*{directive}\s+\S+", config, re.M), directive
    assert "server api:8000" in config
    assert config.count("application/problem+json") >= 3
