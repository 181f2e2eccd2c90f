"""The briefing book (会议简报): a snapshot as a PDF for the meeting."""

from __future__ import annotations

from pathlib import Path


def write(path: Path | str, name: str, out: Path | str) -> int:
    raise NotImplementedError
