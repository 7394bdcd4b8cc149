# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY streams ./streams
COPY local ./local
RUN npx tsc -p tsconfig.build.json

# Runtime stage: production dependencies and the compiled code only, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Runs the probe; the same image runs the stand-ins with `node dist/local/hub.js` or
# `node dist/local/collector.js` (see local-compose.yaml). `npm start` is this very command line
# (a test holds them equal) and builds nothing. The node flags keep the footprint low at the
# deployed rate, an event every few seconds (measured in BENCHMARKS.md, "Node flags"):
# --lite-mode runs V8's interpreter only, without executable memory, for 10 MiB less RSS and
# less CPU than no flags; it also turns WebAssembly off, so --no-expose-wasm says so (no warning)
# and --no-experimental-fetch removes fetch, whose HTTP parser is the only WebAssembly Node 20
# would load (axios then skips its fetch adapter). Above ~10 events a second drop the flags.
CMD ["node", "--lite-mode", "--no-expose-wasm", "--no-experimental-fetch", "dist/src/main.js"]
