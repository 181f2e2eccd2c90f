"""Serve a Streamlit script (default app.py) as `streamlit run` does, sending the browser no file path.

Streamlit 1.67 puts the main script's absolute path into the first message of every session
(new_session.main_script_path); the browser needs only a name there. This launcher replaces the path by the
file's base name before the server starts, then hands over to Streamlit's own command line:

    .venv/bin/python scripts/serve.py [SCRIPT] [--server.port N ...]

An address that names no page (a stale bookmark, `/scorecard.py`, `/Overview`) would make Streamlit's
frontend show its English "Page not found" dialog: the launcher keeps that message from the browser and
leaves the requested name in the session (pages/nav.py PAGE_NOT_FOUND), where the page opens the page meant
or says, in both languages, that the address names no page.

Error details are hidden by .streamlit/config.toml (client.showErrorDetails = "none"); tests/test_security.py
scans what a browser receives.
"""

from __future__ import annotations

import os
import sys

from streamlit.commands import navigation as st_navigation
from streamlit.runtime import app_session
from streamlit.web import cli

PAGE_NOT_FOUND = "dabiao_page_not_found"  # the same key as pages/nav.PAGE_NOT_FOUND

_new_session = app_session.AppSession._create_new_session_message
_enqueue = app_session.AppSession._enqueue_forward_msg


def _without_path(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    msg = _new_session(self, *args, **kwargs)
    msg.new_session.main_script_path = os.path.basename(msg.new_session.main_script_path)
    return msg


def _remember_page_not_found(ctx):  # type: ignore[no-untyped-def]
    """st.navigation found no page for the address: the name asked for goes to the session, not a dialog."""
    ctx.session_state[PAGE_NOT_FOUND] = ctx.pages_manager.intended_page_name or ""


def _no_page_not_found(self, msg):  # type: ignore[no-untyped-def]
    """Every message but "page not found" (sent when a session's first run names no page), which becomes the
    requested name in the session's state."""
    if msg.WhichOneof("type") != "page_not_found":
        _enqueue(self, msg)
        return
    if msg.page_not_found.page_name or PAGE_NOT_FOUND not in self._session_state:
        self._session_state[PAGE_NOT_FOUND] = msg.page_not_found.page_name


def main(argv: list[str]) -> int:
    script = argv[0] if argv and not argv[0].startswith("-") else "app.py"
    rest = argv[1:] if argv and argv[0] == script else argv
    app_session.AppSession._create_new_session_message = _without_path  # type: ignore[method-assign]
    app_session.AppSession._enqueue_forward_msg = _no_page_not_found  # type: ignore[method-assign]
    st_navigation.send_page_not_found = _remember_page_not_found
    sys.argv = ["streamlit", "run", script, *rest]
    return int(cli.main(standalone_mode=False) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
