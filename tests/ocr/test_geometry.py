"""Recorded geometry maps boxes back to the original image."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr import geometry as geo


def _marked(h: int = 300, w: int = 500) -> tuple[np.ndarray, tuple[int, int]]:
    img = np.full((h, w, 3), 255, np.uint8)
    cv2.rectangle(img, (350, 40), (370, 60), (0, 0, 0), -1)
    return img, (360, 50)


def _find_mark(img: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero(img[:, :, 0] < 128)
    return float(xs.mean()), float(ys.mean())


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_quarter_turns_map_back(turns: int) -> None:
    img, mark = _marked()
    out, step = geo.rotate_quarter(img, turns)
    g = geo.Geometry(img.shape[1], img.shape[0]).then(step)
    back = g.to_original([_find_mark(out)])[0]
    assert np.allclose(back, mark, atol=1.0)


def test_deskew_estimates_and_maps_back() -> None:
    img = np.full((800, 1000, 3), 255, np.uint8)
    for y in range(100, 700, 40):
        cv2.line(img, (100, y), (900, y), (0, 0, 0), 3)
    m = cv2.getRotationMatrix2D((500, 400), 4.0, 1.0)
    skewed = cv2.warpAffine(img, m, (1000, 800), borderValue=(255, 255, 255))
    angle = geo.estimate_skew(skewed)
    assert abs(abs(angle) - 4.0) < 0.6
    _, step = geo.rotate_by(skewed, angle)
    g = geo.Geometry(1000, 800).then(step)
    p = np.array([[500.0, 400.0]])
    fwd = np.hstack([p, [[1.0]]]) @ step.h.T
    assert np.allclose(g.to_original(fwd[:, :2]), p, atol=1e-6)


def test_page_quad_found_on_desk_and_not_inside_flat_scan() -> None:
    desk = np.full((900, 1200, 3), (60, 70, 80), np.uint8)
    quad = np.array([[200, 120], [1000, 160], [960, 800], [180, 760]], np.int32)
    cv2.fillConvexPoly(desk, quad, (245, 245, 245))
    found = geo.find_page_quad(desk)
    assert found is not None
    assert np.allclose(np.array(found.corners), quad, atol=12)
    out, step = geo.warp_to_quad(desk, found)
    g = geo.Geometry(1200, 900).then(step)
    corners_back = g.to_original([(0, 0), (out.shape[1] - 1, out.shape[0] - 1)])
    assert np.allclose(corners_back, [quad[0], quad[2]], atol=12)
    # a flat scan: a table frame inside white paper is not the page
    scan = np.full((1400, 1000, 3), 250, np.uint8)
    cv2.rectangle(scan, (100, 300), (900, 1200), (0, 0, 0), 3)
    assert geo.find_page_quad(scan) is None


def test_geometry_box_clipped_to_original() -> None:
    g = geo.Geometry(100, 50)
    assert g.box_to_original([(-5, -5), (120, 10), (120, 60), (-5, 60)]) == (0, 0, 100, 50)
