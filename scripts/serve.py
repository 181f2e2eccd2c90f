"""Serve a Streamlit script (default app.py) as `streamlit run` does, sending the browser no file path.

Streamlit 1.67 puts the main script's absolute path into the first message of every session
(new_session.main_script_path); the browser needs only a name there. This launcher replaces the path by the
file's base name before the server starts, then hands over to Streamlit's own command line:

    .venv/bin/python scripts/serve.py [SCRIPT] [--server.port N ...]

Error details are hidden by .streamlit/config.toml (client.showErrorDetails = "none"); tests/test_security.py
scans what a browser receives.
"""

from __future__ import annotations

import os
import sys

from streamlit.runtime import app_session
from streamlit.web import cli

_new_session = app_session.AppSession._create_new_session_message


def _without_path(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    msg = _new_session(self, *args, **kwargs)
    msg.new_session.main_script_path = os.path.basename(msg.new_session.main_script_path)
    return msg


def main(argv: list[str]) -> int:
    script = argv[0] if argv and not argv[0].startswith("-") else "app.py"
    rest = argv[1:] if argv and argv[0] == script else argv
    app_session.AppSession._create_new_session_message = _without_path  # type: ignore[method-assign]
    sys.argv = ["streamlit", "run", script, *rest]
    return int(cli.main(standalone_mode=False) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
