# code-provider: one self-contained binary (bun build --compile) on a distroless, non-root base.
#   docker build -t ghcr.io/faroshq/kedge-code-provider:dev .
#   docker run --rm -p 8083:8083 -p 8084:8084 ghcr.io/faroshq/kedge-code-provider:dev dev
# The binary is built by scripts/build-binary.ts, the same script `npm run build` and the test
# suite (test/binary.test.ts) use.

FROM node:20-bookworm-slim AS build
WORKDIR /src
# Dependencies first, so they stay cached while sources change. npm installs bun itself
# (package.json devDependencies), at the version the lockfile pins.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node_modules/.bin/bun scripts/build-binary.ts /out/code-provider

# The binary needs only glibc (ldd: libc, libpthread, libdl, libm): distroless base is enough.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/code-provider /code-provider
# What `init` applies (KEDGE_SCHEMAS_DIR default): the generated APIResourceSchemas.
COPY chart/files/schemas /etc/kedge/schemas
# In a container the admin listener must be reachable from outside the loopback (probes, port
# forwards); protect it with CODE_ADMIN_TOKEN and never publish it to tenants.
ENV CODE_ADMIN_ADDR=0.0.0.0:8084
# Where the embedded API server keeps its data when no kubeconfig is given (dev, demos).
WORKDIR /home/nonroot
USER 65532:65532
EXPOSE 8083 8084
ENTRYPOINT ["/code-provider"]
CMD ["serve"]
