"""An e-mail backend for the demo: one .eml file per message in EMAIL_FILE_PATH.

Each file is named after the message's Message-ID, so a message written twice replaces
its file instead of adding a copy, the way a mail server recognises a resend.
"""

import hashlib
import os
import re
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]")


class MailFolderBackend(EmailBackend):
    def write_message(self, message) -> None:  # unused: send_messages writes one file per message
        raise NotImplementedError

    def send_messages(self, email_messages) -> int:
        folder = Path(self.file_path)
        sent = 0
        for message in email_messages:
            mime = message.message()
            message_id = mime["Message-ID"] or ""
            name = _UNSAFE.sub("_", message_id.strip("<> ")) or hashlib.sha256(mime.as_bytes()).hexdigest()
            target = folder / f"{name}.eml"
            partial = folder / f".{name}.{os.getpid()}.tmp"
            partial.write_bytes(mime.as_bytes(linesep="\n"))
            os.replace(partial, target)  # whole files only: a reader never sees half a message
            sent += 1
        return sent
