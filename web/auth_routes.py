"""Sign-in and sign-out routes: the only places that set or clear the session cookie.

The cookie holds a random token (sessions.sign_in); it is HttpOnly (no script reads it), SameSite=Strict
(another site's page never sends it) and Secure behind HTTPS. Both routes refuse a POST whose Origin (or,
without one, Referer) is not this server: a form on another site cannot sign anyone in or out. A refused
sign-in goes back to the sign-in page with the reason's code, never with the name or the password.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from indicators.accounts import sessions
from indicators.errors import LoginFailed, StoreBusy, StoreReadOnly
from indicators.i18n import tr
from indicators.paths import db_path
from web import forms

LOG = logging.getLogger("dabiao.web")
_REASONS = {"wrong": "login_wrong", "busy": "login_busy", "read_only": "login_read_only"}


def same_origin(request: Request) -> bool:
    """Whether a request comes from a page of this server (Origin, else Referer, names its host)."""
    host = request.headers.get("host")
    source = request.headers.get("origin") or request.headers.get("referer")
    if not host or not source or source == "null":
        return False
    return urlsplit(source).netloc == host


def local_path(value: object) -> str:
    """A path on this server to go back to; anything else (another site, a scheme) becomes "/"."""
    text = str(value or "")
    if not text.startswith("/") or text.startswith("//") or "\\" in text or any(ord(c) < 32 for c in text):
        return "/"
    return text


def _lang(value: object) -> str:
    return "en" if value == "en" else "zh"


def _refused() -> Response:
    LOG.warning("a cross-site sign-in or sign-out request was refused")
    return PlainTextResponse("拒绝跨站请求 cross-site request refused", status_code=403)


async def sign_in_page(request: Request) -> Response:
    lang = _lang(request.query_params.get("lang"))
    reason = request.query_params.get("failed", "")
    if reason == "wait":
        given = request.query_params.get("minutes", "")
        minutes = int(given) if given.isdigit() and len(given) < 4 else 15
        error = tr("login_wait", lang).format(minutes=minutes)
    elif reason in _REASONS:
        error = tr(_REASONS[reason], lang)
    else:
        error = ""
    page = forms.sign_in_page(lang, local_path(request.query_params.get("next")), error)
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


async def sign_in(request: Request) -> Response:
    if not same_origin(request):
        return _refused()
    form = await request.form()
    next_path, lang = local_path(form.get("next")), _lang(form.get("lang"))
    try:
        token, account = await run_in_threadpool(
            sessions.sign_in, db_path(), str(form.get("account", "")), str(form.get("password", ""))
        )
    except (LoginFailed, StoreBusy, StoreReadOnly) as exc:
        failed = "wrong" if isinstance(exc, LoginFailed) else exc.code
        query = {"next": next_path, "lang": lang, "failed": failed}
        if isinstance(exc, LoginFailed) and exc.retry_after:
            query.update(failed="wait", minutes=str(max(1, round(exc.retry_after / 60))))
        return RedirectResponse(f"{forms.SIGN_IN}?{urlencode(query)}", status_code=303)
    LOG.info("signed in: %s", account.name)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        sessions.COOKIE,
        token,
        max_age=sessions.max_age(),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


async def sign_out(request: Request) -> Response:
    if not same_origin(request):
        return _refused()
    form = await request.form()
    try:
        await run_in_threadpool(sessions.sign_out, db_path(), request.cookies.get(sessions.COOKIE))
    except StoreReadOnly:  # the session cannot be deleted; this browser forgets it all the same
        LOG.warning("sign-out on a read-only store: the session row stays until it expires")
    response = RedirectResponse(local_path(form.get("next")), status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [
    Route(forms.SIGN_IN, sign_in_page, methods=["GET"]),
    Route(forms.SIGN_IN, sign_in, methods=["POST"]),
    Route(forms.SIGN_OUT, sign_out, methods=["POST"]),
]
