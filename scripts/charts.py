#!/usr/bin/env python3
"""Draws the charts of docs/benchmarks.md and docs/reliability.md from the measured data.

Reads docs/data/load.json (written by `scripts/load --record`) and docs/data/soak.json (written by
`scripts/soak --record`), whichever exist, and writes plain SVG files to docs/charts/. Hand-written
SVG keeps the charts reproducible with nothing but the Python standard library.

    python3 scripts/charts.py
"""
import json
import os
from html import escape

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.path.join(ROOT, "docs", "data")
CHARTS = os.path.join(ROOT, "docs", "charts")
COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"]
FONT = 'font-family="Helvetica, Arial, sans-serif"'


def nice_ceiling(value):
    """The smallest 1, 2 or 5 × 10^n at or above value."""
    if value <= 0:
        return 1
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def svg(width, height, body, title):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold" {FONT}>{escape(title)}</text>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )


def grouped_bars(path, title, groups, series, values, unit):
    """groups: x labels; series: legend names; values[g][s]: bar heights."""
    width, height, left, right, top, bottom = 720, 380, 70, 20, 60, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_ceiling(max(max(row) for row in values) * 1.1)
    body = []
    for i in range(6):
        y = top + plot_h - plot_h * i / 5
        label = top_value * i / 5
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" {FONT}>{label:g}</text>')
    body.append(f'<text x="16" y="{top + plot_h / 2}" transform="rotate(-90 16 {top + plot_h / 2})" text-anchor="middle" font-size="12" {FONT}>{escape(unit)}</text>')
    group_w = plot_w / len(groups)
    bar_w = group_w * 0.8 / len(series)
    for g, group in enumerate(groups):
        x0 = left + g * group_w + group_w * 0.1
        for s, _ in enumerate(series):
            value = values[g][s]
            h = plot_h * value / top_value
            x = x0 + s * bar_w
            body.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{COLORS[s % len(COLORS)]}"/>')
            body.append(f'<text x="{x + bar_w / 2 - 1:.1f}" y="{top + plot_h - h - 4:.1f}" text-anchor="middle" font-size="10" {FONT}>{value:.3g}</text>')
        body.append(f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="12" {FONT}>{escape(group)}</text>')
    for s, name in enumerate(series):
        x = left + s * 150
        body.append(f'<rect x="{x}" y="34" width="12" height="12" fill="{COLORS[s % len(COLORS)]}"/>')
        body.append(f'<text x="{x + 16}" y="44" font-size="12" {FONT}>{escape(name)}</text>')
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>')
    open(path, "w").write(svg(width, height, body, title))


def lines(path, title, xs, named_series, y_unit, x_unit):
    width, height, left, right, top, bottom = 720, 360, 70, 20, 60, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_ceiling(max(max(values) for _, values in named_series) * 1.15)
    x_max = max(xs) or 1
    body = []
    for i in range(6):
        y = top + plot_h - plot_h * i / 5
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" {FONT}>{top_value * i / 5:g}</text>')
    for i in range(6):
        x = left + plot_w * i / 5
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" {FONT}>{x_max * i / 5:.0f}</text>')
    body.append(f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle" font-size="12" {FONT}>{escape(x_unit)}</text>')
    body.append(f'<text x="16" y="{top + plot_h / 2}" transform="rotate(-90 16 {top + plot_h / 2})" text-anchor="middle" font-size="12" {FONT}>{escape(y_unit)}</text>')
    for s, (name, values) in enumerate(named_series):
        points = " ".join(f"{left + plot_w * x / x_max:.1f},{top + plot_h - plot_h * v / top_value:.1f}" for x, v in zip(xs, values))
        body.append(f'<polyline points="{points}" fill="none" stroke="{COLORS[s % len(COLORS)]}" stroke-width="2"/>')
        lx = left + s * 170
        body.append(f'<rect x="{lx}" y="34" width="12" height="12" fill="{COLORS[s % len(COLORS)]}"/>')
        body.append(f'<text x="{lx + 16}" y="44" font-size="12" {FONT}>{escape(name)}</text>')
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>')
    open(path, "w").write(svg(width, height, body, title))


def load_charts(data):
    wrk = [("gateway → sandbox", data["wrk_gateway"]), ("sandbox direct", data["wrk_sandbox"])]
    grouped_bars(
        os.path.join(CHARTS, "load-wrk-latency.svg"),
        f"POST /oauth/introspect under wrk ({data['connections']} connections): latency percentiles",
        [name for name, _ in wrk], ["p50", "p90", "p99"],
        [[r["p50_ms"], r["p90_ms"], r["p99_ms"]] for _, r in wrk], "milliseconds",
    )
    mixed = data["mixed_gateway"]["operations"]
    grouped_bars(
        os.path.join(CHARTS, "load-mixed-latency.svg"),
        "Mixed workload through the gateway: latency by operation",
        [row["operation"] for row in mixed], ["p50", "p90", "p99"],
        [[row["p50_ms"], row["p90_ms"], row["p99_ms"]] for row in mixed], "milliseconds",
    )


def soak_charts(data):
    rows = data["samples_csv"]
    xs = [row[0] / 60 for row in rows]
    lines(
        os.path.join(CHARTS, "soak-rss.svg"),
        f"Soak ({data['minutes']} min mixed load): resident memory",
        xs, [("sandbox", [row[1] / 1024 for row in rows]), ("gateway", [row[3] / 1024 for row in rows]),
             ("load generator", [row[5] / 1024 for row in rows])],
        "MiB", "minutes",
    )
    lines(
        os.path.join(CHARTS, "soak-fds.svg"),
        f"Soak ({data['minutes']} min mixed load): open file descriptors",
        xs, [("sandbox", [row[2] for row in rows]), ("gateway", [row[4] for row in rows]), ("load generator", [row[6] for row in rows])],
        "descriptors", "minutes",
    )


def main():
    os.makedirs(CHARTS, exist_ok=True)
    for name, draw in (("load.json", load_charts), ("soak.json", soak_charts)):
        path = os.path.join(DATA, name)
        if os.path.exists(path):
            draw(json.load(open(path)))
            print(f"charts from docs/data/{name} written to docs/charts/")


if __name__ == "__main__":
    main()
