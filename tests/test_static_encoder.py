"""The shipped static-e5 table: consistent files, tokens read from real forms, fallbacks, safety."""

import hashlib
import json
import re
import shutil
import threading

import numpy as np
import pytest

from models.encoders import EncoderError, make_encoder
from models.encoders import distil
from models.encoders.static import DATA_DIR, MANIFEST_FILE, MAP_FILE, TABLE_FILE, VOCAB_FILE, StaticEncoder

MANIFEST = json.loads((DATA_DIR / MANIFEST_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def static():
    return make_encoder("static-e5")


def test_manifest_describes_the_shipped_table():
    table = np.load(DATA_DIR / TABLE_FILE, mmap_mode="r")
    vocab = (DATA_DIR / VOCAB_FILE).read_text(encoding="utf-8").splitlines()
    assert table.dtype == np.float16
    assert table.shape == (MANIFEST["vocabulary_size"], MANIFEST["dimension"]) == (len(vocab), 256)
    assert (DATA_DIR / TABLE_FILE).stat().st_size <= 20 * 2**20
    assert MANIFEST["teacher"].startswith("intfloat/multilingual-e5-small")
    assert np.load(DATA_DIR / MAP_FILE).shape == (MANIFEST["dimension"] + 1, MANIFEST["dimension"])
    # the sentence-level tuning step must bring the table closer to its teacher on held-out text
    # (Spearman of e5's own pairwise cosines, texts of every length mixed), with the ridge that
    # agreed best
    tuning = MANIFEST["tuning"]
    assert tuning["held_out_spearman_tuned"] >= tuning["held_out_spearman_untuned"] + 0.03
    assert tuning["held_out_spearman_tuned"] == max(tuning["held_out_spearman_by_ridge"].values())
    # nothing of the field forms (the out-of-sample evaluation) went into the shipped table
    assert not any("field" in source for source in MANIFEST["vocabulary_sources"])
    digest = hashlib.sha256(b"".join((DATA_DIR / name).read_bytes() for name in (TABLE_FILE, VOCAB_FILE, MAP_FILE)))
    assert MANIFEST["fingerprint"] == digest.hexdigest()[:16]


def test_table_is_memory_mapped_and_encoder_config_matches_manifest(static):
    static.encode_queries(["预算执行率"])
    assert isinstance(static._table, np.memmap)
    assert (static.id, static.dim) == ("static-e5", MANIFEST["dimension"])


def test_real_project_names_are_read_as_domain_words(static):
    # project names of the bundled Shanghai seed forms
    assert static.tokens("上海智慧微菜场建设") == ["上海", "智慧微菜场", "建设"]
    assert static.tokens("知识产权(专利扶持)专项资金") == ["知识产权", "专利", "扶持", "专项资金"]
    assert static.tokens("12345市民热线工单办结率") == ["12345市民热线", "工单", "办结率"]


def test_words_outside_the_vocabulary_fall_back_to_characters(static):
    # field form A-001's description: the village name 水濂村 is no word, so it is read as
    # characters, of which the rare 濂 (GB2312 level 2; the table reads no field-form text) has no
    # row and is skipped, as is the bare number 6
    assert static.tokens("为水濂村带来观光游客不少于6万人") == [
        "为", "水", "村", "带来", "观光", "游客", "不少于", "万人"]
    assert static.tokens("XYZ监测站") == ["监测站"]  # a Latin run without rows is skipped
    assert static.tokens("") == [] and static.tokens("……，。 ") == []
    assert np.all(static.encode_passages([""]) == 0)


def test_related_domain_texts_are_closer(static):
    # e5's mean direction is kept, so (as with e5: 0.93 and 0.82) every cosine is high; the order
    # is what counts
    a, b, c = static.encode_queries(["植树造林", "国土绿化营造林", "城乡居民最低生活保障"])
    assert a @ b > a @ c + 0.05


def test_encoding_from_many_threads_matches_one_thread(static):
    texts = [f"第{i}批社区智慧微菜场建设与市民满意度" for i in range(64)]
    expected = static.encode_passages(texts)
    results = [None] * 8

    def work(n):
        results[n] = static.encode_passages(texts)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.array_equal(r, expected) for r in results)


def test_index_made_with_another_table_is_refused(static, tmp_path):
    static.save(tmp_path)
    assert static.load(tmp_path) is static
    state = json.loads((tmp_path / "static_encoder.json").read_text(encoding="utf-8"))
    state["fingerprint"] = "0000000000000000"
    (tmp_path / "static_encoder.json").write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(EncoderError, match="由 static-e5 词表 0000000000000000 生成.*请重建索引"):
        static.load(tmp_path)


def test_missing_or_damaged_table_is_named(tmp_path):
    with pytest.raises(EncoderError, match=re.escape(f"缺少 {tmp_path}/manifest.json") + ".*distil"):
        StaticEncoder(tmp_path)
    for name in (MANIFEST_FILE, VOCAB_FILE, MAP_FILE):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    np.save(tmp_path / TABLE_FILE, np.zeros((10, 256), dtype=np.float16))
    with pytest.raises(EncoderError, match=r"形状为 \(10, 256\).*不符"):
        StaticEncoder(tmp_path).encode_queries(["预算"])
    shutil.copy(DATA_DIR / TABLE_FILE, tmp_path / TABLE_FILE)
    np.save(tmp_path / MAP_FILE, np.zeros((256, 256), dtype=np.float32))
    with pytest.raises(EncoderError, match=r"map.npy 形状为 \(256, 256\)，应为 \(257, 256\).*distil"):
        StaticEncoder(tmp_path).encode_queries(["预算"])


def test_gb2312_level1_is_the_3755_common_characters():
    chars = distil.gb2312_level1()
    assert (len(chars), chars[0], chars[-1]) == (3755, "啊", "座")


def test_terms_file_reader_skips_comments():
    terms = distil.read_terms()
    assert {"财政", "预算", "绩效", "乡村振兴", "低保", "造林"} <= set(terms)
    assert not any(t.startswith("#") for t in terms)


def test_json_strings_walks_any_library_schema():
    value = {"kinds": [{"name": "造林", "keywords": ["苗木", "成活率"], "n": 3}], "version": "1"}
    assert distil.json_strings(value) == ["造林", "苗木", "成活率", "1"]
