# Dagster Designer in a container. Not built on the development machine (no registry access for base
# images there); it runs the same set-up script as `npm start`, so what works there works here.
FROM node:20-bookworm-slim

# The pinned Python toolchain needs CPython 3.11 (uv is installed from PyPI by the set-up script) and git.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip python3-venv git ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
# Install everything now, so the container starts serving at once: pnpm, node modules, uv,
# the web build and the component catalog environment.
RUN node scripts/designer.mjs setup

# Inside a container the server must listen beyond loopback; DESIGNER_TOKEN is then required.
ENV DESIGNER_HOST=0.0.0.0 DESIGNER_PORT=4780 DESIGNER_DATA_DIR=/data
VOLUME /data
EXPOSE 4780
CMD ["node", "scripts/designer.mjs", "start"]
