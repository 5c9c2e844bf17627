# The host's container image: `docker build -t wasm-operator:<version> .`, then
# `wasm-operator install --image wasm-operator:<version>` (see docs/operators.md).
#
# The image holds the esbuild bundle (dist/), the launcher (bin/) and the production
# dependencies; no TypeScript sources, so the host never pays for type stripping.
ARG NODE_IMAGE=node:26-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY scripts ./scripts
COPY src ./src
COPY bench ./bench
RUN node scripts/build-dist.js && npm prune --omit=dev --ignore-scripts

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
# The Deployment runs as this user too (runAsNonRoot); state lives on the mounted volume.
USER 65532:65532
EXPOSE 8081
ENTRYPOINT ["node", "/app/bin/wasm-operator.js"]
CMD ["run"]
