"""The smallest budget ``compress`` accepts, apart from the compressors: the HTTP API's request
model needs it when the server starts, and the compressors load on the first compression."""

from __future__ import annotations

#: Smallest budget ``compress`` accepts: room for the summary lines of a huge output.
MIN_BUDGET = 64
