"""An e-mail backend for the benchmarks: builds each message's bytes as SMTP would send them,
then forgets them. Each worker process writes what it handed off to BENCH_SINK_DIR when it exits."""

import atexit
import json
import os
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

_handed = {"messages": 0, "bytes": 0}


class SinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            _handed["bytes"] += len(message.message().as_bytes(linesep="\r\n"))
            _handed["messages"] += 1
        return len(email_messages)


@atexit.register
def _report() -> None:
    folder = os.environ.get("BENCH_SINK_DIR")
    if folder and _handed["messages"]:
        (Path(folder) / f"{os.getpid()}.json").write_text(json.dumps(_handed))
