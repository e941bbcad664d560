# graft's production image: built with the dev dependencies, run with only the production ones, on Node 24.
# test/deploy/dockerfile.test.ts runs these steps (COPY, RUN, ENV, WORKDIR, then the ENTRYPOINT and the
# HEALTHCHECK) in a clean directory, so keep RUN commands relative to WORKDIR.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schemas ./schemas
COPY services-mock ./services-mock
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production
# Under a container memory limit Node sizes V8's heap from the limit, young generation included: at 512 MiB
# that is a 1 MiB semi-space, so nearly every request's objects are promoted and graft spends about twice the
# CPU per request. 16 MiB is what V8 gives graft on a host without a limit (README, Performance, Memory).
ENV NODE_OPTIONS=--max-semi-space-size=16
# Mount the config here (or point GRAFT_CONFIG elsewhere); values can come from the environment as ${NAME}.
ENV GRAFT_CONFIG=/etc/graft/graft.config.yaml
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemas ./schemas
COPY --from=build /app/services-mock/graft.demo.yaml ./services-mock/
COPY --from=build /app/services-mock/data ./services-mock/data
# The public port (server.port) and the ops port (ops.port: /healthz, /readyz, /metrics, /admin).
EXPOSE 4000 9090
USER node
# `graft health` reads the same config and asks /healthz where it is served (no curl in a slim image).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "dist/src/cli/main.js", "health"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["start"]
