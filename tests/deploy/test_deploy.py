"""The Kubernetes manifests: valid against the Kubernetes schemas, and shaped as the service needs."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
KUBERNETES = "1.34.0"


def load(name):
    return yaml.safe_load((ROOT / "deploy" / "kubernetes" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_is_valid_kubernetes(path):
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        kubernetes_validate.validate(document, KUBERNETES, strict=True)


def test_the_validator_can_fail():
    broken = copy.deepcopy(load("deployment.yaml"))
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["paht"] = "/x"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_deployment_shape():
    deployment = load("deployment.yaml")
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]  # writable scratch only
    env = {e["name"]: e for e in container["env"]}
    assert env["HOST"]["value"] == "0.0.0.0" and "secretKeyRef" in env["API_KEYS"]["valueFrom"]
    graceful = re.search(r"graceful_timeout = (\d+)", (ROOT / "gunicorn.conf.py").read_text()).group(1)
    front = re.search(
        r"worker_shutdown_timeout (\d+)s;", (ROOT / "service/ops/nginx.conf").read_text()
    ).group(1)
    assert pod["terminationGracePeriodSeconds"] > int(graceful) + int(front)  # the front stops first


def test_selectors_and_targets_agree():
    labels = load("deployment.yaml")["spec"]["template"]["metadata"]["labels"]
    assert load("service.yaml")["spec"]["selector"].items() <= labels.items()
    assert load("pdb.yaml")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    target = load("hpa.yaml")["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", load("deployment.yaml")["metadata"]["name"])
    assert load("hpa.yaml")["spec"]["minReplicas"] > load("pdb.yaml")["spec"]["minAvailable"]


def test_the_deployment_keeps_the_slow_client_and_proxy_settings():
    container = load("deployment.yaml")["spec"]["template"]["spec"]["containers"][0]
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert "command" not in container and "args" not in container  # the image's: the front first
    assert int(env["WEB_THREADS"]) >= 8 and float(env["REQUEST_READ_TIMEOUT"]) > 0
    assert int(env["FRONT_CONNECTIONS_PER_CLIENT"]) > 0
    assert "FORWARDED_ALLOW_IPS" not in env  # gunicorn listens on the front's socket alone
