"""Counts in and out of a REFI-QDA round trip, for each project file given.

    .venv/bin/python benchmarks/refi_counts.py tests/fixtures/refi/*.qdpx

For each file: what the file holds (counted with ElementTree), what :func:`import_qdpx`
keeps, what :func:`export_project` writes and what a second import reads back.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from workshop_analysis.refi import QdpxProject, export_project, import_qdpx

NS = "{urn:QDA-XML:project:1.0}"


def file_counts(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as zf:
        qde = next(n for n in zf.namelist() if n.lower().endswith(".qde"))
        root = ET.fromstring(zf.read(qde))

    def n(tag: str) -> int:
        return sum(1 for _ in root.iter(NS + tag))

    return {
        "sources": n("TextSource"),
        "codes": n("Code"),
        "selections": n("PlainTextSelection"),
        "codings": n("Coding"),
        "users": n("User"),
        "notes": n("Note"),
        "sets": n("Set"),
    }


def table_counts(p: QdpxProject) -> dict[str, int]:
    s = p.selections
    return {
        "sources": len(p.sources),
        "codes": len(p.codebook),
        "selections": s["selection_guid"].nunique(),
        "codings": int(s["code"].notna().sum()),
        "coders": s["coder_guid"].nunique(),
        "notes": p.notes["note_guid"].nunique(),
        "sets": p.sets["set_guid"].nunique(),
        "set members": int(p.sets["member_guid"].notna().sum()),
    }


def main(paths: list[str]) -> None:
    for name in paths:
        path = Path(name)
        with warnings.catch_warnings(record=True) as caught, tempfile.TemporaryDirectory() as tmp:
            warnings.simplefilter("always")
            project = import_qdpx(path)
            out = export_project(project, Path(tmp) / "out.qdpx")
            back = import_qdpx(out)
            written = file_counts(out)
        print(path.name)
        print("  file:        ", file_counts(path))
        print("  imported:    ", table_counts(project))
        print("  exported:    ", written)
        print("  re-imported: ", table_counts(back))
        for w in caught:
            print("  warning:", str(w.message)[:300], "…" if len(str(w.message)) > 300 else "")


if __name__ == "__main__":
    main(sys.argv[1:])
