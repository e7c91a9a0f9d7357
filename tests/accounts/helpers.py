import re

from django.core import mail

LINK = re.compile(r"https?://[^\s]+")


def last_link(path_part: str) -> str:
    """The path of the last e-mailed link containing `path_part`."""
    for message in reversed(mail.outbox):
        for url in LINK.findall(message.body):
            if path_part in url:
                return "/" + url.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"no e-mailed link containing {path_part!r}")
