"""A program asking for kitty's keyboard protocol, for ``test_kitty_keys_pilot.py``.

Pushes the flags given (``CSI > flags u``), asks which are on (``CSI ? u``), then prints what
it reads, one ``got ...`` line per read, in hex; ``p`` pops the flags, ``q`` quits.
"""

import os
import sys
import termios
import tty

fd = sys.stdin.fileno()
old = termios.tcgetattr(fd)
tty.setraw(fd)
try:
    os.write(1, b"\x1b[>%su\x1b[?u" % sys.argv[1].encode())
    answer = b""
    while not answer.endswith(b"u"):
        answer += os.read(fd, 1)
    os.write(1, b"flags " + answer[3:-1] + b"\r\n")
    while True:
        data = os.read(fd, 64)
        os.write(1, b"got " + data.hex().encode() + b"\r\n")
        if data == b"p":
            os.write(1, b"\x1b[<u")
        if data == b"q":
            break
finally:
    termios.tcsetattr(fd, termios.TCSADRAIN, old)
