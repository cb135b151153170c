# deploy/kubernetes checked offline: strict validation against the Kubernetes 1.33 schemas that
# the kubernetes-validate package ships, then what the schemas cannot say (security settings,
# probe ports, grace period vs preStop + drain, memory budget vs limit): scripts/deploy/k8s-check.py.
# Installs kubernetes-validate and PyYAML with pip when missing.
.PHONY: k8s-check
k8s-check:
	@python3 -c "import kubernetes_validate, yaml" 2>/dev/null || python3 -m pip install -q kubernetes-validate PyYAML
	python3 scripts/deploy/k8s-check.py deploy/kubernetes

# make test runs it (before XCTest).
TEST_EXTRA += k8s-check
