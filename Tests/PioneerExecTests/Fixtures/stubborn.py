#!/usr/bin/env python3
"""A test plugin that ignores SIGTERM and never answers: only SIGKILL stops it."""
import signal
import sys
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)
sys.stderr.write("warning: ignoring SIGTERM\n")
sys.stderr.flush()
while True:
    time.sleep(1)
