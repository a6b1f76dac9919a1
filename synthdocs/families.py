"""Families of synthetic documents, one interface so benchmarks run them side by side.

    from synthdocs import families
    fam = families.get("training")            # or "heldout"
    s = fam.generate("sale_contract", seed=3)  # layout, fonts and facts varied by seed
    s = fam.capture(s, "photocopy", seed=1)    # a condition of fam.conditions
    app = fam.build_application(seed=3, defect="location_differs", style="photo")
    apps = fam.application_set(seed=0)         # clean + one per defect

``training`` is ``synthdocs`` widened (``synthdocs.layouts``, ``synthdocs.style``, the varied
pools of ``synthdocs.data``): extraction rules and thresholds are tuned on it. ``heldout``
(``synthdocs.heldout``, drawn independently with other fonts, layouts, wordings and captures)
is only ever measured; it is imported here lazily and nowhere else, and may be absent from a
checkout (:class:`FamilyUnavailableError`).

Everything is deterministic for a seed, bytes included. The training family uses only the
training fonts (:data:`synthdocs.canvas.FONTS`).
"""

from __future__ import annotations

import functools
import importlib
import random
from collections.abc import Callable
from types import ModuleType
from typing import Any, Protocol, Unpack

from .applications import Application, ApplicationOptions, Kit, application_set_with, build_with
from .canvas import Sample
from .degrade import DEGRADATIONS, photo
from .render import DOC_TYPES, RENDERERS, random_facts, render_unknown
from .style import CARD_VALUE_FACES, VALUE_FACES

NAMES = (
    "training",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
)


class Family(Protocol):
    """What every family offers (the training family here, the held-out one as a module)."""

    name: str
    conditions: tuple[str, ...]

    def generate(self, doc_type: str, *, seed: int) -> Sample: ...

    def capture(self, sample: Sample, condition: str, *, seed: int) -> Sample: ...

    def build_application(self, **options: Unpack[ApplicationOptions]) -> Application: ...

    def application_set(self, *, seed: int = 0, style: str = "scan") -> list[Application]: ...


class FamilyUnavailableError(LookupError):
    """A known family whose code is not in this checkout (``synthdocs/heldout/`` not merged)."""


# ---------------------------------------------------------------------------------------------
# the training family
# ---------------------------------------------------------------------------------------------

# Captures: a clean render, the three ordinary ways a citizen digitises a paper, and the
# quality defects (each expects its quality issue, see synthdocs.degrade).
TRAINING_CONDITIONS: tuple[str, ...] = (
    "clean",
    "scan",
    "photo",
    "photocopy",
    *(n for n in DEGRADATIONS if n not in ("scan", "photo", "photocopy")),
)
# How the training family's application documents are captured in the "scan" style: what a
# citizen uploads from a scanner, a photocopy or a straight PDF export.
_SCAN_LOOKS = (("clean", 0.4), ("scan", 0.35), ("photocopy", 0.25))


def _layouts(doc_type: str) -> tuple[str, ...]:
    from .layouts import LAYOUTS

    if doc_type not in LAYOUTS:
        raise ValueError(f"unknown doc_type {doc_type!r}; known: {[*DOC_TYPES, 'unknown']}")
    return LAYOUTS[doc_type]


def _classic_font(doc_type: str, rng: random.Random) -> str | None:
    """The face a classic layout is redrawn in by the family (None: its own faces)."""
    faces: tuple[str | None, ...] = (None, *VALUE_FACES)
    if doc_type in ("id_card_front", "id_card_back"):
        faces = (None, *CARD_VALUE_FACES)
    return rng.choice(faces)


def _pick(doc_type: str, seed: int, layout: str | None, font: str | None) -> tuple[str, Any]:
    rng = random.Random(f"training-layout:{doc_type}:{seed}")
    chosen = layout or rng.choice(_layouts(doc_type))
    if chosen not in _layouts(doc_type):
        raise ValueError(f"unknown layout {chosen!r} for {doc_type}; known: {_layouts(doc_type)}")
    if font is None and chosen == "classic":
        font = _classic_font(doc_type, rng)
    return chosen, font


def _renderer(doc_type: str) -> Callable[..., Sample]:
    """A renderer for applications: the classic call signature, layout and font by seed."""
    render = RENDERERS[doc_type]

    def draw(facts: Any, *, seed: int, **kw: Any) -> Sample:
        layout, font = _pick(doc_type, seed, None, None)
        return render(facts, seed=seed, layout=layout, font=font, **kw)

    draw.__name__ = f"training_{doc_type}"
    return draw


def _look(sample: Sample, style: str, seed: int) -> Sample:
    if style == "photo":
        return photo(sample, seed=seed)
    r = random.Random(f"training-look:{seed}").random()
    for condition, p in _SCAN_LOOKS:
        if r < p:
            return sample if condition == "clean" else DEGRADATIONS[condition](sample, seed=seed)
        r -= p
    return sample


class TrainingFamily:
    """``synthdocs`` widened: every layout of :data:`synthdocs.layouts.LAYOUTS` (``classic``
    redrawn in varied faces), values and labels in different training faces, varied wordings,
    names and addresses, seals, stamps and handwriting, and photocopies among the captures."""

    name = "training"
    conditions = TRAINING_CONDITIONS
    kit = Kit(varied=True, renderers={t: _renderer(t) for t in DOC_TYPES}, look=_look)

    def layouts(self, doc_type: str) -> tuple[str, ...]:
        """The layouts :meth:`generate` draws ``doc_type`` in (``classic`` first)."""
        return _layouts(doc_type)

    def pick(self, doc_type: str, *, seed: int) -> tuple[str, str | None]:
        """The layout and value face :meth:`generate` draws ``doc_type`` in for ``seed``
        (face ``None``: the layout's own style draws it)."""
        return _pick(doc_type, seed, None, None)

    def generate(
        self, doc_type: str, *, seed: int, layout: str | None = None, font: str | None = None
    ) -> Sample:
        """Varied facts drawn in a layout and faces picked by ``seed`` (or the ``layout`` /
        value ``font`` asked for). ``doc_type``: a CONTRACT §3 type or ``"unknown"``."""
        chosen, face = _pick(doc_type, seed, layout, font)
        if doc_type == "unknown":
            return render_unknown(seed, seed=seed, layout=chosen, font=face)
        facts = random_facts(doc_type, random.Random(f"training:{doc_type}:{seed}"), varied=True)
        return RENDERERS[doc_type](facts, seed=seed, layout=chosen, font=face)

    def capture(self, sample: Sample, condition: str, *, seed: int) -> Sample:
        """``sample`` as captured under ``condition`` (one of :attr:`conditions`)."""
        if condition == "clean":
            return sample
        if condition not in self.conditions:
            raise ValueError(f"unknown condition {condition!r}; known: {self.conditions}")
        return DEGRADATIONS[condition](sample, seed=seed)

    def build_application(self, **options: Unpack[ApplicationOptions]) -> Application:
        """``synthdocs.applications.build_application`` over varied documents: the same
        parties logic, defects and golden findings; in the ``scan`` style documents arrive
        clean, scanned or photocopied, in ``photo`` photographed."""
        return build_with(self.kit, **options)

    def application_set(self, *, seed: int = 0, style: str = "scan") -> list[Application]:
        """One clean application per answer combination and one per defect (22)."""
        return application_set_with(self.kit, seed=seed, style=style)


TRAINING = TrainingFamily()


# ---------------------------------------------------------------------------------------------
# the held-out family (another engineer's module, imported only here and only when asked for)
# ---------------------------------------------------------------------------------------------

_MODULE_API = ("generate", "capture", "conditions", "build_application", "application_set")


class ModuleFamily:
    """A family offered as a module of module-level functions (``synthdocs.heldout``)."""

    def __init__(self, name: str, module: ModuleType):
        missing = [a for a in _MODULE_API if not hasattr(module, a)]
        if missing:
            raise FamilyUnavailableError(
                f"{module.__name__} does not offer the family interface: missing {missing}"
            )
        self.name = name
        self.module = module
        conditions = module.conditions
        self.conditions: tuple[str, ...] = tuple(
            conditions() if callable(conditions) else conditions
        )

    def generate(self, doc_type: str, *, seed: int) -> Sample:
        result: Sample = self.module.generate(doc_type, seed=seed)
        return result

    def capture(self, sample: Sample, condition: str, *, seed: int) -> Sample:
        result: Sample = self.module.capture(sample, condition, seed=seed)
        return result

    def build_application(self, **options: Unpack[ApplicationOptions]) -> Application:
        result: Application = self.module.build_application(**options)
        return result

    def application_set(self, *, seed: int = 0, style: str = "scan") -> list[Application]:
        return list(self.module.application_set(seed=seed, style=style))


# the drawn families, each written independently and merged on its own, with how to name it
_DRAWN = {
    "heldout": "the held-out family",
    "heldout2": "the second held-out family",
    "heldout3": "the third held-out family",
    "heldout4": "the fourth held-out family",
    "heldout5": "the fifth held-out family",
    "heldout6": "the sixth held-out family",
    "heldout7": "the seventh held-out family",
}


@functools.cache
def _drawn(name: str) -> ModuleFamily:
    """The drawn family ``name`` (a package ``synthdocs.<name>``), imported on first use."""
    try:
        module = importlib.import_module(f"synthdocs.{name}")
    except ModuleNotFoundError as e:
        if e.name != f"synthdocs.{name}":
            raise  # the module exists but something it imports is missing
        raise FamilyUnavailableError(
            f"{_DRAWN[name]} (synthdocs/{name}/) is not in this checkout; "
            "it is written independently and merged on its own"
        ) from e
    return ModuleFamily(name, module)


def get(name: str) -> Family:
    """The family called ``name`` (:data:`NAMES`)."""
    if name == "training":
        return TRAINING
    if name in _DRAWN:
        return _drawn(name)
    raise ValueError(f"unknown family {name!r}; known: {list(NAMES)}")
