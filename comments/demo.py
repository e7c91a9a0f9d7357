"""Demo discussions for seed_demo: idempotent, and bulk-inserted so scale is cheap.

Comments get explicit ids, so each one's thread and path are known before the
insert: no second pass. On PostgreSQL the id sequence is reset afterwards.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from .models import Comment
from .text import render_body

COMMENTERS = [
    ("amara", "Amara Okafor"),
    ("ben", "Ben Carter"),
    ("chen", "Chen Wei"),
    ("dara", "Dara Byrne"),
    ("eli", "Eli Navarro"),
    ("farah", "Farah Haddad"),
    ("gus", "Gus Lindqvist"),
    ("hana", "Hana Sato"),
]
OPENERS = [
    "This is the first time I've seen the numbers laid out so clearly.",
    "I live two streets from the river and nobody asked us about any of this.",
    "Good reporting, but the piece leaves out who actually pays for it.",
    "The council has promised this before. What is different this time?",
    "Worth reading the full report: https://example.org/report.pdf",
    "My grandmother remembers when the same plan was floated in the seventies.",
    "Genuinely curious how this compares with what other cities have tried.",
    "The second half of the article is the important part.",
    "Finally some good news for people who rent.",
    "I'd like to see a follow-up in a year to see whether any of it happened.",
]
REPLIES = [
    "Agreed, although the timeline looks optimistic to me.",
    "Not sure that's right: the figures in paragraph four say otherwise.",
    "Do you have a source for that? Happy to be corrected.",
    "Here it is: https://example.com/data/2026/housing.csv (page 12).",
    "That's a fair point, I hadn't thought about the transport side.",
    "We had exactly this in our town.\n\nIt took three years, but it worked.",
    "I think both things can be true at once.",
    "Same experience here.",
    "The consultation closes next month, for anyone who wants a say.",
    "Thanks, that's useful context.",
    "Respectfully, I disagree. The costs fall on the people least able to pay.",
    "Ha, yes. Every few years, like clockwork.",
]
FOLLOW_UPS = [
    "Either way, thanks for covering it.",
    "I'll be at the public meeting on Thursday if anyone wants to talk about it.",
    "The comments here are more useful than most of the debate on TV.",
    "Would love to hear from someone who works in planning.",
    "Happy to be proved wrong in a year's time.",
    "And nobody mentions the buses.",
    "Numbers matter less than whether people actually use it.",
    "",
]
MAIN_DISCUSSION = 300
SMALL_DISCUSSIONS = 8


def seed_comments(stdout, *, extra=0, password=None):
    """Demo commenters, a ~300-comment discussion, a few small ones, and `extra` more."""
    from articles.models import Article

    rng = random.Random(5)
    users = _commenters(password)
    live = list(Article.objects.published().order_by("-featured", "-published_at", "pk"))
    if not live:
        return
    main, small = live[0], live[1 : 1 + SMALL_DISCUSSIONS]
    made = 0
    with transaction.atomic():
        if not Comment.objects.filter(article=main).exists():
            made += _discussion(main, users, MAIN_DISCUSSION, rng, extras=True)
        for article in small:
            if not Comment.objects.filter(article=article).exists():
                made += _discussion(article, users, rng.randint(3, 18), rng)
    base = [main.pk] + [a.pk for a in small]
    if extra:
        existing = Comment.objects.exclude(article_id__in=base).count()
        others = Article.objects.published().exclude(pk__in=base).only("pk", "published_at")
        others = list(others) or live
        made += _bulk_extra(max(0, extra - existing), others, users, rng)
    stdout.write(
        f"Comments: {made} new, {Comment.objects.count()} in all "
        f"({Comment.objects.filter(article=main).count()} under “{main.title}”)."
    )


def _commenters(password):
    User = get_user_model()
    users = []
    for username, name in COMMENTERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "display_name": name,
                "email_verified": True,
            },
        )
        if created and password:
            user.set_password(password)
            user.save(update_fields=["password"])
        users.append(user)
    for username in ("reader", "editor"):
        user = User.objects.filter(username=username).first()
        if user:
            users.append(user)
    return users


class _Ids:
    def __init__(self):
        self.next = (Comment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self):
        value, self.next = self.next, self.next + 1
        return value


def _make(ids, article, author, body, parent, when):
    comment = Comment(
        pk=ids.take(),
        article=article,
        author=author,
        parent=parent,
        body=body,
        body_html=render_body(body),
        created_at=when,
    )
    comment.place(parent)
    return comment


def _discussion(article, users, count, rng, extras=False):
    """Threads of varied shape; with `extras`, one chain past the depth limit and states."""
    ids = _Ids()
    start = article.published_at or timezone.now()
    span = max(60, int((timezone.now() - start).total_seconds()) - 60)
    step = span / (count + 1)
    rows = []
    when = start
    for index in range(count):
        when = start + timedelta(seconds=step * (index + 1))
        author = users[rng.randrange(len(users))]
        if not rows or rng.random() < 0.25:
            parent = None
            body = rng.choice(OPENERS)
        else:
            # Reply mostly within recent threads, sometimes to the latest reply: deep threads.
            recent = rows[-15:]
            parent = recent[-1] if rng.random() < 0.3 else rng.choice(recent)
            if parent.author_id == author.pk:
                author = users[(users.index(author) + 1) % len(users)]
            body = rng.choice(REPLIES)
        if rng.random() < 0.5:
            body = f"{body} {rng.choice(FOLLOW_UPS)}".strip()
        rows.append(_make(ids, article, author, body, parent, when))
    if extras:
        # One conversation that goes past the depth limit ("↪ @name" replies).
        chain = []
        for step_number in range(settings.COMMENTS_MAX_DEPTH + 3):
            author = users[step_number % 2]
            text = rng.choice(REPLIES if chain else OPENERS)
            chain.append(_make(ids, article, author, text, chain[-1] if chain else None, when))
        # A deleted and a removed comment: their replies keep the thread's shape.
        chain[1].deleted_at, chain[1].body, chain[1].body_html = when, "", ""
        chain[2].status = Comment.Status.REMOVED
        rows.extend(chain)
    Comment.objects.bulk_create(rows, batch_size=1000)
    reset_id_sequence()
    return len(rows)


def _bulk_extra(count, articles, users, rng, chunk=5000):
    """`count` more comments, ten-comment threads spread over the given stories."""
    ids = _Ids()
    made = 0
    now = timezone.now()
    bodies = [(text, render_body(text)) for text in OPENERS + REPLIES]
    while made < count:
        rows = []
        while len(rows) < chunk and made + len(rows) < count:
            article = articles[rng.randrange(len(articles))]
            when = min(now, (article.published_at or now) + timedelta(hours=1))
            root = None
            for position in range(min(10, count - made - len(rows))):
                text, html = bodies[rng.randrange(len(bodies))]
                parent = None if root is None else (root if position % 3 else rows[-1])
                comment = Comment(
                    pk=ids.take(),
                    article=article,
                    author=users[rng.randrange(len(users))],
                    parent=parent,
                    body=text,
                    body_html=html,
                    created_at=when + timedelta(seconds=position),
                )
                comment.place(parent)
                rows.append(comment)
                root = root or comment
        with transaction.atomic():
            Comment.objects.bulk_create(rows, batch_size=1000)
        made += len(rows)
    reset_id_sequence()
    return made


def reset_id_sequence():
    """Explicit ids leave PostgreSQL's sequence behind; SQLite keeps up by itself."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Comment])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
