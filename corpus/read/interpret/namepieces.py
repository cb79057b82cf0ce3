"""Pieces of level labels taken off an indicator's name.

A PDF's text layer prints a level label wrapped in its narrow merged column line by line, on the lines of
the rows beside it ('一、产 出 指 标(必' / '填)', '1、产出' / '指标(50' / '分)'): whatever joins a row's lines
(a wrapped name's tail, a row's first cells, a cell's pieces by layout) may then hand the name a label's
piece before it ('指 标(必 一、数 量 指 标(必填) 保障村（社区）数量') or after it ('市容秩序巡查次数分)',
'造林任务按季节完成率(一)实施效果指标(20'). A name holds no level label and no piece of one: a label's
piece is a framework word's characters with a label's numbering, ending or note (built from
`corpus/framework.py` and `corpus/vocab/label_patterns.json` as `labels.level_label` builds labels, no
list here), and it is cut off the name's ends where the rest still reads as a name. A name made only of
such pieces is left as it is (an indicator named like its label, '社会效益', stays).
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus import framework
from corpus.read.interpret import labels

_MAX_PIECE = 24          # a label with its numbering and notes is short
_MAX_TOKENS = 8          # a label spaced out character by character ('一、产 出 指 标(必')
# a label's note at a text's end, whole or cut at the cell's width: an open bracket with a score's digits or a
# tag's start ('(50', '（必'), a whole note ('(30分)', '(必填)'), a closing piece ('分)', '填)', ')')
_NOTE_END = re.compile(r"(?:[(（](?:\d{1,3}分?|必填?|选填?)|[(（](?:\d{1,3}分|必填|选填)[)）]|"
                       r"(?:\d{0,3}分|必?填|选填)?[)）])$")
@lru_cache(maxsize=1)
def _label_forms() -> tuple[str, ...]:
    """Every framework word with every ending (and none): the texts a label's characters come from."""
    endings = [""] + list(labels.patterns()["level_endings"])
    return tuple(sorted({word + ending for word in framework.level_words() for ending in endings}))


@lru_cache(maxsize=65536)
def inside_label(core: str) -> bool:
    """Whether the text is a run of some label's characters (a framework word with an ending, or a part of one)."""
    return bool(core) and any(core in form for form in _label_forms())


def _notes_off(core: str) -> tuple[str, bool, bool]:
    """The text without its label's numbering and trailing notes; whether it had a numbering, and notes."""
    rest = labels._NUMBERING.sub("", core, count=1)
    numbered, noted = rest != core, False
    for _ in range(3):
        cut = _NOTE_END.search(rest, max(0, len(rest) - 8))
        if cut is None or not cut.group():
            if rest[-1:] in ("(", "（") and (numbered or noted or rest[-2:-1] in (")", "）") or
                                             inside_label(rest[-3:-1])):
                # a bracket opened at the cell's edge after a note or a label's words ('(50分)(', '效益指标('), not
                # a name's own bracket ('合作社（')
                rest, noted = rest[:-1], True
                continue
            break
        rest, noted = rest[:cut.start()], True
    return rest, numbered, noted


@lru_cache(maxsize=65536)
def is_label_piece(text: str) -> bool:
    """A whole level label or a piece of one (see the module): a framework word's characters with a label's
    numbering or note, a note's piece alone ('分)', '(必'), or one or two characters of a label ('指', '标')."""
    core = labels.squash(text)
    if not core or len(core) > _MAX_PIECE:
        return False
    if labels.level_label(core) or labels.label_piece(core):
        return True
    rest, numbered, noted = _notes_off(core)
    if not rest:
        return numbered or noted
    if re.search(r"\d", rest):
        return False
    return inside_label(rest) and (numbered or noted or len(rest) <= 2)


def _head_cut(tokens: list[str]) -> int:
    """How many of the name's first tokens are label pieces (several joined: a label spaced out)."""
    at = 0
    while at < len(tokens) - 1:
        best = 0
        for end in range(at + 1, min(at + _MAX_TOKENS, len(tokens) - 1) + 1):
            joined = labels.squash("".join(tokens[at:end]))
            # (a label's middle line before the name, '象满意度目': any run of a label's characters there)
            if is_label_piece(joined) or inside_label(joined) and not labels.level_label(joined):
                best = end
        if not best:
            break
        at = best
    return at


def _glued_head(core: str) -> int:
    """Where the name begins after a label with its note glued before it ('服务对象满意度（30受益群众满意度',
    '(一)社会效益指标(30分)社会效益'): the longest such head that ends in its note (0 when none)."""
    for end in range(min(len(core) - 2, _MAX_PIECE), 2, -1):
        head = core[:end]
        if head[-1] not in "(（)）" and not head[-1].isdigit():
            continue
        rest, numbered, noted = _notes_off(head)
        name = core[end:]
        if noted and rest and not re.search(r"\d", rest) and labels.level_label(rest) and \
                re.match(r"[\u4e00-\u9fff]{2}", name) and not re.match(r"必填|选填", name):
            return end  # (never inside the note: '(一)成本指标(' + '50', '社会效益(' + '必填')
    return 0


def _tail_cut(core: str) -> int:
    """Where a label's piece glued to the name's end begins (len(core) when none): a framework word's
    characters after a label's numbering ('3.社会效益目') or before a note ('(一)实施效果指标(20', '类（30分）'), or
    a note's closing piece where the name's own brackets do not open it ('巡查次数分)')."""
    unbalanced = core.count(")") + core.count("）") > core.count("(") + core.count("（")
    noted = core[-1:] in _NOTE_CHARS or core[-1:].isdigit()
    for start in range(max(2, len(core) - _MAX_PIECE), len(core)):
        if not noted and core[start] not in _NUMBERING_STARTS and not core[start].isdigit():
            continue  # (a tail carries a note at the end or a numbering at its start: cheap test first)
        if len(labels.strip_decoration(core[:start])) < 2:
            continue
        rest, numbered, noted = _notes_off(core[start:])
        if not (numbered or noted) or re.search(r"\d", rest) or (rest and not inside_label(rest)):
            continue
        tail = core[start:]
        if not numbered and not re.search(r"[(（]", tail) and (rest or not unbalanced):
            continue  # a closing piece ('分)') only where the name's brackets do not open it
        if not rest and not numbered and re.fullmatch(r"[(（]\d{1,3}分[)）]", tail):
            continue  # a score in brackets alone ('(100分)') may be the name's own
        return start
    return len(core)


_NOTE_CHARS = set("()（）分填必选")
_NUMBERING_STARTS = set("(（一二三四五六七八九十第")


@lru_cache(maxsize=65536)  # the same names come back in every form of a long text
def without_label_pieces(name: str) -> str:
    """The name without the label pieces at its ends (see the module); unchanged when nothing is left."""
    if not name or len(name) > 200:
        return name
    tokens = name.split()
    tokens = tokens[_head_cut(tokens):]
    while len(tokens) > 1 and is_label_piece(tokens[-1]) and \
            labels.squash(tokens[-1]) != labels.strip_decoration(tokens[-1]):
        tokens.pop()  # a decorated label's piece spaced off the name's end
    rest = " ".join(tokens)
    rest = rest[_glued_head(rest):].lstrip()
    for _ in range(2):  # ('…人次(必填)2、可持续影响目标(20': a label's piece, then its note)
        rest = rest[:_tail_cut(rest)].rstrip()
    if not labels.squash(rest) or is_label_remnant(rest):
        return name  # nothing but a label's pieces: the row is dropped whole (`is_label_remnant`)
    if labels.level_label(rest) and labels.label_stem(rest) not in labels.squash(name).replace(labels.squash(rest), "", 1):
        return name  # a bare framework word is a name only after its own label ('(一)社会效益指标(30分) 社会效益')
    return rest


@lru_cache(maxsize=65536)
def is_label_remnant(name: str) -> bool:
    """A name that is only a label's piece, or a label with its numbering or note ('分）', '(二)成本指标(50',
    '时效类(20分)'): a row of a wrapped level column, no indicator. A bare framework word stays a name (an
    indicator named like its label, '社会效益')."""
    core = labels.squash(name)
    return is_label_piece(core) and (not labels.level_label(core) or core != labels.strip_decoration(core))
