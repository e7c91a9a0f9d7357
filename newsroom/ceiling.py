"""The benchmark's ceiling: the cheapest page Django can serve through our middleware.

Mounted only when BENCHMARK_ENDPOINTS is on; see benchmarks/README.md.
"""

from django.http import HttpResponse

# A fixed 2 KB HTML page, built once at import.
_FILLER = "<p>" + "Newsroom benchmark ceiling. " * 70 + "</p>"
PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Ceiling</title></head>"
    f"<body>{_FILLER}</body></html>"
).encode()[:2048]


def ceiling(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")
