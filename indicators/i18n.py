"""Every label a person reads, in Chinese and English. Pages call `tr(key, lang)`; Chinese comes first."""

from __future__ import annotations

LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("达标 环境目标监测", "Dabiao target monitoring"),
    "language": ("语言 Language", "Language 语言"),
    "demo_banner": (
        "示例数据 demo data：当前显示的监测值均为自动生成的示例，不是真实监测结果。",
        "示例数据 demo data: the measurements shown are generated examples, not real monitoring results.",
    ),
    "page_targets": ("目标", "Targets"),
    "targets_title": ("规划目标 Targets", "Plan targets 规划目标"),
    "targets_intro": (
        "五份种子规划中的每一项量化目标，附原文条款与责任单位。",
        "Every quantitative target of the five seed plans, with the clause it came from and who "
        "is responsible.",
    ),
    "city": ("城市", "City"),
    "all_cities": ("全部城市 All cities", "All cities 全部城市"),
    "domain": ("领域", "Domain"),
    "all_domains": ("全部领域", "All domains"),
    "indicator": ("指标", "Indicator"),
    "target": ("目标", "Target"),
    "deadline": ("截止", "Deadline"),
    "stage": ("阶段", "Stage"),
    "baseline": ("基准年", "Baseline year"),
    "responsible": ("责任单位", "Responsible"),
    "cooperating": ("配合单位", "Cooperating"),
    "quote": ("原文", "Clause"),
    "source": ("来源", "Source"),
    "plans": ("规划文件", "Plan documents"),
    "n_targets": ("项目标", "targets"),
    "province": ("省份", "Province"),
    "none": ("—", "—"),
    "busy": ("数据库正忙，请稍后刷新。", "The database is busy; please refresh shortly."),
}


def tr(key: str, lang: str = "zh") -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en
