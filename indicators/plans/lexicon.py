"""The words Chinese plans use for targets: units as written, comparators, count verbs, all-or-none phrases.

Regular expressions over the normalised text (Simplified, NFKC: ASCII digits and punctuation). These are
the language's own forms (GB/T-style units, the usual verbs of 工作要点 and 实施方案), not any one plan's.
"""

from __future__ import annotations

import re

# Units as plans write them, longest first so that 万立方米 wins over 立方米. Each maps to a kind.
UNITS: dict[str, str] = {
    "%": "percent",
    "‰": "permille",
    "个百分点": "points",
    "微克每立方米": "concentration",
    "微克/立方米": "concentration",
    "μg/m3": "concentration",
    "μg/m³": "concentration",
    "ug/m3": "concentration",
    "µg/m3": "concentration",
    "毫克/立方米": "concentration",
    "mg/m3": "concentration",
    "毫克/升": "concentration",
    "mg/L": "concentration",
    "蒸吨/小时": "size",
    "蒸吨/时": "size",
    "蒸吨": "size",
    "万千瓦时": "amount",
    "千瓦时": "amount",
    "万千瓦": "size",
    "千瓦": "size",
    "兆瓦": "size",
    "吨/日": "size",
    "吨/天": "size",
    "万吨/年": "size",
    "吨/年": "size",
    "立方米/日": "size",
    "立方米/天": "size",
    "万立方米": "amount",
    "亿立方米": "amount",
    "立方米": "amount",
    "吨标准煤": "amount",
    "万吨标准煤": "amount",
    "万吨": "amount",
    "吨": "amount",
    "千克": "amount",
    "公斤": "amount",
    "万亩": "area",
    "亩": "area",
    "公顷": "area",
    "平方公里": "area",
    "平方千米": "area",
    "平方米": "area",
    "公里": "length",
    "千米": "length",
    "米": "length",
    "亿元": "money",
    "万元": "money",
    "元": "money",
    "天": "days",
    "万人": "count",
    "人": "count",
    "家": "count",
    "台": "count",
    "个": "count",
    "座": "count",
    "辆": "count",
    "条": "count",
    "处": "count",
    "所": "count",
    "项": "count",
    "起": "count",
    "件": "count",
    "户": "count",
    "套": "count",
    "艘": "count",
    "口": "count",
    "根": "count",
    "次": "times",
    "倍": "ratio",
}
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# A value as written: digits (a decimal point, an optional 万/亿 that belongs to the unit) and its unit.
VALUE = re.compile(
    rf"(?<![A-Za-z0-9.\-/+×〔\[【_])(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>(?:万|亿)?(?:{_UNIT_ALTERNATION}))"
    r"(?P<more>(?:多|余|几|左右以上))?"
)


def unit_kind(unit: str) -> str:
    """The kind of a unit as written; 万/亿 before a count or amount (5万辆, 20万亩) keep its kind."""
    return UNITS.get(unit) or UNITS.get(unit[1:], "amount")


# A coefficient is written without a unit (灌溉水有效利用系数达到0.525).
COEFFICIENT = re.compile(r"系数[^,;。]{0,12}?(?:达到|提高到|提升到|不低于|保持在|为)(?P<num>\d+\.\d+)")

SUFFIX_AT_LEAST = re.compile(r"^(?:及|或)?以上|^(?:或)?更高|^(?:及|或)?以上水平")
SUFFIX_AT_MOST = re.compile(r"^(?:及|或)?以[下内]|^之内|^(?:或)?更低")
SUFFIX_AROUND = re.compile(r"^左右|^上下")

AT_LEAST = re.compile(
    r"(?:不低于|不少于|不小于|不得低于|不得少于|至少|(?<!不)超过|(?<![不得])高于|(?<![不得])多于|提高到|提高至|提升到|提升至|增加到|"
    r"增加至|增长到|增长至|扩大到|达到|达|实现|稳定在|保持在|维持在|巩固在|≥|>=|>|(?<![降减低])到)[^,;。]{0,4}$"
)
AT_MOST = re.compile(
    r"(?:不高于|不超过|不大于|不得超过|不得高于|(?<![不得])低于|(?<![不得])小于|(?<![不得])少于|控制在|控制到|控制为|降至|降到|降低到|"
    r"降低至|下降到|下降至|压减到|压减至|压减为|压缩到|压缩至|减少到|减少至|减至|≤|<=)[^,;。]{0,4}$"
)
AROUND = re.compile(r"(?:约|大约|基本达到|基本达|基本实现)[^,;。]{0,2}$")
AMOUNT_SAVED = re.compile(r"(?:减量|削减量|节约|节省|节能|削减)[^,;。]{0,3}$")
REDUCE = re.compile(
    r"(?:下降|降低|减少|削减|压减|减排|降幅达到|降幅)(?:了)?(?:幅度)?(?:达到|达|为)?[^,;。到至]{0,3}$"
)
YOY = re.compile(r"(?:(?:同比|每年|逐年)[^,;。]{0,8}?|年均)(?:下降|降低|减少|削减|压减)[^,;。到至]{0,3}$")
GROWTH_CAP = re.compile(
    r"年均(?:增长|增速|增幅|增量)[^,;。]{0,4}(?:不超过|不高于|控制在|低于|≤)[^,;。]{0,3}$"
)
BASELINE = re.compile(
    r"(?:较|比|与|相比|对比|同)\s*(?P<y>(?:19|20)\d{2})年(?:的)?(?:基础上|水平|相比|同期)?|"
    r"在\s*(?P<y2>(?:19|20)\d{2})\s*年(?:的)?基础上|以\s*(?P<y3>(?:19|20)\d{2})\s*年为基(?:数|准|期)"
)
FROM_TO = re.compile(
    r"(?:由|从)(?:(?P<y>(?:19|20)\d{2})年(?:的)?)?(?P<num>\d+(?:\.\d+)?)(?P<unit>[^\d,;。]{0,8}?)"
    r"(?:下降|降低|减少|降|提高|提升|增加|增长|上升)(?:到|至)$"
)
COUNT_VERBS = re.compile(
    r"完成|建成|建设|新建|改建|扩建|淘汰|治理|整治|关闭|关停|取缔|拆除|改造|创建|培育|打造|实施|清理|化解|"
    r"搬迁|推广|查处|检查|路检|抽检|监测|检测|回收|处置|安装|更新|替换|改烧|退出|验收|创成|建立|开展|销号|整改|"
    r"新增|培训|巩固|复查"
)
# Words that make a number a description rather than a commitment.
PAST = re.compile(
    r"(?<![而得])已(?!达到|达)|截至|截止|目前|现已|已经|已有|已建成|已完成|共有|去年|上年|同期|以来|近年来|历年"
)
VAGUE_BEFORE = re.compile(r"(?:等|约有|其中|包括|涉及|共|合计)$")
SCOPE_BEFORE = re.compile(
    r"(?:单机|容量|规模|产能|年产|日产|日处理|装机|排量|总投资|投资|常住人口|人口)(?:在|为|达|超过)?$"
)
SCOPE_AFTER = re.compile(r"^(?:及|或)?以[下上](?:的)?[\u4e00-\u9fff(]")
SCOPE_AFTER_COUNT = re.compile(r"^(?:及|或)?以[下上]的[\u4e00-\u9fff(]")
# A number before these is part of a name (八项规定, 十条措施), not a count.
NAMED_AFTER = re.compile(
    r"^(?:规定|措施|原则|要求|禁令|理念|意识|自信|维护|统筹|强化|机制|体系|字|大|项规定)"
)
STANDING_BEFORE = re.compile(r"每(?:月|季度|季|周|年|半年|天|日)[^,;。]{0,8}$")
COMMITMENT = re.compile(r"要|确保|力争|争取|必须|达到|提高|控制|不低于|不少于|不超过|以上|以下|年底|月底|前")
SLOGAN = re.compile(r"[“\"「『][^”\"」』]{0,12}$")

# All-or-none wording (DOMAIN.md): every item / no item.
ALL_DONE = re.compile(
    r"全覆盖|全面达标|全部达标|100%达标|全面完成|全部完成|全部建成|全面建成|全部整治到位|全部到位|"
    r"(?:达到|优于|好于)(?:或优于)?(?:I{1,3}|IV|Ⅰ|Ⅱ|Ⅲ|Ⅳ)类(?:及)?(?:以上)?|(?:I{1,3}|Ⅱ|Ⅲ)类(?:及)?以上|"
    r"所有[^,;。]{1,12}(?:完成|建成|达标)"
)
NONE_LEFT = re.compile(
    r"全面消除|全部消除|彻底消除|全面淘汰|全部淘汰|全部关闭|全部关停|全面关停|全部取缔|全面取缔|"
    r"全部退出|全面退出|全部拆除|清零|动态清零"
)
NO_EVENT = re.compile(r"(?:不发生|杜绝|严防|防止|避免|不因)[^,;。]{0,24}?(?:事件|事故|群体性)(?:发生)?")
GENERIC_ALL = re.compile(
    r"^为|《|小康社会|基本|各项|目标任务|工作任务|年度任务|下达的|相关工作|有关工作|各类|任务[。;]?$"
)
# Units of a count by the object's last characters (全面淘汰…锅炉 -> 台).
COUNT_UNIT_BY_NOUN = (
    (re.compile(r"锅炉|炉|机组|车|船"), "台"),
    (re.compile(r"企业|养殖场|养殖户|厂|场|工厂|作坊|加油站"), "家"),
    (re.compile(r"事件|事故|纠纷"), "件"),
)

RESPONSIBLE = re.compile(r"(?:责任单位|牵头单位|责任部门|牵头部门|主责单位|负责单位)\s*[:：]\s*")
COOPERATING = re.compile(r"(?:配合单位|协办单位|参与单位|配合部门|协同单位|协助单位)\s*[:：]\s*")
LEAD_NOTE = re.compile(
    r"\((?P<lead>[^()]{2,60}?)(?:牵头|按职责分工负责|负责)(?:[,，;、](?P<coop>[^()]{2,60}?)(?:配合|参与|协同))?\)"
)
HEADING = re.compile(r"(?:^|(?<=[。;)\n]))\s*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")
