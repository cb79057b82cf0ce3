"""Is a target measurable? Rules (lexicon + patterns) and a learned model, combined.

Kinds (domain.md §5): measurable — quantified, deadline, verifiable_state, relative;
vague — vague_quality (健全, 完善 …), vague_grade (较满意), vague_direction (提升, 正增长 …),
vague_ranking (位于…前列), vague_activity (有序推进 …), placeholder (empty, *, XX).

The rules decide the obvious cases (a number with operator/unit, a date, an empty cell, an
exact lexicon word); the model (logistic regression on character n-grams of name + value)
decides the rest, e.g. 公开招投标 vs 满足日常运维工作. The model never overrides an obvious rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from corpus.targets import parse_target
from corpus.vocab import dated_name_pattern, vague_words
from models.charlinear import CharLogistic
from models.measure import is_aim, read_value

VAGUE_KINDS = ("vague_quality", "vague_grade", "vague_direction", "vague_ranking",
               "vague_activity", "placeholder")
MEASURABLE_KINDS = ("quantified", "deadline", "verifiable_state", "relative")

_VAGUE = vague_words()  # corpus/vocab/vague.json
QUALITY_WORDS = tuple(_VAGUE["quality"])
GRADE_WORDS = tuple(_VAGUE["grades"])


def _either(words: list[str]) -> str:
    return "|".join(map(re.escape, words))


_DIRECTION = _VAGUE["direction"]
DIRECTION = re.compile(f"({_either(_DIRECTION['degrees'])})?({_either(_DIRECTION['verbs'])})|{_either(_DIRECTION['phrases'])}")
_RANKING = _VAGUE["ranking"]
RANKING = re.compile(f"({_either(_RANKING['positions'])}).*({_either(_RANKING['places'])})|{_either(_RANKING['phrases'])}")
ACTIVITY = re.compile(f"({_either(_VAGUE['activity'])})")
VERIFIABLE = re.compile(r"(通过.{0,20}(评定|验收|检测|认证|审核|评审|测评|考核|报告)|验收合格|备案|公开招投标|"
                        r"招投标|签订|出台|印发|上线|建成|获得|成功举办|形成|不产生|无.*事故|零)")
_WITHIN_BUDGET = re.compile(r"^(≤|<=|不超过|不高于|未超过|控制在)(批复|核定|年度)?(预算|概算|合同价|合同金额|批复金额)(内|以内|范围内)?$")
_DONE = re.compile(r"^(完成|已完成|全部完成)$")
_DATED_NAME = re.compile(dated_name_pattern())  # 2023年, 月底, 年底, 季度 (corpus/vocab/deadlines.json)
_ASCII_DIGIT = re.compile(r"\d")
# Our labels (guide: data/LABELLING.md): every distinct target of the seed corpus, and every row of
# the 26 field forms (../shared/fieldforms/cases.jsonl, with its source id).
TRAINING_LABELS = Path(__file__).parent / "data" / "vagueness_labels.jsonl"
FIELD_LABELS = Path(__file__).parent / "data" / "field_labels.jsonl"
LABEL_FILES = (TRAINING_LABELS, FIELD_LABELS)
# what the shipped model learns from: the seed labels only. The field forms' rows (FIELD_LABELS) are
# evaluation data (the review of the development forms, the leave-one-out figures), never training.
TRAINING_FILES = (TRAINING_LABELS,)


def load_label_rows(paths: tuple[Path, ...] = LABEL_FILES) -> list[dict]:
    """Every labelled row, with `origin` (seed | field) added."""
    rows = []
    for path in paths:
        origin = "field" if path.name.startswith("field") else "seed"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}: line {n}: not JSON ({exc.msg})") from None
                missing = {"name", "value", "vague"} - set(row)
                if missing:
                    raise ValueError(f"{path}: line {n}: missing {', '.join(sorted(missing))}")
                rows.append({**row, "origin": origin})
    return rows


def load_training_labels(path: Path | None = None) -> tuple[list[tuple[str, str]], list[bool]]:
    """(name, value) pairs and their vague label; all our label files unless `path` is given."""
    rows = load_label_rows((path,) if path else LABEL_FILES)
    return [(r["name"], r["value"]) for r in rows], [bool(r["vague"]) for r in rows]


@dataclass
class Assessment:
    vague: bool
    kind: str
    reasons: list[str]
    decided_by: str  # rule | rules+model


def rule_kind(name: str, value: str) -> tuple[str, bool]:
    """(kind, obvious). `obvious`: the rule is certain and the model may not override it."""
    target = parse_target(value)
    text = re.sub(r"\s", "", value or "")
    if target.kind in ("missing", "placeholder"):
        return "placeholder", True
    if target.kind == "deadline":
        return "deadline", True
    if target.kind == "relative":
        return "relative", True
    if target.kind == "quantitative":
        return "quantified", True
    reading = read_value(value)
    if reading.kind == "deadline":  # 每年12月底前, 2020年1月--2020年11月, 2023年底
        return "deadline", True
    bare = text.rstrip("。.")
    if _WITHIN_BUDGET.match(bare):  # ≤批复概算, 控制在预算内: checkable against a document
        return "verifiable_state", True
    if reading.kind == "yesno":
        # 是/否 answers a checkable question (是否存在质量问题, 价格不高于市场价), not an aim (持续完善…体系)
        return ("vague_quality", True) if is_aim(name) else ("verifiable_state", True)
    if bare in GRADE_WORDS:
        return "vague_grade", True
    if bare in QUALITY_WORDS:
        return "vague_quality", True
    if RANKING.search(text):
        return "vague_ranking", True
    if DIRECTION.fullmatch(bare):
        return "vague_direction", True
    # not obvious: patterns give a first guess
    if _DONE.match(bare):  # "完成" is checkable only when the name says what and by when
        return ("verifiable_state" if _DATED_NAME.search(name) else "vague_quality"), False
    if "基本" in text or text.startswith("按时"):
        return "vague_quality", False
    if VERIFIABLE.search(text):
        return "verifiable_state", False
    if DIRECTION.search(text):
        return "vague_direction", False
    if ACTIVITY.search(text):
        return "vague_activity", False
    if any(text.endswith(w) for w in QUALITY_WORDS):
        return "vague_quality", False
    return "vague_quality", False


def no_digit_baseline(value: str) -> bool:
    """The bare rule the detector must beat: a value with no digit is vague."""
    return not _ASCII_DIGIT.search(value or "")


def features(name: str, value: str) -> str:
    return f"{name}｜{value}"


class VaguenessModel:
    """Logistic regression on character 1–3-grams of name + value. fit() does the work (with
    scikit-learn); save/load keep it as JSON + .npy, and predicting needs numpy only."""

    def __init__(self, C: float = 4.0):
        self.C = C
        self._model: CharLogistic | None = None

    def fit(self, items: list[tuple[str, str]], labels: list[bool]) -> VaguenessModel:
        self._model = CharLogistic(self.C, class_weight="balanced").fit(
            [features(n, v) for n, v in items], [bool(x) for x in labels])
        return self

    def probability(self, items: list[tuple[str, str]]) -> list[float]:
        if self._model is None:
            raise RuntimeError("VaguenessModel.fit must be called first")
        column = self._model.classes.index(True)
        probs = self._model.predict_proba([features(n, v) for n, v in items])
        return [float(p[column]) for p in probs]

    def save(self, directory: Path) -> None:
        self._model.save(directory)

    @classmethod
    def load(cls, directory: Path) -> VaguenessModel:
        model = CharLogistic.load(directory)
        out = cls(model.C)
        out._model = model
        return out


_REASONS = {
    "vague_quality": "“{v}”是没有判断标准的定性形容词，年末无法客观判定是否达成",
    "vague_grade": "“{v}”是主观等级，满意度类指标应给出比例（如≥90%）",
    "vague_direction": "“{v}”只有方向没有幅度或基数，无法判定是否达成",
    "vague_ranking": "“{v}”是排名或比较，没有可测量的参照",
    "vague_activity": "“{v}”描述的是工作过程而非结果",
    "placeholder": "目标值为空或为占位符",
}


class TargetAssessor:
    """Rules + model. `fit` trains the model on labelled (name, value, vague) rows."""

    # In a case the rules cannot settle, their guess and the model's probability are averaged:
    # a pattern guess "vague" counts as 0.8, "measurable" as 0.2.
    RULE_PRIOR = {True: 0.8, False: 0.2}

    def __init__(self, threshold: float = 0.5):
        self.threshold = threshold
        self.model: VaguenessModel | None = None

    def fit(self, items: list[tuple[str, str]] | None = None,
            labels: list[bool] | None = None) -> TargetAssessor:
        """Train the model part; without arguments, on the shipped training labels (TRAINING_FILES: the seeds)."""
        if items is None:
            rows = load_label_rows(TRAINING_FILES)
            items, labels = [(r["name"], r["value"]) for r in rows], [bool(r["vague"]) for r in rows]
        self.model = VaguenessModel().fit(items, labels)
        return self

    def save(self, directory: Path) -> None:
        self.model.save(directory)

    @classmethod
    def load(cls, directory: Path, threshold: float = 0.5) -> TargetAssessor:
        """The assessor whose model `save` wrote (an index's); trains nothing."""
        assessor = cls(threshold)
        assessor.model = VaguenessModel.load(directory)
        return assessor

    def assess_many(self, items: list[tuple[str, str]]) -> list[Assessment]:
        rules = [rule_kind(n, v) for n, v in items]
        unsure = [i for i, (_, obvious) in enumerate(rules) if not obvious]
        probs = self.model.probability([items[i] for i in unsure]) if self.model and unsure else []
        prob_of = dict(zip(unsure, probs))
        out = []
        for i, ((name, value), (kind, obvious)) in enumerate(zip(items, rules)):
            if obvious or i not in prob_of:
                vague, by = kind in VAGUE_KINDS, "rule"
            else:
                score = 0.5 * prob_of[i] + 0.5 * self.RULE_PRIOR[kind in VAGUE_KINDS]
                vague, by = score >= self.threshold, "rules+model"
                if vague and kind not in VAGUE_KINDS:
                    kind = "vague_quality" if not ACTIVITY.search(value) else "vague_activity"
                elif not vague and kind in VAGUE_KINDS:
                    kind = "verifiable_state"
            reasons = [_REASONS[kind].format(v=value)] if vague else []
            out.append(Assessment(vague, kind, reasons, by))
        return out

    def assess(self, name: str, value: str) -> Assessment:
        return self.assess_many([(name, value)])[0]
