"""Placeholder, replaced once ``aitui.core.context`` has a stats API."""

from fastapi import APIRouter

router = APIRouter(tags=["context"])
