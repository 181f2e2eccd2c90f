"""Every label a person reads, in Chinese and English. Pages call `tr(key, lang)`; Chinese comes first."""

from __future__ import annotations

from indicators.plans import labels as plan_labels

LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    "language": ("语言 Language", "Language 语言"),
    "demo_banner": (
        "示例数据 demo data：当前显示的监测值均为自动生成的示例，不是真实监测结果。",
        "示例数据 demo data: the measurements shown are generated examples, not real monitoring results.",
    ),
    # the meeting's memory (issue 16): notes, snapshots, what changed, status history
    "note": ("情况说明", "Owner's note"),
    "note_add": ("填写情况说明", "Write an owner's note"),
    "note_target": ("目标", "Target"),
    "note_text": (
        "原因、已采取的措施、预计回到序时的月份、下一节点",
        "Reason, measures taken, month expected back on schedule, next milestone",
    ),
    "note_month": ("所属月份（可不填）", "Month it is about (optional)"),
    "note_save": ("保存情况说明", "Save the note"),
    "note_saved": ("情况说明已保存（第 {n} 号）", "Note saved (no. {n})"),
    "snapshot": ("会议快照", "Meeting snapshot"),
    "snapshot_current": ("当前数据（不是快照）", "Current data (not a snapshot)"),
    "snapshot_marked": (
        "会议快照「{name}」：{taken} 由 {by} 建立，数据截至批次 {batch}；"
        "显示的是当时的结果，之后的上报不改变它。",
        "Meeting snapshot “{name}”, taken {taken} by {by}, data up to batch {batch}: the results as they "
        "were then; later uploads do not change them.",
    ),
    "snapshot_take": ("建立会议快照（管理员）", "Take a meeting snapshot (administrators)"),
    "snapshot_name": ("快照名称，例如 2020年9月调度会", "Snapshot name, e.g. September 2020 meeting"),
    "snapshot_button": ("建立快照", "Take the snapshot"),
    "snapshot_done": ("快照「{name}」已建立：{n} 个目标", "Snapshot “{name}” taken: {n} targets"),
    "since_last": ("自上次快照（{name}）以来", "Since the last snapshot ({name})"),
    "since_none": ("自上次快照以来没有目标改变状态。", "No target changed status since the last snapshot."),
    "briefing_pdf": ("会议简报 PDF", "Briefing book PDF"),
    "status_strip": ("状态变化（每月月末）", "Status at each month end"),
    "status_stacked": ("各月状态构成", "Statuses month by month"),
    "page_not_found": (
        "没有地址为 /{name} 的页面，已打开总览。",
        "No page has the address /{name}: showing the overview.",
    ),
    "targets_title": ("规划目标 Targets", "Plan targets 规划目标"),
    "targets_intro": (
        "五份种子规划及已发布的导入规划中的每一项量化目标，附原文条款与责任单位。",
        "Every quantitative target of the five seed plans and of the plans imported and published, with "
        "the clause it came from and who is responsible.",
    ),
    "city": ("城市", "City"),
    "all_cities": ("全部城市 All cities", "All cities 全部城市"),
    "domain": ("领域", "Domain"),
    "indicator": ("指标", "Indicator"),
    "target": ("目标", "Target"),
    "deadline": ("截止", "Deadline"),
    "stage": ("阶段", "Stage"),
    "baseline": ("基准年", "Baseline year"),
    "responsible": ("责任单位", "Responsible"),
    "cooperating": ("配合单位", "Cooperating"),
    "quote": ("原文", "Clause"),
    "plans": ("规划文件", "Plan documents"),
    "n_targets": ("项目标", "targets"),
    "none": ("—", "—"),
    "busy": ("数据库正忙，请稍后刷新。", "The database is busy; please refresh shortly."),
    # dashboard pages
    "page_city": ("城市", "City"),
    "overview_title": ("总览 Overview", "Overview 总览"),
    "city_title": ("城市目标进展", "City progress"),
    "indicator_title": ("指标横向比较", "One indicator across cities"),
    "department_title": ("责任单位目标", "Targets by responsible unit"),
    "scorecard_title": ("红绿灯 Scorecard", "Scorecard 红绿灯"),
    "as_of": ("评价日期", "As of"),
    "as_of_help": ("留空：各城市最新上报月份的月末", "Empty: the end of each city's latest uploaded month"),
    "share_good": ("达标或序时推进", "met or on schedule"),
    "worst_items": ("最需关注", "Needs attention"),
    "grid_title": ("城市 × 领域：最差状态", "City × domain: worst status"),
    "freshness": ("数据更新情况", "Data freshness"),
    "latest_month": ("最新上报月份", "Latest month reported"),
    "up_to_date": ("已上报至最新月份", "up to date"),
    "fresh_intro": (
        "最新月份 {month}：每个城市有目标的指标中，已上报该月数据的有几项。",
        "Latest month {month}: of each city's indicators with a target, how many were reported for it.",
    ),
    "fresh_counts": (
        "已报 {reported} / 应报 {expected} 项指标",
        "{reported} of {expected} indicators reported",
    ),
    "fresh_missing": ("未报", "Not reported"),
    "fresh_and_more": (" 等，另有 {n} 项", " and {n} more"),
    "share_help": (
        "{n} 项目标中 {good} 项已达标或序时推进（含无数据的 {no_data} 项，无数据不计为达标）",
        "{good} of all {n} targets met or on schedule ({no_data} without data count as not met)",
    ),
    "n_short": ("项", "targets"),
    "grid_help": (
        "每格：该城市该领域最差的状态，以及目标个数。",
        "Each cell: the worst status of the city's targets in that domain, and how many targets there are.",
    ),
    "status": ("状态", "Status"),
    "value": ("当前值", "Value"),
    "expected": ("序时应达", "Expected now"),
    "gap": ("差距", "Gap"),
    "why": ("说明", "Why"),
    "required_average": ("剩余月份须平均", "Remaining months must average"),
    "gap_table": ("差距表", "Gap table"),
    "no_measurements": ("暂无监测数据", "No measurements yet"),
    "department": ("责任单位", "Responsible unit"),
    "role_lead": ("牵头（责任单位）", "Lead (责任单位)"),
    "role_cooperating": ("配合单位", "Cooperating (配合单位)"),
    "filters": ("筛选", "Filters"),
    "all": ("全部", "All"),
    "meeting_mode": ("会议模式", "Meeting mode"),
    "meeting_by": ("每屏显示", "One screen per"),
    "by_city": ("城市", "city"),
    "by_department": ("责任单位", "department"),
    "previous": ("上一屏", "Previous"),
    "next": ("下一屏", "Next"),
    "export_pdf": ("导出 PDF", "Export PDF"),
    "export_xlsx": ("导出 Excel", "Export Excel"),
    "chart_def_annual_mean": (
        "柱：每月上报的月均值；蓝线：滚动12个月均值（按天数加权），与目标比较的就是这条线。",
        "Bars: the monthly means reported; blue line: the rolling 12-month mean (day-weighted), "
        "the value compared with the target.",
    ),
    "chart_def_day_ratio": (
        "柱：每月上报的比例；蓝线：滚动12个月的达标天数占有效天数的比例，与目标比较。",
        "Bars: the monthly shares reported; blue line: good days over valid days in the last 12 months, "
        "compared with the target.",
    ),
    "chart_def_level": (
        "柱：每月上报值；蓝线：最新上报值（该类指标以最新值为准）。",
        "Bars: the values reported; blue line: the latest value reported, which is what counts.",
    ),
    "chart_def_cumulative_count": (
        "蓝线：自规划起点以来的累计完成数，与目标数比较。",
        "Blue line: the count completed since the plan began, compared with the target count.",
    ),
    "chart_def_annual_amount": (
        "柱：每月上报量；蓝线：近12个月合计，与目标比较。",
        "Bars: the monthly amounts reported; blue line: the total of the last 12 months, "
        "compared with the target.",
    ),
    "comparison_def": (
        "每个城市的当前值（柱，颜色为状态）与它自己的目标（横线）。",
        "Each city's current value (bar, coloured by status) against its own target (dash).",
    ),
    "chart_source": ("原文条款与出处", "The clause and its plan"),
    "chart_csv": ("下载本图数据 CSV", "This chart's data (CSV)"),
    "chart_reported": ("月度上报值", "Monthly value"),
    "chart_evaluation": ("评价值", "Evaluation value"),
    "provisional_mark": ("暂定", "provisional"),
    "value_at_deadline": (
        "目标已到截止日期，状态按截止时的值 {value} 判定（之后的数据不改变结果）。",
        "The deadline has passed: the status uses the value at the deadline, {value} (later months "
        "do not change it).",
    ),
    "export_pdf_make": ("生成 PDF", "Make the PDF"),
    "export_pdf_making": ("正在生成 PDF…", "Making the PDF…"),
    "export_xlsx_make": ("生成 Excel", "Make the Excel file"),
    "export_xlsx_making": ("正在生成 Excel…", "Making the Excel file…"),
    "choose": ("请选择", "Choose"),
    "error_code": ("代码", "code"),
    "as_of_months": ("{months}（各市最新上报月份）", "{months} (each city's latest month)"),
    "no_targets": ("没有符合条件的目标", "No targets match"),
    "cagr": ("年均增速法 (Eurostat)", "CAGR ratio (Eurostat)"),
    "german": ("五年趋势法 (德国)", "5-year trend (Germany)"),
    "targets_n": ("项目标", "targets"),
    "chart_png": ("图表右上角可下载 PNG", "Use the chart's camera icon to download a PNG"),
    # upload page (issue 3)
    "up_title": ("数据上报 Upload", "Upload monthly data 数据上报"),
    "up_intro": (
        "上传每月监测数据（CSV 或 Excel）。提交前预览每一项变更；提交一次完成，可以撤销。",
        "Upload monthly measurements (CSV or Excel). Every change is previewed; a commit is all or "
        "nothing, and can be undone.",
    ),
    "up_city": ("上报城市", "Reporting for"),
    "up_city_help": (
        "只接受所选城市的数据，其他城市的行会被拒绝。",
        "Only this city's rows are accepted; rows of other cities are rejected.",
    ),
    "up_template": ("第一步：下载模板（可选）", "Step 1: download the template (optional)"),
    "up_template_help": (
        "模板每行一个月份、每列一项指标，单位写在列名中；长表（城市、指标、月份、数值、单位）也可以。",
        "One row per month, one column per indicator, the unit in the header; a long table (city, "
        "indicator, period, value, unit) works too.",
    ),
    "up_template_csv": ("下载模板 CSV", "Template CSV"),
    "up_template_xlsx": ("下载模板 Excel", "Template Excel"),
    "up_file": ("第二步：选择文件（CSV 或 XLSX）", "Step 2: choose a file (CSV or XLSX)"),
    "up_sheet": ("工作表", "Sheet"),
    "up_progress_read": ("正在读取文件…", "Reading the file…"),
    "up_progress_validate": ("正在校验…", "Validating…"),
    "up_progress_compare": ("正在与现有数据比较…", "Comparing with the stored values…"),
    "up_progress_write": ("正在写入…", "Writing…"),
    "up_preview": ("第三步：预览变更", "Step 3: preview the changes"),
    "up_long": ("长表", "long layout"),
    "up_wide": ("宽表", "wide layout"),
    "up_new": ("新增", "New"),
    "up_changed": ("修改", "Changed"),
    "up_unchanged": ("不变", "Unchanged"),
    "up_rejected": ("拒绝", "Rejected"),
    "up_changes": ("变更明细（绿色为新增，黄色为修改）", "Changes (green: new, amber: changed)"),
    "up_show_unchanged": ("显示不变的数值", "Show unchanged values"),
    "up_first_rows": ("仅显示前 {n} 行，共 {total} 行", "Showing the first {n} of {total} rows"),
    "up_row": ("行", "Row"),
    "up_period": ("月份", "Period"),
    "up_written": ("填报值", "As written"),
    "up_old": ("原值", "Old"),
    "up_newval": ("新值", "New"),
    "up_unit": ("单位", "Unit"),
    "up_state": ("变更", "Change"),
    "up_demo": ("示例数据", "demo value"),
    "up_errors": ("错误（每一行、每一列的问题）", "Errors (every problem, by row and column)"),
    "up_column": ("列", "Column"),
    "up_code": ("代码", "Code"),
    "up_message": ("说明", "Message"),
    "up_errors_csv": ("下载错误清单 CSV", "Download the errors (CSV)"),
    "up_fatal": ("文件无法使用，未做任何更改。", "The file cannot be used; nothing was changed."),
    "up_valid_only": (
        "仅提交有效行（被拒绝的行不提交）",
        "Commit only the valid rows (leave out the rejected ones)",
    ),
    "up_refuse": (
        "有被拒绝的行，默认不提交任何数据：请修正后重新上传，或勾选“仅提交有效行”。",
        "Some rows were rejected, so nothing is committed by default: fix the file and upload it again, "
        "or tick “commit only the valid rows”.",
    ),
    "up_commit": ("第四步：提交", "Step 4: commit"),
    "up_commit_button": ("提交", "Commit"),
    "up_nothing": (
        "没有需要提交的变更：所有数值与现有数据相同。",
        "Nothing to commit: every value equals the stored one.",
    ),
    "up_done": (
        "已提交，批次号 {batch}：新增 {new} 项，修改 {changed} 项。",
        "Committed as batch {batch}: {new} new, {changed} changed.",
    ),
    "up_history": ("上报批次与撤销", "Batches and undo"),
    "up_batch": ("批次", "Batch"),
    "up_kind": ("类型", "Kind"),
    "up_kind_upload": ("上传", "upload"),
    "up_kind_demo": ("示例", "demo"),
    "up_kind_undo": ("撤销", "undo"),
    "up_file_name": ("文件", "File"),
    "up_actor": ("上报人", "By"),
    "up_when": ("时间", "When"),
    "up_values": ("数值个数", "Values"),
    "up_undone_by": ("已被撤销", "Undone by"),
    "up_undoes": ("撤销了", "Undoes"),
    "up_undo_pick": ("要撤销的批次", "Batch to undo"),
    "up_undo": ("撤销该批次", "Undo this batch"),
    "up_undone": (
        "已撤销批次 {batch}（记录为批次 {undo}）：{values} 个数值恢复为之前的状态。",
        "Batch {batch} is undone (recorded as batch {undo}): {values} values are back to their "
        "previous state.",
    ),
    "up_impact": ("提交后状态的变化", "What the commit does to statuses"),
    "up_impact_none": ("提交后没有目标的状态会改变。", "No target's status changes with this commit."),
    "up_impact_n": ("提交后 {n} 个目标的状态将改变：", "{n} targets change status with this commit:"),
    "up_status_change": ("状态：现在 → 提交后", "Status: now → after the commit"),
    "up_blank_warning": (
        "注意：提交后{city}的评价月份由 {before} 变为 {after}，{total} 个目标中 {n} 个将“无数据”"
        "（这些指标在 {after} 没有上报）。请补齐其他指标后一并上报，或确认后再提交。",
        "Warning: after this commit {city} is evaluated as of {after} instead of {before}, and {n} of its "
        "{total} targets will have no data (their indicators were not reported for {after}). Add the other "
        "indicators to the file, or confirm below.",
    ),
    "up_blank_confirm": (
        "我已了解：提交后该城市多数目标将暂无数据",
        "I understand that most of this city's targets will have no data after the commit",
    ),
    "up_drop_help": (
        "把文件拖到下面的框里，或点击 “Browse files” 选择文件；每个文件不超过 20MB，可用 CSV、XLSX、TXT。",
        "Drop the file on the box below or click “Browse files”; at most 20 MB, CSV, XLSX or TXT.",
    ),
    "up_batch_label": (
        "批次 {id} · {file} · {who} · {when} · {n} 个数值",
        "Batch {id} · {file} · {who} · {when} · {n} values",
    ),
    "up_batch_contents": ("批次 {id} 的内容（{n} 个数值）", "What batch {id} holds ({n} values)"),
    "up_undo_confirm_text": (
        "确认撤销？{batch}。撤销后这些数值恢复为上报之前的状态（可在审计日志中查到）。",
        "Undo this batch? {batch}. Its values go back to what they were before (the audit log records it).",
    ),
    "up_undo_confirm": ("确认撤销", "Yes, undo it"),
    "up_undo_cancel": ("取消", "Cancel"),
    "up_value_history": ("单项数值的修改记录", "The history of one value"),
    "up_revision": ("版本", "Revision"),
    "up_current": ("当前", "Current"),
    "up_is_current": ("当前值", "current"),
    "up_undone_in": ("已由批次 {batch} 撤销", "undone by batch {batch}"),
    "up_no_batches": ("暂无可撤销的批次", "No batch to undo"),
    # national scale (issue 7): bounded pages
    "cities_shown": (
        "共 {total} 个城市，下面列出最需关注的 {n} 个；其他城市请在“城市”页选择。",
        "{total} cities; the {n} needing most attention are shown below. Pick any other city on the "
        "City page.",
    ),
    "cities_worst": ("各城市最差状态", "Cities by worst status"),
    "grid_shown": ("仅列出上方 {n} 个城市。", "Only the {n} cities above are listed."),
    "fresh_summary": (
        "{up} 个城市已上报最新月份（{month}）的全部指标，{behind} 个城市未报齐。",
        "{up} cities reported every indicator for the latest month ({month}); {behind} did not.",
    ),
    "fresh_more": ("另有 {n} 个城市未报齐，未逐一列出。", "{n} more cities are incomplete (not listed)."),
    "sc_rows": (
        "第 {a}–{b} 行，共 {total} 行。按城市、领域、责任单位或状态筛选可缩小范围。",
        "Rows {a}–{b} of {total}. Filter by city, domain, department or status to narrow them.",
    ),
    "sc_page": ("页码", "Page"),
    "export_too_many": (
        "超过 {n} 行：请先筛选再导出。",
        "More than {n} rows: filter before exporting.",
    ),
    # accounts, target edits, audit (issue 6)
    "db_broken": (
        "数据库无法打开，请联系管理员（详细信息已记入服务器日志）。",
        "The database cannot be opened; please tell an administrator (details are in the server log).",
    ),
    "db_read_only": (
        "数据库是只读的：可以浏览，不能上报、撤销或修改。",
        "The database is read-only: you can browse, but not upload, undo or edit.",
    ),
    "internal_error": (
        "页面出错（程序缺陷），请联系管理员（详细信息已记入服务器日志）。",
        "Something went wrong (a bug); please tell an administrator (details are in the server log).",
    ),
    "login": ("登录", "Sign in"),
    "login_name": ("账号", "Account"),
    "login_password": ("密码", "Password"),
    "login_button": ("登录", "Sign in"),
    "logout": ("退出登录", "Sign out"),
    "login_title": ("登录 达标 Dabiao", "Sign in to 达标 Dabiao"),
    "login_back": ("返回", "Back"),
    "login_wrong": ("账号或密码错误", "Wrong name or password"),
    "login_busy": ("数据库正忙，请稍后再试", "The database is busy; try again shortly"),
    "login_wait": ("尝试次数过多，请 {minutes} 分钟后再试", "Too many attempts; try again in {minutes} min"),
    "login_read_only": (
        "数据库是只读的，现在不能登录；浏览无需登录。",
        "The database is read-only: signing in is not possible now; browsing needs no account.",
    ),
    "signed_in": ("已登录", "Signed in"),
    "login_needed": (
        "浏览无需登录；上报、撤销和修改目标需要登录。账号由管理员在命令行创建。",
        "Browsing needs no account; uploading, undoing and editing targets do. Administrators create "
        "accounts on the command line.",
    ),
    "up_viewer": ("浏览者账号不能上报数据。", "A viewer account cannot upload."),
    "up_as": ("上报人", "Uploading as"),
    "admin_title": ("管理 Admin", "Administration 管理"),
    "admin_only": ("仅管理员可查看此页。", "Only administrators can see this page."),
    "audit_title": ("审计日志", "Audit log"),
    "audit_intro": (
        "每一次写入：上报、撤销、示例数据、修改目标、账号变更——谁、何时、做了什么、批次。",
        "Every write — upload, undo, demo data, target edit, account change: who, when, what, batch.",
    ),
    "audit_since": ("起始日期", "Since"),
    "audit_when": ("时间", "When"),
    "audit_who": ("操作人", "Who"),
    "audit_action": ("操作", "Action"),
    "audit_batch": ("批次", "Batch"),
    "audit_subject": ("对象", "Subject"),
    "audit_what": ("内容", "What"),
    "audit_shown": ("显示最近 {n} 条，共 {total} 条", "The latest {n} of {total}"),
    "audit_empty": ("没有记录", "Nothing recorded"),
    "users_title": ("账号", "Accounts"),
    "users_help": (
        "账号在命令行管理：indicators user add|passwd|remove|list",
        "Accounts are managed on the command line: indicators user add|passwd|remove|list",
    ),
    "user_name": ("账号", "Account"),
    "user_role": ("角色", "Role"),
    "user_cities": ("城市", "Cities"),
    "edit_title": ("修改目标（管理员）", "Edit a target (administrators)"),
    "edit_target": ("目标", "Target"),
    "edit_value": ("目标值", "Target value"),
    "edit_deadline": ("截止日期", "Deadline"),
    "edit_responsible": ("牵头单位（用、分隔）", "Responsible units (separated by 、)"),
    "edit_cooperating": ("配合单位（用、分隔）", "Cooperating units (separated by 、)"),
    "edit_reason": ("修改原因（必填）", "Reason (required)"),
    "edit_save": ("保存修改", "Save the edit"),
    "edit_done": ("已保存：{changes}", "Saved: {changes}"),
    "edit_nothing": ("没有改动", "Nothing changed"),
    "edited_title": ("已修改的目标", "Edited targets"),
    "edited_note": (
        "以下目标由管理员修改过，数值不同于原文条款：",
        "These targets were edited by an administrator and differ from the clause quoted:",
    ),
}

LABELS.update(plan_labels.LABELS)  # the plan import page's and the admin additions' labels (issue 15)


# Keys chosen by a code the data holds (a layout, a batch kind, a diff status, an aggregation …), written out
# whole so that every key can be found by reading the code (tests/test_i18n.py).
KEYS_BY_CODE: dict[str, dict[str, str]] = {
    "layout": {"long": "up_long", "wide": "up_wide"},
    "batch_kind": {"upload": "up_kind_upload", "undo": "up_kind_undo", "demo": "up_kind_demo"},
    "diff_status": {"new": "up_new", "changed": "up_changed", "unchanged": "up_unchanged"},
    "progress": {
        "read": "up_progress_read",
        "validate": "up_progress_validate",
        "compare": "up_progress_compare",
        "write": "up_progress_write",
    },
    "template": {"csv": "up_template_csv", "xlsx": "up_template_xlsx"},
    "scorecard_by": {"city": "by_city", "department": "by_department"},
    "chart_definition": {
        "annual_mean": "chart_def_annual_mean",
        "day_ratio": "chart_def_day_ratio",
        "level": "chart_def_level",
        "cumulative_count": "chart_def_cumulative_count",
        "annual_amount": "chart_def_annual_amount",
    },
}


def tr_code(kind: str, code: str, lang: str = "zh") -> str:
    """The label of a code of one kind of KEYS_BY_CODE ("batch_kind", "undo" -> 撤销 / undo)."""
    return tr(KEYS_BY_CODE[kind][code], lang)


def tr(key: str, lang: str = "zh") -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en
