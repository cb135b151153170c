#!/bin/sh
# Regenerates Sources/InferenceGRPC/Generated from Protos/ (the code is committed: the plugins
# take about 10 minutes to build here, so they stay out of Package.swift).
#
# Needs protoc (Debian: protobuf-compiler) and the two plugins built once from the package
# mirror, at the versions Package.swift resolves:
#   mkdir /tmp/plugins && cd /tmp/plugins   # a package depending on apple/swift-protobuf 1.39.0
#   and grpc/grpc-swift-protobuf 2.4.1, then:
#   swift build -c release --product protoc-gen-swift
#   swift build -c release --product protoc-gen-grpc-swift-2
# and PLUGINS=/tmp/plugins/.build/release (the default below).
set -eu
cd "$(dirname "$0")/.."
PLUGINS=${PLUGINS:-/tmp/plugins/.build/release}
OUT=Sources/InferenceGRPC/Generated
mkdir -p "$OUT"
protoc --proto_path=Protos \
  --plugin=protoc-gen-swift="$PLUGINS/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift="$PLUGINS/protoc-gen-grpc-swift-2" \
  --swift_out="$OUT" --swift_opt=Visibility=Internal \
  --grpc-swift_out="$OUT" --grpc-swift_opt=Visibility=Internal,Client=false,Server=true \
  grpc_predict_v2.proto health.proto
ls -l "$OUT"
