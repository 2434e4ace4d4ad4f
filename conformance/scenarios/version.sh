#!/usr/bin/env bash
# kubectl version and /version: a plain v1.35.N (a -pre-release suffix breaks Helm's kubeVersion).
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

expect_output "client is the pinned stock kubectl" '^Client Version: v1\.35\.2$' kubectl version --client
expect_output "kubectl version shows the server version" '^Server Version: v1\.35\.' kubectl version
expect_output "/version has a plain v1.35.N gitVersion" '"gitVersion": ?"v1\.35\.[0-9]+(\+[^"-]*)?"' \
  kubectl get --raw /version
expect_output "/version has major 1, minor 35" '"minor": ?"35' kubectl get --raw /version
