#!/usr/bin/env bash
# CI check of the Dockerfile without a Docker engine:
#   1. structure: global ARGs used in FROM lines are declared before the first FROM; every
#      `FROM runtime-${PYTORCH_FLAVOR}` flavor (cpu, cu128) has its stage; COPY --from names an
#      earlier stage; base images are pinned (a tag, never latest); every COPY source exists in the
#      build context and is not excluded by .dockerignore; PYTORCH_VERSION is the root pom's
#      pytorch.version; the image sets PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR, PYTORCH_VERSION and
#      DJL_OFFLINE=true;
#   2. the scripts the image runs parse (bash -n / sh -n; shellcheck too when installed);
#   3. the natives step works: deploy/docker/fetch-libtorch.sh runs for PYTORCH_FLAVOR=cpu on the
#      jars Maven fetched (what the image build does), takes a libtorch copy from the build context
#      when given one, and refuses cu126, which has no JNI library.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { echo "lint-dockerfile: $*"; }

python3 - <<'PY'
import fnmatch, glob, os, re, sys

problems = []
def need(cond, msg):
    if not cond:
        problems.append(msg)

# Logical lines: continuations joined, comments and blank lines dropped.
lines, buf = [], ""
for raw in open("Dockerfile", encoding="utf-8"):
    s = raw.rstrip("\n")
    if not buf and (not s.strip() or s.lstrip().startswith("#")):
        continue
    if s.endswith("\\"):
        buf += s[:-1] + " "
        continue
    lines.append((buf + s).strip())
    buf = ""

ignored = [l.strip().rstrip("/") for l in open(".dockerignore") if l.strip() and not l.startswith("#")]
def is_ignored(path):
    parts = path.split("/")
    for pat in ignored:
        for i in range(1, len(parts) + 1):
            head = "/".join(parts[:i])
            if fnmatch.fnmatch(head, pat) or fnmatch.fnmatch(head, pat.removeprefix("**/")) \
                    or (pat.startswith("**/") and fnmatch.fnmatch(parts[i - 1], pat[3:])):
                return True
    return False

global_args, stages, seen_from = {}, [], False
stage_args = {}
env = {}
def expand(text, args):
    return re.sub(r"\$\{(\w+)(:-[^}]*)?\}", lambda m: args.get(m.group(1)) or (m.group(2) or ":-")[2:], text)

for line in lines:
    word, _, rest = line.partition(" ")
    word = word.upper()
    if word == "ARG":
        for decl in rest.split():
            name, _, default = decl.partition("=")
            if not seen_from:
                global_args[name] = default
            else:
                stage_args[name] = default if default else global_args.get(name, "")
    elif word == "FROM":
        seen_from = True
        stage_args = {}
        m = re.match(r"(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$", rest, re.I)
        need(m is not None, f"cannot read: {line}")
        ref, name = m.group(1), m.group(2)
        for var in re.findall(r"\$\{(\w+)", ref):
            need(var in global_args, f"FROM uses ${{{var}}} but no ARG {var} precedes the first FROM")
        if "${PYTORCH_FLAVOR}" in ref:
            for flavor in ("cpu", "cu128"):
                need(ref.replace("${PYTORCH_FLAVOR}", flavor) in stages, f"no stage {ref.replace('${PYTORCH_FLAVOR}', flavor)} for PYTORCH_FLAVOR={flavor}")
        else:
            image = expand(ref, global_args)
            if image not in stages:
                need(":" in image.split("/")[-1] and not image.endswith(":latest"), f"base image {image} is not pinned to a tag")
        if name:
            stages.append(name)
    elif word == "COPY" or word == "ADD":
        args = rest.split()
        flags = [a for a in args if a.startswith("--")]
        paths = [a for a in args if not a.startswith("--")]
        srcs = paths[:-1]
        frm = [f.split("=", 1)[1] for f in flags if f.startswith("--from=")]
        if frm:
            need(frm[0] in stages, f"COPY --from={frm[0]}: no such earlier stage")
            continue
        for src in srcs:
            path = expand(src, {**global_args, **stage_args})
            matches = [p for p in glob.glob(path)] if path != "." else ["."]
            need(matches, f"COPY source {src} ({path}) does not exist in the build context")
            for p in matches:
                need(p == "." or not is_ignored(os.path.normpath(p)), f"COPY source {p} is excluded by .dockerignore")
    elif word == "ENV":
        for k, v in re.findall(r"(\w+)=(\S+)", rest):
            env[k] = v

pom = open("pom.xml", encoding="utf-8").read()
pom_torch = re.search(r"<pytorch.version>([^<]+)</pytorch.version>", pom).group(1)
need(global_args.get("PYTORCH_VERSION") == pom_torch, f"ARG PYTORCH_VERSION={global_args.get('PYTORCH_VERSION')} but the pom builds against PyTorch {pom_torch}")
need(global_args.get("PYTORCH_FLAVOR") == "cpu", "the default PYTORCH_FLAVOR should be cpu")
for k, want in (("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib"), ("PYTORCH_FLAVOR", "${PYTORCH_FLAVOR}"),
                ("PYTORCH_VERSION", "${PYTORCH_VERSION}"), ("DJL_OFFLINE", "true")):
    need(env.get(k) == want, f"the image does not set {k}={want} (has {env.get(k)})")
for required in ("build", "libtorch", "runtime-cpu", "runtime-cu128"):
    need(required in stages, f"stage {required} is missing")

if problems:
    for p in problems:
        print("lint-dockerfile: FAILED: " + p, file=sys.stderr)
    sys.exit(1)
print(f"lint-dockerfile: {len(lines)} instructions, stages {stages}: structure ok")
PY

bash -n deploy/docker/healthcheck
sh -n deploy/docker/fetch-libtorch.sh
bash -n deploy/compose/kafka-init.sh
if command -v shellcheck >/dev/null 2>&1; then
  shellcheck deploy/docker/healthcheck deploy/docker/fetch-libtorch.sh deploy/compose/kafka-init.sh
fi
say "scripts parse"

# The natives step of the image build, on the jars this checkout builds with.
jni="$(tr ':' '\n' < models/target/runtime.classpath 2>/dev/null | grep '/pytorch-jni-' || true)"
cpu="$(tr ':' '\n' < models/target/runtime.classpath 2>/dev/null | grep '/pytorch-native-cpu-' || true)"
if [[ -z "$jni" || -z "$cpu" ]]; then
  echo "lint-dockerfile: FAILED: build the models module first (models/target/runtime.classpath lists the DJL jars)" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/jars"
cp "$jni" "$cpu" "$tmp/jars/"
export JARS_DIR="$tmp/jars" CONTEXT_LIBTORCH="$root/deploy/docker/no-libtorch" PYTORCH_VERSION
PYTORCH_VERSION="$(sed -n 's|.*<pytorch.version>\(.*\)</pytorch.version>.*|\1|p' pom.xml)"
PYTORCH_FLAVOR=cpu sh deploy/docker/fetch-libtorch.sh "$tmp/libtorch" > "$tmp/cpu.log"
[[ -f "$tmp/libtorch/lib/libtorch.so" && -f "$tmp/libtorch/lib/libtorch_cpu.so" ]] \
  || { cat "$tmp/cpu.log" >&2; echo "lint-dockerfile: FAILED: fetch-libtorch (cpu) left no libtorch" >&2; exit 1; }
# LIBTORCH_DIR: a copy from the build context wins over the jar (here: the folder just laid out).
CONTEXT_LIBTORCH="$tmp/libtorch" PYTORCH_FLAVOR=cpu sh deploy/docker/fetch-libtorch.sh "$tmp/from-context" > "$tmp/context.log"
grep -q "the copy from the build context" "$tmp/context.log" && [[ -f "$tmp/from-context/lib/libtorch.so" ]] \
  || { cat "$tmp/context.log" >&2; echo "lint-dockerfile: FAILED: LIBTORCH_DIR was not used" >&2; exit 1; }
if PYTORCH_FLAVOR=cu126 sh deploy/docker/fetch-libtorch.sh "$tmp/cu126" > "$tmp/cu126.log" 2>&1; then
  echo "lint-dockerfile: FAILED: fetch-libtorch accepted cu126, which has no JNI library" >&2; exit 1
fi
grep -q "only for: cpu cu128" "$tmp/cu126.log" || { cat "$tmp/cu126.log" >&2; exit 1; }
say "fetch-libtorch: cpu natives in place ($(cat "$tmp/libtorch/build-version")); a build-context copy is taken; cu126 refused"
