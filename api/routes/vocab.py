from __future__ import annotations

from fastapi import APIRouter

from api.openapi import errors
from corpus import framework
from corpus.vocab import labels
from models.measure import MEASURE_LABELS

router = APIRouter(prefix="/v1", tags=["vocabulary"])


@router.get("/vocab/labels", responses=errors())
def vocab_labels() -> dict[str, dict[str, str]]:
    """Chinese labels for every code the answers carry (target kinds, check kinds, what a target
    measures, origins, finding codes, severities, error codes …): the page shows these, never
    the codes. `level1_order`: the position of each first level in a shown table (corpus/framework.py)."""
    return {**labels(), "measures": dict(MEASURE_LABELS),
            "level1_order": {level1: str(n) for n, level1 in enumerate(framework.DISPLAY_ORDER)}}
