"""The labels of the 目标导入 Plan import page and the admin page's additions (issue 15), kept apart from
i18n.LABELS (which takes them in) so that the pages of other issues can add labels beside them."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "pi_title": ("目标导入 Plan import", "Plan import 目标导入"),
    "pi_intro": (
        "上传规划文件（.txt .html .docx .pdf），逐条审核找到的量化目标：接受、修改或拒绝，"
        "对应到已有指标或新建指标，然后发布。发布后目标进入目标清单和红绿灯，城市即可上报数据。",
        "Upload a plan document (.txt .html .docx .pdf) and review the quantitative targets found in it one "
        "by one: accept, edit or reject each, map it to an existing indicator or a new one, then publish. "
        "Published targets join the target list and the scorecard, and the city can upload data against "
        "them.",
    ),
    "pi_upload": ("上传规划文件", "Upload a plan document"),
    "pi_city": ("所属城市", "City of the plan"),
    "pi_doc_title": (
        "标题（可不填：取文件中第一行规划名称）",
        "Title (optional: the document's first plan title)",
    ),
    "pi_import": ("导入", "Import"),
    "pi_imported": (
        "已导入：规划 {id}，{n} 个候选目标（草稿）",
        "Imported: plan {id}, {n} candidate targets (draft)",
    ),
    "pi_already": (
        "同一文件（SHA-256 相同）已导入过，为规划 {id}；未作改动。",
        "The same document (same SHA-256) was imported before as plan {id}; nothing changed.",
    ),
    "pi_plan": ("规划", "Plan"),
    "pi_none": ("还没有导入的规划。", "No plan imported yet."),
    "pi_counts": (
        "{total} 个候选：已接受 {accepted}，已拒绝 {rejected}，待审核 {pending}",
        "{total} candidates: {accepted} accepted, {rejected} rejected, {pending} to review",
    ),
    "pi_status_draft": ("草稿", "Draft"),
    "pi_status_published": ("已发布", "Published"),
    "pi_accepted": ("已接受", "Accepted"),
    "pi_rejected": ("已拒绝", "Rejected"),
    "pi_pending": ("待审核", "To review"),
    "pi_accept": ("接受", "Accept"),
    "pi_reject": ("拒绝", "Reject"),
    "pi_edit": ("修改并接受", "Edit and accept"),
    "pi_save": ("保存并接受", "Save and accept"),
    "pi_context": ("原文及上下文", "Clause in its context"),
    "pi_new_indicator": ("新指标（未对应）", "new indicator (not mapped)"),
    "pi_map": ("对应指标", "Indicator"),
    "pi_comparator": ("比较方式", "Comparator"),
    "pi_value": ("目标值", "Value"),
    "pi_unit": ("单位（原文）", "Unit (as written)"),
    "pi_deadline": ("截止（YYYY-MM-DD）", "Deadline (YYYY-MM-DD)"),
    "pi_baseline_year": ("基准年（可不填）", "Baseline year (optional)"),
    "pi_baseline_value": ("基准值（可不填）", "Baseline value (optional)"),
    "pi_units_help": ("多个单位用顿号分隔", "Separate several units with 、 or commas"),
    "pi_create": ("新建指标", "Create a new indicator"),
    "pi_create_button": ("新建并对应", "Create and map"),
    "pi_created": ("指标 {code} 已新建", "Indicator {code} created"),
    "pi_publish": ("发布", "Publish"),
    "pi_publish_help": (
        "接受的候选成为目标（含出处：规划、文件、原文及位置），一次完成；每个候选都须先接受或拒绝。",
        "Accepted candidates become targets (with their provenance: plan, document, clause, position), "
        "all at once; every candidate must be accepted or rejected first.",
    ),
    "pi_published": ("已发布：{n} 项目标", "Published: {n} targets"),
    "pi_confidence": ("置信度", "Confidence"),
    "pi_page": ("显示", "Show"),
    "pi_filter_all": ("全部候选", "All candidates"),
    "pi_filter_pending": ("仅待审核", "Only those to review"),
    # the admin page: cities and indicators added beside the catalog
    "add_city_title": ("添加城市", "Add a city"),
    "add_indicator_title": ("添加指标", "Add an indicator"),
    "add_help": (
        "与目录文件（data/cities.yaml、data/indicators/*.yaml）同样校验；所有问题一并列出。",
        "Checked exactly as the catalog files (data/cities.yaml, data/indicators/*.yaml); every problem "
        "listed.",
    ),
    "f_code": ("代码（小写英文，如 xingqing）", "Code (lower_snake_case, e.g. xingqing)"),
    "f_name_zh": ("中文名称", "Chinese name"),
    "f_name_en": ("英文名称", "English name"),
    "f_province_zh": ("省（中文）", "Province (Chinese)"),
    "f_province_en": ("省（英文）", "Province (English)"),
    "f_parent_zh": ("上级城市（中文，可不填）", "Parent city (Chinese, optional)"),
    "f_parent_en": ("上级城市（英文，可不填）", "Parent city (English, optional)"),
    "f_level": ("级别", "Level"),
    "f_aliases": ("别名（顿号分隔）", "Aliases (separated by 、)"),
    "f_domain": ("领域", "Domain"),
    "f_unit": ("计量单位", "Unit"),
    "f_polarity": ("方向", "Polarity"),
    "f_aggregation": ("汇总方式", "Aggregation"),
    "f_valid_min": ("有效下限", "Valid minimum"),
    "f_valid_max": ("有效上限", "Valid maximum"),
    "add_button": ("添加", "Add"),
    "added": ("已添加：{name}", "Added: {name}"),
}
