"""Demo content: sections, tags, ~30 stories, and the demo accounts. Idempotent."""

import io
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from articles.models import Article, Category, Tag, compute_reading_time, sanitize_body
from comments.demo import seed_comments

DEMO_PASSWORD = "newsroom-demo"  # noqa: S105 -- printed for the demo on purpose

SECTIONS = [
    ("World", "Reporting from every continent."),
    ("Politics", "Power, policy and the people who make it."),
    ("Business", "Markets, companies and the economy."),
    ("Science", "Discoveries, research and the natural world."),
    ("Culture", "Books, film, music and the arts."),
    ("Sport", "Results, analysis and the stories behind the games."),
]
TAGS = [
    "Climate",
    "Elections",
    "Technology",
    "Health",
    "Energy",
    "Transport",
    "Education",
    "Housing",
    "Space",
    "Football",
    "Cinema",
    "Trade",
]
HEADLINES = [
    "City council approves a new plan for riverside housing",
    "Inside the lab racing to store summer sunlight for winter",
    "A quiet revolution in the way small towns fund their buses",
    "What the latest trade figures say about the year ahead",
    "The museum that lets visitors touch everything",
    "Late goal sends the league leaders into the final",
    "Engineers test a bridge that heals its own cracks",
    "Voters head to the polls in a tight regional race",
    "How one school halved absences with a breakfast club",
    "A telescope's first picture surprises astronomers",
    "Farmers try a centuries-old trick against drought",
    "The startup making heat pumps for terraced streets",
    "Central bank holds rates as inflation cools",
    "Five novels that define this year's shortlist",
    "Night trains return to three cross-border routes",
    "Hospital waiting lists fall for the first time in years",
    "An island votes to run on wind and tide alone",
    "The referee who wants to explain every decision",
    "Why the price of copper matters to your phone bill",
    "A documentary on the last lighthouse keepers",
    "Parliament debates the future of local newspapers",
    "Coastal towns prepare for higher tides",
    "Chess club becomes the most popular after-school activity",
    "Researchers map the city's hidden underground rivers",
    "The cooperative grocery that undercuts the chains",
    "Marathon record falls on a cold spring morning",
    "Composer finishes a symphony begun a century ago",
    "Volunteers rebuild a flooded village library",
    "The long road to a four-day school week",
    "A guide to the new rules for renters",
]
WORDS = (
    "the council said residents would see changes within months while critics warned "
    "that costs could rise further researchers described the results as promising but "
    "cautioned that more work was needed before any conclusions officials confirmed the "
    "figures on tuesday after a long review local businesses welcomed the decision and "
    "several groups called for a public consultation the project began three years ago "
    "with a small grant and has grown into a national programme"
).split()
PALETTE = [(155, 28, 28), (30, 64, 120), (20, 110, 80), (120, 80, 20), (90, 40, 120), (40, 40, 40)]


class Command(BaseCommand):
    help = "Create idempotent demo content and the demo accounts editor, writer and reader."

    def add_arguments(self, parser):
        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            help="Also make sure N extra comments exist across the stories (bulk inserts).",
        )
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            help="Also make sure N extra archive articles exist (bulk inserts, for scale).",
        )

    def handle(self, *args, articles=0, comments=0, **options):
        rng = random.Random(2026)
        with transaction.atomic():
            users = self.seed_accounts()
            sections = self.seed_sections()
            tags = self.seed_tags()
            self.seed_articles(rng, users, sections, tags)
        if articles:
            self.seed_archive(articles, users, sections, tags)
        seed_comments(self.stdout, extra=comments, password=DEMO_PASSWORD)
        if connection.vendor == "postgresql":
            # Bulk inserts leave the planner without statistics until autovacuum
            # comes by; without them it picks plans hundreds of times slower.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {Article.objects.count()} articles. Accounts editor, writer and "
                f"reader share the password {DEMO_PASSWORD!r}."
            )
        )

    def seed_accounts(self):
        User = get_user_model()
        users = {}
        for username, display_name, group, staff in (
            ("editor", "Eleanor Editor", "Editors", True),
            ("writer", "Wes Writer", "Writers", True),
            ("reader", "Rita Reader", None, False),
        ):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.com",
                    "display_name": display_name,
                    "is_staff": staff,
                    "bio": f"{display_name} is part of the demo newsroom.",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            users[username] = user
        return users

    def seed_sections(self):
        sections = []
        for order, (name, description) in enumerate(SECTIONS):
            section, _ = Category.objects.get_or_create(
                slug=slugify(name),
                defaults={"name": name, "description": description, "order": order},
            )
            sections.append(section)
        return sections

    def seed_tags(self):
        return [Tag.objects.get_or_create(slug=slugify(n), defaults={"name": n})[0] for n in TAGS]

    def seed_articles(self, rng, users, sections, tags):
        now = timezone.now()
        authors = [users["editor"], users["writer"]]
        for index, title in enumerate(HEADLINES):
            slug = slugify(title)
            if Article.objects.filter(slug=slug).exists():
                continue
            status, published_at = Article.Status.PUBLISHED, now - timedelta(hours=5 * index + 1)
            extra = {}
            if index == len(HEADLINES) - 1:
                status, published_at = Article.Status.DRAFT, None
            elif index == len(HEADLINES) - 2:
                status, published_at = Article.Status.REVIEW, None
            elif index == len(HEADLINES) - 3:
                published_at = now + timedelta(days=2)  # scheduled
            elif index == 3:
                extra = {
                    "source_name": "The Example Gazette",
                    "source_url": "https://gazette.example.com/business/trade-figures",
                }
            article = Article(
                title=title,
                slug=slug,
                dek=self.sentence(rng, 18, 30),
                body=self.body(rng, paragraphs=rng.randint(3, 14)),
                status=status,
                published_at=published_at,
                author=authors[index % 2],
                category=sections[index % len(sections)],
                featured=index == 0,
                **extra,
            )
            if index % 3 == 0:
                article.hero_image.save(f"{slug}.jpg", self.picture(index), save=False)
                article.hero_alt = f"An illustration for “{title}”"
                article.hero_caption = "An illustration drawn for the demo."
                article.hero_credit = "Newsroom demo"
            article.save()
            article.tags.set(rng.sample(tags, 3))

    def seed_archive(self, count, users, sections, tags):
        """Ensure `count` archive stories exist, in bulk: thousands per second."""
        existing = set(
            Article.objects.filter(slug__startswith="archive-").values_list("slug", flat=True)
        )
        rng = random.Random(7)
        now = timezone.now()
        body = sanitize_body(self.body(rng, paragraphs=6))
        reading_time = compute_reading_time(body)
        batch = []
        for number in range(1, count + 1):
            slug = f"archive-{number:07d}"
            if slug in existing:
                continue
            batch.append(
                Article(
                    title=f"From the archive: {rng.choice(HEADLINES)} (no. {number})",
                    slug=slug,
                    dek=self.sentence(rng, 15, 25),
                    body=body,
                    reading_time=reading_time,
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(days=30, minutes=number),
                    author=users["writer"] if number % 2 else users["editor"],
                    category=sections[number % len(sections)],
                )
            )
        created = Article.objects.bulk_create(batch, batch_size=1000)
        Through = Article.tags.through
        Through.objects.bulk_create(
            [Through(article_id=a.pk, tag_id=tags[a.pk % len(tags)].pk) for a in created if a.pk],
            batch_size=2000,
            ignore_conflicts=True,
        )
        self.stdout.write(f"Archive: {len(created)} new, {len(existing)} already there.")

    @staticmethod
    def sentence(rng, low, high):
        words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
        return " ".join(words).capitalize() + "."

    def body(self, rng, paragraphs):
        parts = []
        for number in range(paragraphs):
            if number and number % 4 == 0:
                parts.append(f"<h2>{self.sentence(rng, 3, 6)[:-1]}</h2>")
            if number == 2:
                parts.append(f"<blockquote><p>{self.sentence(rng, 12, 20)}</p></blockquote>")
            text = " ".join(self.sentence(rng, 12, 28) for _ in range(rng.randint(3, 6)))
            parts.append(f"<p>{text}</p>")
        return "\n".join(parts)

    @staticmethod
    def picture(index):
        """Draw a simple 1600×900 poster so demo stories have real hero images."""
        image = Image.new("RGB", (1600, 900), PALETTE[index % len(PALETTE)])
        draw = ImageDraw.Draw(image)
        for step in range(12):
            offset = step * 140
            shade = tuple(min(255, c + 12 * step) for c in PALETTE[(index + 1) % len(PALETTE)])
            draw.ellipse((offset - 200, 500 - step * 30, offset + 300, 1100), fill=shade)
        draw.rectangle((80, 80, 760, 200), fill=(250, 250, 245))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        return ContentFile(out.getvalue())
