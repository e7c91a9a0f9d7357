import io

import pytest
from django.conf import settings
from django.core.management import call_command

from comments.models import Comment

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command("seed_demo", stdout=io.StringIO(), **options)


def test_seed_demo_makes_a_300_comment_discussion_once_and_more_on_request(client):
    seed()
    total = Comment.objects.count()
    lead = Comment.objects.values("article").order_by("-article__featured").first()["article"]
    discussion = Comment.objects.filter(article_id=lead)
    assert discussion.count() >= 300
    assert discussion.filter(depth=settings.COMMENTS_MAX_DEPTH - 1).exists()
    assert discussion.filter(deleted_at__isnull=False).exists()
    seed()
    assert Comment.objects.count() == total  # idempotent
    seed(comments=500)
    assert Comment.objects.count() == total + 500
    seed(comments=500)
    assert Comment.objects.count() == total + 500
    # Explicit ids left the id sequence right: a new comment still gets a fresh id.
    fresh = Comment.objects.create(article_id=lead, body="New", author=None)
    assert fresh.pk > max(Comment.objects.exclude(pk=fresh.pk).values_list("pk", flat=True))
    reply = Comment.objects.filter(article_id=lead, depth=0).exclude(pk=fresh.pk).last()
    page = client.get(reply.get_absolute_url(), follow=True)
    assert page.status_code == 200
    assert f'id="comment-{reply.pk}"' in page.content.decode()
