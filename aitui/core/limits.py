"""Bounds shared by the scripting commands and the HTTP API, in a module that imports nothing:
``aitui new`` checks its PATH against one before it sends it, and reaching it through
``aitui.core.hosting`` loaded the host's types, the activity tracker and ``asyncio``."""

from __future__ import annotations

#: The longest ``NewSession.search_path`` the HTTP API takes; a longer PATH is not sent (the
#: server's own is used). Past 8,192 the schema fuzzer cannot make a too-long one.
SEARCH_PATH_MAX = 8_192
