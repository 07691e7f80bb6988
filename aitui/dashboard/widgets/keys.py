"""The key tables moved to the core (``aitui.core.keys``), shared with ``aitui keys``."""

from aitui.core.keys import key_to_bytes, paste_bytes

__all__ = ["key_to_bytes", "paste_bytes"]
