"""The production tasks backend: TASKS_BACKEND=database queues in PostgreSQL, and
`manage.py db_worker` (django-tasks-db) runs the queue."""

import importlib.util

import pytest

from .conftest import TAG, app_env, clone_database, drop_database, manage, pg_connect


@pytest.fixture
def queue_database(template_database):
    name = f"ops_tasks_{TAG}"
    url = clone_database(template_database, name)
    yield name, app_env(DATABASE_URL=url, TASKS_BACKEND="database")
    drop_database(name)


def _statuses(dbname):
    with pg_connect(dbname) as conn:
        rows = conn.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall()
    return [status for (status,) in rows]


def test_a_queued_notification_waits_for_the_worker_and_the_worker_runs_it(queue_database):
    if importlib.util.find_spec("comments.tasks") is None:
        pytest.skip("comment notifications (comments.tasks) are not built yet")
    name, env = queue_database
    out = manage(
        env,
        "shell",
        "-c",
        "from comments.tasks import notify_reply; print(notify_reply.enqueue(0).status)",
    )
    assert out.strip().splitlines()[-1] == "READY"
    assert _statuses(name) == ["READY"], "the task ran in the request instead of being queued"

    manage(env, "db_worker", "--batch", "--no-startup-delay")
    assert _statuses(name) == ["SUCCESSFUL"]
