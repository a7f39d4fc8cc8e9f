"""E-mail backends for tests only: one that fails, one that is slow and keeps a journal."""

import os
import smtplib
import time

from notifications.backends import MailFolderBackend


class FailingBackend(MailFolderBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"someone@example.org": (550, b"no such user someone@example.org")})


class JournalBackend(MailFolderBackend):
    """Writes the mail folder like the demo, and appends each Message-ID to a journal (O_APPEND).

    CERCHIO_TEST_MAIL_DELAY seconds are spent around each hand-off, half before and half after,
    so a worker killed at a random moment may die on either side of it.
    """

    def send_messages(self, email_messages):
        delay = float(os.environ.get("CERCHIO_TEST_MAIL_DELAY", "0"))
        journal = os.environ["CERCHIO_TEST_MAIL_JOURNAL"]
        for message in email_messages:
            time.sleep(delay / 2)
            super().send_messages([message])
            fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (message.extra_headers["Message-ID"] + "\n").encode())
            finally:
                os.close(fd)
            time.sleep(delay / 2)
        return len(email_messages)
