"""Shared pieces of this family's renderers: a style drawn per document (faces, colours,
wordings), Chinese dates and amounts, a text flow whose values sit inside sentences and wrap,
and ruled tables."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import Any

from . import fonts
from .draw import INK, RGB, Sheet

Span = tuple[str, str | None]


def rng_for(kind: str, seed: int) -> random.Random:
    return random.Random(f"heldout3-{kind}:{seed}")


class Style:
    """Faces and colours of one document: labels, values (sometimes the dot-matrix face),
    digits, titles."""

    def __init__(self, rng: random.Random, *, printer: bool | None = None):
        self.rng = rng
        self.printer = rng.random() < 0.4 if printer is None else printer
        self.label: tuple[str, ...] = rng.choice((fonts.FANG, fonts.SONG, fonts.HEI, fonts.KAI))
        if self.printer:
            self.value: tuple[str, ...] = fonts.DOT
            self.digits: tuple[str, ...] = fonts.DOT
        else:
            self.value = rng.choice((fonts.SONG, fonts.FANG, fonts.KAI, ("bizmincho", "twsung")))
            self.digits = rng.choice((fonts.DIGITS, ("mplus", "twsung"), ("bizmincho", "twsung")))
        self.title: tuple[str, ...] = rng.choice((fonts.HEI, fonts.DISPLAY, fonts.SONG, fonts.FANG))
        self.label_fill: RGB = rng.choice((INK, INK, (40, 40, 40), (30, 60, 120), (90, 40, 30)))
        self.value_fill: RGB = rng.choice((INK, (10, 10, 10), (25, 25, 70), (35, 35, 35)))
        self.jitter = rng if self.printer else None
        # a dot-matrix printer's misregistration: every value off its line by the same amount
        self.shift: tuple[float, float] = (
            (rng.uniform(-0.1, 0.15), rng.uniform(0.05, 0.28)) if self.printer else (0.0, 0.0)
        )

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)


def zh_date(x: date, rng: random.Random | None = None, *, pad: bool = False) -> str:
    if pad:
        return f"{x.year}年{x.month:02d}月{x.day:02d}日"
    return f"{x.year}年{x.month}月{x.day}日"


def dot_date(x: date) -> str:
    return f"{x.year}.{x.month:02d}.{x.day:02d}"


_DIG = "零壹贰叁肆伍陆柒捌玖"


def capital_amount(n: int) -> str:
    """人民币大写: 1234500 → 壹佰贰拾叁万肆仟伍佰元整."""
    if n == 0:
        return "零元整"

    def four(v: int) -> str:
        out, zero = "", False
        for unit, k in (("仟", 1000), ("佰", 100), ("拾", 10), ("", 1)):
            q = v // k % 10
            if q == 0:
                zero = bool(out)
            else:
                if zero:
                    out += "零"
                    zero = False
                out += _DIG[q] + unit
        return out

    yi, wan, ge = n // 100_000_000, n // 10_000 % 10_000, n % 10_000
    s = ""
    if yi:
        s += four(yi) + "亿"
    if wan:
        s += ("零" if yi and wan < 1000 else "") + four(wan) + "万"
    if ge:
        s += ("零" if (yi or wan) and ge < 1000 else "") + four(ge)
    return s + "元整"


def flow(
    sh: Sheet,
    spans: Sequence[Span],
    *,
    x0: float,
    x1: float,
    y: float,
    size: int,
    st: Style,
    leading: float = 1.7,
    indent: float = 2.0,
    underline_values: bool = False,
) -> float:
    """A paragraph whose keyed spans (values) sit inside the sentence in the value face and
    colour; long values wrap with it (one golden part per line). Returns the y below."""
    toks: list[tuple[str, str | None, str, float]] = []  # text, key, face, width
    # one face for all the paragraph's own words (a face that lacks one of them is not used)
    label_faces = (fonts.covering(st.label, "".join(t for t, k in spans if not k)),)
    for text, key in spans:
        faces = (st.digits if text.isascii() else st.value) if key else label_faces
        face = fonts.covering(faces, text)
        f = fonts.font(face, size)
        whole = key is not None and (len(text) <= 14 or text.isascii())
        if whole and f.getlength(text) <= x1 - x0:
            toks.append((text, key, face, float(f.getlength(text))))
            continue
        for ch in text:
            toks.append((ch, key, face, float(f.getlength(ch))))
    lines: list[list[tuple[str, str | None, str, float]]] = [[]]
    x = x0 + indent * size
    for tok in toks:
        if x + tok[3] > x1 and lines[-1] and tok[0] not in "，。；：、）”":
            lines.append([])
            x = x0
        lines[-1].append(tok)
        x += tok[3]
    for i, line in enumerate(lines):
        lx = x0 + (indent * size if i == 0 else 0)
        runs: list[list] = []
        for text, key, face, w in line:
            if runs and runs[-1][1] == key and runs[-1][2] == face:
                runs[-1][0] += text
                runs[-1][3] += w
            else:
                runs.append([text, key, face, w])
        for text, key, face, w in runs:
            if text.strip():
                fill = st.value_fill if key else st.label_fill
                jit = st.jitter if key else None
                # a value typed into a blank may sit off its underline
                shift = st.shift if key and underline_values else (0.0, 0.0)
                sh.text(
                    lx,
                    y,
                    text,
                    size=size,
                    faces=(face,),
                    fill=fill,
                    key=key,
                    jitter=jit,
                    shift=shift,
                )
                if key and underline_values:
                    sh.hline(lx - 2, lx + w + 2, y + size * 1.12, width=1, fill=(70, 70, 70))
            lx += w
        y += size * leading
    return y


def table(
    sh: Sheet,
    x: float,
    y: float,
    widths: Sequence[float],
    rows: Sequence[Sequence[tuple[Any, str | None]]],
    *,
    st: Style,
    size: int,
    min_h: float,
    leading: float = 1.3,
    rule: int = 2,
    pad: float = 10,
) -> float:
    """A ruled table; a cell is ``(text, key)`` (key None: a label, centred; key "": a
    value that is no golden field), or ``([(text, key), ...], None)``: several values on
    one line. A row is as tall as its longest wrapped value. Returns the y below."""
    top = y
    # one face for every label of the table
    labels = "".join(t for row in rows for t, k in row if k is None and isinstance(t, str))
    st_label = (fonts.covering(st.label, labels),)
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    for row in rows:
        need = min_h
        spans = _spans(row, len(widths))
        for (text, key), (a, b) in zip(row, spans, strict=True):
            if not isinstance(text, str):
                continue
            faces = st.value if key is not None else st_label
            n = sh.lines_needed(text, xs[b] - xs[a] - 2 * pad, size, faces)
            need = max(need, size * (1 + leading * (n - 1)) + 2 * pad + 8)
        for (text, key), (a, b) in zip(row, spans, strict=True):
            box = (xs[a], y, xs[b], y + need)
            if not isinstance(text, str):  # several keyed values on one line
                lx = xs[a] + pad
                for part, pkey in text:
                    faces = st.value if pkey else st_label
                    b2 = sh.text(
                        lx,
                        y + need / 2 - size / 2,
                        part,
                        size=size,
                        faces=faces,
                        key=pkey,
                        fill=st.value_fill if pkey else st.label_fill,
                        jitter=st.jitter if pkey else None,
                        shift=st.shift if pkey else (0.0, 0.0),
                    )
                    lx = b2[2] + size * 0.15
            elif key is not None:  # a value ("" : one that is no golden field)
                faces = st.digits if text.isascii() else st.value
                sh.cell(
                    box,
                    text,
                    size=size,
                    faces=faces,
                    key=key or None,
                    fill=st.value_fill,
                    jitter=st.jitter,
                    shift=st.shift,
                    pad=pad,
                    leading=leading,
                )
            elif text:
                sh.cell(
                    box,
                    text,
                    size=size,
                    faces=st_label,
                    fill=st.label_fill,
                    align="center",
                    pad=pad,
                    leading=leading,
                )
            sh.vline(xs[a], y, y + need, width=rule)
        sh.vline(xs[-1], y, y + need, width=rule)
        sh.hline(xs[0], xs[-1], y, width=rule)
        y += need
    sh.hline(xs[0], xs[-1], y, width=rule)
    sh.rect((xs[0] - 3, top - 3, xs[-1] + 3, y + 3), width=1)
    return y


def _spans(row: Sequence[tuple[Any, str | None]], n: int) -> list[tuple[int, int]]:
    """Cells of a row: the last one spans the rest of the columns."""
    out = []
    for i in range(len(row)):
        out.append((i, i + 1 if i < len(row) - 1 else n))
    return out
