"""Command-line interface: ``workshop-analysis COMMAND …`` (also ``python -m workshop_analysis``).

Each command is a ``_cmd_<name>(args) -> int`` function registered in :func:`build_parser`.
User errors (:class:`~workshop_analysis.errors.WorkshopAnalysisError`) are printed as a short
message with exit status 1; any other exception too, unless ``--debug`` asks for the
traceback. Usage errors exit with 2 (argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import WorkshopAnalysisError


def _cmd_validate(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .io import read_records

    try:
        records = read_records(args.input)
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{args.input}: {len(records)} records, no problems found")
    return 0


def _cmd_redact(args: argparse.Namespace) -> int:
    from .io import read_records, write_records
    from .redact import redact

    names: list[str] = []
    if args.names is not None:
        names = [n for n in args.names.read_text(encoding="utf-8").splitlines() if n.strip()]
    result = redact(read_records(args.input), names=names)
    path = write_records(result.records, args.out)
    counts = result.log["category"].value_counts().sort_index()
    summary = ", ".join(f"{c}: {n}" for c, n in counts.items()) or "nothing found"
    print(f"redacted: {summary}\nwrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="workshop-analysis",
        description="Turn workshop feedback into tagged records, action items and an "
        "offline HTML report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check a records file and list every problem")
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("redact", help="replace names, e-mails and phone numbers before sharing")
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.add_argument("--out", type=Path, required=True, help="redacted copy (.csv or .xlsx)")
    p.add_argument("--names", type=Path, help="text file with one person's name per line")
    p.set_defaults(func=_cmd_redact)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 error, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except WorkshopAnalysisError as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # the CLI: last line of defence
        if args.debug:
            raise
        print(f"error: {type(err).__name__}: {err}\n(run with --debug for the traceback)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
