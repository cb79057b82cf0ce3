"""Dependencies as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.services import ServiceHolder, Services
from api.settings import Settings


def get_holder(request: Request) -> ServiceHolder:
    return request.app.state.holder


def get_services(request: Request) -> Services:
    holder = request.app.state.holder
    holder.check_index()  # another worker may have swapped in a new index (cheap, once a second)
    services = holder.current
    if services is None:
        raise HTTPException(503, "语料库和索引仍在加载，请稍后再试")
    return services  # one snapshot for the whole request


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


HolderDep = Annotated[ServiceHolder, Depends(get_holder)]
ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
