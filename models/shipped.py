"""The corpus-independent models, fitted once and shipped with the package (as the static encoder's
table is): the vagueness model (trained on our seed labels, `models.vagueness.TRAINING_FILES`) and
the kind matcher (fitted on the indicator library, `models.library`). Neither depends on a corpus,
so an index build copies them into its `fitted/` folder instead of fitting them again, and loading
them needs numpy only (no scikit-learn).

    models/data/shipped/manifest.json   the hashes of what each part learned from
    models/data/shipped/vagueness/      CharLogistic files (models.vagueness.VaguenessModel)
    models/data/shipped/kinds/          KindMatcher files (models.library.kinds), its kinds × n-grams
                                        matrix kept sparse (0.2 % non-zero: 0.7 MB, not 25 MB) and
                                        written dense where it is copied, as KindMatcher.save writes it

Made by `python -m models.shipped` (`make shipped`), after any change of the labels, the library or
the fitting code; `tests/test_shipped.py` fails while the files are not what a fit gives. A part
whose recorded inputs differ from the files installed now is refused (`ShippedMismatch`), never
used: the build then fits it itself, as before.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from models.library import DATA_DIR as LIBRARY_DIR

SHIPPED_DIR = Path(__file__).parent / "data" / "shipped"
MANIFEST = "manifest.json"
FORMAT = "zhibiao-shipped/1"
PARTS = ("vagueness", "kinds")
DENSE = "kinds_ngrams.npy"  # the kind matcher's matrix as KindMatcher.save writes it …
SPARSE = ("kinds_ngrams.data.npy", "kinds_ngrams.indices.npy", "kinds_ngrams.indptr.npy", "kinds_ngrams.shape.npy")


class ShippedMismatch(ValueError):
    """A shipped part was fitted on other inputs than those installed (or is missing)."""


def file_hash(paths: list[Path]) -> str:
    """The hash an index's manifest records for its knowledge (`recommender.fitted.data_hashes`)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def current_inputs() -> dict[str, dict[str, str]]:
    """What each part learns from, hashed as the files are now."""
    from models.vagueness import TRAINING_FILES
    return {"vagueness": {"labels": file_hash(list(TRAINING_FILES))},
            "kinds": {"library": file_hash(sorted(LIBRARY_DIR.glob("*.json")))}}


def part_path(part: str, directory: Path = SHIPPED_DIR) -> Path:
    """The folder of a shipped part, once its recorded inputs are checked against the installed ones."""
    if part not in PARTS:
        raise KeyError(part)
    manifest_path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ShippedMismatch(f"{manifest_path}：随包模型清单缺失或损坏（{exc}）；"
                              "请运行 python -m models.shipped 重新生成") from None
    if manifest.get("format") != FORMAT:
        raise ShippedMismatch(f"{manifest_path}：格式为 {manifest.get('format')}，应为 {FORMAT}；"
                              "请运行 python -m models.shipped 重新生成")
    saved, wanted = (manifest.get("parts") or {}).get(part), current_inputs()[part]
    if saved != wanted:
        raise ShippedMismatch(f"{manifest_path}：随包模型 {part} 由另一版数据拟合（记录 {saved}，"
                              f"现为 {wanted}）；请运行 python -m models.shipped 重新生成")
    path = Path(directory) / part
    if not all((path / name).exists() for name in (("manifest.json",) if part == "vagueness" else SPARSE)):
        raise ShippedMismatch(f"{path}：随包模型 {part} 的文件缺失；请运行 python -m models.shipped 重新生成")
    return path


def copy_part(part: str, target: Path, directory: Path = SHIPPED_DIR) -> None:
    """Copy a shipped part into an index's `fitted/` folder (refused when it does not match)."""
    source = part_path(part, directory)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*SPARSE))
    if part == "kinds":
        import numpy as np
        np.save(target / DENSE, _dense(source))


def _dense(folder: Path):
    """The kinds × n-grams matrix from its sparse rows (every value as it was: zeros put back)."""
    import numpy as np
    data, indices, indptr, shape = (np.load(folder / name) for name in SPARSE)
    dense = np.zeros(tuple(int(n) for n in shape), dtype=data.dtype)
    for row in range(dense.shape[0]):
        dense[row, indices[indptr[row]:indptr[row + 1]]] = data[indptr[row]:indptr[row + 1]]
    return dense


def _keep_sparse(folder: Path) -> None:
    import numpy as np
    dense = np.load(folder / DENSE)
    rows, cols = np.nonzero(dense)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=dense.shape[0]))])
    for name, array in zip(SPARSE, (dense[rows, cols], cols.astype(np.int32), indptr.astype(np.int64),
                                    np.array(dense.shape, dtype=np.int64))):
        np.save(folder / name, array)
    (folder / DENSE).unlink()


def load_vagueness(directory: Path = SHIPPED_DIR):
    """The target assessor with the shipped model (trains nothing; refused when it does not match)."""
    from models.vagueness import TargetAssessor
    return TargetAssessor.load(part_path("vagueness", directory))


def load_kinds(directory: Path = SHIPPED_DIR):
    """The kind matcher of the installed library (fits nothing; refused when it does not match)."""
    from models.library import load_library
    from models.library.kinds import KindMatcher
    with tempfile.TemporaryDirectory(prefix="zhibiao-kinds-") as folder:
        copy_part("kinds", Path(folder) / "kinds", directory)
        return KindMatcher.load(Path(folder) / "kinds", load_library())


def make(directory: Path = SHIPPED_DIR) -> Path:
    """Fit every part (scikit-learn) and write them with their manifest, whole or not at all."""
    from models.library import load_library
    from models.library.kinds import KindMatcher
    from models.vagueness import TargetAssessor
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        TargetAssessor().fit().save(staging / "vagueness")
        KindMatcher.fit(load_library()).save(staging / "kinds")
        _keep_sparse(staging / "kinds")
        (staging / MANIFEST).write_text(json.dumps({"format": FORMAT, "parts": current_inputs()},
                                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        staging.rename(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return directory


if __name__ == "__main__":
    print(f"随包模型已写入 {make(Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED_DIR)}")
