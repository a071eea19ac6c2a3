"""No merge-conflict markers in the project's text files. `make check` and the docs check pass over
a Markdown file with a half-resolved merge in it (the text around the markers is still valid), so
this test is what catches one."""

from __future__ import annotations

import re
from pathlib import Path

from service.config import PROJECT_ROOT

MARKER = re.compile(r"^(?:<{7}|>{7}) |^(?:<{7}|={7}|>{7})$", re.MULTILINE)
FOLDERS = ("docs", "service", "tests", "migrations", "bench", "seeds", "web")
SUFFIXES = {".md", ".py", ".json", ".toml", ".yml", ".yaml", ".txt", ".html", ".js", ".css", ".sql"}
TOP_FILES = ("README.md", "Makefile", "Dockerfile", "pyproject.toml")


def text_files() -> list[Path]:
    files = [PROJECT_ROOT / name for name in TOP_FILES if (PROJECT_ROOT / name).exists()]
    for folder in FOLDERS:
        root = PROJECT_ROOT / folder
        if root.is_dir():
            files += [p for p in root.rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    return files


def markers(text: str) -> list[str]:
    return [m.group(0) for m in MARKER.finditer(text)]


def test_the_marker_pattern_finds_a_conflict_and_nothing_else() -> None:
    conflict = "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> 046763a\nd\n"
    assert len(markers(conflict)) == 3
    assert markers("a heading\n=====\n<<< not a marker\n") == []


def test_no_text_file_holds_a_conflict_marker() -> None:
    found = {
        str(path.relative_to(PROJECT_ROOT)): hits
        for path in text_files()
        if (hits := markers(path.read_text(encoding="utf-8", errors="replace")))
    }
    assert found == {}
