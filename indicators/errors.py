"""The one error model: every refusal the product makes on purpose is a `DabiaoError`.

A `DabiaoError` has a stable `code` (documented in README.md), a message in Chinese and one in English, and
`message(lang)`. The command line catches only these (exit 2 with the message) and the pages show
`message(lang)`; any other exception is a bug and shows as one (a traceback, the log).

The kinds below keep the standard base class they had before this model existed (a `ValueError`, a
`PermissionError`, …), so that code written against those still works; new code catches `DabiaoError`.
"""

from __future__ import annotations

from typing import ClassVar


class DabiaoError(Exception):
    """A refusal a person caused and can act on; `code` is stable, the messages are safe to show."""

    code: ClassVar[str] = "error"

    def __init__(self, message_zh: str, message_en: str, code: str | None = None):
        self.message_zh, self.message_en = message_zh, message_en
        if code is not None:
            self.code = code  # type: ignore[misc]  # an instance may name a finer code than its class
        super().__init__(message_zh if message_zh == message_en else f"{message_zh} / {message_en}")

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en


class NotPermitted(DabiaoError, PermissionError):
    """A write the actor may not make."""

    code = "not_permitted"


class StoreBusy(DabiaoError, RuntimeError):
    """Another process holds the database."""

    code = "busy"

    def __init__(self) -> None:
        super().__init__("数据库正忙，请稍后再试", "the database is busy, please try again shortly")


class StoreUnavailable(DabiaoError, RuntimeError):
    """The database file cannot be opened (damaged, not a Dabiao database, missing, read-only for a write)."""

    code = "store_unavailable"


class StoreDamaged(StoreUnavailable):
    """The file is not a DuckDB database this program can open: damaged, truncated, empty or foreign."""

    code = "store_damaged"

    def __init__(self) -> None:
        super().__init__(
            "数据库文件已损坏或不是达标数据库，无法打开",
            "the database file is damaged or not a Dabiao database",
        )


class StoreReadOnly(StoreUnavailable):
    """A write to a store that may only be read (a read-only file or mount)."""

    code = "read_only"

    def __init__(self) -> None:
        super().__init__("数据库是只读的，不能写入", "the database is read-only: nothing can be written")


class StoreWriteFailed(StoreUnavailable):
    """The disk refused a write (full, or an I/O error): the transaction did not commit, nothing changed."""

    code = "write_failed"

    def __init__(self) -> None:
        super().__init__(
            "写入数据库失败（磁盘已满或读写错误），没有任何数据被修改",
            "the database could not be written (disk full or an I/O error); nothing was changed",
        )


class StoreUnreachable(StoreUnavailable):
    """A PostgreSQL store that cannot be reached (no server at the address, refused, or gone)."""

    code = "unreachable"

    def __init__(self, address: object):
        where = _without_password(str(address))
        super().__init__(f"无法连接数据库服务器：{where}", f"cannot reach the database server at {where}")


def _without_password(address: str) -> str:
    """A postgresql:// address as it may be shown: the password replaced by ***."""
    import re

    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", address)


class NoDatabase(StoreUnavailable, ValueError):
    """Reading a store that does not exist (the app always has one; the command line says how to make it)."""

    code = "no_database"

    def __init__(self, path: object):
        super().__init__(
            "数据库不存在，请先运行 indicators init", f"no database at {path}: run indicators init first"
        )


class UnknownName(DabiaoError, LookupError):
    """A city, indicator, target or account name that resolves to nothing."""

    code = "unknown_name"


class InvalidRequest(DabiaoError, ValueError):
    """Arguments that cannot be acted on (an empty selection, passwords that differ, a bad date)."""

    code = "invalid_request"


class CatalogInvalid(DabiaoError, ValueError):
    """The declarative catalog in data/ (or an addition to it) has problems; all of them are listed."""

    code = "catalog_invalid"

    def __init__(self, problems: list) -> None:  # list[catalog.Problem]; typed loosely to avoid a cycle
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"目录有 {len(problems)} 个问题：\n{lines}", f"catalog has {len(problems)} problem(s):\n{lines}"
        )


class RulesInvalid(DabiaoError, ValueError):
    """data/rules.yaml is missing a setting or has one out of range."""

    code = "rules_invalid"

    def __init__(self, message: str):
        super().__init__(f"规则文件有误：{message}", f"rules file invalid: {message}")


class VocabularyInvalid(DabiaoError, ValueError):
    """data/vocabulary.yaml is malformed."""

    code = "vocabulary_invalid"

    def __init__(self, message: str):
        super().__init__(f"词表文件有误：{message}", f"vocabulary file invalid: {message}")


class UnitError(DabiaoError, ValueError):
    """A unit that is unknown, or that cannot be converted to the unit asked for."""

    code = "unknown_unit"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message, message, code)


class AccountError(DabiaoError, ValueError):
    """A request about accounts that cannot be done."""

    code = "account_refused"

    def __init__(self, zh: str, en: str):
        super().__init__(zh, en)


class EditRefused(AccountError):
    """A target edit that cannot be made as asked."""

    code = "edit_refused"


class LoginFailed(DabiaoError):
    """Sign-in refused: a wrong name or password, or too many attempts (the same for every name)."""

    code = "login_failed"

    def __init__(self, zh: str, en: str, retry_after: float = 0.0):
        self.retry_after = retry_after
        super().__init__(zh, en)


class PlanUnreadable(DabiaoError, ValueError):
    """A plan document that cannot be read: missing, damaged, an unknown format or encoding, or no text."""

    code = "plan_unreadable"


class PlanRefused(DabiaoError, ValueError):
    """A review or publication of an imported plan that cannot be done as asked: `plan_published` (published
    already), `plan_unresolved` (candidates not yet accepted or rejected), `plan_empty` (nothing accepted),
    `review_invalid` (an unknown candidate or field, a value that is not one)."""

    code = "plan_refused"
