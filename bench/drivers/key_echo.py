"""The floor for key latency: a terminal program that answers each key at once with the next line given.

It reads the terminal raw and writes its i-th argument after the i-th key, so the harness sees the
same needles it waits for in batchtui. What it measures is the pseudo-terminal and the harness itself.
"""

import os
import sys
import termios
import tty

fd = sys.stdin.fileno()
saved = termios.tcgetattr(fd)
tty.setraw(fd)
try:
    os.write(1, b"ready\r\n")
    for answer in sys.argv[1:]:
        key = os.read(fd, 64)  # an arrow key's escape sequence arrives in one read
        if not key or key == b"q":
            break
        os.write(1, answer.encode() + b"\r\n")
    while os.read(fd, 64) not in (b"q", b""):  # wait for the harness's quit key, as batchtui does
        pass
finally:
    termios.tcsetattr(fd, termios.TCSADRAIN, saved)
