"""What a declaration is about, as one text: the project text an index embeds and cuts for BM25
(the recommend query's peer). Apart from `recommender.index` so the build's page workers
(`recommender.build_pages`) read it without importing the index."""

from __future__ import annotations

from corpus.schema import Declaration

PROJECT_TEXT_CHARS = 400


def project_text(decl: Declaration) -> str:
    """Name, overview and goals, joined, cut at PROJECT_TEXT_CHARS."""
    parts = [decl.project_name or "", decl.texts.get("overview") or "",
             decl.texts.get("overall_goal") or "", decl.texts.get("annual_goal") or ""]
    return "。".join(p for p in parts if p)[:PROJECT_TEXT_CHARS]
