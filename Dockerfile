# syntax=docker/dockerfile:1
# Production image for both processes: the API by default, the worker with
#   command: ["node", "dist/src/worker-main.js"]
# Debian slim rather than Alpine: the Temporal worker's native core is built for glibc.
# Node 22 (LTS until April 2027): the tests run on Node 20, which reached end of life in April 2026.
ARG NODE_IMAGE=node:22-trixie-slim

# ---- build: compile TypeScript and bundle the workflows once ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
RUN npm run build && npm run build:workflows

# ---- deps: production dependencies only ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
# CA roots for the worker's native Temporal client (TLS to Temporal Cloud); Node brings its own.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    PORT=8000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    TEMPORAL_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Code stays root-owned and read-only to the process; only the embedded-database folder
# (used when DATABASE_URL is unset) is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
CMD ["node", "dist/src/api-main.js"]
