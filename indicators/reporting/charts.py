"""Plotly figure builders: DataFrame in, Figure out. No Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.reporting.numbers import decimals, text, unit_label
from indicators.vocabulary import STATUS, status_label

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
LABELS = {
    "reported": ("月度上报值", "monthly value"),
    "evaluation": ("评价值", "evaluation value"),
    "target": ("目标", "target"),
    "path": ("序时进度", "schedule path"),
    "trend": ("趋势预测", "trend"),
    "deadline": ("截止", "deadline"),
    "now": ("当前", "now"),
    "unit": ("单位", "unit"),
    "at_deadline": ("截止时的值", "value at the deadline"),
}
LABEL_BOX = {"bgcolor": "rgba(255,255,255,0.9)", "borderpad": 2}  # labels stay readable over the lines


def _l(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def _layout(fig: go.Figure, title: str, unit: str, height: int = 360, lang: str = "zh") -> go.Figure:
    if unit:  # written level above the axis: a rotated "个" reads like an arrow
        fig.add_annotation(
            x=0,
            y=1,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            text=f"{_l('unit', lang)}：{unit}" if lang == "zh" else f"{_l('unit', lang)}: {unit}",
            font={"size": 11, "color": "#555"},
        )
    fig.update_layout(
        title={"text": title, "font": {"size": 15}, "y": 0.97},
        height=height,
        font={"family": FONT},
        margin={"l": 50, "r": 20, "t": 70, "b": 40},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.18},
        hovermode="x unified",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eee")
    fig.update_yaxes(showgrid=True, gridcolor="#eee", zeroline=False)
    return fig


def target_chart(row: pd.Series, history: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """One target: monthly values, evaluation line (up to the last reported month), target line, deadline,
    schedule path, trend, and the value the status uses when it is the one at the deadline."""
    unit = unit_label(row["canonical_unit"], lang)
    places = decimals(str(row.get("indicator", "")))
    reported = history[history["reported"].notna()]
    if len(reported):  # after the last month reported the line would only repeat or extrapolate
        history = history[history["period"] <= reported["period"].max()]
    fig = go.Figure()
    if row["aggregation"] != "cumulative_count":
        fig.add_bar(
            x=history["period"],
            y=history["reported"],
            name=_l("reported", lang),
            marker_color="#c9d6e3",
            opacity=0.8,
        )
    fig.add_scatter(
        x=history["period"],
        y=history["evaluation"],
        name=_l("evaluation", lang),
        mode="lines+markers",
        line={"color": "#1f5fa8", "width": 2.5},
        marker={"size": 4},
    )
    deadline = pd.Timestamp(row["deadline"])
    t_base = pd.Timestamp(row["t_base"])
    as_of = pd.Timestamp(row["as_of"])
    if pd.notna(row["baseline"]) and pd.notna(row["target_level"]):
        fig.add_scatter(
            x=[t_base, deadline],
            y=[row["baseline"], row["target_level"]],
            name=_l("path", lang),
            mode="lines",
            line={"color": "#666", "dash": "dot"},
        )
    if pd.notna(row.get("projected")) and pd.notna(row["value"]):
        fig.add_scatter(
            x=[as_of, deadline],
            y=[row["value"], row["projected"]],
            name=_l("trend", lang),
            mode="lines",
            line={"color": "#" + STATUS["lagging"].colour, "dash": "dash", "width": 2},
        )
    if pd.notna(row["target_level"]):
        fig.add_hline(
            y=row["target_level"],
            line={"color": "#" + STATUS["met"].colour, "width": 2},
            annotation_text=f"{_l('target', lang)} {text(row['target_level'], places)} {unit}".strip(),
            annotation_position="top right",
            annotation=dict(LABEL_BOX),  # plotly writes into the dict it is given
        )
    if bool(row.get("deadline_reached")) and pd.notna(row["value"]):
        fig.add_scatter(
            x=[min(deadline, pd.Timestamp(row["as_of"]))],
            y=[row["value"]],
            name=f"{_l('at_deadline', lang)} {text(row['value'], places)}",
            mode="markers+text",
            text=[text(row["value"], places)],
            textposition="top center",
            marker={
                "size": 11,
                "color": "#" + STATUS[row["status"]].colour,
                "line": {"color": "#222", "width": 1},
            },
        )
    fig.add_vline(x=deadline, line={"color": "#333", "dash": "dash", "width": 1})
    fig.add_annotation(
        x=deadline,
        y=1,
        yref="paper",
        text=f"{_l('deadline', lang)} {deadline:%Y-%m-%d}",
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font={"size": 11},
        **LABEL_BOX,
    )
    name = row["indicator_zh"] if lang == "zh" else row["indicator_en"]
    title = f"{status_label(row['status'], lang)} · {name}"
    return _layout(fig, title, unit, lang=lang)


def comparison_chart(frame: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """One indicator across cities: each city's value beside its own target, coloured by status."""
    names = frame["city_zh"] if lang == "zh" else frame["city_en"]
    labels = [f"{n}<br>{str(d)[:4]}" for n, d in zip(names, frame["deadline"], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=frame["value"],
        name=_l("now", lang),
        marker_color=["#" + STATUS[s].colour for s in frame["status"]],
        text=[status_label(s, lang) for s in frame["status"]],
        textposition="outside",
    )
    fig.add_scatter(
        x=labels,
        y=frame["target_level"],
        name=_l("target", lang),
        mode="markers",
        marker={"symbol": "line-ew", "size": 40, "line": {"width": 3, "color": "#222"}},
    )
    unit = unit_label(frame["canonical_unit"].iloc[0], lang) if len(frame) else ""
    return _layout(fig, "", unit, height=380, lang=lang)


def small_multiple(
    histories: dict[str, pd.DataFrame], targets: dict[str, float], unit: str, lang: str = "zh"
) -> go.Figure:
    """Evaluation series of several cities side by side, each with its own target line."""
    from plotly.subplots import make_subplots

    names = list(histories)
    cols = min(3, max(len(names), 1))
    rows = (len(names) + cols - 1) // cols or 1
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, shared_yaxes=False)
    for i, name in enumerate(names):
        r, c = i // cols + 1, i % cols + 1
        h = histories[name]
        fig.add_scatter(
            x=h["period"],
            y=h["evaluation"],
            mode="lines",
            line={"color": "#1f5fa8"},
            showlegend=False,
            row=r,
            col=c,
        )
        if name in targets and pd.notna(targets[name]):
            fig.add_hline(
                y=targets[name], line={"color": "#" + STATUS["met"].colour, "dash": "dash"}, row=r, col=c
            )
    return _layout(fig, "", unit, height=260 * rows, lang=lang)
