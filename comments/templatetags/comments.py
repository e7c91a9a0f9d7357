from django import template

from .. import discussion as discussions
from ..forms import CommentForm

register = template.Library()


@register.simple_tag(takes_context=True)
def discussion(context):
    """The discussion under `article` for this reader, with the forms it needs."""
    article = context["article"]
    request = context["request"]
    bound = context.get("comment_form")
    reply_to = None
    if bound is not None and bound.parent_id_value and "parent" not in bound.errors:
        reply_to = bound.parent_id_value
    d = discussions.build(article, request, page=context.get("comment_page"), reply_to=reply_to)
    d.error = context.get("comment_error", "")
    if bound is not None and d.reply_node is not None and not d.can_comment:
        # No form to show under the parent: keep the reader's text at the top instead.
        d.reply_node["reply_here"] = False
        d.reply_node = None
    top_bound = bound is not None and d.reply_node is None
    d.form = bound if top_bound else CommentForm(article=article)
    if d.reply_node is not None:
        reply_bound = bound if bound is not None and not top_bound else None
        d.reply_form = reply_bound or CommentForm(
            article=article, initial={"parent": d.reply_node["pk"]}, auto_id="reply_%s"
        )
        if reply_bound is not None:
            reply_bound.auto_id = "reply_%s"
    else:
        d.reply_form = None
    return d
