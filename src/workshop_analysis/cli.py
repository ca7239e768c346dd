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
from typing import Any

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
    from .refi import export_qdpx, load_project, project_file

    saved = project_file(args.input)
    if saved.is_file():  # records from import-qdpx: their selections go back as they are
        with _warnings_printed():
            project = load_project(saved)
            path = export_qdpx(project, args.out, project_name=args.name)
        sel = project.selections
        print(
            f"wrote {path}: {len(project.sources)} sources, {len(project.codebook)} codes, "
            f"{sel['selection_guid'].nunique()} selections, {int(sel['code'].notna().sum())} "
            f"codings by {sel['coder_guid'].nunique()} coder(s), as imported ({saved})"
        )
        return 0
    with _warnings_printed():
        analysis = _run_pipeline(args)
        codebook, evidence = analysis.codebook, analysis.evidence
        path = export_qdpx(analysis.tagged, codebook, evidence, args.out, project_name=args.name)
    hits = int((evidence["origin"] == "keyword").sum()) if len(evidence) else 0
    print(
        f"wrote {path}: {len(analysis.tagged)} sources, {len(codebook)} codes, {hits} keyword hits"
    )
    return 0


def _cmd_import_qdpx(args: argparse.Namespace) -> int:
    from .io import write_records, write_table
    from .refi import import_qdpx, project_file, save_project

    with _warnings_printed():
        project = import_qdpx(args.input, workshop=args.workshop)
    sel = project.selections
    notes, sets = project.notes["note_guid"].nunique(), project.sets["set_guid"].nunique()
    print(
        f"{args.input}: {len(project.records)} records, {len(project.codebook)} codes, "
        f"{sel['selection_guid'].nunique()} coded selections, {int(sel['code'].notna().sum())} "
        f"codings by {sel['coder_guid'].nunique()} coder(s), {notes} notes, {sets} sets"
    )
    if len(project.records):
        print(f"wrote {write_records(project.records, args.out)}")
        print(f"wrote {save_project(project, project_file(args.out))} (for export-qdpx)")
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


def _run_pipeline(args: argparse.Namespace) -> Any:
    """The pipeline on the command's input files (same lookup rule for every command)."""
    from .pipeline import run

    return run(
        args.input,
        codebook=args.codebook,
        overrides=args.overrides,
        participants=getattr(args, "participants", None),
        lang=getattr(args, "lang", "de"),
        redact=getattr(args, "redact", True),
        progress=None,
    )


def _cmd_tag(args: argparse.Namespace) -> int:
    from ._output import staged_output
    from .pipeline import write_tables

    with _warnings_printed():
        analysis = _run_pipeline(args)
    with staged_output(args.out, inputs=analysis.inputs.files()) as stage:
        write_tables(analysis, stage, which={"actions": False})
    tagged = analysis.tagged
    coded = int(tagged["codes"].map(bool).sum())
    used = sorted({c for codes in tagged["codes"] for c in codes})
    print(f"{args.input}: {len(tagged)} records, {coded} coded, {len(tagged) - coded} uncoded")
    print(f"codes used ({len(used)}): {', '.join(used) if used else '-'}")
    _print_written(args.out, ["records.csv", "evidence.csv"], analysis)
    return 0


def _print_written(out: Path, names: Sequence[str], analysis: Any) -> None:
    for name in names:
        print(f"  wrote {out / name}")
    if analysis.redaction is not None:
        print(f"  unredacted records and pseudonym key (do not share): {out / 'private'}")
    else:
        print("  not redacted: the files may contain personal data")


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
    group = sub.add_parser(
        "codebook", help="check a codebook; exchange it with QDA tools (check, export-qdc, …)"
    )

    def _usage(_args: argparse.Namespace) -> int:
        group.print_help()
        return 2

    group.set_defaults(func=_usage)
    codebook_sub = group.add_subparsers(dest="codebook_command", metavar="SUBCOMMAND")
    p = codebook_sub.add_parser(
        "check",
        help="validate a codebook and list every problem",
        epilog="example:\n  workshop-analysis codebook check codebook.yaml --corpus records.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
    from ._notebooks import WARMUP, WarmKernel

    # the notebooks' kernel starts (and imports pandas, matplotlib, …) while this process
    # imports its own modules and runs the pipeline
    warm = WarmKernel(WARMUP)
    try:
        from .report import render_report

        with _warnings_printed():
            result = render_report(  # shuts the kernel down when done
                args.input,
                kernel=warm,
                codebook=args.codebook,
                overrides=args.overrides,
                out_dir=args.out,
                lang=args.lang,
                title=args.title,
                redact=args.redact,
                participants=args.participants,
                progress=None if args.quiet else (lambda line: print(line, flush=True)),
            )
    finally:
        warm.close()
    if not args.quiet:
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
    from ._output import staged_output
    from .pipeline import write_tables

    with _warnings_printed():
        analysis = _run_pipeline(args)
    with staged_output(args.out, inputs=analysis.inputs.files()) as stage:
        write_tables(analysis, stage, which={"records": False})
    actions, missing = analysis.actions, analysis.unassigned
    counts = actions["horizon"].value_counts()
    print(
        f"{args.input}: {len(analysis.tagged)} records, {len(actions)} action items "
        f"({counts.get('short', 0)} short-term, {counts.get('long', 0)} long-term)"
    )
    _print_written(args.out, ["actions.csv", "actions.xlsx"], analysis)
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
        from_workshop=args.from_workshop,
        link_codebook=args.link_codebook,
        title=args.title,
    )
    records = folder / "records.csv"
    print(f"created {folder}:")
    print(f"  1. type the statements into {records} (or records.xlsx / records.md)")
    if args.codebook is None and args.from_workshop is None:
        print(
            f"  2. replace the example codes in {folder / 'codebook.yaml'} "
            f"(`workshop-analysis suggest-codes {records}` drafts them)"
        )
    else:
        print(f"  2. review the codebook ({folder / 'codebook.yaml'})")
    print(f"  3. workshop-analysis report {records}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from .compare_report import render_compare

    with _warnings_printed():
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
    from .suggest import coverage, suggest_codes, write_starter_codebook

    records = read_records(args.input)
    lang = None if args.lang == "auto" else args.lang
    title = None
    if (Path(args.input).parent / "workshop.yaml").is_file():
        from .archive import load_workshop

        title = load_workshop(Path(args.input).parent).title  # its words are no codes
    suggestions = suggest_codes(
        records, top=args.top, min_count=args.min_count, lang=lang, title=title
    )
    how = "detected" if lang is None else "given"
    print(f"{args.input}: {len(records)} statements, language {suggestions.attrs['lang']} ({how})")
    if suggestions.empty:
        print(f"no key term occurs in {args.min_count} or more statements")
    else:
        shown = suggestions.assign(
            keywords=suggestions["keywords"].map(", ".join),
            terms=suggestions["terms"].map(
                lambda t: ", ".join(t[:4]) + (", …" if len(t) > 4 else "")
            ),
        )[["code", "label", "statements", "keyness", "keywords", "terms"]]
        print(shown.to_string(index=False))
    print(f"coverage: {coverage(records, suggestions)} coded by the suggested codes")
    if args.out and suggestions.empty:
        print(
            f"nothing written to {args.out}: a codebook needs at least one code (try --min-count 1)"
        )
        return 1
    if args.out:
        written = write_starter_codebook(suggestions, args.out)
        print(f"wrote {written}")
        print(f"  check it: workshop-analysis codebook check {written} --corpus {args.input}")
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
        metavar="FILE",
        help="participants list, one name per line (default: participants.txt beside "
        "INPUT, if present)",
    )


def _add_input_options(p: argparse.ArgumentParser, *, default_input: bool = False) -> None:
    """INPUT, --codebook and --overrides, with the one lookup rule of every command."""
    if default_input:
        p.add_argument(
            "input",
            nargs="?",
            type=Path,
            default=None,
            help="records file (.csv, .xlsx, .md) or workshop folder (default: the bundled "
            "2017 workshop)",
        )
    else:
        p.add_argument(
            "input", type=Path, help="records file (.csv, .xlsx, .md) or workshop folder"
        )
    p.add_argument(
        "--codebook",
        type=Path,
        metavar="FILE",
        help="codebook YAML (default: codebook: in workshop.yaml, else codebook.yaml beside INPUT)",
    )
    p.add_argument(
        "--overrides",
        type=Path,
        metavar="FILE",
        help="analyst corrections (default: overrides.yaml beside INPUT, if present)",
    )


def _add_lang(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--lang", choices=("de", "en"), default="de", help=f"language of {what} (default: de)"
    )


def _add_quiet(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="print only the result's path")


def _sub(
    sub: argparse._SubParsersAction, name: str, help: str, example: str
) -> argparse.ArgumentParser:
    """A sub-command with its help and an example at the end of its ``--help``."""
    return sub.add_parser(
        name,
        help=help,
        description=help[0].upper() + help[1:] + ".",
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


_W = "data/workshops/2025-03-12-jobcenter-nord"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command, in workflow order."""
    parser = argparse.ArgumentParser(
        prog="workshop-analysis",
        description="Turn workshop feedback into tagged records, action items and an "
        "offline HTML report.",
        epilog="a workshop from start to report:\n"
        "  workshop-analysis new 2025-03-12-jobcenter-nord\n"
        f"  workshop-analysis validate {_W}/records.csv\n"
        f"  workshop-analysis report {_W}/records.csv\n"
        "Run 'workshop-analysis COMMAND --help' for a command's options and an example.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _sub(
        sub,
        "new",
        "create a workshop folder with templates (records.csv, codebook, overrides, status)",
        "workshop-analysis new 2025-03-12-jobcenter-nord --title 'Jobcenter Nord'",
    )
    p.add_argument("workshop_id", help="id and folder name, e.g. 2025-03-12-jobcenter-nord")
    p.add_argument(
        "--root",
        type=Path,
        help="archive root (default: data/workshops in a "
        "checkout, ./workshops when installed from a wheel)",
    )
    p.add_argument(
        "--codebook",
        type=Path,
        metavar="FILE",
        help="codebook to copy (default: a neutral template with commented examples)",
    )
    p.add_argument(
        "--from",
        dest="from_workshop",
        metavar="WORKSHOP",
        help="copy the codebook of this workshop (folder or id in the archive root)",
    )
    p.add_argument(
        "--link-codebook",
        action="store_true",
        help="reference the codebook from workshop.yaml instead of copying it",
    )
    p.add_argument("--title", help="display title (default: the id)")
    p.set_defaults(func=_cmd_new)

    p = _sub(
        sub,
        "validate",
        "check a records file; list its problems with file, row and column",
        f"workshop-analysis validate {_W}/records.csv --all",
    )
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.add_argument("--all", action="store_true", help="list every problem (default: the first 20)")
    p.set_defaults(func=_cmd_validate)

    p = _sub(
        sub,
        "suggest-codes",
        "propose codes from the statements' key terms and compounds; print the coverage; "
        "write a starter codebook with --out",
        f"workshop-analysis suggest-codes {_W}/records.csv --out {_W}/codebook.yaml",
    )
    p.add_argument("input", type=Path, help="records file (.csv, .xlsx or .md)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="most codes (default 20)")
    p.add_argument(
        "--min-count",
        type=int,
        default=2,
        metavar="N",
        help="least number of statements a code's terms occur in (default 2)",
    )
    p.add_argument(
        "--lang",
        choices=("auto", "de", "en"),
        default="auto",
        help="language of the statements (default auto: detected from the file)",
    )
    p.add_argument("--out", type=Path, metavar="FILE.yaml", help="write a starter codebook")
    p.set_defaults(func=_cmd_suggest_codes)

    codebook_sub = _add_codebook_commands(sub)
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

    p = _sub(
        sub,
        "tag",
        "infer kinds and tag records by keyword (records.csv, evidence.csv)",
        f"workshop-analysis tag {_W}/records.csv --out out/nord",
    )
    _add_input_options(p)
    p.add_argument("--out", type=Path, required=True, help="output folder")
    _add_lang(p, "redaction placeholders")
    _add_redaction_options(p, "records.csv and evidence.csv")
    p.set_defaults(func=_cmd_tag)

    p = _sub(
        sub,
        "actions",
        "derive short- and long-term action items (actions.csv, actions.xlsx)",
        f"workshop-analysis actions {_W}/records.csv --out out/nord",
    )
    _add_input_options(p)
    p.add_argument("--out", type=Path, required=True, help="output folder")
    _add_lang(p, "titles, rationales and sheet names")
    _add_redaction_options(p, "actions.csv and actions.xlsx")
    p.set_defaults(func=_cmd_actions)

    p = _sub(
        sub,
        "report",
        "run the notebooks and write one offline HTML report with CSV/XLSX tables",
        f"workshop-analysis report {_W}/records.csv --lang en --out reports/nord-en",
    )
    _add_input_options(p, default_input=True)
    p.add_argument(
        "--out",
        type=Path,
        help="output folder (default: reports/<workshop>, reports/<workshop>-en for --lang en)",
    )
    _add_lang(p, "the report")
    p.add_argument("--title", help="report title (default: title in workshop.yaml)")
    _add_redaction_options(p, "the report, the tables and the XLSX")
    _add_quiet(p)
    p.set_defaults(func=_cmd_report)

    p = _sub(
        sub,
        "compare",
        "compare the workshops of an archive: recurring, new and vanished topics, "
        "follow-up of actions (compare.html + CSVs)",
        "workshop-analysis compare data/workshops --out reports/compare",
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
    _add_lang(p, "the comparison")
    _add_quiet(p)
    p.set_defaults(func=_cmd_compare)

    p = _sub(
        sub,
        "redact",
        "write a copy of a records file with names, e-mails and phone numbers replaced",
        f"workshop-analysis redact {_W}/records.csv --out shared.csv --key private/key.csv",
    )
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

    p = _sub(
        sub,
        "export-qdpx",
        "tag records and write a REFI-QDA project (.qdpx) for MAXQDA, ATLAS.ti, NVivo",
        f"workshop-analysis export-qdpx {_W}/records.csv --out nord.qdpx",
    )
    _add_input_options(p)
    p.add_argument("--out", type=Path, required=True, help="project file to write (.qdpx)")
    p.add_argument("--name", help="project name shown by the QDA tool (default: workshop id)")
    p.set_defaults(func=_cmd_export_qdpx)

    p = _sub(
        sub,
        "import-qdpx",
        "read a REFI-QDA project coded in another tool",
        "workshop-analysis import-qdpx project.qdpx --out records.csv --codebook-out codebook.yaml",
    )
    p.add_argument("input", type=Path, help="project file (.qdpx)")
    p.add_argument("--out", type=Path, required=True, help="records file to write (.csv/.xlsx)")
    p.add_argument("--codebook-out", type=Path, help="also write the project's codebook (.yaml)")
    p.add_argument("--selections-out", type=Path, help="also write the coded selections")
    p.add_argument("--workshop", help="workshop id (default: from the project name)")
    p.set_defaults(func=_cmd_import_qdpx)

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
