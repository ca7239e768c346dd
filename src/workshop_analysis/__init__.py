"""workshop-analysis: from workshop feedback to tagged records, action items and a report.

Importing the package has no side effects (no logging set-up, no pandas options).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .actions import derive_actions, unassigned, write_actions
from .agreement import agreement, cohen_kappa, krippendorff_alpha
from .archive import list_workshops, load_status, load_workshop, new_workshop, track_actions
from .codebook import CodebookWarning, load_codebook, save_codebook
from .compare import compare
from .compare_report import render_compare
from .errors import InputError, Problem, WorkshopAnalysisError
from .io import read_records, write_records, write_table
from .kinds import evaluate_kinds, infer_kinds
from .plots import plot_cooccurrence, plot_kind_by_field, plot_roadmap, plot_top_fields, theme
from .records import COLUMNS, KINDS, normalise_records, validate_records
from .redact import redact
from .refi import export_qdc, export_qdpx, import_qdc, import_qdpx
from .report import render_report, run_pipeline
from .suggest import suggest_codes
from .tagging import TagResult, tag

__all__ = [
    "COLUMNS",
    "KINDS",
    "CodebookWarning",
    "InputError",
    "Problem",
    "TagResult",
    "WorkshopAnalysisError",
    "__version__",
    "agreement",
    "cohen_kappa",
    "compare",
    "derive_actions",
    "evaluate_kinds",
    "export_qdc",
    "export_qdpx",
    "import_qdc",
    "import_qdpx",
    "infer_kinds",
    "krippendorff_alpha",
    "list_workshops",
    "load_codebook",
    "load_status",
    "load_workshop",
    "new_workshop",
    "normalise_records",
    "plot_cooccurrence",
    "plot_kind_by_field",
    "plot_roadmap",
    "plot_top_fields",
    "read_records",
    "redact",
    "render_compare",
    "render_report",
    "run_pipeline",
    "save_codebook",
    "suggest_codes",
    "tag",
    "theme",
    "track_actions",
    "unassigned",
    "validate_records",
    "write_actions",
    "write_records",
    "write_table",
]
