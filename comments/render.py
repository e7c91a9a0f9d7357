"""The thread list's HTML, written in Python.

A story can carry hundreds of comments on one page; Django's template engine
spends ~0.1 ms on each (dozens of variable lookups), which made the cold
article page several times slower than everything else on it together. Here
each comment is one f-string over values `discussion.build_tree` already
computed. The markup is the one `templates/comments/discussion.html` used to
loop over; the tests read it the same way.
"""

from html import escape

from django.utils.safestring import mark_safe

REPLY_FORM_SLOT = "<!--reply-form-->"


def _meta(n, d):
    author = n["author"]
    name = escape(author["name"])
    if author["avatar"]:
        avatar = (
            f'<img class="comment-avatar" src="{escape(author["avatar"])}" alt="" '
            'width="32" height="32" loading="lazy" decoding="async">'
        )
    else:
        initials = escape(author["initials"])
        avatar = f'<span class="comment-avatar" aria-hidden="true">{initials}</span>'
    inner = f'{avatar}<span class="comment-name">{name}</span>'
    if author["url"]:
        who = f'<a class="comment-author" href="{escape(author["url"])}">{inner}</a>'
    else:
        who = f'<span class="comment-author">{inner}</span>'
    parts = [
        '<header class="comment-meta">',
        who,
        f'<a class="comment-permalink" href="{d.permalink_prefix}{n["pk"]}/">'
        f'<time datetime="{n["iso"]}" title="{escape(n["exact"])}">{escape(n["ago"])}</time></a>',
    ]
    if n["edited"]:
        parts.append('<span class="comment-edited">· edited</span>')
    if n["awaiting"]:
        parts.append('<span class="badge text-bg-warning">awaiting moderation</span>')
    parts.append("</header>")
    return "".join(parts)


def _actions(n, d):
    pk = n["pk"]
    name = escape(n["author"]["name"])
    parts = ['<footer class="comment-actions">']
    if not d.closed:
        parts.append(
            f'<a class="comment-reply-link" href="{escape(d.reply_prefix)}{pk}#reply-form" '
            f'data-reply-to="{pk}" data-reply-name="{name}">Reply'
            f'<span class="visually-hidden"> to {name}</span></a>'
        )
    if n["mine"]:
        if n["editable"]:
            parts.append(f'<a href="/comments/{pk}/edit/">Edit</a>')
        parts.append(f'<a href="/comments/{pk}/delete/">Delete</a>')
    else:
        parts.append(
            f'<a class="comment-report" href="/comments/{pk}/report/" rel="nofollow">Report</a>'
        )
    parts.append("</footer>")
    return "".join(parts)


def render_threads(d):
    """The <li> items of the thread list; REPLY_FORM_SLOT marks where a reply form goes."""
    out = []
    append = out.append
    for n in d.nodes:
        classes = "comment"
        if n["placeholder"]:
            classes += " comment-placeholder"
        elif n["awaiting"]:
            classes += " comment-pending"
        append(f'<li class="comment-item"><article id="comment-{n["pk"]}" class="{classes}">')
        if n["placeholder"]:
            append(f'<p class="comment-gone">{escape(n["placeholder"])}</p>')
        else:
            append(_meta(n, d))
            if n["mention"]:
                append(f'<p class="comment-mention">↪ @{escape(n["mention"])}</p>')
            append(f'<div class="comment-body">{n["html"]}</div>')
            append(_actions(n, d))
        append("</article>")
        if n["reply_here"]:
            append(REPLY_FORM_SLOT)
        append('<ol class="comment-replies">' if n["opens"] else "</li>")
        append("</ol></li>" * len(n["closes"]))
    html = "".join(out)
    before, _, after = html.partition(REPLY_FORM_SLOT)
    return mark_safe(before), mark_safe(after)  # noqa: S308 -- every value escaped above
