# yjreturns container image: build + unit tests in one stage, slim runtime in the other.
#   docker build -t yjreturns .
#   docker run --rm -v /srv/yj:/data yjreturns --config /data/yj.conf --period 2025Q1 --submit

FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config ca-certificates \
        libpq-dev libxml2-dev libxml2-utils libcurl4-openssl-dev libssl-dev \
        libcriterion-dev libxerces-c-samples \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# A build tree copied in from the host would confuse CMake: always start clean.
RUN rm -rf build build-asan demo \
 && cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build -j"$(nproc)" \
 && ctest --test-dir build -L unit --output-on-failure --no-tests=error \
 && cmake --install build --prefix /opt/yjreturns

FROM debian:12-slim AS runtime
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libxml2 libcurl4 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/yjreturns --shell /usr/sbin/nologin \
        --user-group yjreturns
# only the five stages: test executables and the data generator stay in the build stage
COPY --from=build /opt/yjreturns/bin/ /opt/yjreturns/bin/
COPY --from=build /src/mappings/ /opt/yjreturns/mappings/
COPY --from=build /src/sql/ /opt/yjreturns/sql/
ENV PATH=/opt/yjreturns/bin:$PATH
USER yjreturns
WORKDIR /var/lib/yjreturns
ENTRYPOINT ["yj-run"]
CMD ["--help"]
