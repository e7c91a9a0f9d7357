import factory
from django.utils import timezone

from comments.demo import reset_id_sequence
from comments.models import Comment
from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A published comment, placed in its thread like post_comment places it."""

    class Meta:
        model = Comment

    article = factory.LazyAttribute(lambda c: c.parent.article if c.parent else ArticleFactory())
    author = factory.SubFactory(UserFactory)
    parent = None
    body = factory.Sequence(lambda n: f"Comment number {n}.")
    created_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        comment = model_class(*args, **kwargs)
        comment.save()
        comment.place(comment.parent)
        Comment.objects.filter(pk=comment.pk).update(
            thread_id=comment.thread_id, depth=comment.depth, path=comment.path
        )
        return comment


def bulk_discussion(article, authors, *, threads, replies_per_thread=0, start_pk=None):
    """Many comments fast: explicit ids so thread and path are known before inserting."""
    from django.db.models import Max

    from comments.text import render_body

    next_pk = start_pk or (Comment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    now = timezone.now() - timezone.timedelta(days=1)
    rows = []
    for t in range(threads):
        root = Comment(
            pk=next_pk,
            article=article,
            author=authors[t % len(authors)],
            body=f"Thread {t} starts here.",
            created_at=now + timezone.timedelta(seconds=next_pk),
        )
        root.place(None)
        next_pk += 1
        rows.append(root)
        parent = root
        for r in range(replies_per_thread):
            reply = Comment(
                pk=next_pk,
                article=article,
                author=authors[(t + r + 1) % len(authors)],
                parent=parent,
                body=f"Reply {r} in thread {t}: see https://example.com/{t}/{r}.",
                created_at=now + timezone.timedelta(seconds=next_pk),
            )
            reply.place(parent)
            next_pk += 1
            rows.append(reply)
            parent = reply if r % 2 == 0 else root
    for row in rows:
        row.body_html = render_body(row.body)
    Comment.objects.bulk_create(rows, batch_size=1000)
    reset_id_sequence()  # explicit ids leave PostgreSQL's sequence behind
    return rows
