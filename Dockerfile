# syntax=docker/dockerfile:1.7
# One image per app service: docker build --build-arg APP=ingestion -t <ecr repo url>:<tag> .
# The tag pushed is the one the stack deploys (gamemetrics:apps.imageTag); ECR tags are immutable.
ARG NODE_IMAGE=node:24-slim

# Compile apps/ to JavaScript: tsx is a dev dependency, and compiled JavaScript starts faster than type stripping.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
RUN npm run build:apps
# The dashboard's single-page app (vite, a dev dependency): static files every image carries, ~0.5 MB.
RUN npm run build:dashboard

# Runtime dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM ${NODE_IMAGE}
ARG APP
# RDS certificates chain to Amazon's RDS CA, not a public one: trusting it lets DATABASE_URL use sslmode=verify-full.
ADD --chmod=444 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
ENV NODE_ENV=production \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem \
    APP=${APP}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
RUN test -n "${APP}" && test -f "dist/apps/${APP}/main.js" \
    || (echo "build with --build-arg APP=<service>, one of: $(ls dist/apps)" >&2 && exit 1)
# uid 1000 (node): the workload's runAsUser; the root filesystem is mounted read-only in the cluster.
USER 1000:1000
# exec: node is PID 1 and gets SIGTERM, so the services drain (apps/shared/service.ts).
CMD ["sh", "-c", "exec node dist/apps/${APP}/main.js"]
