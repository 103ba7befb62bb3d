"""Typed path parameters and dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from ecozone.api.auth import app_context, current_principal, signed_in
from ecozone.api.context import AppContext
from ecozone.api.roles import Principal

ParkId = Annotated[str, Path(description="Park identifier.", max_length=64, examples=["demo"])]
FirmId = Annotated[str, Path(description="Firm identifier.", max_length=64, examples=["demo-f01"])]
MeterId = Annotated[str, Path(description="Meter identifier.", max_length=64, examples=["demo-f01-electricity"])]
JobId = Annotated[str, Path(description="Job identifier.", max_length=64, examples=["3f2a9c0d5e7b41a88c0b6d2e1f4a5b6c"])]


async def context_of(request: Request) -> AppContext:
    """FastAPI dependency: the application's shared context."""
    return app_context(request)


Context = Annotated[AppContext, Depends(context_of)]
Caller = Annotated[Principal, Depends(current_principal)]
SignedIn = Annotated[Principal, Depends(signed_in)]
