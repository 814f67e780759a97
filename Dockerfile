# The Node server with the built page. Stages:
#   build   - every dependency, the page built with Vite, the server bundled with esbuild
#   app     - production dependencies only, the built files, runs as the non-root user `node`
#   trainer - the build stage plus Debian's PyTorch, for `npm run retrain` (compose profile `train`)

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# Bundled beside server.ts so its paths (the repository root two levels up, init-pglite.mjs beside it) hold;
# packages stay external and come from node_modules, so no tsx is needed at run time. The decode threads
# run a bundle of their own.
RUN for entry in server decode-worker; do npx esbuild functions/node/$entry.ts --bundle --platform=node --format=esm --packages=external --log-level=warning --outfile=functions/node/$entry.bundle.mjs; done

FROM node:20-bookworm-slim AS app
WORKDIR /app
# DATA_DIR: the embedded database, used only without DATABASE_URL (compose always sets one); in node's home
# so the non-root user can create it.
ENV NODE_ENV=production PORT=8787 DATA_DIR=/home/node/data
COPY package.json package-lock.json ./
# In one layer with the install, so the removed files never reach the image: ORT's WebGPU/JSPI/asyncify
# builds and source maps (about 90 MB; the server runs the plain wasm build) and npm's download cache.
RUN npm ci --omit=dev --no-audit --no-fund \
  && rm -f node_modules/onnxruntime-web/dist/*.jsep.* node_modules/onnxruntime-web/dist/*.asyncify.* \
     node_modules/onnxruntime-web/dist/*.jspi.* node_modules/onnxruntime-web/dist/*.map \
  && npm cache clean --force
COPY schema.sql ./
COPY --from=build /app/frontend/dist frontend/dist
COPY --from=build /app/functions/node/server.bundle.mjs /app/functions/node/decode-worker.bundle.mjs /app/functions/node/init-pglite.mjs functions/node/
# Owned by `node`: compose mounts a named volume here that the trainer writes new versions into.
COPY --chown=node:node model model
USER node
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "functions/node/server.bundle.mjs"]

FROM build AS trainer
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 python3-torch python3-numpy python3-pil python3-tqdm \
  && rm -rf /var/lib/apt/lists/*
RUN mkdir -p .training-cache && chown -R node:node model .training-cache
USER node
CMD ["npm", "run", "retrain", "--", "--from", "http://app:8787"]
