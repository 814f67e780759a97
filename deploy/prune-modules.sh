#!/bin/sh
# Removes from a production node_modules (npm ci --omit=dev) what neither the server nor the trainer loads.
#   deploy/prune-modules.sh NODE_MODULES_DIR
# The image test (deploy/image.test.ts) runs predictions on what is left, embedded and on PostgreSQL, and
# the trainer's evaluation runs on it too.
set -eu
cd "$1"

# ONNX Runtime: `onnxruntime-web/wasm` resolves to ort.wasm.bundle.min.mjs, which inlines ORT's own JS
# dependencies and runs ort-wasm-simd-threaded.wasm (its loader, ort-wasm-simd-threaded.mjs, is imported
# unless the caller hands over the binary, as the trainer's evaluation does not); every other build
# (WebGPU, JSPI, asyncify, WebGL, the unbundled ones) is for browsers.
find onnxruntime-web/dist -type f ! -name ort.wasm.bundle.min.mjs ! -name 'ort-wasm-simd-threaded.*' -delete
find onnxruntime-web/dist -type f -name 'ort-wasm-simd-threaded.*.*' -delete
rm -rf onnxruntime-web/lib onnxruntime-web/docs
rm -rf onnxruntime-common protobufjs @protobufjs flatbuffers long guid-typescript platform

# The page's dependencies: compiled into frontend/dist at build time.
rm -rf solid-js seroval seroval-plugins csstype

# Type declarations and source maps: read by editors and debuggers, never at run time.
rm -rf @types undici-types
find . -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.cts' -o -name '*.d.mts' \) -delete
