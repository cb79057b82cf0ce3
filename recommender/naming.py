"""How indicator names are compared: the keys names are matched and merged by. No project imports,
so the index, the tables and the merge all use it without importing each other.

资金使用合规性 / 资金使用规范性 and 财务管理制度健全性 / 财务管理制度的健全性 are one indicator: names
are compared after removing 的 and punctuation, with the domain's synonyms folded
(规范性 ≈ 合规性, 满意率 ≈ 满意度 …), then by character similarity.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache


def name_key(name: str) -> str:
    """Indicator names compared without spaces, punctuation and 的."""
    return re.sub(r"[\s的、，,。.（）()“”\"《》:：]", "", name)


_SYNONYMS = (("规范性", "合规性"), ("满意率", "满意度"), ("知晓度", "知晓率"), ("执行率", "执行率"),
             ("制度健全", "制度健全"), ("使用及时性", "使用及时性"), ("有效率", "有效率"))
SIMILAR_NAMES = 0.85  # SequenceMatcher ratio above which two names of one class are merged


@lru_cache(maxsize=65536)  # names repeat across queries (library, corpus): fold each once
def merge_key(name: str) -> str:
    key = name_key(name)
    for variant, canonical in _SYNONYMS:
        key = key.replace(variant, canonical)
    return re.sub(r"^(财务|项目)?(管理)?制度的", r"\1\2制度", key)


@lru_cache(maxsize=65536)
def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, merge_key(a), merge_key(b)).ratio()
