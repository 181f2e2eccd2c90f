"""Words and symbols people read: comparator phrases, domain names, plain-text tables. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

DOMAIN_NAMES = {
    "air": ("大气", "Air"), "water": ("水", "Water"), "soil": ("土壤", "Soil"),
    "solid_waste": ("固体废物", "Solid waste"), "ecology": ("生态", "Ecology"),
    "agriculture": ("农业", "Agriculture"), "energy": ("能源", "Energy"), "rural": ("农村", "Rural"),
    "economy": ("经济", "Economy"), "governance": ("环境管理", "Governance"),
}

COMPARATOR_WORDS = {
    ">=": ("不低于", "at least"), "<=": ("不高于", "at most"), "~": ("左右", "around"),
    "reduce_by": ("较基准年下降", "reduce vs baseline by"), "yoy_reduce_by": ("每年同比下降", "cut year on year by"),
    "growth_le": ("年均增长不超过", "grow at most"), "count_done": ("完成", "complete"),
}


def domain_name(code: str, lang: str = "zh") -> str:
    zh, en = DOMAIN_NAMES.get(code, (code, code))
    return zh if lang == "zh" else en


def target_phrase(comparator: str, value: float, unit: str, baseline_year: int | None = None,
                  lang: str = "zh") -> str:
    """'≥ 98 %', '较2013年下降 5 %', 'complete 9 台' — the target as a reader says it."""
    num = f"{value:g}"
    symbols = {">=": "≥", "<=": "≤", "~": "≈"}
    if comparator in symbols:
        return f"{symbols[comparator]} {num} {unit}"
    if comparator == "reduce_by":
        return f"较{baseline_year}年下降 {num} {unit}" if lang == "zh" else f"−{num} {unit} vs {baseline_year}"
    zh, en = COMPARATOR_WORDS[comparator]
    return f"{zh} {num} {unit}" if lang == "zh" else f"{en} {num} {unit}"


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
        phrase = target_phrase(str(r["comparator"]), float(r["value"]),  # type: ignore[arg-type]
                               str(r["unit"]), r["baseline_year"])  # type: ignore[arg-type]
        owners = "、".join(r["responsible"]) or "—"  # type: ignore[arg-type]
        lines.append(f"    {r['indicator_name']}  {phrase}  截止 {r['deadline']}  责任 {owners}  [{r['id']}]")
        lines.append(f"      「{r['quote']}」 ({r['source_file']})")
    return "\n".join(lines).lstrip("\n")
