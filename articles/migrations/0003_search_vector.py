"""Full-text search on PostgreSQL: a tsvector column kept current by a trigger, GIN-indexed.

The trigger (not Article.save) fills the column, so bulk_create (seed_demo's
archive), queryset.update() and raw SQL keep it current too. The trigger, its
function and the GIN index exist only on PostgreSQL: on SQLite the column is an
unused, always-NULL text column and search falls back to icontains. The index
is deliberately not in Article.Meta, so `makemigrations --check` stays clean on
both databases. The weights (title A, dek B, body C) and the `english`
configuration must match articles/search.py.
"""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = [
    """
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.dek, '')), 'B') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS articles_article_search_vector_trigger ON articles_article",
    """
CREATE TRIGGER articles_article_search_vector_trigger
  BEFORE INSERT OR UPDATE OF title, dek, body, search_vector ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update()
""",
    # Fires the trigger once per row: fills the column for existing stories.
    "UPDATE articles_article SET search_vector = NULL",
    "CREATE INDEX IF NOT EXISTS articles_article_search_vector_gin "
    "ON articles_article USING gin (search_vector)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS articles_article_search_vector_gin",
    "DROP TRIGGER IF EXISTS articles_article_search_vector_trigger ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector_update()",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editorial_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD), elidable=False),
    ]
