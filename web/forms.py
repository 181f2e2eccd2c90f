"""The HTML of the sign-in and sign-out forms (posted to web/auth_routes.py) and of the sign-in page.

Plain forms, so that the password goes from the browser to the sign-in route in a POST body and nowhere
else, and the route can answer with the HttpOnly cookie. Pages show them with st.html (sanitised by
DOMPurify, which keeps forms; it drops a field named "name", hence "account")."""

from __future__ import annotations

import html

from indicators.i18n import tr

SIGN_IN = "/auth/signin"
SIGN_OUT = "/auth/signout"

_STYLE = (
    "<style>.dabiao-form label{display:block;margin:.3rem 0 .1rem;font-size:.9rem}"
    ".dabiao-form input{width:100%;box-sizing:border-box;padding:.4rem;border:1px solid #bbb;"
    "border-radius:.4rem;font-size:1rem}"
    ".dabiao-form button{margin-top:.6rem;padding:.35rem .9rem;border:1px solid #1f5fa8;border-radius:.4rem;"
    "background:#1f5fa8;color:#fff;font-size:.95rem;cursor:pointer}"
    ".dabiao-form .err{color:#a30000;margin:.4rem 0}</style>"
)


def sign_in_form(lang: str, next_path: str, where: str, error: str = "") -> str:
    """The account and password form; `next_path` is where the browser goes back to after signing in."""
    ident = html.escape(f"signin-{where}")
    err = f"<p class='err' role='alert'>{html.escape(error)}</p>" if error else ""
    return (
        f"{_STYLE}<form class='dabiao-form' id='{ident}' method='post' action='{SIGN_IN}'>{err}"
        f"<label for='{ident}-account'>{tr('login_name', lang)}</label>"
        f"<input id='{ident}-account' name='account' autocomplete='username' required>"
        f"<label for='{ident}-password'>{tr('login_password', lang)}</label>"
        f"<input id='{ident}-password' name='password' type='password' "
        "autocomplete='current-password' required>"
        f"<input type='hidden' name='next' value='{html.escape(next_path)}'>"
        f"<input type='hidden' name='lang' value='{html.escape(lang)}'>"
        f"<button type='submit'>{tr('login_button', lang)}</button></form>"
    )


def sign_out_form(lang: str, next_path: str) -> str:
    return (
        f"{_STYLE}<form class='dabiao-form' method='post' action='{SIGN_OUT}'>"
        f"<input type='hidden' name='next' value='{html.escape(next_path)}'>"
        f"<button type='submit'>{tr('logout', lang)}</button></form>"
    )


def sign_in_page(lang: str, next_path: str, error: str) -> str:
    """A whole page: the form again after a refused sign-in, with the reason."""
    other = "en" if lang == "zh" else "zh"
    return (
        f"<!doctype html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{tr('login_title', lang)}</title></head>"
        "<body style='font-family:\"Noto Sans CJK SC\",sans-serif;max-width:24rem;margin:4rem auto'>"
        f"<h2>{tr('login_title', lang)}</h2>{sign_in_form(lang, next_path, 'page', error)}"
        f"<p><a href='{html.escape(next_path)}'>{tr('login_back', lang)}</a> · "
        f"<span lang='{other}'>{tr('login_title', other)}</span></p></body></html>"
    )
