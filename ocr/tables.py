"""Bordered tables: the cells a form's ruling lines enclose, found by OpenCV morphology.

Dark pixels are binarised (adaptive threshold), then opened with a long horizontal and a long
vertical kernel so only straight strokes much longer than a character survive: the ruling
lines. Their union, slightly dilated to close breaks left by a photocopy or a stamp, is the
grid; every connected region of the rest that does not touch the image border and is neither a
sliver nor most of the page is a cell. Coordinates are those of the image given (the upright
frame text is read in). A page without ruling lines has no cells.
"""

from __future__ import annotations

import cv2
import numpy as np

Box = tuple[float, float, float, float]

#: A ruling line is at least this fraction of the image's width (horizontal) or height.
MIN_LINE_FRACTION = 0.06
#: ...and at least this many pixels (longer than any character stroke at reading sizes).
MIN_LINE_PX = 40
#: A cell is at least this many pixels high and wide (smaller: a gap between double rules).
MIN_CELL_PX = 12
#: A region covering more than this fraction of the image is the page around a table.
MAX_CELL_FRACTION = 0.5
#: Fewer line pixels than this fraction of the image: no table at all (skip the labelling).
MIN_GRID_FRACTION = 0.002
#: Lines are looked for on the image scaled down to this longest side (ruling lines survive
#: it; the cost is a few milliseconds).
WORK_SIDE = 1000


def find_cells(image: np.ndarray) -> list[Box]:
    """Boxes ``(x0, y0, x1, y1)`` of the cells enclosed by ruling lines, top to bottom."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h0, w0 = grey.shape[:2]
    scale = min(1.0, WORK_SIDE / max(h0, w0))
    if scale < 1.0:
        grey = cv2.resize(
            grey, (round(w0 * scale), round(h0 * scale)), interpolation=cv2.INTER_AREA
        )
    h, w = grey.shape[:2]
    if h < 2 * MIN_CELL_PX or w < 2 * MIN_CELL_PX:
        return []
    ink = cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10
    )
    hlen = max(MIN_LINE_PX, int(w * MIN_LINE_FRACTION))
    vlen = max(MIN_LINE_PX, int(h * MIN_LINE_FRACTION))
    # thickened across their direction first, so a rule a degree or two off straight survives
    horiz = cv2.morphologyEx(
        cv2.dilate(ink, np.ones((3, 1), np.uint8)),
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (hlen, 1)),
    )
    vert = cv2.morphologyEx(
        cv2.dilate(ink, np.ones((1, 3), np.uint8)),
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)),
    )
    if cv2.countNonZero(horiz) == 0 or cv2.countNonZero(vert) == 0:
        return []
    grid = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8))
    if cv2.countNonZero(grid) < MIN_GRID_FRACTION * h * w:
        return []
    n, _, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_not(grid), connectivity=4)
    cells: list[Box] = []
    for i in range(1, n):
        x, y, cw, ch, _area = (int(v) for v in stats[i])
        if x <= 0 or y <= 0 or x + cw >= w or y + ch >= h:
            continue  # the page outside the table
        if cw < MIN_CELL_PX or ch < MIN_CELL_PX or cw * ch > MAX_CELL_FRACTION * w * h:
            continue
        # back to the image's pixels, with the 2 px the dilations ate on each side
        cells.append(((x - 2) / scale, (y - 2) / scale, (x + cw + 2) / scale, (y + ch + 2) / scale))
    cells.sort(key=lambda b: (b[1], b[0]))
    return cells
