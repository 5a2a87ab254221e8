# syntax=docker/dockerfile:1
# Salon in a container (docs/deployment.md). Two stages: the build stage has the dev
# dependencies (TypeScript, esbuild) and compiles dist/; the runtime stage has the production
# dependencies and dist/ only, and runs as the unprivileged user "salon".
#   docker build -t salon .
#   docker run -d -p 5222:5222 -p 5223:5223 -p 5280:5280 -p 5281:5281 \
#     -e SALON_DOMAIN=chat.example.org -v salon-data:/var/lib/salon salon
# scripts/check-deploy.mjs builds and runs this image where a Docker engine runs, and replays
# its stages without one.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# The lock file is written by npm 11.19 (README); the npm of the node:20 image is older.
RUN npm install --global npm@11.19.1
COPY package.json package-lock.json ./
# No install scripts: "prepare" would build before the sources are here; esbuild and lmdb find
# their prebuilt binaries in their optional platform packages without them.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    SALON_CONFIG=/etc/salon/salon.config.ts
WORKDIR /app
RUN npm install --global npm@11.19.1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY docs/deploy/container.config.ts /etc/salon/salon.config.ts
RUN groupadd --system salon \
 && useradd --system --gid salon --home-dir /var/lib/salon --shell /usr/sbin/nologin salon \
 && mkdir -p /var/lib/salon /etc/salon/certs \
 && chown salon:salon /var/lib/salon
USER salon
# Accounts, rooms, archives, the self-signed certificate and the pidfile.
VOLUME ["/var/lib/salon"]
# c2s STARTTLS, c2s Direct TLS, HTTP (WebSocket, BOSH, admin API, /ready), HTTPS.
EXPOSE 5222 5223 5280 5281
# Node itself asks GET /ready (storage writable, server not stopping): the image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SALON_HTTP_PORT || 5280) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM ends every stream with system-shutdown and flushes storage; SIGHUP reloads the config
# (docker kill --signal HUP salon).
STOPSIGNAL SIGTERM
CMD ["node", "dist/cli.js", "start"]
