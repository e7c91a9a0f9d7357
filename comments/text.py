"""Reader text to safe HTML: escaped, paragraphs and line breaks kept, URLs linked.

Comments are plain text. Nothing a reader types ever reaches the page as
markup: every character is escaped, and the only tags in the output are the
<p>, <br> and <a> we write ourselves.
"""

import re

from django.utils.html import escape

# http(s)://… or www.…, up to whitespace or a character that cannot be in a URL.
URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'`]+")
TRAILING_PUNCTUATION = ".,;:!?'\"*"
PARAGRAPH_RE = re.compile(r"\n[ \t]*\n\s*")
MAX_LINK_TEXT = 60


def _trim(url):
    """Drop sentence punctuation and an unbalanced closing bracket from a URL's end."""
    while url:
        last = url[-1]
        if last in TRAILING_PUNCTUATION or last == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def _link(url):
    href = url if url.lower().startswith(("http://", "https://")) else "https://" + url
    text = url if len(url) <= MAX_LINK_TEXT else url[: MAX_LINK_TEXT - 1] + "…"
    return f'<a href="{escape(href)}" rel="nofollow ugc noopener">{escape(text)}</a>'


def linkify(text):
    """Escape `text` and turn the URLs in it into links (no other markup)."""
    out = []
    position = 0
    for match in URL_RE.finditer(text):
        url = _trim(match.group(0))
        if not url or url.lower() in ("http://", "https://", "www."):
            continue
        out.append(escape(text[position : match.start()]))
        out.append(_link(url))
        position = match.start() + len(url)
    out.append(escape(text[position:]))
    return "".join(out)


def render_body(text):
    """Plain text to HTML paragraphs; single newlines become <br>."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = (p.strip() for p in PARAGRAPH_RE.split(text))
    return "".join(
        "<p>" + "<br>\n".join(linkify(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )
