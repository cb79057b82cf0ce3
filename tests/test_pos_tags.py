"""The part-of-speech tokenizer composed rows use reads jieba's tag table from our copy
(models.segment.pos_tokenizer): the same table and the same tags as jieba's own."""

import json
import subprocess
import sys

import jieba
from jieba.posseg import POSTokenizer

from models.segment import TagTable, base_tags
from tests.conftest import ROOT


def test_our_tag_table_is_jiebas():
    own = POSTokenizer(jieba.Tokenizer()).word_tag_tab  # jieba parsing its dictionary itself
    words, tags = base_tags()
    assert len(words) == len(own) == 349045
    table = TagTable(words, tags)
    assert all(table.get(word) == tag for word, tag in own.items())
    assert table.get("没有这个词") is None and "道路" in table and table["道路"] == "n"


TEXTS = ("城市道路养护：对全区道路进行日常养护维修，确保道路完好率和市民满意度达到95%以上（abc 123）",
         "2023年石门村500亩高标准农田建设项目", "为脱贫户发放补贴资金")


def test_tags_are_jiebas_own():
    # a fresh process: here jieba.posseg is imported already (above), with jieba's own table
    code = ("import json; from models.segment import pos_tokenizer; t = pos_tokenizer(); "
            "print(json.dumps([type(t.word_tag_tab).__name__] + "
            f"[[list(p) for p in t.cut(x, HMM=False)] for x in {TEXTS!r}], ensure_ascii=False))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    kind, *ours = json.loads(done.stdout)
    own = POSTokenizer(jieba.Tokenizer())
    assert kind == "TagTable"
    assert ours == [[list(p) for p in own.cut(x, HMM=False)] for x in TEXTS]


def test_a_word_added_later_takes_its_tag():
    table = TagTable(*base_tags())
    table.update({"雾炮车": "n"})
    assert table.get("雾炮车") == "n"


def test_threads_asking_at_once_get_one_tokenizer():
    # a server's threads tag their first requests at once: none may see jieba.posseg half imported
    code = ("import threading; from models.segment import pos_tokenizer\n"
            "got, failed = [], []\n"
            "def ask():\n"
            "    try: got.append((id(pos_tokenizer()), [tuple(p) for p in pos_tokenizer().cut('补贴发放', HMM=False)]))\n"
            "    except Exception as exc: failed.append(repr(exc))\n"
            "threads = [threading.Thread(target=ask) for _ in range(16)]\n"
            "[t.start() for t in threads]; [t.join() for t in threads]\n"
            "print(len(got), len({g[0] for g in got}), len(failed), got[0][1])")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split(maxsplit=3)[:3] == ["16", "1", "0"]
    assert "('补贴', 'n')" in done.stdout
