"""Summaries of old context messages: the user's model when configured, else built in.

``ContextConfig.summarization_model`` may be a callable (``str -> str``), or a model *name*:
then ``summarization_base_url`` names an OpenAI-compatible endpoint (OpenAI, a local llama.cpp
or vLLM server, an Ollama ``/v1``...) and ``summarization_api_key_env`` the environment
variable holding its key. The key itself is never in a config file: only the variable's name.
A name without a base URL, or an endpoint that fails, gives the built-in extractive summary,
and the summary says so (``source`` below), so nobody mistakes it for a model's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from aitui.core.errors import ConfigError

Summarizer = Callable[[str], str]

log = logging.getLogger(__name__)

PROMPT = (
    "Summarise these earlier messages of a terminal session for an AI agent that will continue "
    "the work. Keep commands run, their exit status, every error message and failing test "
    "verbatim, file paths and decisions taken. Be terse: bullet points, no preamble."
)
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Characters of text sent to the endpoint at most (the oldest part goes first).
MAX_INPUT_CHARS = 200_000


class SummarizerError(RuntimeError):
    """The endpoint could not be reached or answered something unusable."""


def check_key_env(name: str | None) -> None:
    """``ConfigError`` unless ``name`` looks like an environment variable's name (not a key)."""
    if name is not None and not ENV_NAME_RE.match(name):
        raise ConfigError(
            "summarization_api_key_env must name an environment variable (such as "
            "OPENAI_API_KEY), not hold the key itself"
        )


@dataclass(frozen=True)
class OpenAICompatible:
    """``POST {base_url}/chat/completions`` with ``model``; the key read from ``key_env``."""

    model: str
    base_url: str
    key_env: str | None = None
    timeout: float = 30.0
    max_tokens: int = 512

    def __call__(self, text: str) -> str:
        body = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": PROMPT},
                {"role": "user", "content": text[-MAX_INPUT_CHARS:]},
            ],
            "max_tokens": self.max_tokens,
            "temperature": 0,
        }
        headers = {"Content-Type": "application/json"}
        if self.key_env:
            key = os.environ.get(self.key_env)
            if not key:
                raise SummarizerError(f"environment variable {self.key_env} is not set")
            headers["Authorization"] = f"Bearer {key}"
        url = self.base_url.rstrip("/") + "/chat/completions"
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.loads(response.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SummarizerError(f"{url}: {exc}") from None
        try:
            content = reply["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise SummarizerError(f"{url}: no choices[0].message.content in reply") from None
        if not isinstance(content, str) or not content.strip():
            raise SummarizerError(f"{url}: empty summary")
        return content


def resolve(
    model: Summarizer | str | None,
    base_url: str | None,
    key_env: str | None,
    timeout: float,
    max_tokens: int,
) -> tuple[Summarizer | None, str]:
    """The summariser to call (``None``: the built-in one) and why, for the summary's header."""
    if model is None:
        return None, "built-in extractive summary"
    if callable(model):
        return model, "summarization model"
    if not base_url:
        return None, (f"built-in extractive summary: model {model!r} has no summarization_base_url")
    return (
        OpenAICompatible(model, base_url, key_env, timeout, max_tokens),
        f"summary by {model}",
    )


#: Requests to endpoints under way (the loop keeps only weak references to its futures).
_ASKING: set[asyncio.Future[str]] = set()


def loop_to_spare(model: Summarizer | None) -> asyncio.AbstractEventLoop | None:
    """The event loop running on this thread, when ``model`` is an endpoint to ask over the
    network: there the request must not block. A session's context compresses in the loop's
    reader callback (a command ended), and the call blocked that loop for as long as the
    endpoint took, up to ``summarization_timeout`` (30 s): every session's output, the HTTP
    API and the attached dashboards stopped with it (3.0 s of loop lag for an endpoint taking
    3 s). Without a loop (a script calling ``compress_context``), the call is awaited there.
    A callable given as the model is the caller's own, and is called where it is."""
    if not isinstance(model, OpenAICompatible):
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def ask_later(
    loop: asyncio.AbstractEventLoop,
    model: Summarizer,
    text: str,
    done: Callable[[str | None], None],
) -> None:
    """Ask ``model`` to summarise ``text`` in a worker thread; ``done`` is called on the loop
    with its answer, or with ``None`` when it failed (logged)."""
    future: asyncio.Future[str] = loop.run_in_executor(None, model, text)
    _ASKING.add(future)

    def finished(future: asyncio.Future[str]) -> None:
        _ASKING.discard(future)
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            log.warning("summarization model failed (%s); using the built-in summary", error)
            done(None)
        else:
            done(future.result())

    future.add_done_callback(finished)
