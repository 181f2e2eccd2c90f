"""The problems an upload can have: a stable code each, with a message in Chinese and English.

Errors are data (code, row, column, message): validation returns every one of them, it never stops at the
first. `row` is the row number a spreadsheet shows (the header is row 1); file-level problems have no row.
Every code is documented in README.md (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.errors import DabiaoError

# code -> (Chinese template, English template); the fields are filled by `error(...)`.
MESSAGES: dict[str, tuple[str, str]] = {
    # the file as a whole cannot be used (exit status 2)
    "encoding": (
        "无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030，请在 Excel 中另存为“CSV UTF-8”或 XLSX",
        "cannot decode the file: it is neither UTF-8 nor GBK/GB18030; save it as “CSV UTF-8” or XLSX",
    ),
    "unsupported_format": (
        "不支持的文件格式（{kind}），请上传 CSV 或 XLSX 文件",
        "unsupported file format ({kind}); upload a CSV or XLSX file",
    ),
    "unreadable": ("无法读取该 XLSX 文件，文件可能已损坏", "cannot read this XLSX file; it may be damaged"),
    "sheet_not_found": (
        "工作表“{sheet}”不存在，文件中的工作表：{sheets}",
        "there is no sheet “{sheet}”; the workbook has: {sheets}",
    ),
    "empty_file": ("文件中没有任何数据", "the file holds no data"),
    "missing_column": ("缺少必需的列“{column}”", "the required column “{column}” is missing"),
    "duplicate_column": (
        "“{column}”与“{first}”是同一列（{role}），只能有一列",
        "“{column}” is the same column as “{first}” ({role}); there may be only one",
    ),
    "extra_cells": (
        "第 {number} 行的单元格比表头多（表头 {width} 列）",
        "row {number} has more cells than the header ({width} columns)",
    ),
    "cell_too_long": (
        "第 {line} 行有一个单元格超过 {limit} 个字符，无法读取",
        "line {line} has a cell longer than {limit} characters and cannot be read",
    ),
    "too_large": ("文件超出上传限制", "the file is beyond the upload limits"),
    # one value (or, in a wide file, one column) is rejected (exit status 1)
    "missing_value": ("“{column}”为空", "“{column}” is empty"),
    "unknown_city": ("未知城市“{value}”", "unknown city “{value}”"),
    "not_permitted": (
        "{actor} 无权上报{city_zh}的数据",
        "{actor} may not write data for {city_en}",
    ),
    "unknown_indicator": ("未知指标“{value}”", "unknown indicator “{value}”"),
    "missing_unit": (
        "缺少单位（宽表请在列名中注明，如“PM2.5(微克/立方米)”）",
        "the unit is missing (in a wide file put it in the header, e.g. “PM2.5(微克/立方米)”)",
    ),
    "unknown_unit": ("无法识别的单位“{unit}”", "unknown unit “{unit}”"),
    "incompatible_unit": (
        "单位“{unit}”不能换算为{indicator_zh}的单位 {canonical_zh}",
        "“{unit}” cannot be converted to {indicator_en}'s unit {canonical_en}",
    ),
    "not_a_number": ("“{value}”不是数字", "“{value}” is not a number"),
    "out_of_range": (
        "{value} {canonical_zh} 超出{indicator_zh}的有效范围 [{low}, {high}]",
        "{value} {canonical_en} is outside the valid range of {indicator_en} [{low}, {high}]",
    ),
    "bad_period": (
        "无法识别的月份“{value}”（请写作 2020-03、2020/3 或 2020年3月）",
        "cannot read the period “{value}” (write 2020-03, 2020/3 or 2020年3月)",
    ),
    "future_period": ("月份 {period} 尚未到来", "the period {period} is in the future"),
    "duplicate": (
        "同一城市、指标、月份在第 {rows_zh} 行重复出现",
        "the same city, indicator and period appear in rows {rows_en}",
    ),
    "bad_basis": (
        "无法识别的口径“{value}”（请写作 累计 或 当月）",
        "cannot read the basis “{value}” (write 累计 cumulative or 当月 monthly)",
    ),
    "basis_not_count": (
        "口径“{value}”（累计）只适用于累计完成数一类的指标",
        "the basis “{value}” (a running total) applies only to cumulative-count indicators",
    ),
    "cumulative_decrease": (
        "累计值 {value} 小于此前的累计 {before}（累计值不能减少）",
        "the running total {value} is below the total before it, {before} (a running total cannot go down)",
    ),
    "bad_days": (
        "无法识别天数“{value}”（应为不小于 0 的整数）",
        "cannot read the number of days “{value}” (a whole number, 0 or more)",
    ),
    "valid_days_over_month": (
        "有效天数 {valid} 超过 {period} 的天数 {days}",
        "{valid} valid days is more than the {days} days of {period}",
    ),
    "good_over_valid": (
        "优良天数 {good} 多于有效天数 {valid}",
        "{good} good days is more than the {valid} valid days",
    ),
    "good_days_without_valid": (
        "优良天数需同时给出有效天数（至少 1 天）",
        "good days need the month's valid days beside them (at least 1)",
    ),
    "good_days_not_ratio": (
        "优良天数只适用于优良天数比例一类的指标",
        "good days apply only to good-days share indicators",
    ),
    "good_days_mismatch": (
        "数值 {value} 与优良天数/有效天数 {good}/{valid} = {share}% 不符",
        "the value {value} does not match good/valid days {good}/{valid} = {share} %",
    ),
    "good_days_wide": (
        "宽表中请把优良天数写在优良天数比例一列，如“25/30”（优良天数/有效天数），不要单列",
        "in the wide layout write good days in the share's column as “25/30” (good/valid days), "
        "not in a column of their own",
    ),
}

# Finer messages of some codes (the code stays the one named): template -> (Chinese, English).
DETAILS: dict[str, tuple[str, str]] = {
    "encoding_utf16": (
        "文件是没有字节序标记（BOM）的 UTF-16，无法可靠识别，请另存为“CSV UTF-8”或 XLSX",
        "the file is UTF-16 without a byte-order mark and cannot be read reliably; "
        "save it as “CSV UTF-8” or XLSX",
    ),
    "encoding_mixed": (
        "第 {line} 行是 UTF-8 编码，而文件其余部分是 GBK/GB18030：请统一另存为“CSV UTF-8”",
        "line {line} is UTF-8 while the rest of the file is GBK/GB18030; save the whole file as “CSV UTF-8”",
    ),
    "too_large_xlsx": (
        "XLSX 文件解压后有 {mb} MB，超过上限 {limit} MB；请拆分文件",
        "the XLSX file unpacks to {mb} MB, more than the limit of {limit} MB; split the file",
    ),
    "too_many_rows": (
        "文件超过 {limit} 行的上限；请拆分文件",
        "the file has more than the limit of {limit} rows; split the file",
    ),
    "too_many_columns": (
        "文件的一行超过 {limit} 列的上限",
        "a row of the file has more than the limit of {limit} cells",
    ),
    "binary_nul": (
        "不支持的文件格式：第 {line} 行含有 NUL 字节（二进制文件？），请上传 CSV 或 XLSX 文件",
        "unsupported file format: line {line} holds a NUL byte (a binary file?); upload a CSV or XLSX file",
    ),
}

# Problems that make the whole file unusable: nothing can be read from it.
FATAL = frozenset(
    {
        "encoding",
        "unsupported_format",
        "unreadable",
        "sheet_not_found",
        "empty_file",
        "missing_column",
        "duplicate_column",
        "extra_cells",
        "cell_too_long",
        "good_days_wide",
        "too_large",
    }
)


@dataclass(frozen=True)
class UploadError:
    code: str
    row: int | None
    column: str | None
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    @property
    def fatal(self) -> bool:
        return self.code in FATAL


def error(
    code: str, row: int | None = None, where: str | None = None, template: str | None = None, **fields: object
) -> UploadError:
    """The error `code` at spreadsheet row `row`, column `where`, its messages (MESSAGES[code], or
    DETAILS[template]) filled with `fields`."""
    zh, en = DETAILS[template] if template else MESSAGES[code]
    return UploadError(code, row, where, zh.format(**fields), en.format(**fields))


class Unusable(DabiaoError, ValueError):
    """The file cannot be used at all; carries the errors that say why (the first one names the code)."""

    code = "unusable"

    def __init__(self, *problems: UploadError):
        self.problems = list(problems)
        super().__init__(
            "；".join(p.message_zh for p in problems),
            "; ".join(p.message_en for p in problems),
            problems[0].code if problems else None,
        )


UNDO_MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_batch": ("批次 {batch} 不存在", "there is no batch {batch}"),
    "undo_of_undo": (
        "批次 {batch} 本身是一次撤销，不能再撤销；如需恢复请重新上传原文件",
        "batch {batch} is itself an undo and cannot be undone; upload the file again instead",
    ),
    "already_undone": (
        "批次 {batch} 已由批次 {undo} 撤销",
        "batch {batch} was already undone by batch {undo}",
    ),
    "undo_not_permitted": (
        "{actor} 无权撤销批次 {batch}（含其他城市的数据）",
        "{actor} may not undo batch {batch}: it holds data of other cities",
    ),
}


class UndoRefused(DabiaoError, ValueError):
    """An undo the store will not do; `code` is one of UNDO_MESSAGES."""

    def __init__(self, code: str, **fields: object):
        zh, en = UNDO_MESSAGES[code]
        super().__init__(zh.format(**fields), en.format(**fields), code)
