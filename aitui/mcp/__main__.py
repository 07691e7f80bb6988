"""``python -m aitui.mcp [--agent]``: see ``aitui.mcp.stdio``."""

import sys

from aitui.mcp.stdio import main

sys.exit(main())
