"""``python -m gameliftstreams_mock [OPTIONS]``: runs the installed executable with OPTIONS,
for when the environment's scripts directory is not on PATH."""

from __future__ import annotations

import os
import subprocess
import sys

from ._mock import MockStartError, find_binary


def main() -> int:
    try:
        binary = find_binary()
    except MockStartError as e:
        print(f"gameliftstreams-mock: {e}", file=sys.stderr)
        return 127
    if os.name == "posix":
        os.execv(binary, [binary, *sys.argv[1:]])
    return subprocess.call([binary, *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
