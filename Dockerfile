# The service image: nginx (the buffering front) before gunicorn serving wsgi:app, both as a
# non-root user, started and stopped together by `python -m service.ops.serve`.
# Build: podman build -t spinal-fusion-risk .  (or docker build); see `make container`.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app

# The front: Debian's nginx, unpinned so that the base image's security updates come in.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin app

# Dependencies first, so code changes reuse this layer; in a virtual environment, which works
# on python:3.11-slim and on a plain Debian base with Python 3.11 alike.
COPY requirements.txt ./
RUN python3 -m venv /opt/venv \
    && pip install --no-cache-dir --requirement requirements.txt

COPY wsgi.py gunicorn.conf.py ./
COPY schemas/ schemas/
COPY service/ service/

USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)"]

CMD ["python", "-m", "service.ops.serve"]
