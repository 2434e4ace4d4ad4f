# K8sSharp developer entry points. The logic lives in hack/ and conformance/; this file stays thin.
#   make run          build and run a single-node cluster in the foreground (Ctrl-C stops it)
#   make up / down    the same, detached / stop it (state stays in .k8ssharp/)
#   make test         every test: dotnet test, then the conformance scenarios against `make up`
#   make bench        API-server benchmarks vs baselines measured in the same run (bench/README.md)
# Ports can be moved with K8SSHARP_ETCD_PORT (2379), K8SSHARP_API_PORT (6443), K8SSHARP_KUBELET_PORT (10250);
# the node with K8SSHARP_NODE_NAME, K8SSHARP_CNI_BRIDGE (cni0), K8SSHARP_POD_LOG_DIR (/var/log/pods).

SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
.DEFAULT_GOAL := help

.PHONY: help tools build up down run status test conformance bench clean reset

help:
	@echo "K8sSharp targets:"
	@echo "  make run          tools + build, then a cluster in the foreground (Ctrl-C stops it)"
	@echo "  make up           tools + build, then start the cluster detached and wait until it is ready"
	@echo "  make down         stop what 'make up' started (state stays in .k8ssharp/)"
	@echo "  make status       show which components run"
	@echo "  make test         dotnet tests + conformance scenarios + restart check; ends with 'N passed, M failed'"
	@echo "  make bench        benchmarks vs raw etcd/Kestrel baselines, 3 reps, ratios (bench/results/latest.md)"
	@echo "  make conformance  only the scenarios, against the running cluster (SCENARIOS='watch errors' for some)"
	@echo "  make tools        install etcd, docker, CNI plugins, busybox, iptables and the pinned kubectl 1.35.2 / helm 4.1.4 (.k8ssharp/bin/)"
	@echo "  make build        dotnet build (Release)"
	@echo "  make clean        remove build outputs;  make reset: down + wipe .k8ssharp/ except bin/"

tools:
	@hack/tools.sh

build:
	@echo "==> dotnet build K8sSharp.sln -c Release"
	@dotnet build K8sSharp.sln -c Release --nologo -v quiet
	@echo "==> build ok"

up: tools build
	@hack/up.sh

down:
	@hack/down.sh

run: tools build
	@hack/run.sh

status:
	@hack/status.sh

test: tools build
	@hack/test.sh

conformance: tools
	@hack/status.sh --quiet || $(MAKE) up
	@conformance/run.sh $(SCENARIOS)

bench: tools build
	@hack/bench.sh $(BENCH_ARGS)

clean:
	@echo "==> removing build outputs (bin/, obj/, TestResults/)"
	@find . -path ./.k8ssharp -prune -o -path ./.git -prune -o -type d \
		\( -name bin -o -name obj -o -name TestResults \) -prune -exec rm -rf {} +

reset: down
	@echo "==> removing cluster state in .k8ssharp/ (keeping bin/)"
	@if [ -d .k8ssharp ]; then find .k8ssharp -mindepth 1 -maxdepth 1 ! -name bin -exec rm -rf {} +; fi
