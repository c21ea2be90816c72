# yjreturns container image: build + unit tests in one stage, slim runtime in the other.
# Both stages install their packages from scripts/packages.txt (roles build and test, then
# runtime), the one list install-deps.sh and debian/control are checked against.
#   docker build -t yjreturns .
#   docker run --rm -v /srv/yj:/data yjreturns --config /data/yj.conf --period 2025Q1 --submit

FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
COPY scripts/packages.txt /tmp/packages.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        $(awk '$1 == "build" || $1 == "test" { print $2 }' /tmp/packages.txt) \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# A build tree copied in from the host would confuse CMake: always start clean.
RUN rm -rf build build-asan demo \
 && cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/opt/yjreturns \
 && cmake --build build -j"$(nproc)" \
 && ctest --test-dir build -L unit --output-on-failure --no-tests=error \
 && cmake --install build

FROM debian:12-slim AS runtime
ARG DEBIAN_FRONTEND=noninteractive
COPY scripts/packages.txt /tmp/packages.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        $(awk '$1 == "runtime" { print $2 }' /tmp/packages.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/packages.txt \
 && useradd --system --create-home --home-dir /var/lib/yjreturns --shell /usr/sbin/nologin \
        --user-group yjreturns
# the six stages, their manual pages, the bundles, the queries and an example configuration
# (etc/yjreturns/example.conf); the tests and the data generator stay in the build stage
COPY --from=build /opt/yjreturns/ /opt/yjreturns/
ENV PATH=/opt/yjreturns/bin:$PATH
USER yjreturns
WORKDIR /var/lib/yjreturns
ENTRYPOINT ["yj-run"]
CMD ["--help"]
