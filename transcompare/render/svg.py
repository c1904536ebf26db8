"""Small inline SVG plots for the HTML reports: a histogram and a horizontal bar chart.

Pure functions from numbers to an ``<svg>`` string; every label is escaped; nothing external is
referenced, so a report stays one self-contained file.
"""
from __future__ import annotations

from html import escape
from typing import Sequence

_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"


def histogram(values: Sequence[float], lo: float, hi: float, bins: int = 20, *, title: str = "",
              xlabel: str = "", width: int = 360, height: int = 170, color: str = "#4a7bb7") -> str:
    """Counts of ``values`` in ``bins`` equal bins over [lo, hi] (values outside go to the end bins)."""
    counts = [0] * bins
    for v in values:
        if v is None:
            continue
        k = int((v - lo) / (hi - lo) * bins) if hi > lo else 0
        counts[min(bins - 1, max(0, k))] += 1
    top = max(counts) or 1
    left, right, top_pad, bottom = 34, 8, 22, 34
    pw, ph = width - left - right, height - top_pad - bottom
    bw = pw / bins
    parts = [f'<svg role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" {_FONT}>',
             f'<title>{escape(title)}</title>',
             f'<text x="{left}" y="14" font-weight="600">{escape(title)}</text>']
    for k, n in enumerate(counts):
        if not n:
            continue
        h = ph * n / top
        x = left + k * bw
        lo_k = lo + (hi - lo) * k / bins
        hi_k = lo + (hi - lo) * (k + 1) / bins
        parts.append(f'<rect x="{x + 0.5:.1f}" y="{top_pad + ph - h:.1f}" width="{max(bw - 1, 1):.1f}" '
                     f'height="{h:.1f}" fill="{color}"><title>{_fmt(lo_k)}–{_fmt(hi_k)}: {n}</title></rect>')
    y0 = top_pad + ph
    parts.append(f'<line x1="{left}" y1="{y0}" x2="{left + pw}" y2="{y0}" stroke="#888"/>')
    parts.append(f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{y0}" stroke="#888"/>')
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        x = left + pw * k / 4
        parts.append(f'<text x="{x:.1f}" y="{y0 + 13}" text-anchor="middle">{_fmt(v)}</text>')
    parts.append(f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end">{top}</text>')
    parts.append(f'<text x="{left - 4}" y="{y0}" text-anchor="end">0</text>')
    if xlabel:
        parts.append(f'<text x="{left + pw / 2:.1f}" y="{height - 4}" text-anchor="middle" fill="#555">'
                     f'{escape(xlabel)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def hbars(items: Sequence[tuple[str, float]], *, title: str = "", width: int = 360, color: str = "#c0504d",
          bar_height: int = 16, label_width: int = 130, value_format: str = "{:g}") -> str:
    """One horizontal bar per (label, value), in the order given."""
    top_pad = 22
    height = top_pad + max(1, len(items)) * (bar_height + 4) + 6
    pw = width - label_width - 50
    top = max((v for _, v in items), default=0) or 1
    parts = [f'<svg role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" {_FONT}>',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="14" font-weight="600">{escape(title)}</text>']
    if not items:
        parts.append(f'<text x="0" y="{top_pad + 12}" fill="#555">none</text>')
    for k, (label, v) in enumerate(items):
        y = top_pad + k * (bar_height + 4)
        w = pw * v / top
        shown = label if len(label) <= 22 else label[:21] + "…"
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height - 4}" text-anchor="end">{escape(shown)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{max(w, 0.5):.1f}" height="{bar_height}" '
                     f'fill="{color}"><title>{escape(label)}: {escape(value_format.format(v))}</title></rect>')
        parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height - 4}">'
                     f'{escape(value_format.format(v))}</text>')
    parts.append("</svg>")
    return "".join(parts)
