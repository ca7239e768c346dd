"""Small statistical model behind :func:`workshop_analysis.kinds.infer_kinds` (private).

A multinomial logistic regression over

* word unigrams and bigrams of the text (``w:``/``b:``; lower case, ``ä`` → ``ae`` …),
* character 4-grams of its words (``c:``, padded with ``<``/``>``: "…lobt>" in
  "gelobt"),
* the words of the section heading and their character 4-grams (``s:``, ``sc:``:
  "Plus" and "Pluses" share "<plu"),
* what the cue rules say about the other statements under the same heading of the same
  workshop (``x:<kind>``, see :func:`context_features`),
* the cue-rule scores of :mod:`workshop_analysis.kinds` (``r:need`` … ``r:concern`` as
  ``log1p(score)``, ``r:section:<kind>`` for a heading lean, ``r:none`` when no cue
  fired) and the sentence form (``f:question``, ``f:exclamation``, ``f:fragment``).

Each feature group is scaled to unit length per statement. Trained with plain numpy
(full-batch Adam on the sparse rows, L2 penalty, class-balanced, only on the
third-party corpus ``tests/fixtures/kinds_corpus``); the weights ship as ``_kind_model.json.gz``
beside this module, written by ``benchmarks/eval_kinds.py --write-model``. The file also
carries the temperature that calibrates the probabilities and the review threshold, both
fitted on leave-one-source-out predictions (see that script).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import numpy as np

from ._kind_cues import LazyPattern

#: Class order of the model (the order of ``records.KINDS``).
CLASSES = ("need", "wish", "praise", "concern")
MODEL_FILE = "_kind_model.json.gz"
CHAR_NS = (4,)
#: Relative weight of each feature group after scaling it to unit length.
GROUP_SCALE = {"w": 1.0, "c": 1.0, "s": 0.5}

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_TOKEN = LazyPattern(r"[^\W\d_]+|\d+")


def tokens(text: str) -> list[str]:
    """Lower-cased, umlaut-folded words of ``text``; numbers become ``0``."""
    return [t if not t[0].isdigit() else "0" for t in _TOKEN.findall(text.lower().translate(_FOLD))]


@lru_cache(maxsize=65536)
def char_grams(word: str) -> tuple[str, ...]:
    """Character n-grams (``CHAR_NS``) of ``<word>``."""
    padded = f"<{word}>"
    return tuple("c:" + padded[i : i + n] for n in CHAR_NS for i in range(len(padded) - n + 1))


def text_feature_names(text: str, section: str) -> tuple[list[str], list[str], list[str]]:
    """Feature names (with repeats) of the word, character and section groups."""
    words = tokens(text)
    word_feats = [f"w:{w}" for w in words]
    word_feats += [f"b:{a}_{b}" for a, b in pairwise(words)]
    chars = [g for w in words for g in char_grams(w)]
    section_words = tokens(section) if section else []
    section_feats = [f"s:{w}" for w in section_words]
    section_feats += [f"s{g}" for w in section_words for g in char_grams(w)]
    return word_feats, chars, section_feats


def dense_features(
    rule_scores: Sequence[float], section_lean: str | None, section_weight: float, text: str
) -> dict[str, float]:
    """Rule and form features: cue scores per kind, section lean, no-cue and sentence form."""
    out = {f"r:{k}": float(np.log1p(s)) for k, s in zip(CLASSES, rule_scores, strict=True) if s > 0}
    if not out:
        out["r:none"] = 1.0
    if section_lean is not None and section_weight > 0:
        out[f"r:section:{section_lean}"] = section_weight
    stripped = text.strip()
    if stripped.endswith("?"):
        out["f:question"] = 1.0
    elif stripped.endswith("!"):
        out["f:exclamation"] = 1.0
    elif stripped and stripped[-1] not in ".:;":
        out["f:fragment"] = 1.0
    return out


def context_features(
    rule_scores: Sequence[Sequence[float]], keys: Sequence[object]
) -> list[dict[str, float]]:
    """What the cue rules say about the *other* statements under the same heading.

    ``keys[i]`` names the group of statement ``i`` (workshop and section heading;
    ``None``: no heading, no context). For every statement with at least one other
    statement in its group, ``x:<kind>`` is the mean share of ``<kind>`` in the others'
    cue scores (statements without any cue count as zeros): a list under "Pluses" whose
    other entries carry praise cues leans to praise even where this entry has none. No
    label is used, only the text of the input table itself.
    """
    scores = np.asarray(rule_scores, dtype=float).reshape(-1, len(CLASSES))
    totals = scores.sum(axis=1, keepdims=True)
    shares = np.divide(scores, totals, out=np.zeros_like(scores), where=totals > 0)
    members: dict[object, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            members.setdefault(key, []).append(i)
    out: list[dict[str, float]] = [{} for _ in keys]
    for rows in members.values():
        if len(rows) < 2:
            continue
        block = shares[rows]
        sums = block.sum(axis=0)
        for row, own in zip(rows, block, strict=True):
            mean = (sums - own) / (len(rows) - 1)
            out[row] = {
                f"x:{k}": round(float(v), 6) for k, v in zip(CLASSES, mean, strict=True) if v > 0
            }
    return out


@dataclass
class Sparse:
    """Statements as sparse feature rows: parallel arrays ``rows``, ``cols``, ``values``."""

    n: int
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray

    def dense(self, n_features: int) -> np.ndarray:
        """The rows as a dense ``(n, n_features)`` matrix."""
        x = np.zeros((self.n, n_features))
        np.add.at(x, (self.rows, self.cols), self.values)
        return x


def _normalise_group(rows: list[int], cols: list[int], scale: float) -> tuple[np.ndarray, ...]:
    """Count repeated ``(row, col)`` pairs and scale each row of the group to length ``scale``."""
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    key = r * (int(c.max()) + 1) + c
    uniq, counts = np.unique(key, return_counts=True)
    r_u = uniq // (int(c.max()) + 1)
    c_u = uniq % (int(c.max()) + 1)
    v = counts.astype(float)
    norms = np.sqrt(np.bincount(r_u, weights=v * v))
    v = v / norms[r_u] * scale
    return r_u, c_u, v


@dataclass
class KindModel:
    """Weights of the kind model and their calibration."""

    features: list[str]
    weights: np.ndarray  # (n_features, n_classes)
    bias: np.ndarray  # (n_classes,)
    temperature: float = 1.0
    review_threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {f: i for i, f in enumerate(self.features)}
        self._char_ids: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._section_cache: dict[str, tuple[int, ...]] = {}

    # ------------------------------------------------------------------ featurise
    def _word_ids(self, word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Known ids of a word's unigram feature and of its character n-grams (cached)."""
        ids = self._char_ids.get(word)
        if ids is None:
            index = self.index
            own = index.get(f"w:{word}")
            ids = (
                () if own is None else (own,),
                tuple(index[g] for g in char_grams(word) if g in index),
            )
            if len(self._char_ids) < 200_000:
                self._char_ids[word] = ids
        return ids

    def _section_ids(self, section: str) -> tuple[int, ...]:
        """Known ids of a heading's word and character features (cached)."""
        ids = self._section_cache.get(section)
        if ids is None:
            index = self.index
            names = [
                name
                for w in tokens(section)
                for name in (f"s:{w}", *(f"s{g}" for g in char_grams(w)))
            ]
            ids = tuple(index[name] for name in names if name in index)
            if len(self._section_cache) < 10_000:
                self._section_cache[section] = ids
        return ids

    def vectorise(
        self,
        texts: Sequence[str],
        sections: Sequence[str],
        dense: Sequence[dict[str, float]],
    ) -> Sparse:
        """Feature rows of the statements (unknown features are dropped)."""
        index = self.index
        cols: dict[str, list[int]] = {g: [] for g in GROUP_SCALE}
        counts: dict[str, list[int]] = {g: [] for g in GROUP_SCALE}
        d_rows: list[int] = []
        d_cols: list[int] = []
        d_vals: list[float] = []
        w_cols, c_cols, s_cols = cols["w"], cols["c"], cols["s"]
        w_n, c_n, s_n = counts["w"], counts["c"], counts["s"]
        word_ids = self._word_ids
        for i, (text, section, extra) in enumerate(zip(texts, sections, dense, strict=True)):
            words = tokens(text)
            before_w, before_c = len(w_cols), len(c_cols)
            for w in words:
                own, chars = word_ids(w)
                w_cols.extend(own)
                c_cols.extend(chars)
            for a, b in pairwise(words):
                j = index.get(f"b:{a}_{b}")
                if j is not None:
                    w_cols.append(j)
            w_n.append(len(w_cols) - before_w)
            c_n.append(len(c_cols) - before_c)
            ids = self._section_ids(section) if section else ()
            s_cols.extend(ids)
            s_n.append(len(ids))
            for name, value in extra.items():
                j = index.get(name)
                if j is not None:
                    d_rows.append(i)
                    d_cols.append(j)
                    d_vals.append(value)
        row_ids = np.arange(len(texts), dtype=np.int64)
        parts = [
            _normalise_group(
                np.repeat(row_ids, np.asarray(counts[g], dtype=np.int64)).tolist(),
                cols[g],
                GROUP_SCALE[g],
            )
            for g in GROUP_SCALE
        ]
        parts.append(
            (np.asarray(d_rows, np.int64), np.asarray(d_cols, np.int64), np.asarray(d_vals))
        )
        return Sparse(
            len(texts),
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
        )

    # ------------------------------------------------------------------ predict
    def logits(self, x: Sparse) -> np.ndarray:
        """Raw class scores ``(n, n_classes)``."""
        out = np.tile(self.bias, (x.n, 1))
        contrib = self.weights[x.cols] * x.values[:, None]
        for k in range(out.shape[1]):
            out[:, k] += np.bincount(x.rows, weights=contrib[:, k], minlength=x.n)
        return out

    def probabilities(self, x: Sparse, *, calibrated: bool = True) -> np.ndarray:
        """Class probabilities, temperature-scaled when ``calibrated``."""
        z = self.logits(x) / (self.temperature if calibrated else 1.0)
        return softmax(z)

    def top_features(self, x: Sparse, winners: np.ndarray, rows: np.ndarray, k: int = 3) -> dict:
        """For each row in ``rows``: the ``k`` features that pushed most towards its winner
        (contribution to the winner minus the mean contribution to the other classes)."""
        wanted = np.zeros(x.n, dtype=bool)
        wanted[rows] = True
        keep = wanted[x.rows]
        r, c, v = x.rows[keep], x.cols[keep], x.values[keep]
        w = self.weights[c]
        win = winners[r]
        own = w[np.arange(len(r)), win]
        others = (w.sum(axis=1) - own) / (w.shape[1] - 1)
        push = v * (own - others)
        order = np.lexsort((-push, r))
        r_sorted = r[order]
        first = np.searchsorted(r_sorted, r_sorted, side="left")
        rank = np.arange(len(order)) - first
        chosen = order[(rank < k) & (push[order] > 0)]
        out: dict[int, list[str]] = {int(row): [] for row in rows}
        features = self.features
        for row, col in zip(r[chosen].tolist(), c[chosen].tolist(), strict=True):
            out[row].append(features[col])
        return out

    # ------------------------------------------------------------------ file
    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict; weights rounded to 4 decimals."""
        return {
            "format": 1,
            "classes": list(CLASSES),
            "char_ns": list(CHAR_NS),
            "group_scale": GROUP_SCALE,
            "temperature": round(self.temperature, 4),
            "review_threshold": round(self.review_threshold, 4),
            "meta": self.meta,
            "bias": [round(float(b), 4) for b in self.bias],
            "features": self.features,
            "weights": [[round(float(v), 4) for v in row] for row in self.weights],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KindModel:
        """Inverse of :meth:`to_json`."""
        if data.get("format") != 1 or tuple(data["classes"]) != CLASSES:
            raise ValueError("kind model file has an unknown format")
        return cls(
            features=list(data["features"]),
            weights=np.asarray(data["weights"], dtype=float).reshape(-1, len(CLASSES)),
            bias=np.asarray(data["bias"], dtype=float),
            temperature=float(data["temperature"]),
            review_threshold=float(data["review_threshold"]),
            meta=dict(data.get("meta", {})),
        )


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@lru_cache(maxsize=1)
def shipped_model() -> KindModel | None:
    """The model bundled with the package, or ``None`` when the file is missing."""
    try:
        raw = resources.files(__package__).joinpath(MODEL_FILE).read_bytes()
    except FileNotFoundError:
        return None
    return KindModel.from_json(json.loads(gzip.decompress(raw)))


def save_model(model: KindModel, path: Any) -> None:
    """Write ``model`` as gzip-compressed JSON (deterministic bytes)."""
    text = json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":"))
    with (
        open(path, "wb") as handle,
        gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, filename="") as gz,
    ):
        gz.write(text.encode("utf-8"))


# ---------------------------------------------------------------------- training


def fit(
    texts: Sequence[str],
    sections: Sequence[str],
    dense: Sequence[dict[str, float]],
    labels: Sequence[str],
    *,
    l2: float = 1e-3,
    min_df: int = 2,
    steps: int = 100,
    balanced: bool = True,
) -> KindModel:
    """Train the model on labelled statements.

    ``dense`` holds the rule, form and context features of each statement
    (:func:`dense_features`). Text features seen in fewer than ``min_df`` statements are
    dropped. Minimises the (class-balanced when ``balanced``) mean cross-entropy plus
    ``l2 / 2 * |W|²`` with Adam, full batch on the sparse rows, from zero weights:
    deterministic.
    """
    df: dict[str, int] = {}
    for text, section in zip(texts, sections, strict=True):
        w, c, s = text_feature_names(text, section)
        for name in {*w, *c, *s}:
            df[name] = df.get(name, 0) + 1
    names = sorted(n for n, count in df.items() if count >= min_df)
    dense_names = sorted({n for d in dense for n in d})
    n_classes = len(CLASSES)
    model = KindModel(
        features=names + dense_names,
        weights=np.zeros((len(names) + len(dense_names), n_classes)),
        bias=np.zeros(n_classes),
    )
    x = model.vectorise(texts, sections, dense)
    n_features = len(model.features)
    y = np.array([CLASSES.index(lab) for lab in labels])
    onehot = np.eye(n_classes)[y]
    counts = np.bincount(y, minlength=n_classes).astype(float)
    sample_w = (len(y) / (n_classes * np.maximum(counts, 1.0)))[y] if balanced else np.ones(len(y))
    sample_w = sample_w / sample_w.sum()
    w = np.zeros((n_features, n_classes))
    b = np.zeros(n_classes)
    m_w, v_w = np.zeros_like(w), np.zeros_like(w)
    m_b, v_b = np.zeros_like(b), np.zeros_like(b)
    lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
    rows, cols, vals = x.rows, x.cols, x.values
    for t in range(1, steps + 1):
        z = np.tile(b, (x.n, 1))
        contrib = w[cols] * vals[:, None]
        for k in range(n_classes):
            z[:, k] += np.bincount(rows, weights=contrib[:, k], minlength=x.n)
        g = (softmax(z) - onehot) * sample_w[:, None]
        gv = g[rows] * vals[:, None]
        grad_w = l2 * w
        for k in range(n_classes):
            grad_w[:, k] += np.bincount(cols, weights=gv[:, k], minlength=n_features)
        grad_b = g.sum(axis=0)
        m_w = beta1 * m_w + (1 - beta1) * grad_w
        v_w = beta2 * v_w + (1 - beta2) * grad_w**2
        m_b = beta1 * m_b + (1 - beta1) * grad_b
        v_b = beta2 * v_b + (1 - beta2) * grad_b**2
        step = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        w -= step * m_w / (np.sqrt(v_w) + eps)
        b -= step * m_b / (np.sqrt(v_b) + eps)
    model.weights = w
    model.bias = b
    return model


def fit_temperature(logits: np.ndarray, labels: Sequence[str]) -> float:
    """The temperature minimising the log-loss of ``softmax(logits / T)`` (grid search)."""
    y = np.array([CLASSES.index(lab) for lab in labels])
    best, best_loss = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.2), np.log(5.0), 161)):
        p = softmax(logits / t)
        loss = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def review_threshold(confidence: np.ndarray, *, share: float = 0.2) -> float:
    """The confidence below which ``share`` of the statements fall (the review flag)."""
    if len(confidence) == 0:
        return 0.5
    return float(np.quantile(confidence, share))
