"""workshop-analysis: from workshop feedback to tagged records, action items and a report.

Importing the package has no side effects (no logging set-up, no pandas options) and is
cheap: the public names below are imported from their modules on first use (PEP 562), so
``import workshop_analysis`` (and ``workshop-analysis --help``) does not pay for pandas,
matplotlib or openpyxl. ``from workshop_analysis import tag`` imports what ``tag`` needs.
Submodules are reachable as attributes too (``workshop_analysis.plots``).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → the module (relative to this package) that defines it.
_EXPORTS: dict[str, str] = {
    "COLUMNS": "records",
    "KINDS": "records",
    "CodebookWarning": "codebook",
    "InputError": "errors",
    "Problem": "errors",
    "TagResult": "tagging",
    "WorkshopAnalysisError": "errors",
    "agreement": "agreement",
    "cohen_kappa": "agreement",
    "compare": "compare",
    "derive_actions": "actions",
    "evaluate_kinds": "kinds",
    "export_qdc": "refi",
    "export_qdpx": "refi",
    "import_qdc": "refi",
    "import_qdpx": "refi",
    "infer_kinds": "kinds",
    "krippendorff_alpha": "agreement",
    "list_workshops": "archive",
    "load_codebook": "codebook",
    "load_status": "archive",
    "load_workshop": "archive",
    "new_workshop": "archive",
    "normalise_records": "records",
    "plot_cooccurrence": "plots",
    "plot_kind_by_field": "plots",
    "plot_roadmap": "plots",
    "plot_top_fields": "plots",
    "read_records": "io",
    "redact": "redact",
    "render_compare": "compare_report",
    "render_report": "report",
    "run_pipeline": "report",
    "save_codebook": "codebook",
    "suggest_codes": "suggest",
    "tag": "tagging",
    "theme": "plots",
    "track_actions": "archive",
    "unassigned": "actions",
    "validate_records": "records",
    "write_actions": "actions",
    "write_records": "io",
    "write_table": "io",
}

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

if TYPE_CHECKING:  # for type checkers and IDEs; at run time the names load on first use
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


def __getattr__(name: str) -> Any:
    """Import a public name (or a submodule) on first access and keep it."""
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value  # the next access does not come here
        return value
    if not name.startswith("__"):
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise  # the submodule exists but one of its imports is missing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package module: a public function named like its module stays the function.

    Importing a submodule binds it as an attribute of the package (``import
    workshop_analysis.compare`` sets ``workshop_analysis.compare``); for ``compare`` and
    ``redact`` that would hide the function of the same name, which the package exports
    (as it did when ``__init__`` imported everything).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
