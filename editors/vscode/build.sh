#!/usr/bin/env bash
# Builds the VS Code extension, pyjit-<version>.vsix, with everything in it:
#   - bundled/libs: pyjit's wheel (built from this checkout) and each runtime
#     dependency, pinned to the version installed in $PYTHON's environment
#     (`pip install --target --no-deps`), so the extension needs nothing installed;
#   - dist/extension.js: src/ and vscode-languageclient in one file (esbuild);
#   - packaged by @vscode/vsce 3 (vsce 4 needs Node 22).
# It builds in a temporary copy: the checkout stays as it is.
#
# Usage: editors/vscode/build.sh [OUT.vsix]      (default: editors/vscode/pyjit-<version>.vsix)
# PYTHON: an interpreter with pyjit and its dependencies installed
# (`pip install -e .` of this checkout), default python3. Needs node and npm.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PYTHON=$(command -v "${PYTHON:-python3}") || { echo "build.sh: no ${PYTHON:-python3}" >&2; exit 1; }
PYTHON=$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")   # absolute, symlinks kept (a venv's python)
VERSION=$(node -p "require('$HERE/package.json').version")
OUT=$(realpath -m "${1:-$HERE/pyjit-$VERSION.vsix}")
say() { echo "build.sh: $*" >&2; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -r "$HERE/package.json" "$HERE/package-lock.json" "$HERE/README.md" "$HERE/.vscodeignore" \
      "$HERE/src" "$HERE/bundled" "$STAGE/"
cp "$REPO/LICENSE" "$STAGE/" 2>/dev/null || true
cd "$STAGE"

say "npm ci"
npm ci --prefer-offline --no-audit --no-fund --loglevel=error >&2

say "bundled/libs: pyjit's wheel and its runtime dependencies ($("$PYTHON" --version))"
# From a copy of the tracked files: setuptools writes build/ and *.egg-info where it builds.
mkdir "$STAGE/pyjit"
(cd "$REPO" && git ls-files -z | xargs -0 cp --parents -t "$STAGE/pyjit")
"$PYTHON" -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir "$STAGE/wheel" "$STAGE/pyjit" >&2
mapfile -t requirements < <("$PYTHON" "$HERE/bundled_requirements.py" pyjit-torchscript)
say "  ${requirements[*]}"
rm -rf bundled/libs
# Pure-Python wheels only (`--implementation py`): the bundle runs on any CPython >= 3.10.
"$PYTHON" -m pip install --quiet --no-compile --no-deps --implementation py --only-binary=:all: --target bundled/libs \
    "$STAGE"/wheel/*.whl "${requirements[@]}" >&2
# Console scripts are of no use inside the extension.
rm -rf bundled/libs/bin

say "dist/extension.js (esbuild)"
npx --no-install esbuild src/extension.js --bundle --platform=node --format=cjs --target=node18 \
    --external:vscode --outfile=dist/extension.js --log-level=warning >&2

say "package"
npx --no-install vsce package --skip-license --out "$OUT" >&2
say "built $OUT"
echo "$OUT"
