"""Flowing text over several A4 pages (a cursor that turns the page when it runs out)."""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..canvas import Cursor
from . import art
from .sheet import INK, RGB, Sheet, Span


class Pager(Cursor):
    """A4 pages at ``dpi`` with margins in mm; :meth:`para` flows spans and turns pages."""

    def __init__(
        self,
        *,
        dpi: int,
        rng: random.Random,
        face: str,
        size_mm: float,
        margins_mm: tuple[float, float, float, float] = (25, 22, 25, 25),  # top right bottom left
        tone: RGB = (253, 253, 251),
        leading: float = 1.75,
    ):
        self.dpi, self.rng, self.face = dpi, rng, face
        self.mm = dpi / 25.4
        self.size = round(size_mm * self.mm)
        self.W, self.H = round(210 * self.mm), round(297 * self.mm)
        top, right, bottom, left = margins_mm
        self.x0, self.x1 = left * self.mm, self.W - right * self.mm
        self.top, self.bottom = top * self.mm, self.H - bottom * self.mm
        self.tone, self.leading = tone, leading
        self.sheets: list[Sheet] = []
        self.y = 0.0
        self.new_page()

    @property
    def sheet(self) -> Sheet:
        return self.sheets[-1]

    def new_page(self) -> Sheet:
        sh = Sheet(
            self.W,
            self.H,
            paper=art.paper(self.W, self.H, tone=self.tone, rng=self.rng, fibre=0.8),
            index=len(self.sheets),
        )
        self.sheets.append(sh)
        self.y = self.top + self.size
        return sh

    def need(self, lines: float) -> None:
        """Turn the page unless ``lines`` more lines fit."""
        if self.y + lines * self.size * self.leading > self.bottom:
            self.new_page()

    def _set(  # type: ignore[override]  # keep, fill: this pager's own options
        self,
        spans: Sequence[Span],
        *,
        indent: float,
        size: int,
        face: str,
        keep: int = 1,
        fill: RGB = INK,
    ) -> None:
        """Lines that do not fit go to the next page (at least ``keep`` lines stay together)."""
        lines = self.sheet.flow(spans, width=self.x1 - self.x0, face=face, size=size, indent=indent)
        self.need(min(keep, len(lines)))
        for i, line in enumerate(lines):
            if self.y > self.bottom:
                self.new_page()
            x = self.x0 + (indent * size if i == 0 else 0.0)
            self.sheet.draw_line(line, x=x, baseline=self.y, size=size, fill=fill)
            self.y += size * self.leading

    def heading(self, text: str, *, size: int | None = None, face: str | None = None) -> None:
        size = size or round(self.size * 1.05)
        self.need(3)
        self.gap(0.3)
        self.sheet.text(self.x0, self.y, text, face=face or "zenhei", size=size, bold=True)
        self.y += size * self.leading

    def footers(self, fmt: str = "第 {n} 页 共 {total} 页", *, face: str | None = None) -> None:
        total = len(self.sheets)
        for i, sh in enumerate(self.sheets):
            sh.text(
                self.W / 2,
                self.H - 12 * self.mm,
                fmt.format(n=i + 1, total=total),
                face=face or self.face,
                size=round(self.size * 0.8),
                align="center",
                fill=(90, 90, 90),
            )
