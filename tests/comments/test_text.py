from comments.text import linkify, render_body


def test_reader_html_is_escaped_never_rendered():
    html = render_body('<script>alert(1)</script> <b onclick="x()">bold</b>')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_paragraphs_and_line_breaks_are_kept():
    assert render_body("one\ntwo\n\nthree") == "<p>one<br>\ntwo</p><p>three</p>"


def test_windows_line_endings_and_surrounding_blank_lines_are_normalised():
    assert render_body("\r\n\r\none\r\ntwo\r\n\r\n\r\nthree\r\n") == (
        "<p>one<br>\ntwo</p><p>three</p>"
    )


def test_urls_become_links_with_nofollow_ugc_noopener():
    html = linkify("See https://example.com/a?b=1&c=2.")
    assert html == (
        'See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.com/a?b=1&amp;c=2</a>."
    )


def test_www_addresses_link_over_https():
    assert 'href="https://www.example.com"' in linkify("go to www.example.com now")


def test_brackets_around_a_link_stay_outside_it():
    html = linkify("(see https://en.wikipedia.org/wiki/Foo_(bar))")
    assert 'href="https://en.wikipedia.org/wiki/Foo_(bar)"' in html
    assert html.endswith("</a>)")


def test_javascript_urls_are_never_links():
    html = render_body('javascript:alert(1) and "https://x.example/"onmouseover="y"')
    assert 'href="javascript' not in html
    assert 'onmouseover="' not in html


def test_long_urls_are_shortened_in_the_link_text_only():
    url = "https://example.com/" + "a" * 100
    html = linkify(url)
    assert f'href="{url}"' in html and "…</a>" in html
