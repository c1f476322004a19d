# syntax=docker/dockerfile:1
# Build stage: compile the release binary (templates, CSS/JS and migrations are embedded).
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
COPY questions ./questions
RUN cargo build --release --locked --bin rehearse

# Runtime stage: just the binary and the question bank.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /app rehearse \
    && mkdir -p /app /data \
    && chown rehearse /data
WORKDIR /app
COPY --from=build /src/target/release/rehearse /usr/local/bin/rehearse
COPY questions ./questions
USER 10001
ENV REHEARSE_BIND=0.0.0.0:8080 \
    REHEARSE_DATABASE_URL=sqlite:///data/rehearse.db \
    REHEARSE_QUESTIONS=/app/questions
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["rehearse"]
CMD ["serve"]
