"""Compressing a text for an LLM's context within a token budget (``aitui.core.compress``).

The same compressor ``execute`` uses on command output, for any text a caller has (a log, a
CI run, a diff): parsers are picked by ``command`` when given, else by the content. It runs in
a worker thread: a megabyte of log takes tens of milliseconds, which the event loop that serves
every session's terminal must not spend.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr

from aitui.core.compress.limits import MIN_BUDGET
from aitui.server.errors import AUTH, BODY
from aitui.server.models import _json_integer

router = APIRouter(tags=["context"])
Budget = Annotated[int, Field(ge=MIN_BUDGET, le=1_000_000), BeforeValidator(_json_integer)]
ExitCode = Annotated[int, Field(ge=-255, le=255), BeforeValidator(_json_integer)]
#: The largest text accepted (the body limit also applies).
MAX_TEXT = 8 * 1024 * 1024


class CompressText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: StrictStr = Field(max_length=MAX_TEXT)
    budget_tokens: Budget | None = Field(
        None, description="At most this many tokens; null: default."
    )
    command: StrictStr | None = Field(None, max_length=4096, description="What printed it.")
    exit_code: ExitCode | None = None


class Compressed(BaseModel):
    text: str
    kind: str = Field(description="The parser that read it (pytest, git-diff, generic...).")
    raw_tokens: int
    compressed_tokens: int
    savings_percent: float


@router.post("/compress", response_model=Compressed, responses={**AUTH, **BODY})
async def compress_text(body: CompressText) -> Compressed:
    from aitui.core.compress import compress  # the compressors load on the first use

    result = await asyncio.to_thread(
        compress,
        body.text,
        body.command,
        body.exit_code,
        count=True,
        budget=body.budget_tokens,
    )
    return Compressed(
        text=result.text,
        kind=result.kind,
        raw_tokens=result.raw_tokens or 0,
        compressed_tokens=result.compressed_tokens or 0,
        savings_percent=round(result.savings_percent, 2),
    )
