"""``python -m aitui.cli``: the same as the ``aitui`` command."""

import sys

from aitui.cli import main

sys.exit(main())
