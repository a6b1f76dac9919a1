"""common: the few facts every package shares, with no third-party dependency.

- :class:`DomainError`: the one shape of every package's errors (a stable ``code``, a Chinese
  ``message``, an English ``detail`` for logs; no HTTP status — ``api.errors`` decides that).
- :func:`mask_id_number` / :func:`mask_ids`: how an ID number looks wherever it must not be read
  whole (lists, logs, errors).
- :func:`cjk_font`: the CJK TrueType font that rendered PDFs embed.

Every other package may import this one; it imports none of them.
"""

from common.errors import DomainError
from common.fonts import CJK_FONT_CANDIDATES, CjkFont, cjk_font
from common.pii import mask_id_number, mask_ids

__all__ = [
    "CJK_FONT_CANDIDATES",
    "CjkFont",
    "DomainError",
    "cjk_font",
    "mask_id_number",
    "mask_ids",
]
