# Newsroom app server / task worker image. Documentation only: not built or tested in CI
# (see docs/deploy.md for the tested path).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 newsroom

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs a key to import settings; the real one comes from the environment.
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput

USER newsroom
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz?live', timeout=2)"
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
