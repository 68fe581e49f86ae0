# Multi-stage: build the release binary, then run it as a non-root user on a slim base.
# Base images are pinned by version tag; pin by digest too where your registry allows.
FROM rust:1.95.0-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked --bin quizbot

FROM debian:12.11-slim
# CA certificates for HTTPS to Discord and Slack; time zones are built into the binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home --home-dir /var/lib/quizbot quizbot
COPY --from=build /src/target/release/quizbot /usr/local/bin/quizbot
COPY data/bank /usr/share/quizbot/bank
ENV QUIZBOT_BANK=/usr/share/quizbot/bank \
    QUIZBOT_DB=/var/lib/quizbot/quizbot.db \
    QUIZBOT_METRICS_ADDR=127.0.0.1:9184
VOLUME ["/var/lib/quizbot"]
USER quizbot
WORKDIR /var/lib/quizbot
# /healthz through the binary itself (no curl here): exit 0 healthy, 1 not.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["quizbot", "health"]
ENTRYPOINT ["quizbot"]
CMD ["run"]
