# Marsad API image: runs against DATABASE_URL (see docker-compose.yml).
# The build stage installs the hashed runtime lock and the project as a wheel (migrations and seeds ship
# inside it); the embedded Postgres extra is not installed: the image runs against DATABASE_URL.
FROM python:3.11-slim AS build
WORKDIR /src
COPY requirements.lock ./
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml setup.py README.md ./
COPY service ./service
COPY migrations ./migrations
COPY seeds ./seeds
RUN /venv/bin/pip install --no-cache-dir --no-deps .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 marsad
COPY --from=build /venv /venv
WORKDIR /app
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MARSAD_HOST=0.0.0.0 \
    MARSAD_PORT=8000 \
    MARSAD_DATA_DIR=/tmp/marsad
USER marsad
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["python", "-m", "service", "serve", "--no-migrate"]
