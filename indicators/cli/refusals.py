"""What the command line says when it refuses, and what it does with a bug: one place for both.

A `DabiaoError` is a refusal: its message on standard error, exit 2, and with `--format json` a JSON object
with the error. Anything else is a bug: exit 2 (never 1, "values rejected") with "internal error" and the
log's path; the traceback goes to the log (var/log/indicators.log, or $DABIAO_LOG).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback

from indicators.paths import LOG_FILE


def refusal_json(args: argparse.Namespace, code: str, message: str) -> dict[str, object]:
    """What `--format json` prints for a refusal: ingest's own object with the error in `errors`, for
    every other command an object with `error`."""
    if args.command == "ingest":
        error = {"row": None, "column": None, "code": code, "message": message}
        return {"batch_id": None, "new": 0, "changed": 0, "unchanged": 0, "rejected": 0, "errors": [error]}
    return {"error": {"code": code, "message": message}}


def log_bug() -> str:
    """Write the traceback of the exception being handled to the log; the log's path (or the traceback
    itself on standard error when the log cannot be written)."""
    try:
        LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(LOG_FILE, encoding="utf-8")
    except OSError:
        traceback.print_exc()
        return "standard error"
    logger = logging.getLogger("dabiao.cli")
    logger.addHandler(handler)
    try:
        logger.exception("internal error in %s", " ".join(sys.argv))
    finally:
        logger.removeHandler(handler)
        handler.close()
    return str(LOG_FILE)
