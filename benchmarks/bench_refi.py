"""Time and memory of a REFI-QDA import and export of one long text source.

    .venv/bin/python benchmarks/bench_refi.py [CHARS] [ascii|emoji|nfd]

Builds a ``.qdpx`` with one source of CHARS characters (CRLF line ends) and 1,000 coded
selections in a temporary folder, imports it, checks every selection, exports it again and
prints the times and the peak resident memory of the process. Used to set
``config.MAX_IMPORT_TEXT_CHARS``.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from workshop_analysis.refi import export_project, import_qdpx

LINES = {
    "ascii": "Die Wartezeit ist zu lang.\r\n",
    "emoji": "Die Wartezeit ist zu lang 🚌\r\n",
    "nfd": "Die Wartezeit u\u0308ber Pru\u0308fung\r\n",
}


def main(chars: int = 10_000_000, kind: str = "ascii") -> None:
    line = LINES[kind]
    text = (line * (chars // len(line) + 1))[:chars]
    sels = "".join(
        f'<PlainTextSelection guid="A0000000-0000-4000-8000-{i:012d}" '
        f'startPosition="{i * len(line) + 4}" endPosition="{i * len(line) + 13}">'
        f'<Coding guid="D0000000-0000-4000-8000-{i:012d}">'
        '<CodeRef targetGUID="C0000000-0000-4000-8000-000000000001"/></Coding>'
        "</PlainTextSelection>"
        for i in range(1000)
    )
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="big"><CodeBook><Codes>'
        '<Code guid="C0000000-0000-4000-8000-000000000001" name="W" isCodable="true"/>'
        "</Codes></CodeBook><Sources>"
        '<TextSource guid="F0000000-0000-4000-8000-000000000001" name="big.txt" '
        f'plainTextPath="internal://big.txt">{sels}</TextSource></Sources></Project>'
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.qdpx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.qde", qde)
            zf.writestr("sources/big.txt", text)
        t = time.perf_counter()
        project = import_qdpx(path)
        t_import = time.perf_counter() - t
        assert (project.selections["match"] == "Wartezeit").all()
        t = time.perf_counter()
        export_project(project, Path(tmp) / "out.qdpx")
        t_export = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{chars:,} characters ({kind}): import {t_import:.1f} s, export {t_export:.1f} s, "
        f"peak {peak:.0f} MB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000, *sys.argv[2:3])
