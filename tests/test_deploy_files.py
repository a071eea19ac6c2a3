"""No Docker engine runs in CI: check that what the Dockerfile and compose file reference exists."""

import re

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
