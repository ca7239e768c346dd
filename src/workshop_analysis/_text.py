"""Compiling a codebook's keywords into one matcher, shared by ``codebook`` and ``tagging``.

Kept here (not in :mod:`workshop_analysis.tagging`) so that :mod:`workshop_analysis.codebook`
does not reach into tagging's private names: ``tagging`` imports ``codebook``, and
``codebook`` only needs the matcher to check keywords against a corpus.
"""

from __future__ import annotations

from typing import Any

from ._keywords import Keyword, Matcher, parse_keyword

#: Joins texts scanned at once; a non-word character that no keyword can contain.
SEPARATOR = "\x00"


def compile_codebook(codebook: Any) -> tuple[Matcher, list[tuple[int, bool]]]:
    """Compile keywords and exclude words of all codes into one :class:`Matcher`.

    ``codebook`` is a :class:`~workshop_analysis.codebook.Codebook` (anything with
    ``codes`` whose items have ``keywords`` and ``exclude``). Returns the matcher and,
    for each matcher entry, ``(code index, is_exclude)``.
    """
    keywords: list[Keyword] = []
    owners: list[tuple[int, bool]] = []
    for ci, code in enumerate(codebook.codes):
        for words, is_exclude in ((code.keywords, False), (code.exclude, True)):
            for word in words:
                keywords.append(parse_keyword(word))
                owners.append((ci, is_exclude))
    return Matcher(keywords), owners
