# poolserve: build with Swift 6.3, run on Debian bookworm-slim with only libmicrohttpd.
# Build: docker build -t poolserve .    Run: docker run -p 8080:8080 poolserve

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.swift declares the test targets too, so SwiftPM needs Tests/ to load the manifest.
COPY Package.swift openapi.yaml ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product poolserve \
 && install -D "$(swift build -c release --show-bin-path)/poolserve" /out/poolserve

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd12 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-create-home --uid 10001 --shell /usr/sbin/nologin poolserve
COPY --from=build /out/poolserve /usr/local/bin/poolserve
USER poolserve
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/poolserve", "--probe", "--port", "8080"]
ENTRYPOINT ["/usr/local/bin/poolserve"]
CMD ["--host", "0.0.0.0", "--port", "8080"]
