"""Command-line interface: ``workshop-analysis COMMAND …`` (also ``python -m workshop_analysis``).

Each command is a ``_cmd_<name>(args) -> int`` function registered in :func:`build_parser`.
User errors (:class:`~workshop_analysis.errors.WorkshopAnalysisError`) are printed as a short
message with exit status 1; any other exception too, unless ``--debug`` asks for the
traceback. Usage errors exit with 2 (argparse).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .errors import WorkshopAnalysisError


def _cmd_validate(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .io import read_records

    try:
        records = read_records(args.input)
    except InputError as err:
        print(err.full_message() if args.all else err, file=sys.stderr)
        return 1
    print(f"{args.input}: {len(records)} records, no problems found")
    return 0


def _cmd_redact(args: argparse.Namespace) -> int:
    from .io import read_records, write_records, write_table
    from .redact import read_participants, redact

    records = read_records(args.input)
    result = redact(records, names=read_participants(args.names), sources=args.sources)
    path = write_records(result.records, args.out)
    if args.key is not None:
        print(f"wrote the pseudonym key (do not share): {write_table(result.pseudonyms, args.key)}")
    counts = result.log["category"].value_counts().sort_index()
    summary = ", ".join(f"{c}: {n}" for c, n in counts.items()) or "nothing found"
    print(f"redacted: {summary}\nwrote {path}")
    return 0


@contextmanager
def _warnings_printed() -> Iterator[list[warnings.WarningMessage]]:
    """Collect the warnings of a block; print them, one line each, when it succeeds."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)


def _cmd_export_qdpx(args: argparse.Namespace) -> int:
    from .codebook import load_codebook
    from .io import read_records
    from .refi import export_qdpx
    from .tagging import tag

    with _warnings_printed():
        records = read_records(args.input)
        codebook = load_codebook(args.codebook)
        result = tag(records, codebook, overrides=args.overrides)
        path = export_qdpx(
            result.records, codebook, result.evidence, args.out, project_name=args.name
        )
    hits = int((result.evidence["origin"] == "keyword").sum()) if len(result.evidence) else 0
    print(f"wrote {path}: {len(records)} sources, {len(codebook)} codes, {hits} keyword hits")
    return 0


def _cmd_import_qdpx(args: argparse.Namespace) -> int:
    from .io import write_records, write_table
    from .refi import import_qdpx

    with _warnings_printed():
        project = import_qdpx(args.input, workshop=args.workshop)
    print(
        f"{args.input}: {len(project.records)} records, {len(project.codebook)} codes, "
        f"{len(project.selections)} coded selections"
    )
    if len(project.records):
        print(f"wrote {write_records(project.records, args.out)}")
    else:
        print(f"no text sources: {args.out} not written")
    if args.codebook_out is not None:
        if len(project.codebook):
            from .codebook import save_codebook

            save_codebook(project.codebook, args.codebook_out)
            print(f"wrote {args.codebook_out}")
        else:
            print(f"the project has no codes: {args.codebook_out} not written")
    if args.selections_out is not None:
        out = write_table(project.selections, args.selections_out, sheet_name="selections")
        print(f"wrote {out}")
    return 0


def _cmd_tag(args: argparse.Namespace) -> int:
    from .codebook import load_codebook
    from .io import read_records, write_table
    from .kinds import infer_kinds
    from .tagging import tag

    with _warnings_printed():
        records = read_records(args.input)
        codebook = load_codebook(args.codebook) if args.codebook is not None else None
        result = tag(records, codebook, overrides=args.overrides)
        tagged = infer_kinds(result.records)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_table(tagged, out / "records.csv")
    write_table(result.evidence, out / "evidence.csv", sheet_name="evidence")
    coded = int(tagged["codes"].map(bool).sum())
    used = sorted({c for codes in tagged["codes"] for c in codes})
    print(f"{args.input}: {len(tagged)} records, {coded} coded, {len(tagged) - coded} uncoded")
    if codebook is None:
        print("no codebook: manual codes only (use --codebook FILE to tag by keyword)")
    print(f"codes used ({len(used)}): {', '.join(used) if used else '-'}")
    print(f"wrote {out / 'records.csv'} and {out / 'evidence.csv'}")
    return 0


def _cmd_codebook_check(args: argparse.Namespace) -> int:
    from .codebook import load_codebook
    from .io import read_records

    corpus = read_records(args.corpus) if args.corpus is not None else None
    with _warnings_printed() as caught:
        codebook = load_codebook(args.file, corpus=corpus)
    top = sum(1 for c in codebook if c.parent is None)
    keywords = sum(len(c.keywords) for c in codebook)
    print(
        f"{args.file}: {len(codebook)} codes ({top} top-level), {keywords} keywords, "
        f"no errors, {len(caught)} warning{'s' if len(caught) != 1 else ''}"
    )
    return 0


def _add_codebook_commands(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Register ``codebook`` with its ``check`` sub-command; return its sub-parsers.

    Further ``codebook`` sub-commands are added to the returned object in
    :func:`build_parser` (``codebook_sub.add_parser("export-qdc", …)``).
    """
    group = sub.add_parser("codebook", help="work with codebooks (check, …)")

    def _usage(_args: argparse.Namespace) -> int:
        group.print_help()
        return 2

    group.set_defaults(func=_usage)
    codebook_sub = group.add_subparsers(dest="codebook_command", metavar="SUBCOMMAND")
    p = codebook_sub.add_parser("check", help="validate a codebook and list every problem")
    p.add_argument("file", type=Path, help="codebook (.yaml)")
    p.add_argument(
        "--corpus", type=Path, help="records file: warn about keywords that match none of its texts"
    )
    p.set_defaults(func=_cmd_codebook_check)
    return codebook_sub


def _cmd_codebook_export_qdc(args: argparse.Namespace) -> int:
    from .codebook import load_codebook
    from .refi import export_qdc

    with _warnings_printed():
        codebook = load_codebook(args.codebook)
    path = export_qdc(codebook, args.out)
    print(f"wrote {path}: {len(codebook)} codes")
    return 0


def _cmd_codebook_import_qdc(args: argparse.Namespace) -> int:
    from .codebook import save_codebook
    from .refi import import_qdc

    codebook = import_qdc(args.input, split_dotted=not args.flat)
    save_codebook(codebook, args.out)
    bare = [c.id for c in codebook if not c.keywords and not codebook.children(c.id)]
    print(f"wrote {args.out}: {len(codebook)} codes")
    if bare:
        print(
            f"{len(bare)} code(s) without children have no keywords yet ({', '.join(bare)}): "
            f"until you add keywords, only hand-assigned codes apply them; "
            f"'codebook check {args.out}' lists them"
        )
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import render_report

    result = render_report(
        args.input,
        codebook=args.codebook,
        overrides=args.overrides,
        out_dir=args.out,
        lang=args.lang,
        title=args.title,
        redact=args.redact,
        participants=args.participants,
        progress=lambda line: print(line, flush=True),
    )
    for name in sorted(result.files):
        print(f"  wrote {result.files[name]}")
    if args.redact:
        private = result.out_dir / "private"
        print(f"  unredacted records and pseudonym key (do not share): {private}")
    else:
        print("  not redacted: the report may contain personal data")
    print(f"report: {result.report}")
    return 0


def _cmd_actions(args: argparse.Namespace) -> int:
    from .actions import derive_actions, unassigned, write_actions
    from .codebook import load_codebook
    from .errors import InputError
    from .io import read_records_with_rows
    from .kinds import infer_kinds
    from .overrides import load_overrides
    from .report import redact_records, write_private
    from .tagging import tag, unknown_manual_codes

    with _warnings_printed():
        raw, rows = read_records_with_rows(args.input)
        codebook = load_codebook(args.codebook)
        problems = unknown_manual_codes(raw, codebook, file=str(args.input), rows=rows)
        if problems:
            raise InputError(problems)
        overrides = load_overrides(args.overrides) if args.overrides else None
        shared, redaction = redact_records(
            raw, {"participants": args.participants}, enabled=args.redact, lang=args.lang
        )
        records = infer_kinds(shared)
        tagged = tag(records, codebook, overrides=overrides).records
        actions = derive_actions(tagged, codebook, overrides, lang=args.lang)
    paths = write_actions(actions, tagged, args.out, lang=args.lang)
    paths += write_private(raw, redaction, args.out)
    counts = actions["horizon"].value_counts()
    print(
        f"{args.input}: {len(records)} records, {len(actions)} action items "
        f"({counts.get('short', 0)} short-term, {counts.get('long', 0)} long-term)"
    )
    for path in paths:
        print(f"  wrote {path}")
    missing = unassigned(tagged)
    label = "nicht zugeordnet" if args.lang == "de" else "not yet assigned"
    print(f"{label}: {len(missing)}")
    for rid, text in zip(missing["record_id"], missing["text"], strict=True):
        short = text if len(text) <= 90 else text[:89] + "…"
        print(f"  {rid}: {short}")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from .archive import new_workshop

    folder = new_workshop(
        args.workshop_id,
        args.root,
        codebook=args.codebook,
        link_codebook=args.link_codebook,
        title=args.title,
    )
    print(
        f"created {folder}: fill records.csv, then run "
        f"`workshop-analysis report {folder / 'records.csv'}`"
    )
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from .compare_report import render_compare

    html = render_compare(
        args.root,
        args.ids or None,
        out_dir=args.out,
        lang=args.lang,
        progress=None if args.quiet else print,
    )
    print(f"wrote {html}")
    return 0


def _cmd_suggest_codes(args: argparse.Namespace) -> int:
    from .io import read_records
    from .suggest import suggest_codes, write_starter_codebook

    suggestions = suggest_codes(read_records(args.input), top=args.top, min_count=args.min_count)
    if suggestions.empty:
        print(f"{args.input}: no term occurs in {args.min_count} or more records")
    else:
        shown = suggestions.assign(
            forms=suggestions["forms"].map(", ".join),
            example_ids=suggestions["example_ids"].map(", ".join),
        )
        print(shown.to_string(index=False))
    if args.out:
        print(f"wrote {write_starter_codebook(suggestions, args.out)}")
    return 0


def _add_redaction_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--redact",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"replace names, e-mail addresses and phone numbers in {what} (default: on); "
        "the unredacted records and the pseudonym key go to OUT/private/ only",
    )
    p.add_argument(
        "--participants",
        type=Path,
        help="participants list, one name per line (default for report: participants.txt "
        "beside INPUT, if present)",
    )


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
    p.add_argument("--all", action="store_true", help="list every problem (default: the first 20)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "suggest-codes",
        help="list frequent terms and phrases as code "
        "candidates; write a starter codebook with --out",
    )
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.add_argument("--top", type=int, default=30, metavar="N", help="terms to list (default 30)")
    p.add_argument(
        "--min-count",
        type=int,
        default=2,
        metavar="N",
        help="minimum number of records a term occurs in (default 2)",
    )
    p.add_argument("--out", type=Path, metavar="FILE.yaml", help="write a starter codebook")
    p.set_defaults(func=_cmd_suggest_codes)

    p = sub.add_parser(
        "tag", help="tag records by keyword and infer kinds (records.csv, evidence.csv)"
    )
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.add_argument("--codebook", type=Path, help="codebook (.yaml); without: manual codes only")
    p.add_argument("--overrides", type=Path, help="overrides file (.yaml)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.set_defaults(func=_cmd_tag)

    codebook_sub = _add_codebook_commands(sub)
    # more `codebook` sub-commands: p = codebook_sub.add_parser("…", …)
    p = codebook_sub.add_parser("export-qdc", help="write a REFI-QDA codebook (.qdc)")
    p.add_argument("codebook", type=Path, help="codebook (.yaml)")
    p.add_argument("out", type=Path, help="file to write (.qdc)")
    p.set_defaults(func=_cmd_codebook_export_qdc)
    p = codebook_sub.add_parser("import-qdc", help="read a REFI-QDA codebook (.qdc) into YAML")
    p.add_argument("input", type=Path, help="codebook from a QDA tool (.qdc)")
    p.add_argument("out", type=Path, help="codebook to write (.yaml)")
    p.add_argument(
        "--flat",
        action="store_true",
        help="keep dotted names (needs.time) flat instead of nesting them",
    )
    p.set_defaults(func=_cmd_codebook_import_qdc)

    p = sub.add_parser("redact", help="replace names, e-mails and phone numbers before sharing")
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.add_argument("--out", type=Path, required=True, help="redacted copy (.csv or .xlsx)")
    p.add_argument("--names", type=Path, help="participants list: one person's name per line")
    p.add_argument(
        "--sources",
        choices=("names", "all", "listed"),
        default="names",
        help="which source values become pseudonyms: those shaped like a person's name "
        "(default), all, or listed names only",
    )
    p.add_argument("--key", type=Path, help="also write the pseudonym key (.csv/.xlsx)")
    p.set_defaults(func=_cmd_redact)

    p = sub.add_parser("export-qdpx", help="tag records and write a REFI-QDA project (.qdpx)")
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.add_argument("--codebook", type=Path, required=True, help="codebook (.yaml)")
    p.add_argument("--overrides", type=Path, help="overrides file (.yaml)")
    p.add_argument("--out", type=Path, required=True, help="project file to write (.qdpx)")
    p.add_argument("--name", help="project name shown by the QDA tool (default: workshop id)")
    p.set_defaults(func=_cmd_export_qdpx)

    p = sub.add_parser("import-qdpx", help="read a REFI-QDA project coded in another tool")
    p.add_argument("input", type=Path, help="project file (.qdpx)")
    p.add_argument("--out", type=Path, required=True, help="records file to write (.csv/.xlsx)")
    p.add_argument("--codebook-out", type=Path, help="also write the project's codebook (.yaml)")
    p.add_argument("--selections-out", type=Path, help="also write the coded selections")
    p.add_argument("--workshop", help="workshop id (default: from the project name)")
    p.set_defaults(func=_cmd_import_qdpx)

    p = sub.add_parser(
        "report",
        help="run the notebooks and write an offline HTML report "
        "with CSV/XLSX tables (no INPUT: the bundled 2017 workshop)",
    )
    p.add_argument(
        "input",
        nargs="?",
        type=Path,
        default=None,
        help="records file (.csv, .xlsx or .md); default: the bundled workshop",
    )
    p.add_argument(
        "--codebook", type=Path, help="codebook YAML (default: codebook.yaml beside INPUT)"
    )
    p.add_argument(
        "--overrides",
        type=Path,
        help="overrides YAML (default: overrides.yaml beside INPUT, if present)",
    )
    p.add_argument("--out", type=Path, help="output folder (default: reports/<workshop id>)")
    p.add_argument("--lang", choices=("de", "en"), default="de", help="report language")
    p.add_argument("--title", help="report title (default: from workshop.yaml)")
    _add_redaction_options(p, "the report, the tables and the XLSX")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "actions", help="derive short- and long-term action items (actions.csv, actions.xlsx)"
    )
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.add_argument("--codebook", type=Path, required=True, help="codebook (.yaml)")
    p.add_argument("--overrides", type=Path, help="analyst overrides (.yaml)")
    p.add_argument(
        "--lang",
        choices=("de", "en"),
        default="de",
        help="language of titles, rationales and sheet names",
    )
    p.add_argument("--out", type=Path, required=True, help="output folder")
    _add_redaction_options(p, "actions.csv and actions.xlsx")
    p.set_defaults(func=_cmd_actions)

    p = sub.add_parser(
        "new",
        help="create a workshop folder in the archive with templates "
        "(records.csv, codebook, overrides, status)",
    )
    p.add_argument("workshop_id", help="id and folder name, e.g. 2019-05-14-jobcenter-nord")
    p.add_argument(
        "--root",
        type=Path,
        help="archive root (default: data/workshops in a "
        "checkout, ./workshops when installed from a wheel)",
    )
    p.add_argument("--codebook", type=Path, help="codebook to copy (default: the 2017 sample's)")
    p.add_argument(
        "--link-codebook",
        action="store_true",
        help="reference --codebook from workshop.yaml instead of copying it",
    )
    p.add_argument("--title", help="display title (default: the id)")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser(
        "compare",
        help="compare the workshops of an archive: recurring, new "
        "and vanished topics, follow-up of actions (compare.html + CSVs)",
    )
    p.add_argument(
        "root",
        nargs="?",
        type=Path,
        default=None,
        help="archive root (default: the bundled archive)",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="workshop ids to compare (default: all)")
    p.add_argument("--out", type=Path, help="output folder (default: reports/compare)")
    p.add_argument("--lang", choices=("de", "en"), default="de", help="report language")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=_cmd_compare)

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
        print(
            f"error: {type(err).__name__}: {err}\n(run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
