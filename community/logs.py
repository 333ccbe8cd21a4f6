"""Logging filters (settings.LOGGING)."""

import logging
import time


class RateLimitedWarning(logging.Filter):
    """
    Passes one record per `seconds`, as a WARNING without its traceback, and
    counts the ones it held back in the next one it passes.

    For noise that an operator should see but not drown in: Django logs each
    request with a wrong Host header at ERROR with a full traceback, and any
    scanner sends thousands.
    """

    def __init__(self, seconds=60):
        super().__init__()
        self.seconds = seconds
        self.quiet_until = 0.0
        self.held_back = 0

    def filter(self, record):
        now = time.monotonic()
        if now < self.quiet_until:
            self.held_back += 1
            return False
        self.quiet_until = now + self.seconds
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        if self.held_back:
            record.msg = f"{record.getMessage()} (and {self.held_back} more like it)"
            record.args = ()
            self.held_back = 0
        return True
