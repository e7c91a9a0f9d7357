"""Reading a discussion: a fixed number of queries, and the tree built in one pass.

The article query carries the counts (`discussion_annotations`), so a story
without comments costs nothing more. One more query fetches every comment of
one page of top-level threads, ordered by thread and path; Python then decides
what each reader sees and precomputes everything the template prints, so the
per-comment template work is a handful of dictionary lookups.
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe

from .models import PATH_WIDTH, Comment, CommentBan
from .render import render_threads
from .text import render_body

SORTS = {
    "oldest": "Oldest first",
    "newest": "Newest first",
    "replies": "Most replies",
}
DEFAULT_SORT = "oldest"
DELETED_USER = "[deleted user]"


def _count(queryset):
    """A correlated COUNT(*) subquery (Func, not an aggregate: no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def thread_has_visible(user, ref="pk"):
    return Exists(Comment.objects.filter(thread_id=OuterRef(ref)).visible_to(user))


def listed_roots(user):
    """Top-level comments whose thread shows at least one comment to this reader."""
    return Comment.objects.filter(parent__isnull=True).filter(thread_has_visible(user))


def discussion_annotations(user):
    """Annotations for an Article query: comment count, thread count, viewer's ban."""
    annotations = {
        "comment_count": listing_comment_count(),
        "comment_threads": _count(listed_roots(user).filter(article_id=OuterRef("pk"))),
    }
    if user is not None and user.is_authenticated:
        annotations["comment_viewer_banned"] = Exists(CommentBan.objects.filter(user_id=user.pk))
    return annotations


def listing_comment_count():
    """For Article listings: the number of published comments, as one subquery per row."""
    return _count(Comment.objects.filter(article_id=OuterRef("pk")).visible())


def reply_count(ref="pk"):
    return _count(Comment.objects.filter(thread_id=OuterRef(ref), parent__isnull=False).visible())


def ordered_roots(user, sort):
    roots = listed_roots(user)
    if sort == "newest":
        return roots.order_by("-created_at", "-pk")
    if sort == "replies":
        return roots.annotate(n_replies=reply_count()).order_by("-n_replies", "created_at", "pk")
    return roots.order_by("created_at", "pk")


def page_of(comment, user, per_page=None):
    """The discussion page (default sort) that shows this comment's thread."""
    per_page = per_page or settings.COMMENTS_THREADS_PER_PAGE
    root = comment if comment.parent_id is None else comment.thread
    before = (
        listed_roots(user)
        .filter(article_id=comment.article_id)
        .filter(created_at__lte=root.created_at)
        .exclude(created_at=root.created_at, pk__gte=root.pk)
        .count()
    )
    return before // per_page + 1


def location(comment, user):
    """The article URL that lands on this comment: right page, right place."""
    page = page_of(comment, user)
    query = f"?page={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"


MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def exact_time(local):
    """ "27 November 2026, 11:38": Django's date filter "j F Y, H:i" at a tenth of the cost."""
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def relative_time(moment, now):
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            if unit == "day" and count > 30:
                return date_format(timezone.localtime(moment), "j M Y")
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"  # pragma: no cover


@dataclass
class Discussion:
    """Everything discussion.html prints, computed once."""

    article: object
    count: int = 0
    threads: int = 0
    nodes: list = field(default_factory=list)
    sort: str = DEFAULT_SORT
    sorts: list = field(default_factory=list)
    page: int = 1
    pages: int = 1
    page_links: list = field(default_factory=list)
    prev_url: str = ""
    next_url: str = ""
    closed: str = ""
    account_problem: str = ""
    can_comment: bool = False
    signed_in: bool = False
    login_url: str = ""
    post_url: str = ""
    reply_prefix: str = ""
    cancel_url: str = ""
    login_url_reply: str = ""
    permalink_prefix: str = ""
    reply_to: int | None = None
    reply_node: dict | None = None
    reply_missing: bool = False
    max_length: int = 5000
    threads_before: str = ""  # the rendered thread list, split where a reply form goes
    threads_after: str = ""


def _page_url(base, sort, page, anchor="#comments"):
    params = {}
    if page > 1:
        params["page"] = page
    if sort != DEFAULT_SORT:
        params["sort"] = sort
    return f"{base}{'?' + urlencode(params) if params else ''}{anchor}"


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def build(article, request, *, page=None, reply_to=None):
    """The discussion of `article` for the reader of `request`."""
    from . import rules

    user = request.user
    signed_in = user.is_authenticated
    get = request.GET
    sort = get.get("sort") if get.get("sort") in SORTS else DEFAULT_SORT
    per_page = max(1, settings.COMMENTS_THREADS_PER_PAGE)
    article_url = article.get_absolute_url()

    count = getattr(article, "comment_count", None)
    threads = getattr(article, "comment_threads", None)
    if count is None or threads is None:  # not annotated: one aggregate query
        from articles.models import Article

        counts = (
            Article.objects.filter(pk=article.pk)
            .annotate(**discussion_annotations(user))
            .values("comment_count", "comment_threads")
            .first()
        ) or {"comment_count": 0, "comment_threads": 0}
        count, threads = counts["comment_count"], counts["comment_threads"]

    pages = max(1, -(-threads // per_page))
    page = _int(page if page is not None else get.get("page"), 1)
    page = min(max(page, 1), pages)
    reply_to = _int(reply_to if reply_to is not None else get.get("reply_to"))

    d = Discussion(
        article=article,
        count=count,
        threads=threads,
        sort=sort,
        page=page,
        pages=pages,
        signed_in=signed_in,
        post_url=f"{article_url}comments/",
        permalink_prefix=f"{article_url}comments/",
        reply_to=reply_to,
        max_length=settings.COMMENTS_MAX_LENGTH,
    )
    here = _page_url(article_url, sort, page, anchor="")
    joiner = "&" if "?" in here else "?"
    d.reply_prefix = f"{here}{joiner}reply_to="
    d.login_url = f"{settings.LOGIN_URL}?next={quote(here + '#comment-form')}"
    d.cancel_url = here
    if reply_to is not None:
        d.login_url_reply = (
            f"{settings.LOGIN_URL}?next={quote(f'{d.reply_prefix}{reply_to}#reply-form')}"
        )
    d.sorts = [
        {"key": key, "label": label, "url": _page_url(article_url, key, 1), "current": key == sort}
        for key, label in SORTS.items()
    ]
    if pages > 1:
        d.page_links = [
            {"number": n, "url": _page_url(article_url, sort, n), "current": n == page}
            for n in range(1, pages + 1)
        ]
        if page > 1:
            d.prev_url = _page_url(article_url, sort, page - 1)
        if page < pages:
            d.next_url = _page_url(article_url, sort, page + 1)

    d.closed = rules.article_problem(article)
    if signed_in:
        banned = getattr(article, "comment_viewer_banned", None)
        d.account_problem = rules.account_problem(user, banned=banned)
    d.can_comment = signed_in and not d.closed and not d.account_problem

    if threads:
        d.nodes = _nodes(article, user, sort, page, per_page, reply_to, d)
        d.threads_before, d.threads_after = render_threads(d)
    if reply_to is not None and d.reply_node is None:
        d.reply_missing = True
    return d


def _nodes(article, user, sort, page, per_page, reply_to, d):
    offset = (page - 1) * per_page
    root_ids = (
        ordered_roots(user, sort)
        .filter(article_id=article.pk)
        .values("pk")[offset : offset + per_page]
    )
    rows = list(
        Comment.objects.filter(thread_id__in=root_ids)
        .select_related("author")
        .order_by("thread_id", "path")
        .only(
            "pk",
            "parent_id",
            "thread_id",
            "depth",
            "path",
            "body",
            "body_html",
            "status",
            "created_at",
            "edited_at",
            "deleted_at",
            "author__username",
            "author__display_name",
            "author__avatar",
            "author__is_active",
        )
    )
    return build_tree(rows, user, sort, reply_to=reply_to, discussion=d)


def build_tree(rows, user, sort=DEFAULT_SORT, *, reply_to=None, discussion=None, now=None):
    """Rows ordered by (thread, path) → the flat list of nodes to print, in one pass each way.

    A comment is shown when the reader may see it, or as a placeholder
    ("[deleted]", "[removed]") when one of its replies is shown.
    """
    from . import rules

    now = now or timezone.now()
    user_id = user.pk if user is not None and user.is_authenticated else None
    published, pending = Comment.Status.PUBLISHED, Comment.Status.PENDING
    window = rules.edit_window()
    by_id = {row.pk: row for row in rows}

    # Backwards: which rows are shown (visible, or with a shown reply below them).
    shown = set()
    for row in reversed(rows):
        visible = row.deleted_at is None and (
            row.status == published or (row.status == pending and row.author_id == user_id)
        )
        if visible or row.pk in shown:
            shown.add(row.pk)
            if row.depth:
                shown.add(int(row.path[-2 * PATH_WIDTH : -PATH_WIDTH]))

    # Forwards: one node per shown row, with everything the template prints.
    authors = {}
    threads = []
    for row in rows:
        if row.pk not in shown:
            continue
        node = _node(row, by_id, authors, user_id, now, window)
        if row.depth == 0 or not threads:
            threads.append([node])
        else:
            threads[-1].append(node)

    if sort == "newest":
        threads.sort(key=lambda t: (t[0]["created_at"], t[0]["pk"]), reverse=True)
    elif sort == "replies":
        threads.sort(key=lambda t: (-sum(n["visible"] for n in t[1:]), t[0]["created_at"]))

    nodes = [node for thread in threads for node in thread]
    for index, node in enumerate(nodes):
        following = nodes[index + 1]["depth"] if index + 1 < len(nodes) else 0
        node["opens"] = following == node["depth"] + 1
        node["closes"] = range(max(0, node["depth"] - following))
        wanted = reply_to is not None and node["pk"] == reply_to
        if wanted and discussion is not None and not node["placeholder"]:
            node["reply_here"] = True
            discussion.reply_node = node
    return nodes


def _author(row, authors):
    author = row.author
    if author is None:
        return {"name": DELETED_USER, "url": "", "avatar": "", "initials": "?"}
    info = authors.get(author.pk)
    if info is None:
        info = authors[author.pk] = {
            "name": author.public_name,
            "url": f"/author/{quote(author.username)}/",
            "avatar": author.avatar_url,
            "initials": author.initials,
        }
    return info


def _node(row, by_id, authors, user_id, now, window):
    status = row.status
    deleted = row.deleted_at is not None
    mine = user_id is not None and row.author_id == user_id
    visible = not deleted and (
        status == Comment.Status.PUBLISHED or (mine and status == Comment.Status.PENDING)
    )
    node = {
        "pk": row.pk,
        "depth": row.depth,
        "created_at": row.created_at,
        "visible": visible,
        "placeholder": "",
        "reply_here": False,
        "mention": "",
    }
    if not visible:
        node["placeholder"] = (
            "[deleted]"
            if deleted
            else "[hidden pending review]"
            if status == Comment.Status.PENDING
            else "[removed]"
        )
        return node
    local = timezone.localtime(row.created_at)
    node.update(
        author=_author(row, authors),
        html=mark_safe(row.body_html or render_body(row.body)),  # noqa: S308 -- escaped on save
        iso=local.isoformat(timespec="seconds"),
        exact=exact_time(local),
        ago=relative_time(row.created_at, now),
        edited=row.edited_at is not None,
        awaiting=status == Comment.Status.PENDING,
        mine=mine,
        editable=mine and now < row.created_at + window,
    )
    # A reply placed beside (not under) the comment it answers says whom it answers.
    if row.parent_id and (
        not row.depth or int(row.path[-2 * PATH_WIDTH : -PATH_WIDTH]) != row.parent_id
    ):
        parent = by_id.get(row.parent_id)
        if parent is not None:
            node["mention"] = (
                _author(parent, authors)["name"] if parent.deleted_at is None else "[deleted]"
            )
    return node


def shared_reader_variant(request, slug, **kwargs):
    """For the page cache: which shared copy of a story this signed-in reader may get.

    None when the reader's view is their own (they commented on this story, or
    are banned); otherwise a name for the readers who see exactly the same page.
    One query.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from . import rules

    user = request.user
    personal = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(
            Q(Exists(Comment.objects.filter(article__slug=slug, author_id=OuterRef("pk"))))
            | Q(Exists(CommentBan.objects.filter(user_id=OuterRef("pk"))))
        )
        .exists()
    )
    if personal:
        return None
    return "reader:" + (rules.account_problem(user, banned=False) or "may-comment")
