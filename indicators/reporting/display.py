"""Words and symbols people read: comparator phrases, domain names, plain-text tables. No I/O."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from indicators.catalog.commitments import clauses
from indicators.vocabulary import COMPARATOR, domain_name


def target_phrase(
    comparator: str, value: float, unit: str, baseline_year: int | None = None, lang: str = "zh"
) -> str:
    """'≥ 98 %', '较2013年下降 5 %', 'complete 9 台' — the target as a reader says it."""
    num = f"{value:g}"
    term = COMPARATOR[comparator]
    if term.symbol:
        return f"{term.symbol} {num} {unit}"
    if comparator == "reduce_by":
        return (
            f"较{baseline_year}年下降 {num} {unit}" if lang == "zh" else f"−{num} {unit} vs {baseline_year}"
        )
    return f"{term.word(lang)} {num} {unit}"


def targets_text(records: Iterable[Mapping[str, object]]) -> str:
    """A plain-text listing grouped by city and domain, for the terminal."""
    lines: list[str] = []
    last_city = last_domain = None
    for r in records:
        if r["city"] != last_city:
            lines.append(f"\n{r['city']} {r['city_en']}")
            last_city, last_domain = r["city"], None
        if r["domain"] != last_domain:
            lines.append(f"  [{domain_name(str(r['domain']))} {domain_name(str(r['domain']), 'en')}]")
            last_domain = r["domain"]
        phrase = target_phrase(
            str(r["comparator"]),
            float(r["value"]),  # type: ignore[arg-type]
            str(r["unit"]),
            r["baseline_year"],  # type: ignore[arg-type]
        )  # type: ignore[arg-type]
        owners = "、".join(r["responsible"]) or "—"  # type: ignore[arg-type]
        lines.append(f"    {r['indicator_name']}  {phrase}  截止 {r['deadline']}  责任 {owners}  [{r['id']}]")
        lines.append(f"      「{r['quote']}」 ({r['source_file']})")
        for m in r.get("restated") or []:  # type: ignore[attr-defined]  # a restated commitment's other clauses
            lines.append(f"      「{m['quote']}」 ({m['source_file']}, {m['id']})")
    return "\n".join(lines).lstrip("\n")


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


TABLE_CSS = """
<style>
.dbt h3 {font-size: 1.15rem; margin: 1.2rem 0 .4rem; border-bottom: 2px solid #1f5fa8; padding-bottom: .2rem}
.dbt table {width: 100%; border-collapse: collapse; font-size: .92rem; table-layout: fixed}
.dbt th {text-align: left; background: #eef3f9; padding: .35rem .5rem; font-weight: 600}
.dbt td {padding: .4rem .5rem; border-bottom: 1px solid #dde3ea; vertical-align: top; word-break: break-word}
.dbt .q {color: #444; font-size: .85rem; margin-top: .25rem}
.dbt .src {color: #777; font-size: .75rem}
.dbt .tv {font-weight: 600}
</style>
"""


def targets_html(frame: Any, lang: str = "zh", plan_titles: Mapping[str, str] | None = None) -> str:
    """The targets of a frame (store.targets_frame) as tables per domain; all text escaped. Each clause
    names its plan by title (plan_titles: by Chinese title, in the language), never by file or id."""
    titles = plan_titles or {}
    labels = {
        k: _label(k, lang)
        for k in (
            "indicator",
            "target",
            "deadline",
            "stage",
            "baseline",
            "responsible",
            "cooperating",
            "quote",
        )
    }
    parts = [TABLE_CSS, '<div class="dbt">']
    several = frame.city.nunique() > 1
    for (city_zh, city_en, domain), group in frame.groupby(["city_zh", "city_en", "domain"], sort=False):
        city = f"{city_zh} {city_en} · " if several else ""
        parts.append(
            f"<h3>{_esc(city)}{_esc(domain_name(domain, lang))} · {_esc(domain_name(domain, _other(lang)))}"
            f" <small>({len(group)})</small></h3>"
        )
        parts.append(
            '<table><colgroup><col style="width:33%"><col style="width:18%"><col style="width:10%">'
            '<col style="width:6%"><col style="width:17%"><col style="width:16%"></colgroup>'
        )
        parts.append(
            "<tr>"
            + "".join(
                f"<th>{_esc(labels[k])}</th>"
                for k in ("indicator", "target", "deadline", "stage", "responsible", "cooperating")
            )
            + "</tr>"
        )
        for r in group.itertuples():
            name = r.indicator_zh if lang == "zh" else r.indicator_en
            other = r.indicator_en if lang == "zh" else r.indicator_zh
            base = None if pd.isna(r.baseline_year) else int(r.baseline_year)
            phrase = target_phrase(r.comparator, r.value, r.unit, base, lang)
            parts.append(
                f"<tr><td><b>{_esc(name)}</b><br><span class='src'>{_esc(other)}</span>"
                + "".join(
                    f"<div class='q'>{_esc(labels['quote'])}：「{_esc(quote)}」</div>"
                    f"<div class='src'>{_esc(titles.get(plan, plan))}</div>"
                    for quote, plan in clauses(r)  # a restated commitment once, with each of its clauses
                )
                + "</td>"
                f"<td class='tv'>{_esc(phrase)}</td><td>{_esc(r.deadline_text)}</td><td>{_esc(r.stage)}</td>"
                f"<td>{_esc('、'.join(r.responsible) or '—')}</td>"
                f"<td>{_esc('、'.join(r.cooperating) or '—')}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def _label(key: str, lang: str) -> str:
    from indicators.i18n import tr

    return tr(key, lang)
