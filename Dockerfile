# syntax=docker/dockerfile:1
# One image for every Laurel process: `laurel api` (default), `laurel worker`,
# `laurel relay`, `laurel projector`. See docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LAUREL_DATA_DIR=/var/lib/laurel \
    LAUREL_API_HOST=0.0.0.0 \
    LAUREL_API_PORT=8000

RUN groupadd --system --gid 10001 laurel \
    && useradd --system --uid 10001 --gid laurel --home-dir /var/lib/laurel \
       --shell /usr/sbin/nologin laurel \
    && install -d -o laurel -g laurel -m 0750 /var/lib/laurel

# The build context is an allow-list (.dockerignore): pyproject, README, packages.
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir . && rm -rf /src

USER laurel
WORKDIR /var/lib/laurel
EXPOSE 8000
CMD ["laurel", "api"]
