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
    """One or more problems in an input file; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(
            problems, key=lambda p: (p.file, p.row if p.row is not None else -1, p.column)
        )
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))
