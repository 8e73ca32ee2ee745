# syntax=docker/dockerfile:1.7
# The mt5-augment worker image: the offline bundle (bin/package-offline) on a Java 17 runtime, with
# the libtorch of PYTORCH_FLAVOR fetched while the image is built, never at run time.
#
#   docker build -t mt5-augment-worker:cpu .                                   # CPU (default)
#   docker build -t mt5-augment-worker:cu128 --build-arg PYTORCH_FLAVOR=cu128 .  # CUDA 12.8
#   docker build -t mt5-augment-worker:cu128 --build-arg PYTORCH_FLAVOR=cu128 \
#                --build-arg LIBTORCH_DIR=libtorch .     # a libtorch unpacked into ./libtorch, no download
#
# Build arguments:
#   PYTORCH_FLAVOR  cpu | cu128. DJL's JNI library (pytorch-jni 2.7.1-0.36.0) exists for these two
#                   only; Maven Central has no CUDA natives for PyTorch 2.7.1, hence the download.
#   PYTORCH_VERSION 2.7.1, the version the engine is built for.
#   LIBTORCH_DIR    a folder of the build context holding an unpacked libtorch (lib/libtorch.so);
#                   used instead of the jar (cpu) or the download (cu128).
#   LIBTORCH_URL    another archive to download for a CUDA flavor (a mirror).
# The image sets PYTORCH_LIBRARY_PATH=/opt/libtorch/lib, PYTORCH_FLAVOR, PYTORCH_VERSION and
# DJL_OFFLINE=true: DJL loads that libtorch and never downloads. Run: see docker-compose.yml.

ARG PYTORCH_FLAVOR=cpu
ARG PYTORCH_VERSION=2.7.1
ARG JDK_IMAGE=eclipse-temurin:17-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu24.04

# ---- 1. The offline bundle, built with the Maven wrapper (tests run in CI, not here).
FROM ${JDK_IMAGE} AS build
RUN apt-get update -q && apt-get install -y -q --no-install-recommends curl unzip && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    bin/package-offline --out /dist --no-test-model \
 && mkdir /bundle && tar -xzf /dist/*.tar.gz -C /bundle --strip-components=1

# ---- 2. The libtorch of PYTORCH_FLAVOR, into /opt/libtorch (build time only).
FROM ${JDK_IMAGE} AS libtorch
ARG PYTORCH_FLAVOR
ARG PYTORCH_VERSION
ARG LIBTORCH_DIR=deploy/docker/no-libtorch
ARG LIBTORCH_URL=
COPY deploy/docker/fetch-libtorch.sh /usr/local/bin/fetch-libtorch
COPY ${LIBTORCH_DIR} /context-libtorch
COPY --from=build /bundle/lib/pytorch-jni-*.jar /bundle/lib/pytorch-native-cpu-*.jar /jars/
RUN PYTORCH_FLAVOR="${PYTORCH_FLAVOR}" PYTORCH_VERSION="${PYTORCH_VERSION}" LIBTORCH_URL="${LIBTORCH_URL}" \
    fetch-libtorch /opt/libtorch

# ---- 3. Runtime bases, one per flavor: a JRE; for CUDA the CUDA runtime (DJL counts GPUs
#         through libcudart) with the same JRE copied in.
FROM ${JRE_IMAGE} AS jre
FROM ${JRE_IMAGE} AS runtime-cpu
FROM ${CUDA_IMAGE} AS runtime-cu128
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:$PATH

# ---- 4. The image (FROM runtime-cpu or runtime-cu128: another PYTORCH_FLAVOR has no stage).
FROM runtime-${PYTORCH_FLAVOR}
ARG PYTORCH_FLAVOR
ARG PYTORCH_VERSION
RUN groupadd --system --gid 10001 mt5 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home mt5
COPY --from=libtorch /opt/libtorch /opt/libtorch
COPY --from=build --chown=10001:10001 /bundle /app
COPY --chown=10001:10001 deploy/docker/healthcheck /app/bin/healthcheck
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    DJL_OFFLINE=true \
    DJL_CACHE_DIR=/app/cache/djl \
    MT5_LOG_DIR=/app/logs \
    MT5_HTTP_PORT=8080
WORKDIR /app
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=10s --start-period=180s --retries=3 CMD ["/app/bin/healthcheck"]
CMD ["bin/worker"]
