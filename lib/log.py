"""Logging helpers referenced from settings.LOGGING."""

import logging

MAX_MESSAGE = 300


class OneLine(logging.Filter):
    """Drops the traceback and keeps the message to one short line.

    A scanner sends thousands of requests with a wrong Host header: each one is worth
    a line in the log, not a kilobyte of traceback that buries what matters.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        message = " ".join(record.getMessage().split())
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        record.msg, record.args = message, None
        return True
