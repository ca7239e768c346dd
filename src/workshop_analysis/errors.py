"""Exceptions that carry user-facing messages (shown without a traceback by the CLI)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input file.

    Attributes
    ----------
    file : str
        The file the problem is in (as given by the user), or ``""`` for a DataFrame.
    row : int or None
        The row as a user sees it in the file: 1 is the header row of a CSV/XLSX
        sheet (so the first record is row 2), the line number in a Markdown protocol
        or YAML file; ``None`` when the problem concerns the whole file.
    column : str
        The column (as named in the file) or YAML key; ``""`` for the whole row/file.
    message : str
        What is wrong and, where possible, how to fix it.
    """

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file or "<data>"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class WorkshopAnalysisError(Exception):
    """Base class for errors caused by user input; the CLI prints them without traceback."""


class InputError(WorkshopAnalysisError):
    """One or more problems in an input file; ``problems`` lists every one of them.

    The message (``str(err)``) shows the first :data:`SHOWN_PROBLEMS` problems and then
    ``… and N more problems``, so that a file with thousands of bad rows still gives a
    readable message; :meth:`full_message` (and ``validate --all``) lists every one.
    """

    #: How many problems the message shows before "… and N more problems".
    SHOWN_PROBLEMS = 20

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(
            problems, key=lambda p: (p.file, p.row if p.row is not None else -1, p.column)
        )
        super().__init__(self.full_message(limit=self.SHOWN_PROBLEMS))

    def full_message(self, *, limit: int | None = None) -> str:
        """The message listing every problem, or the first ``limit`` and a count of the rest."""
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [head, *(f"  {p}" for p in shown)]
        rest = count - len(shown)
        if rest:
            lines.append(f"  … and {rest} more problem{'s' if rest != 1 else ''}")
        return "\n".join(lines)
