"""PrepDesk from a checkout: ``python main.py`` opens the window, ``python main.py COMMAND`` runs it.

The installed ``prepdesk`` program is the same function (ui/launcher.py).
"""

from __future__ import annotations

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
