"""A program reading a paste, for ``test_paste.py``: with ``bracketed`` it asks for bracketed
paste first. Every byte read goes to the file given, as it came; each read prints ``read N``
(the bytes so far), and ``ready`` says it is reading."""

import os
import sys
import termios
import tty

out, mode = sys.argv[1], sys.argv[2]
fd = sys.stdin.fileno()
old = termios.tcgetattr(fd)
tty.setraw(fd)
try:
    if mode == "bracketed":
        os.write(1, b"\x1b[?2004h")
    os.write(1, f"ready {mode}\r\n".encode())
    total = 0
    with open(out, "wb") as fh:
        while True:
            data = os.read(fd, 4096)
            fh.write(data)
            fh.flush()
            total += len(data)
            os.write(1, f"read {total}\r\n".encode())
finally:
    if mode == "bracketed":
        os.write(1, b"\x1b[?2004l")
    termios.tcsetattr(fd, termios.TCSADRAIN, old)
