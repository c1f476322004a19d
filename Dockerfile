# syntax=docker/dockerfile:1
# Build:  docker build -t rehearse .
# Run:    docker run -p 8080:8080 -v rehearse-data:/data rehearse
#
# Build stage. Templates, CSS/JS and migrations are compiled into the binary.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src

# 1. Dependencies alone, in a layer of their own: it is rebuilt only when Cargo.toml or
#    Cargo.lock change, not on every edit to the sources. The crate's own targets are
#    stubs here (cargo needs every declared target to exist; the benches are copied as
#    they are, they change rarely and are not built).
COPY Cargo.toml Cargo.lock ./
COPY benches ./benches
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked --bin rehearse \
    && rm -rf src

# 2. The app itself. `touch` makes cargo see the real sources as newer than the stubs
#    whatever times the build context carries. .ci/run builds with the same command.
COPY src ./src
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --bin rehearse

# Runtime stage: the binary, the question bank and nothing else (no compiler, no shell
# tools beyond Debian's base; the health check is the binary itself).
FROM debian:bookworm-slim
RUN useradd --system --no-log-init --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin rehearse \
    && mkdir -p /app /data \
    && chown rehearse:rehearse /data
WORKDIR /app
COPY --from=build /src/target/release/rehearse /usr/local/bin/rehearse
COPY questions ./questions
USER 10001:10001
# Listen on every interface inside the container; the database lives on the volume.
ENV REHEARSE_BIND=0.0.0.0:8080 \
    REHEARSE_DATABASE_URL=sqlite:///data/rehearse.db \
    REHEARSE_QUESTIONS=/app/questions
EXPOSE 8080
VOLUME ["/data"]
# `rehearse healthcheck` asks GET /health on the port in REHEARSE_BIND and exits 0 or 1
# (the image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["rehearse", "healthcheck"]
# SIGTERM drains (/ready turns 503, then the listener closes); give `docker stop` more
# than drain + timeout: docker stop -t 30.
STOPSIGNAL SIGTERM
ENTRYPOINT ["rehearse"]
CMD ["serve"]
