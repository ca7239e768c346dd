"""The codebook: codes with labels, hierarchy, keywords and action defaults.

(Data model; loading/validation is completed in this module by the codebook work.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Allowed action horizons.
HORIZONS: tuple[str, ...] = ("short", "long")


@dataclass(frozen=True)
class Code:
    """One code of a codebook.

    Attributes
    ----------
    id : str
        Unique id (lower-case, ``[a-z0-9_.-]``), used in records, evidence and actions.
    label : str
        German label shown in reports.
    label_en : str or None
        English label (``--lang en``); falls back to ``label``.
    description : str
        What the code means; shown to analysts.
    parent : str or None
        Id of the parent code; ``None`` for a top-level code (a *field of action*).
    keywords : tuple of str
        Words and phrases that trigger the code (matching rules: ``tagging``).
    exclude : tuple of str
        Words that, when present, prevent the code.
    horizon : {"short", "long"} or None
        Default horizon of action items on this code (inherited from the parent if None).
    owner : str or None
        Default owner of action items (inherited from the parent if None).
    line : int or None
        Line of the code's entry in the YAML file (for messages).
    """

    id: str
    label: str
    label_en: str | None = None
    description: str = ""
    parent: str | None = None
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    horizon: str | None = None
    owner: str | None = None
    line: int | None = field(default=None, compare=False)

    def title(self, lang: str = "de") -> str:
        """The label in ``lang`` (``"de"`` or ``"en"``)."""
        return (self.label_en or self.label) if lang == "en" else self.label


@dataclass(frozen=True)
class Codebook:
    """An ordered collection of :class:`Code` (file order), looked up by id."""

    codes: tuple[Code, ...]
    name: str = ""
    path: Path | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.codes})

    def __getitem__(self, code_id: str) -> Code:
        return self._by_id[code_id]  # type: ignore[attr-defined]

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def ids(self) -> list[str]:
        """Code ids in file order."""
        return [c.id for c in self.codes]

    def children(self, code_id: str) -> list[Code]:
        """Direct children of a code, in file order."""
        return [c for c in self.codes if c.parent == code_id]

    def ancestors(self, code_id: str) -> list[str]:
        """Ids of the parent, grand-parent, … of a code (nearest first)."""
        out: list[str] = []
        parent = self[code_id].parent
        while parent is not None and parent in self and parent not in out:
            out.append(parent)
            parent = self[parent].parent
        return out

    def top_level(self, code_id: str) -> str:
        """Id of the top-level ancestor (the *field of action*); the code itself if top-level."""
        chain = self.ancestors(code_id)
        return chain[-1] if chain else code_id

    def inherited(self, code_id: str, attribute: str) -> str | None:
        """``horizon``/``owner`` of a code, or of its nearest ancestor that sets it."""
        for cid in [code_id, *self.ancestors(code_id)]:
            value = getattr(self[cid], attribute)
            if value:
                return value
        return None

    def to_frame(self) -> pd.DataFrame:
        """One row per code: ``id, label, label_en, description, parent, level, field,
        keywords, exclude, horizon, owner`` (lists as Python lists)."""
        rows = [
            {
                "id": c.id,
                "label": c.label,
                "label_en": c.label_en,
                "description": c.description,
                "parent": c.parent,
                "level": len(self.ancestors(c.id)),
                "field": self.top_level(c.id),
                "keywords": list(c.keywords),
                "exclude": list(c.exclude),
                "horizon": self.inherited(c.id, "horizon"),
                "owner": self.inherited(c.id, "owner"),
            }
            for c in self.codes
        ]
        return pd.DataFrame(rows)
