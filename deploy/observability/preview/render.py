#!/usr/bin/env python3
"""Renders every panel of syncctl-dashboard.json from a Prometheus server into one static HTML page
(inline SVG, no scripts, nothing fetched), for deploy/observability/preview.sh to screenshot.

  render.py --prometheus URL --dashboard FILE --start UNIX --end UNIX --out PAGE.html [--note TEXT]

Each panel keeps its title, its PromQL expressions (asked of /api/v1/query_range exactly as the
dashboard has them), its legend format, its unit and its gridPos. This is not Grafana: lines,
axes and legends are drawn here, plainly. Prints the page's height in pixels and, on stderr, one
line per panel without data or with an error; exits 1 if any query failed. Python standard library only.
"""
import argparse
import html
import json
import math
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

WIDTH = 1400          # page width in pixels; Grafana's 24 grid columns share it
UNIT_H = 30           # pixels per grid row unit (Grafana uses 30)
GAP = 8
HEADER_H = 74
COLORS = ["#56a64b", "#e0b400", "#3274d9", "#e02f44", "#8f3bb8", "#ff780a", "#37872d", "#1f60c4",
          "#c4162a", "#a16bd9", "#fa6400", "#6ed0e0"]


def query_range(prometheus, expr, start, end, step):
    url = prometheus.rstrip("/") + "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": expr, "start": start, "end": end, "step": step})
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    except (urllib.error.URLError, ValueError) as e:
        return None, f"Prometheus did not answer: {e}"
    if body.get("status") != "success":
        return None, f"{body.get('errorType', 'error')}: {body.get('error', 'unknown')}"
    return body["data"]["result"], None


def legend(fmt, labels):
    text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), fmt or "")
    return text.strip() or json.dumps(labels)


def fmt_value(v, unit):
    if v is None or math.isnan(v):
        return "-"
    a = abs(v)
    if unit == "bytes":
        for div, suffix in ((2**30, " GiB"), (2**20, " MiB"), (2**10, " KiB")):
            if a >= div:
                return f"{v / div:.3g}{suffix}"
        return f"{v:.3g} B"
    if unit == "s":
        if a == 0:
            return "0 s"
        if a < 1:
            return f"{v * 1000:.3g} ms"
        if a < 120:
            return f"{v:.3g} s"
        return f"{v / 60:.3g} min"
    suffix = {"reqps": " req/s", "ops": " ops/s"}.get(unit, "")
    if a == 0:
        return "0" + suffix
    if a >= 1000:
        return f"{v / 1000:.3g}K{suffix}"
    return f"{v:.3g}{suffix}"


def nice_max(v):
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def chart(series, unit, w, h, start, end):
    """An SVG time series chart of series [(legend, [(t, v)])]; NaN values leave a gap."""
    left, right, top, bottom = 74, 10, 8, 22
    pw, ph = w - left - right, h - top - bottom
    values = [v for _, pts in series for _, v in pts if not math.isnan(v)]
    lo = min(0.0, min(values, default=0.0))
    hi = nice_max(max(values, default=1.0))
    if hi <= lo:
        hi = lo + 1
    x = lambda t: left + (t - start) / (end - start) * pw
    y = lambda v: top + ph - (v - lo) / (hi - lo) * ph
    out = [f'<svg width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">']
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        yy = y(v)
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e4e7eb"/>')
        out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{html.escape(fmt_value(v, unit))}</text>')
    span = end - start
    tick = next((s for s in (60, 120, 300, 600, 900, 1800, 3600) if span / s <= 8), 7200)
    t = math.ceil(start / tick) * tick
    while t <= end:
        xx = x(t)
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{top + ph}" stroke="#eef0f2"/>')
        out.append(f'<text x="{xx:.1f}" y="{h - 6}" text-anchor="middle">{time.strftime("%H:%M", time.gmtime(t))}</text>')
        t += tick
    for k, (_, pts) in enumerate(series):
        color = COLORS[k % len(COLORS)]
        runs, run = [], []
        for tt, v in pts:
            if math.isnan(v):
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{x(tt):.1f},{y(v):.1f}")
        if run:
            runs.append(run)
        for r in runs:
            if len(r) == 1:
                cx, cy = r[0].split(",")
                out.append(f'<circle cx="{cx}" cy="{cy}" r="2" fill="{color}"/>')
            else:
                out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.6" points="{" ".join(r)}"/>')
    out.append("</svg>")
    return "".join(out)


def render_panel(p, prometheus, start, end, step, problems):
    grid = p["gridPos"]
    col = (WIDTH - GAP) / 24
    left, width = GAP + grid["x"] * col, grid["w"] * col - GAP
    top, height = HEADER_H + grid["y"] * UNIT_H, grid["h"] * UNIT_H - GAP
    style = f"left:{left:.0f}px;top:{top}px;width:{width:.0f}px;height:{height}px"
    if p["type"] == "row":
        return f'<div class="row" style="{style}">{html.escape(p["title"])}</div>'
    unit = p.get("fieldConfig", {}).get("defaults", {}).get("unit", "short")
    series, errors = [], []
    for target in p["targets"]:
        result, error = query_range(prometheus, target["expr"], start, end, step)
        if error:
            errors.append(f'{target["refId"]}: {error}')
            continue
        for s in result:
            pts = [(float(t), float(v)) for t, v in s["values"]]
            series.append((legend(target.get("legendFormat"), s["metric"]), pts))
    series.sort(key=lambda s: s[0])
    body_h = height - 32 - min(4, math.ceil(len(series) / 2)) * 17
    parts = [f'<div class="panel" style="{style}"><div class="title">{html.escape(p["title"])}</div>']
    if errors:
        problems.append(f'{p["title"]}: error: {"; ".join(errors)}')
        parts.append(f'<div class="error">{html.escape("; ".join(errors))}</div>')
    elif not any(not math.isnan(v) for _, pts in series for _, v in pts):
        problems.append(f'{p["title"]}: no data')
        parts.append('<div class="nodata">No data</div>')
    else:
        parts.append(chart(series, unit, int(width) - 12, body_h, start, end))
        items = []
        for k, (name, pts) in enumerate(series):
            last = next((v for _, v in reversed(pts) if not math.isnan(v)), float("nan"))
            items.append(f'<span><i style="background:{COLORS[k % len(COLORS)]}"></i>{html.escape(name)} '
                         f'<b>{html.escape(fmt_value(last, unit))}</b></span>')
        parts.append(f'<div class="legend">{"".join(items)}</div>')
    parts.append("</div>")
    return "".join(parts)


CSS = """
body{margin:0;background:#f4f5f5;font:12px/1.3 system-ui,'DejaVu Sans',sans-serif;color:#24292e}
.header{position:absolute;left:8px;top:6px;right:8px}
.header h1{font-size:17px;margin:0 0 3px}
.header p{margin:0;color:#464c54}
.row{position:absolute;font-weight:600;font-size:14px;padding-top:6px}
.panel{position:absolute;box-sizing:border-box;background:#fff;border:1px solid #dce1e6;border-radius:3px;padding:4px 6px;overflow:hidden}
.title{font-weight:600;margin-bottom:2px}
svg text{font-size:10px;fill:#5c6570}
.legend{display:flex;flex-wrap:wrap;gap:1px 14px;max-height:68px;overflow:hidden}
.legend i{display:inline-block;width:12px;height:4px;margin:0 4px 2px 0;vertical-align:middle}
.legend b{font-weight:500;color:#5c6570}
.nodata{color:#8e959c;text-align:center;margin-top:90px;font-size:14px}
.error{color:#c4162a;margin-top:20px;white-space:pre-wrap}
"""


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--dashboard", required=True)
    ap.add_argument("--start", type=float, required=True)
    ap.add_argument("--end", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--note", default="")
    args = ap.parse_args(argv[1:])
    with open(args.dashboard, encoding="utf-8") as f:
        dash = json.load(f)
    step = max(5, round((args.end - args.start) / 240))
    problems = []
    panels = [render_panel(p, args.prometheus, args.start, args.end, step, problems) for p in dash["panels"]]
    bottom = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in dash["panels"])
    height = HEADER_H + bottom * UNIT_H + GAP
    span = f'{time.strftime("%Y-%m-%d %H:%M", time.gmtime(args.start))} to {time.strftime("%H:%M UTC", time.gmtime(args.end))}'
    page = (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(dash["title"])} preview</title>'
            f'<style>{CSS}</style></head><body style="width:{WIDTH}px;height:{height}px">'
            f'<div class="header"><h1>Dashboard "{html.escape(dash["title"])}" ({html.escape(dash["uid"])}): preview, not Grafana</h1>'
            f'<p>Every panel of deploy/observability/syncctl-dashboard.json: its own PromQL queries, legends, units and grid, '
            f'evaluated by Prometheus (/api/v1/query_range, step {step} s) and drawn by deploy/observability/preview/render.py. '
            f'{span}. {html.escape(args.note)}</p></div>'
            + "".join(panels) + "</body></html>")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(page)
    for p in problems:
        print(f"render: {p}", file=sys.stderr)
    print(height)
    return 1 if any(": error:" in p for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
