"""Context model for polyphonic characters: g2pM's BiLSTM, run faster and constrained.

The g2pM package (Park & Lee, Interspeech 2020) ships its trained weights in
the wheel (about 2 MB; nothing is downloaded at run time).  Its own inference
code is correct but slow-ish and unconstrained: it takes the arg-max over all
876 readings it knows, so it can answer a reading the character does not have.
This module loads the same weights and

* precomputes the input projection of the whole sentence in one matrix
  product, then runs the forward and backward recurrences in the *same* loop
  (one stacked matrix product per step), which is about three times faster
  than the package's loop;
* restricts the arg-max to the readings CC-CEDICT lists for the character
  (g2pM's own ``digest_cedict`` table), so every answer is a real reading;
* computes the output layer only for the characters that were asked about.

Readings come back in reader's canonical form: tone-numbered, neutral tone 5,
ü written ``v`` (the model's ``lu:4`` becomes ``lv4``).

numpy and the weights load lazily on the first call (about 0.15 s, ~10 MB).
"""

from __future__ import annotations

import math
import os
import pickle
import threading
from collections.abc import Sequence
from typing import Any

_lock = threading.Lock()
_model: _Model | None = None

BOS = "시"  # g2pM's sentence-boundary tokens (Korean syllables, as trained)
EOS = "끝"
UNK = "<UNK>"


def _canonical(reading: str) -> str:
    return reading.replace("u:", "v")


def _single_threaded_blas() -> None:
    """The model's matrices are tiny: OpenBLAS's threads only add overhead (a batched
    step took ten times longer with two threads here), and reader runs beside
    the speech engine.  Pin BLAS to one thread: by environment if numpy is not
    loaded yet, else through OpenBLAS's own call (best effort)."""
    import sys

    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        return
    try:
        import ctypes
        import glob

        import numpy

        libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__) + ".libs", "*openblas*"))
        for path in libs:
            lib = ctypes.CDLL(path)
            for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads"):
                if hasattr(lib, name):
                    getattr(lib, name)(1)
                    return
    except OSError:
        pass


class _Model:
    def __init__(self) -> None:
        _single_threaded_blas()
        import g2pM
        import numpy as np

        self.np = np
        folder = os.path.dirname(os.path.abspath(g2pM.__file__))

        def load(name: str) -> Any:
            with open(os.path.join(folder, name), "rb") as fh:
                return pickle.load(fh)

        cedict: dict[str, list[str]] = load("digest_cedict.pkl")
        self.char2idx: dict[str, int] = load("char2idx.pkl")
        class2idx: dict[str, int] = load("class2idx.pkl")
        sd = load("np_ckpt.pkl")
        self.idx2class = {i: _canonical(c) for c, i in class2idx.items()}
        # Candidate class indices of every polyphonic character the model knows.
        self.candidates: dict[str, Any] = {}
        self.readings: dict[str, list[str]] = {}
        #: Characters CC-CEDICT gives exactly one reading.
        self.single: dict[str, str] = {}
        for char, prons in cedict.items():
            if len(char) == 1 and len(prons) == 1 and prons[0][-1:].isdigit():
                self.single[char] = _canonical(prons[0])
            if len(prons) > 1 and len(char) == 1:
                idx = [class2idx[p] for p in prons if p in class2idx]
                if len(idx) > 1:
                    self.candidates[char] = np.array(idx, dtype=np.int64)
                    self.readings[char] = [_canonical(p) for p in prons]
        f32 = np.float32
        self.emb = sd["embedding.weight"].astype(f32)
        h = sd["lstm.weight_hh_l0"].shape[1]
        self.hidden = h
        # Input projections with both biases folded in.
        self.w_ih_f = sd["lstm.weight_ih_l0"].T.astype(f32)
        self.b_f = (sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"]).astype(f32)
        self.w_ih_b = sd["lstm.weight_ih_l0_reverse"].T.astype(f32)
        self.b_b = (sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]).astype(f32)
        # Recurrent weights of both directions, block-diagonal: [2h, 8h].
        w = np.zeros((2 * h, 8 * h), dtype=f32)
        w[:h, : 4 * h] = sd["lstm.weight_hh_l0"].T
        w[h:, 4 * h :] = sd["lstm.weight_hh_l0_reverse"].T
        self.w_hh = w
        self.fc0_w = sd["logit_layer.0.weight"].T.astype(f32)
        self.fc0_b = sd["logit_layer.0.bias"].astype(f32)
        self.fc1_w = sd["logit_layer.2.weight"].T.astype(f32)
        self.fc1_b = sd["logit_layer.2.bias"].astype(f32)
        self.bos = self.char2idx[BOS]
        self.eos = self.char2idx[EOS]
        self.unk = self.char2idx[UNK]

    def predict(self, sentence: str, positions: Sequence[int]) -> list[dict[str, float] | None]:
        np = self.np
        h = self.hidden
        get = self.char2idx.get
        ids = [self.bos, *(get(c, self.unk) for c in sentence), self.eos]
        n = len(ids)
        x = self.emb[ids]  # [n, d]
        xf = x @ self.w_ih_f + self.b_f  # [n, 4h]
        xb = x @ self.w_ih_b + self.b_b
        gates_in = np.concatenate([xf, xb[::-1]], axis=1).reshape(n, 2, 4 * h)
        state = np.zeros(2 * h, dtype=np.float32)
        c = np.zeros((2, h), dtype=np.float32)
        out = np.empty((n, 2, h), dtype=np.float32)
        w_hh = self.w_hh
        exp = np.exp
        tanh = np.tanh
        for t in range(n):
            g = gates_in[t] + (state @ w_hh).reshape(2, 4 * h)
            s = 1.0 / (1.0 + exp(-g[:, : 2 * h]))
            o = 1.0 / (1.0 + exp(-g[:, 3 * h :]))
            c = s[:, h:] * c + s[:, :h] * tanh(g[:, 2 * h : 3 * h])
            hs = o * tanh(c)
            out[t] = hs
            state = hs.reshape(-1)
        fw = out[:, 0, :]
        bw = out[::-1, 1, :]
        rows = [p + 1 for p in positions]
        feats = np.concatenate([fw[rows], bw[rows]], axis=1)
        hidden = np.maximum(feats @ self.fc0_w + self.fc0_b, 0)
        return self._readings(hidden, [sentence[p] for p in positions])

    def _readings(self, hidden: Any, chars: Sequence[str]) -> list[dict[str, float] | None]:
        """Softmax over each character's own candidates, from the last hidden layer.

        Only the candidate columns of the output layer are computed, gathered
        in one product; the softmax of two or three numbers is done in Python,
        which is faster than numpy calls on arrays that small.
        """
        np = self.np
        rows: list[int] = []
        cols: list[int] = []
        spans: list[tuple[int, int] | None] = []
        for r, ch in enumerate(chars):
            cand = self.candidates.get(ch)
            if cand is None:
                spans.append(None)
                continue
            spans.append((len(cols), len(cols) + len(cand)))
            rows.extend([r] * len(cand))
            cols.extend(cand.tolist())
        if not cols:
            return [None] * len(chars)
        row_idx = np.array(rows)
        col_idx = np.array(cols)
        values = (
            np.einsum("ij,ji->i", hidden[row_idx], self.fc1_w[:, col_idx]) + self.fc1_b[col_idx]
        ).tolist()
        out: list[dict[str, float] | None] = []
        names = self.idx2class
        for span in spans:
            if span is None:
                out.append(None)
                continue
            a, b = span
            logits = values[a:b]
            top = max(logits)
            exps = [math.exp(v - top) for v in logits]
            total = sum(exps)
            out.append({names[c]: e / total for c, e in zip(cols[a:b], exps, strict=True)})
        return out

    def predict_batch(
        self, items: Sequence[tuple[str, Sequence[int]]]
    ) -> list[list[dict[str, float] | None]]:
        """:meth:`predict` for many sentences at once, padded into one batch.

        The recurrence costs one small matrix product per time step whatever
        the batch size, so a page of sentences costs little more than one.
        """
        np = self.np
        h = self.hidden
        get = self.char2idx.get
        b = len(items)
        lengths = [len(sentence) + 2 for sentence, _ in items]
        n = max(lengths)
        fw_ids = np.zeros((b, n), dtype=np.int64)  # 0 is <PAD>
        bw_ids = np.zeros((b, n), dtype=np.int64)
        for k, (sentence, _) in enumerate(items):
            ids = [self.bos, *(get(c, self.unk) for c in sentence), self.eos]
            fw_ids[k, : len(ids)] = ids
            bw_ids[k, : len(ids)] = ids[::-1]  # each reversed within its own length
        xf = self.emb[fw_ids] @ self.w_ih_f + self.b_f  # [b, n, 4h]
        xb = self.emb[bw_ids] @ self.w_ih_b + self.b_b
        gates_in = np.concatenate([xf, xb], axis=2).reshape(b, n, 2, 4 * h)
        state = np.zeros((b, 2 * h), dtype=np.float32)
        c = np.zeros((b, 2, h), dtype=np.float32)
        out = np.empty((n, b, 2, h), dtype=np.float32)
        w_hh = self.w_hh
        exp = np.exp
        tanh = np.tanh
        for t in range(n):
            g = gates_in[:, t] + (state @ w_hh).reshape(b, 2, 4 * h)
            sg = 1.0 / (1.0 + exp(-g[:, :, : 2 * h]))
            o = 1.0 / (1.0 + exp(-g[:, :, 3 * h :]))
            c = sg[:, :, h:] * c + sg[:, :, :h] * tanh(g[:, :, 2 * h : 3 * h])
            hs = o * tanh(c)
            out[t] = hs
            state = hs.reshape(b, 2 * h)
        rows_k: list[int] = []
        rows_fw: list[int] = []
        rows_bw: list[int] = []
        for k, (_sentence, positions) in enumerate(items):
            for p in positions:
                rows_k.append(k)
                rows_fw.append(p + 1)
                rows_bw.append(lengths[k] - 2 - p)
        if not rows_k:
            return [[] for _ in items]
        feats = np.concatenate([out[rows_fw, rows_k, 0, :], out[rows_bw, rows_k, 1, :]], axis=1)
        hidden = np.maximum(feats @ self.fc0_w + self.fc0_b, 0)
        flat = self._readings(hidden, [s[p] for s, positions in items for p in positions])
        results: list[list[dict[str, float] | None]] = []
        r = 0
        for _sentence, positions in items:
            results.append(flat[r : r + len(positions)])
            r += len(positions)
        return results


def _get() -> _Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Model()
    return _model


def is_polyphonic(char: str) -> bool:
    """Whether the model knows several readings for ``char`` (loads the model)."""
    return char in _get().candidates


def single_reading(char: str) -> str | None:
    """The one reading CC-CEDICT gives ``char``, if it gives exactly one."""
    return _get().single.get(char)


def candidates(char: str) -> list[str]:
    """The readings the model chooses among for ``char`` (empty if not polyphonic)."""
    return list(_get().readings.get(char, ()))


def probabilities(sentence: str, positions: Sequence[int]) -> list[dict[str, float] | None]:
    """For each ``p`` in ``positions``: the candidate readings of ``sentence[p]`` and
    the model's probability of each, read in context.

    ``None`` for a position whose character the model does not treat as
    polyphonic.  The whole sentence is the context, so pass a sentence (or a
    clause), not a paragraph: the model was trained on single sentences.
    """
    if not positions:
        return []
    return _get().predict(sentence, positions)


#: Sentences per batch in :func:`probabilities_batch` (sorted by length first).
BATCH = 256


def probabilities_batch(
    items: Sequence[tuple[str, Sequence[int]]],
) -> list[list[dict[str, float] | None]]:
    """:func:`probabilities` for many ``(sentence, positions)`` at once: the same
    numbers (to float rounding), several times faster for a page or a book."""
    model = _get()
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    results: list[list[dict[str, float] | None]] = [[] for _ in items]
    for start in range(0, len(order), BATCH):
        chunk = [i for i in order[start : start + BATCH] if items[i][1]]
        if not chunk:
            continue
        for i, row in zip(chunk, model.predict_batch([items[i] for i in chunk]), strict=True):
            results[i] = row
    return results


def predict(sentence: str, positions: Sequence[int]) -> list[str | None]:
    """The most probable reading of ``sentence[p]`` for each ``p`` (``None``: not polyphonic)."""
    return [max(d, key=d.__getitem__) if d else None for d in probabilities(sentence, positions)]


def warm_up() -> None:
    """Load numpy and the weights now."""
    _get()
