"""Word segmentation: jieba with a domain dictionary built from the corpus.

`Segmenter().fit(decls)` adds framework terms, agency names, short indicator names and the
domain's compound terms (预算执行率, 满意度, 12345市民热线 …) to a private jieba dictionary,
so they stay whole; `cut` drops form boilerplate (stop words) and punctuation.
"""

from __future__ import annotations

import functools
import importlib
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
from bisect import bisect_left
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

import jieba
import numpy as np

from corpus import framework
from corpus.schema import Declaration

jieba.setLogLevel(logging.WARNING)

DOMAIN_TERMS = (
    "预算执行率", "资金到位率", "资金使用率", "专款专用率", "满意度", "满意率", "知晓率", "知晓度",
    "完成率", "覆盖率", "合格率", "及时率", "办结率", "接通率", "投诉率", "利用率", "使用率",
    "合规性", "规范性", "健全性", "有效性", "及时性", "完备性", "可控性", "增长率",
    "12345市民热线", "12315热线", "市民热线", "服务对象", "社会效益", "经济效益", "生态效益",
    "可持续影响", "智慧微菜场", "信息平台", "信息系统", "办事大厅", "专项资金", "工作经费",
    "绩效目标", "财务管理制度", "项目管理制度", "政府购买服务", "等保", "运维", "修缮",
)
STOP_WORDS = frozenset("""
的 了 和 与 及 等 在 为 对 以 将 是 由 并 或 其 之 于 把 被 从 向 按 通过 进行 开展 实施 做好 加强 进一步
有关 相关 工作 项目 本 我 单位 年度 年 月 日 中 内 上 下 主要 情况 以及 一个 一 个 该 此 其中 根据 按照
目标 指标 绩效 申报 申报表 预算 资金 经费 专项 实现 确保 保障 提高 提升 完成 不断 充分 有效 积极
""".split())
DICT_WORDS, DICT_FREQ, DICT_MANIFEST = "words.txt", "freq.npy", "manifest.json"
_PUNCT = re.compile(r"^[\W_]+$")


BLOCK_CACHE = 8192  # clauses a tokenizer remembers the cut of


def remember_blocks(tokenizer: jieba.Tokenizer, size: int = BLOCK_CACHE) -> jieba.Tokenizer:
    """Have `tokenizer` remember how it cut each block (jieba cuts a text clause by clause: runs of
    han, letters and digits between punctuation, each on its own, by its dictionary alone), so a
    clause that recurs, as the boilerplate of forms does, is cut once. The same cut, bit for bit;
    call it when the dictionary is complete (a word added later would not reach cached clauses)."""
    for name in ("_Tokenizer__cut_DAG", "_Tokenizer__cut_DAG_NO_HMM"):
        cut_block = getattr(tokenizer, name)
        # jieba's cut looks the block cutter up on the instance: this one shadows the method
        setattr(tokenizer, name, functools.lru_cache(maxsize=size)(lambda block, cut=cut_block: tuple(cut(block))))
    return tokenizer


class Segmenter:
    """jieba segmenter with a domain dictionary. The constructor only stores arguments."""

    def __init__(self, extra_words: Iterable[str] = (), stop_words: frozenset[str] = STOP_WORDS):
        self.extra_words = tuple(extra_words)
        self.stop_words = stop_words
        self._tokenizer: jieba.Tokenizer | None = None
        self._base: tuple[list[str], list[int]] | None = None  # fit: the sorted base dictionary …
        self._added: list[str] = []                            # … and the entries our words added to it
        self.words_: list[str] = []

    def fit(self, decls: Iterable[Declaration] = ()) -> Segmenter:
        words = set(DOMAIN_TERMS) | set(self.extra_words)
        words |= {l1 for l1 in framework.LEVEL1} | set(framework.LEVEL2)
        for decl in decls:
            add_declaration_words(decl, words)
        keys, freqs, total = base_dictionary()
        tokenizer = jieba.Tokenizer()
        # a dict (fast lookups while an index build cuts every text), from our copy of jieba's
        # prefix dictionary: ~0.3 s where jieba's own cache takes ~1 s to unmarshal
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(zip(keys, freqs)), total, True
        for word in sorted(words):
            tokenizer.add_word(word, freq=20000)
        # the entries our words added (a dict keeps insertion order: they come last), so `save`
        # inserts them into the sorted base lists instead of sorting and looking up half a million keys
        self._base = (keys, freqs)
        self._added = list(islice(reversed(tokenizer.FREQ), len(tokenizer.FREQ) - len(keys)))
        self._tokenizer = remember_blocks(tokenizer)
        # one recommendation cuts its query several times (BM25, word vectors); a refit starts afresh
        self._cut = functools.lru_cache(maxsize=256)(self._cut_uncached)
        self.words_ = sorted(words)
        return self

    def save(self, directory: Path) -> None:
        """Write the fitted dictionary (jieba's prefix dictionary with our words added) as a sorted
        word list and a frequency array: loading it takes ~0.1 s where jieba's own cache takes ~1 s."""
        if self._tokenizer is None:
            raise RuntimeError("Segmenter.fit must be called before save")
        directory.mkdir(parents=True, exist_ok=True)
        freq = self._tokenizer.FREQ
        # jieba cuts text into blocks of characters that never include a line break: such a
        # dictionary word can never match, so leaving it out changes no cut
        if self._base is not None and len(self._base[0]) + len(self._added) == len(freq):
            keys, freqs = self._entries()
        else:
            keys = sorted(k for k in freq if "\n" not in k and "\r" not in k)
            freqs = [freq[k] for k in keys]
        (directory / DICT_WORDS).write_text("\n".join(keys), encoding="utf-8")
        np.save(directory / DICT_FREQ, np.array(freqs, dtype=np.int64))
        (directory / DICT_MANIFEST).write_text(json.dumps(
            {"total": int(self._tokenizer.total), "entries": len(keys), "words": self.words_,
             "extra_words": list(self.extra_words)}, ensure_ascii=False), encoding="utf-8")

    def _entries(self) -> tuple[list[str], list[int]]:
        """Every key (sorted) and its frequency: the base lists with the added keys inserted, and
        the base words our words re-weighted (add_word sets a known word's frequency) updated. The
        same lists as sorting every key, as no base key holds a break (base_dictionary)."""
        base_keys, base_freqs = self._base
        freq, freqs = self._tokenizer.FREQ, list(base_freqs)
        for word in self.words_:
            i = bisect_left(base_keys, word)
            if i < len(base_keys) and base_keys[i] == word:
                freqs[i] = freq[word]
        keys, out, start = [], [], 0
        for key in sorted(k for k in self._added if "\n" not in k and "\r" not in k):
            i = bisect_left(base_keys, key, start)
            keys += base_keys[start:i]
            out += freqs[start:i]
            keys.append(key)
            out.append(freq[key])
            start = i
        return keys + base_keys[start:], out + freqs[start:]

    @classmethod
    def load(cls, directory: Path, stop_words: frozenset[str] = STOP_WORDS) -> Segmenter:
        """The segmenter `save` wrote; builds nothing (the dictionary is searched in place)."""
        manifest = json.loads((directory / DICT_MANIFEST).read_text(encoding="utf-8"))
        keys = (directory / DICT_WORDS).read_text(encoding="utf-8").split("\n")
        freqs = np.load(directory / DICT_FREQ).tolist()
        if len(keys) != manifest["entries"] or len(freqs) != len(keys):
            raise ValueError(f"{directory}：分词词典条目数不一致")
        segmenter = cls(extra_words=manifest["extra_words"], stop_words=stop_words)
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ = PrefixDictionary(keys, freqs)
        tokenizer.total = manifest["total"]
        tokenizer.initialized = True
        segmenter._tokenizer = remember_blocks(tokenizer)
        segmenter._cut = functools.lru_cache(maxsize=256)(segmenter._cut_uncached)
        segmenter.words_ = manifest["words"]
        return segmenter

    def cut(self, text: str) -> list[str]:
        if self._tokenizer is None:
            self.fit()
        return list(self._cut(text or ""))

    def _cut_uncached(self, text: str) -> tuple[str, ...]:
        tokens = []
        for token in self._tokenizer.lcut(text or ""):
            token = token.strip()
            if token and token not in self.stop_words and not _PUNCT.match(token):
                tokens.append(token)
        return tuple(tokens)


@functools.lru_cache(maxsize=1)  # a build reads it twice (its segmenter, jieba's default): read once; callers never mutate it
def base_dictionary() -> tuple[list[str], list[int], int]:
    """jieba's general prefix dictionary (sorted words, their frequencies, the total), kept once per
    jieba version in the temporary folder in our format (as jieba keeps its own cache there)."""
    cache = Path(tempfile.gettempdir()) / f"zhibiao-jieba-{jieba.__version__}"
    try:
        total = json.loads((cache / DICT_MANIFEST).read_text(encoding="utf-8"))["total"]
        keys = (cache / DICT_WORDS).read_text(encoding="utf-8").split("\n")
        freqs = np.load(cache / DICT_FREQ).tolist()
        if len(keys) == len(freqs):
            return keys, freqs, total
    except (OSError, ValueError, KeyError):
        pass  # absent or torn: written again below
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    keys = sorted(k for k in tokenizer.FREQ if "\n" not in k and "\r" not in k)
    freqs = [tokenizer.FREQ[k] for k in keys]

    def write(folder: Path) -> None:
        (folder / DICT_WORDS).write_text("\n".join(keys), encoding="utf-8")
        np.save(folder / DICT_FREQ, np.array(freqs, dtype=np.int64))
        (folder / DICT_MANIFEST).write_text(json.dumps({"total": tokenizer.total, "entries": len(keys)}),
                                            encoding="utf-8")
    _keep_in_temp(cache, write)
    return keys, freqs, tokenizer.total


def _keep_in_temp(cache: Path, write) -> None:
    """Put a cache folder in place whole or not at all: `write` fills a fresh folder beside it, which
    is renamed to `cache` (a concurrent writer's copy is as good). A read-only temporary folder keeps
    nothing: the next process reads jieba's own dictionary again."""
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{cache.name}.", dir=cache.parent))
    except OSError:
        return
    try:
        write(temp)
        os.rename(temp, cache)
    except OSError:
        shutil.rmtree(temp, ignore_errors=True)


def _initialize_default(tokenizer: jieba.Tokenizer, initialize, dictionary=None) -> None:
    """jieba's default tokenizer (jieba.dt: part-of-speech tagging, jieba.lcut) given the same general
    dictionary from our copy (base_dictionary: ~0.2 s) instead of jieba's marshal cache (~0.6 s):
    every one-shot recommendation tags words with it. Another dictionary goes jieba's own way."""
    if dictionary or tokenizer.dictionary != jieba.DEFAULT_DICT or tokenizer.initialized:
        return initialize(dictionary)
    with tokenizer.lock:
        if not tokenizer.initialized:
            keys, freqs, total = base_dictionary()
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(zip(keys, freqs)), total, True


# jieba looks `initialize` up on the instance (check_initialized, POSTokenizer): this one shadows the method
jieba.dt.initialize = functools.partial(_initialize_default, jieba.dt, jieba.dt.initialize)


@functools.lru_cache(maxsize=1)
def base_tags() -> tuple[list[str], list[str]]:
    """jieba's part-of-speech table (sorted words, their tags; a later line of its dictionary wins,
    as in jieba), kept once per jieba version in the temporary folder beside `base_dictionary`."""
    cache = Path(tempfile.gettempdir()) / f"zhibiao-jieba-tags-{jieba.__version__}"
    try:
        words = (cache / "words.txt").read_text(encoding="utf-8").split("\n")
        tags = (cache / "tags.txt").read_text(encoding="utf-8").split("\n")
        if len(words) == len(tags):
            return words, tags
    except OSError:
        pass  # absent or torn: written again below
    table: dict[str, str] = {}
    with jieba.Tokenizer.get_dict_file(jieba.dt) as f:  # jieba's own reading (POSTokenizer.load_word_tag)
        for line in f:
            line = line.strip().decode("utf-8")
            if line:
                word, _, tag = line.split(" ")
                table[word] = tag
    words = sorted(table)
    tags = [table[w] for w in words]

    def write(folder: Path) -> None:
        (folder / "words.txt").write_text("\n".join(words), encoding="utf-8")
        (folder / "tags.txt").write_text("\n".join(tags), encoding="utf-8")
    _keep_in_temp(cache, write)
    return words, tags


class TagTable:
    """jieba's word → part-of-speech table (`POSTokenizer.word_tag_tab`): `base_tags`' sorted lists,
    searched as the prefix dictionary is (`PrefixDictionary`, tags for frequencies), with the tags of
    words added later (jieba.add_word, merged in by `makesure_userdict_loaded`) on top."""

    __slots__ = ("base", "added")

    def __init__(self, words: list[str], tags: list[str]):
        self.base, self.added = PrefixDictionary(words, tags), {}

    def get(self, word: str, default=None):
        if word in self.added:
            return self.added[word]
        return self.base.get(word, default)

    def __getitem__(self, word: str) -> str:
        tag = self.get(word)
        if tag is None:
            raise KeyError(word)
        return tag

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __setitem__(self, word: str, tag: str) -> None:
        self.added[word] = tag

    def update(self, other) -> None:
        self.added.update(other)


_POS_LOCK = threading.Lock()
_POS: list = []  # [jieba.posseg.dt] once made


def pos_tokenizer():
    """jieba.posseg's tokenizer (tags of jieba's default dictionary), its tag table read from our
    copy (~0.05 s) instead of parsing jieba's dictionary at import (~0.3 s): every one-shot
    recommendation tags the project's words with it. Made once, under a lock: a server's threads
    ask for it at once, and none may see the module half imported."""
    if _POS:
        return _POS[0]
    with _POS_LOCK:
        if not _POS:
            if "jieba.posseg" in sys.modules:  # imported whole by someone else: jieba's own table
                posseg = importlib.import_module("jieba.posseg")
            else:
                jieba.dt.get_dict_file = lambda: io.BytesIO(b"")  # what the module's POSTokenizer(jieba.dt) reads
                try:
                    posseg = importlib.import_module("jieba.posseg")
                finally:
                    del jieba.dt.get_dict_file
                posseg.dt.word_tag_tab = TagTable(*base_tags())
            _POS.append(posseg.dt)
    return _POS[0]


class PrefixDictionary:
    """jieba's prefix dictionary (word or word prefix → frequency) over a sorted word list,
    searched by bisect: the lookups jieba makes (`in`, `[]`, `get`) without building a dict of
    half a million entries. Read-only: a loaded segmenter takes no new words."""

    __slots__ = ("keys", "freqs", "size")

    def __init__(self, keys: list[str], freqs: list[int]):
        self.keys, self.freqs, self.size = keys, freqs, len(keys)

    def _find(self, key: str) -> int:
        i = bisect_left(self.keys, key)
        return i if i < self.size and self.keys[i] == key else -1

    def __contains__(self, key: str) -> bool:
        return self._find(key) >= 0

    def __getitem__(self, key: str) -> int:
        i = self._find(key)
        if i < 0:
            raise KeyError(key)
        return self.freqs[i]

    def get(self, key: str, default=None):
        i = self._find(key)
        return default if i < 0 else self.freqs[i]

    def __len__(self) -> int:
        return self.size

    def __iter__(self):
        return iter(self.keys)

    def __setitem__(self, key: str, value: int) -> None:
        raise TypeError("a loaded segmenter's dictionary is read-only (fit a new Segmenter to add words)")


def add_declaration_words(decl: Declaration, words: set[str]) -> None:
    """The words a declaration adds to the dictionary (kept whole by jieba): its units' names
    and its short indicator names."""
    for unit in (decl.agency, decl.department):
        if unit:
            words.add(unit)
    for indicator in decl.indicators:
        name = re.sub(r"\s", "", indicator.name)
        if 2 <= len(name) <= 6 and not re.search(r"\d", name):
            words.add(name)
