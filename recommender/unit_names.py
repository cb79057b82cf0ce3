"""The word a stated number's name ends with, as past rows wrote it for that unit and that thing.

The description reader names a count or a size by what its clause counts and a word of its unit
(corpus/vocab/units.json `counted_as`: 人 → 人数, 户 → 户数; 公里 → 长度, 亩 → 面积; else 数量). Budget units
write more than one word per unit, and which one can depend on the thing: 安全事故 in 起 are a 发生数, 违法案件 in
件 a 案件数, 抽检 in 批次 a 批次. `UnitNames.learn` reads the rows of the national library and of the
corpus whose value has a unit (the library's own unit where its value is the project's number) and counts, per
unit, which ending follows which word:

- an *ending* is a tail of 2–4 characters that at least MIN_HEADS different names of rows with a unit end
  with, that begins where a word begins (the engine's segmenter) in most of its uses, and that closes as a
  word of measure of the vocabulary closes (name_endings.json: 数量, 人次, 面积, 里程, 规模 → 量 次 积 程 模 …);
  of those a name ends with, the shortest is its ending (学生人数 ends with 人数: 学生 is the thing; 案件数 is
  one, as 件数 begins inside 案件);
- the *thing* is the word before the ending (道路, 案件 → 办理法律援助; 受益), and its last character (路, 件).

`ending_for(unit, thing)` gives the ending past rows most often wrote after that word in that unit (at least
MIN_WORD_PAIRS times), else after words ending in its last character (at least MIN_CHAR_PAIRS times and in most
of their uses); None where past rows say nothing, and the reader's own word stands. `place_work` writes the work
(新建, 修建, 建设 …) where the unit's past rows write it: first (新建道路里程) or after the thing (技术培训人次).
Learned at build with the measures of `recommender.compose` (saved in fitted/measures.json), read at load;
nothing listed per unit here.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from corpus.vocab import (canonical_unit, counted_as, counted_endings, measure_endings, project_action_verbs,
                          prose_unit_groups, unit_measures)

MIN_HEADS = 3        # an ending is a word of measure when this many different names of rows with a unit end with it
MIN_WORD_PAIRS = 2   # a thing takes an ending past rows gave that very word at least this often in that unit
MIN_CHAR_PAIRS = 3   # or that words ending in its last character took this often
MIN_SHARE = 0.5      # and in most of their uses
_HINT = re.compile(r"[（(][^（()）]*[）)]|[★*\s]")
_RATES = frozenset(unit_measures()["rate"])
_COUNTED = tuple(sorted(counted_endings(), key=len, reverse=True))  # the reader's words of a unit, longest first
_MEASURE_WORDS = frozenset(measure_endings())
_WORK_WORDS = frozenset(project_action_verbs())  # 建设, 改造, 硬化: the work a reader's name writes after its thing
_VERBS = tuple(sorted(_WORK_WORDS, key=len, reverse=True))  # longest first: 改扩建 before 扩建
_SEPARATORS = "，,、；;。：:\n"  # where the words about one thing end
# a number and its unit (any of units.json's prose units: 8287公里, 12个), taken out of the words before a thing
_QUANTITY = re.compile(r"\d[\d.,]*\s*(?:万|亿)?(?:"
                       + "|".join(sorted({re.escape(u) for g in prose_unit_groups().values() for u in g}, key=len, reverse=True))
                       + ")?")
GENERIC = "数量"  # the reader's word for a count in a unit the vocabulary gives no word (units.json counted_as)
# what an ending of a measure closes on: the last characters of the vocabulary's measure words (人数, 面积, 里程,
# 人次, 规模, 标准 …; corpus/vocab/name_endings.json)
_QUANTITY_END = re.compile("[" + "".join(sorted({e[-1] for e in measure_endings()})) + "]$")


@dataclass
class UnitNames:
    endings: frozenset[str] = frozenset()
    after_word: dict[tuple[str, str], Counter] = field(default_factory=dict)  # (unit, word before) → endings
    after_char: dict[tuple[str, str], Counter] = field(default_factory=dict)  # (unit, its last character) → endings
    # unit → how its rows place the work: "verb first" (新建道路里程) or "work last" (农村户厕改造数量)
    order: dict[str, Counter] = field(default_factory=dict)

    @classmethod
    def learn(cls, rows, cut) -> UnitNames:
        """`rows`: (name, unit) of past indicators (rates left out); `cut`: the engine's segmenter."""
        cut = cut_once(cut)  # the words are read, never changed
        heads: dict[str, set[str]] = defaultdict(set)
        starts: Counter = Counter()
        uses: Counter = Counter()
        named = []
        for name, unit in rows:
            name, unit = _HINT.sub("", name or ""), canonical_unit(unit)  # 公里 and km are one unit
            if not unit or unit in _RATES or len(name) < 3:
                continue  # a rate's name ends with its measure (合格率), not with a word of its unit
            at = word_starts(cut(name))
            named.append((name, unit))
            for n in range(2, 5):
                if len(name) - n < 1:
                    break
                ending = name[-n:]
                if not _QUANTITY_END.search(ending):
                    break  # every longer tail closes on the same character
                heads[ending].add(name[:-n])
                uses[ending] += 1
                starts[ending] += (len(name) - n) in at
        endings = frozenset(e for e, h in heads.items() if len(h) >= MIN_HEADS and starts[e] * 2 >= uses[e])
        table = cls(endings)
        for name, unit in named:
            ending = shortest_ending(name, endings)
            if ending is None or len(name) == len(ending):
                continue
            words = cut(name[:-len(ending)])
            if not words:
                continue
            word = words[-1]
            table.after_word.setdefault((unit, word), Counter())[ending] += 1
            table.after_char.setdefault((unit, word[-1]), Counter())[ending] += 1
            place = ("verb first" if _leading_verb(name) else
                     "work last" if _trailing_verb(name[:-len(ending)]) else None)
            if place:
                table.order.setdefault(unit, Counter())[place] += 1
        return table

    def ending_for(self, unit: str, word: str) -> str | None:
        """The ending past rows wrote after `word` (the thing before it) for a value in `unit`: after that very
        word at least MIN_WORD_PAIRS times, else after words ending in its last character."""
        counts = self.after_word.get((unit, word))
        if counts:
            ending, n = counts.most_common(1)[0]
            if n >= MIN_WORD_PAIRS:
                return ending
        return self._by_char(unit, word)

    def _by_char(self, unit: str, word: str) -> str | None:
        counts = self.after_char.get((unit, word[-1:]))
        if counts:
            ending, n = counts.most_common(1)[0]
            if n >= MIN_CHAR_PAIRS and n >= MIN_SHARE * sum(counts.values()):
                return ending
        return None

    def by_unit(self, unit: str) -> str | None:
        """The word of measure (the vocabulary's: 批次, 人次, 次数 …) most rows in `unit` end with, when most do."""
        counts = Counter()
        for (u, _), c in self.after_word.items():
            if u == unit:
                counts.update(c)
        if not counts:
            return None
        ending, n = counts.most_common(1)[0]
        return ending if n >= MIN_CHAR_PAIRS and n >= MIN_SHARE * sum(counts.values()) and ending in _MEASURE_WORDS else None

    def rename(self, name: str, unit: str | None, cut, written: str = "") -> str:
        """A stated count's name with the ending past rows wrote for its thing in its unit: the reader's word of
        the unit (corpus/vocab/name_endings.json `counted`) is replaced by the learned one: 发生安全事故数量 in 起 →
        安全事故发生数, 查处违法案件数量 in 件 → 查处违法案件数; a unit the vocabulary has no word for takes the word
        of measure its rows agree on (抽检食品数量 in 批次 → 抽检食品批次). The name as it is where past rows say
        nothing else, or where the author's own sentence (`written`) gives its ending after the thing
        (抽检食品样品数量1200批次 keeps 数量)."""
        unit = canonical_unit(unit)
        current = next((e for e in _COUNTED if name.endswith(e)), None)
        if not unit or current is None or len(name) - len(current) < 2:
            return name
        head = name[:-len(current)]
        words = cut(head)
        if not words or words[-1] + current in written:
            return name
        learned = self.ending_for(unit, words[-1])
        if learned is None and len(words) >= 2 and words[-1] in _WORK_WORDS:  # 道路建设: the thing is before the work
            learned = self.ending_for(unit, words[-2])
        if learned is None and len(words) >= 2:  # 查处违法 案件 + 案件数: the ending past rows wrote with the thing
            before = self.after_word.get((unit, words[-2]), Counter())
            learned = next((e for e, n in before.most_common() if n >= MIN_WORD_PAIRS and e.startswith(words[-1])
                            and len(e) > len(words[-1])), None)
        if learned is None and current == GENERIC and unit not in counted_as():
            learned = self.by_unit(unit)
        if learned is None or learned == current:
            return name
        return _join(head, words, learned, cut)

    def place_work(self, name: str, unit: str | None, written: str, number: str = "") -> str:
        """The work written where past rows of the unit write it. Where most of them write the verb first (in 公里, all
        14 library rows that name a work: 新建道路里程, 修建林区作业道长度), a name the reader wrote as
        thing + work + ending (道路建设长度) takes the verb its author wrote before the thing (新建道路12公里 →
        新建道路长度), and a work word the author's words about the thing never write is dropped (…果园路建设2公里、
        寨山石坪果园路2公里 → 寨山石坪果园路长度, not …果园路建设长度: 建设 was the item before's). A work the
        author wrote after the thing stays (小型水利工程建设7个 → 小型水利工程建设数量)."""
        counts = self.order.get(canonical_unit(unit) or "")
        if not counts or counts["verb first"] <= counts["work last"]:
            return name
        ending = next((name[-n:] for n in range(2, 5) if name[-n:] in self.endings or name[-n:] in _COUNTED), None)
        work = _trailing_verb(name[:-len(ending)]) if ending else None
        if not work:
            return name
        thing = name[:-len(ending) - len(work)]
        places = [m.start() for m in re.finditer(re.escape(thing), written)] if len(thing) >= 2 else []
        if not places:
            return name
        near = written.find(number) if number else -1  # the thing written nearest its number (the opening may name it too)
        at = min(places, key=lambda p: abs(p - near)) if near >= 0 else places[0]
        start = max(written.rfind(c, 0, at) for c in _SEPARATORS) + 1
        ends = [i for i in (written.find(c, at + len(thing)) for c in _SEPARATORS) if i >= 0]
        before, after = written[start:at], written[at + len(thing):min(ends, default=len(written))]
        before = _QUANTITY.sub("", before)  # 新建8287公里道路: the verb, with its number and unit between
        if any(v in after for v in _VERBS):
            return name  # 小型水利工程建设7个, 开展安全检测45次: the author wrote the work after the thing
        verb = next((v for v in _VERBS if before.endswith(v)), None)
        if verb:
            return f"{verb}{thing}{ending}"
        if not any(v in before for v in _VERBS):
            return f"{thing}{ending}"
        return name

    def to_json(self) -> dict:
        return {"endings": sorted(self.endings), "order": [[u, list(c.items())] for u, c in self.order.items()],
                "after_word": [[u, w, list(c.items())] for (u, w), c in self.after_word.items()],
                "after_char": [[u, ch, list(c.items())] for (u, ch), c in self.after_char.items()]}

    @classmethod
    def from_json(cls, data: dict | None) -> UnitNames:
        table = cls(frozenset((data or {}).get("endings", ())))
        for unit, word, counts in (data or {}).get("after_word", ()):
            table.after_word[(unit, word)] = Counter(dict(counts))
        for unit, char, counts in (data or {}).get("after_char", ()):
            table.after_char[(unit, char)] = Counter(dict(counts))
        for unit, counts in (data or {}).get("order", ()):
            table.order[unit] = Counter(dict(counts))
        return table


def _leading_verb(name: str) -> str | None:
    return next((v for v in _VERBS if name.startswith(v) and len(name) > len(v) + 2), None)


def _trailing_verb(text: str) -> str | None:
    return next((v for v in _VERBS if text.endswith(v) and len(text) > len(v)), None)


def _join(head: str, words: list[str], ending: str, cut) -> str:
    """The head and the learned ending, every word written once: 查处违法案件 + 案件数 → 查处违法案件数;
    发生安全事故 + 发生数 → 安全事故发生数 (the verb past rows write after the thing)."""
    for n in range(min(len(ending), len(head)) - 1, 0, -1):
        if head.endswith(ending[:n]):
            return head + ending[n:]
    first = cut(ending)[0]
    if len(first) >= 2 and first in words and len(ending) > len(first):
        rest = [w for w in words if w != first]
        if rest:
            return "".join(rest) + ending
    return head + ending


def shortest_ending(name: str, endings) -> str | None:
    return next((name[-n:] for n in range(2, 5) if name[-n:] in endings), None)


def cut_once(cut):
    """`cut` remembered for one learning pass: a sample's names repeat (one form's names in many forms, one
    head under several endings), and a segmenter's own cache holds a few hundred texts. Same words, cut once."""
    return functools.cache(cut)


def word_starts(words) -> set[int]:
    """Where each of a segmented name's words starts (character offsets)."""
    at, out = 0, set()
    for word in words:
        out.add(at)
        at += len(word)
    return out
