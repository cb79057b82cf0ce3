from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.openapi import errors
from api.schemas import RecommendationOut, RecommendationRequest
from recommender.recommend import recommend

router = APIRouter(prefix="/v1", tags=["recommend"])


@router.post("/recommendations", response_model=RecommendationOut, responses=errors(400, 413, 422, 503))
async def recommendations(body: RecommendationRequest, services: ServicesDep) -> dict:
    result = await run_in_threadpool(recommend, services.engine, project_name=body.project_name,
                                     description=body.description, agency=body.agency, top_k=body.top_k,
                                     framework=body.framework)
    return {**result.to_dict(), "corpus_hash": services.corpus_hash}
