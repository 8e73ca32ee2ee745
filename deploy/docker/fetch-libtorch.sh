#!/bin/sh
# Image build step (never run at container start): puts the libtorch of PYTORCH_FLAVOR into DEST,
# from, first match:
#   1. /context-libtorch: a copy from the build context (--build-arg LIBTORCH_DIR=...);
#   2. PYTORCH_FLAVOR=cpu: the CPU natives of the pytorch-native-cpu jar Maven fetched (/jars);
#   3. otherwise: the libtorch archive of download.pytorch.org (or LIBTORCH_URL).
# Then checks what DJL will need: lib/libtorch.so, libtorch_cuda.so for a CUDA flavor, the PyTorch
# version, and a JNI library for the flavor in the pytorch-jni jar (it carries cpu and cu128 only).
# Usage: fetch-libtorch.sh DEST   (env PYTORCH_FLAVOR, PYTORCH_VERSION, optional LIBTORCH_URL)
set -eu
dest="$1"
flavor="${PYTORCH_FLAVOR:?PYTORCH_FLAVOR is not set}"
version="${PYTORCH_VERSION:?PYTORCH_VERSION is not set}"
jars="${JARS_DIR:-/jars}"
context="${CONTEXT_LIBTORCH:-/context-libtorch}"
fail() { echo "fetch-libtorch: $*" >&2; exit 1; }

jni_jar="$(ls "$jars"/pytorch-jni-*.jar)"
grep -qaF "jnilib/linux-x86_64/$flavor/libdjl_torch.so" "$jni_jar" \
  || fail "PYTORCH_FLAVOR=$flavor: $(basename "$jni_jar") has a JNI library only for: $(grep -aoE 'jnilib/linux-x86_64/[a-z0-9]+/libdjl_torch.so' "$jni_jar" | cut -d/ -f3 | sort -u | tr '\n' ' ')"

mkdir -p "$dest"
if [ -f "$context/lib/libtorch.so" ]; then
  echo "fetch-libtorch: the copy from the build context"
  cp -a "$context/lib" "$dest/"
  if [ -f "$context/build-version" ]; then cp "$context/build-version" "$dest/"; fi
elif [ "$flavor" = cpu ]; then
  echo "fetch-libtorch: CPU natives from $(basename "$(ls "$jars"/pytorch-native-cpu-*.jar)")"
  mkdir -p "$dest/lib"
  tmp="$(mktemp -d)"
  (cd "$tmp" && jar xf "$(ls "$jars"/pytorch-native-cpu-*.jar)" pytorch/cpu/linux-x86_64)
  mv "$tmp"/pytorch/cpu/linux-x86_64/* "$dest/lib/"
  rm -rf "$tmp"
  echo "$version+cpu" > "$dest/build-version"
else
  url="${LIBTORCH_URL:-https://download.pytorch.org/libtorch/$flavor/libtorch-cxx11-abi-shared-with-deps-$version%2B$flavor.zip}"
  echo "fetch-libtorch: downloading $url"
  if ! command -v curl >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1; then
    apt-get update -q && apt-get install -y -q --no-install-recommends curl unzip ca-certificates && rm -rf /var/lib/apt/lists/*
  fi
  tmp="$(mktemp -d)"
  curl -fL --retry 3 -o "$tmp/libtorch.zip" "$url"
  unzip -q "$tmp/libtorch.zip" -d "$tmp"
  # The libraries and the version are all DJL reads; headers and CMake files stay out of the image.
  cp -a "$tmp/libtorch/lib" "$dest/"
  cp "$tmp/libtorch/build-version" "$dest/"
  rm -rf "$tmp"
fi

[ -f "$dest/lib/libtorch.so" ] || fail "no lib/libtorch.so in $dest"
case "$flavor" in
  cu*) [ -f "$dest/lib/libtorch_cuda.so" ] || fail "PYTORCH_FLAVOR=$flavor but the libtorch has no libtorch_cuda.so (a CPU build?)" ;;
esac
if [ -f "$dest/build-version" ]; then
  case "$(cat "$dest/build-version")" in
    "$version"*) ;;
    *) fail "the libtorch is $(cat "$dest/build-version"); the engine needs $version" ;;
  esac
fi
echo "fetch-libtorch: $dest: libtorch $(cat "$dest/build-version" 2>/dev/null || echo "$version") ($flavor)"
