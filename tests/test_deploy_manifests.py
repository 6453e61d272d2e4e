"""The Kubernetes manifests (deploy/k8s/) checked statically: no cluster and no internet
here, so each object is validated against a JSON Schema of the subset of the Kubernetes
API the manifests use (tests/k8s_schema/k8s-subset.json: required fields, container
fields, probes; unknown fields refused), then cross-checked: every process there with
probes and resources, one image tag, the migration before every process, the settings
named are Laurel's, the Temporal certificates mounted where they are read."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from infrastructure.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / "deploy" / "k8s"
SCHEMA = json.loads((Path(__file__).parent / "k8s_schema" / "k8s-subset.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
LAUREL_SETTINGS = {f"LAUREL_{name.upper()}" for name in Settings.model_fields}
PROCESSES = ("api", "worker", "relay", "projector", "notifier")
LEADER_ELECTED = ("relay", "projector", "notifier")
TALK_TO_TEMPORAL = ("worker", "relay")  # /readyz no longer asks Temporal
SECRET_KEYS = ("LAUREL_DATABASE_URL", "LAUREL_JWT_SECRET", "LAUREL_FILES_S3_ACCESS_KEY",
               "LAUREL_FILES_S3_SECRET_KEY")
"""What the Secret ``laurel-secrets`` holds (config.yaml and deploy/k8s/README.md)."""


def documents() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document and document.get("kind") != "Kustomization":
                found.append((path.name, document))
    return found


DOCUMENTS = documents()


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [d for _, d in DOCUMENTS if d["kind"] == kind]


def deployments() -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"].removeprefix("laurel-"): d for d in of_kind("Deployment")}


def pod(manifest: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = manifest["spec"]["template"]["spec"]
    return spec


def containers(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod(manifest)
    return list(spec.get("initContainers", [])) + list(spec["containers"])


def config() -> dict[str, str]:
    (config_map,) = of_kind("ConfigMap")
    data: dict[str, str] = config_map["data"]
    return data


@pytest.mark.parametrize(("file", "document"), DOCUMENTS,
                         ids=[f"{f}:{d['kind']}" for f, d in DOCUMENTS])
def test_each_object_is_valid_against_the_kubernetes_schema_subset(
    file: str, document: dict[str, Any],
) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in VALIDATOR.iter_errors(document)]
    assert not errors, errors


def test_the_schema_subset_is_a_valid_schema_and_catches_mistakes() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    api = deployments()["api"]

    def broken(change: Any) -> bool:
        copied = copy.deepcopy(api)
        change(copied)
        return not VALIDATOR.is_valid(copied)

    container = ["spec", "template", "spec", "containers", 0]

    def at(document: dict[str, Any], path: list[Any]) -> Any:
        for key in path:
            document = document[key]
        return document

    assert broken(lambda d: at(d, container).update(readinesProbe={}))  # misspelt
    assert broken(lambda d: at(d, container).pop("resources"))
    assert broken(lambda d: at(d, container)["readinessProbe"].pop("httpGet"))
    assert broken(lambda d: at(d, container)["resources"]["requests"].pop("memory"))
    assert broken(lambda d: d["spec"].pop("selector"))
    assert broken(lambda d: d.update(apiVersion="extensions/v1beta1"))
    assert broken(lambda d: d.update(kind="StatefulSet"))
    assert not VALIDATOR.is_valid({"apiVersion": "batch/v1", "kind": "Job",
                                   "metadata": {"name": "x"},
                                   "spec": {"template": pod_template_always()}})


def pod_template_always() -> dict[str, Any]:
    """A Job's pod that restarts Always: Kubernetes refuses it, and so does the schema."""
    job = copy.deepcopy(of_kind("Job")[0])
    job["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    template: dict[str, Any] = job["spec"]["template"]
    return template


def test_every_process_is_deployed_with_probes_resources_and_two_replicas() -> None:
    found = deployments()
    assert set(found) == set(PROCESSES)
    for name, manifest in found.items():
        (main,) = pod(manifest)["containers"]
        assert main["command"] == ["laurel", name], name
        assert main.get("readinessProbe") and main.get("livenessProbe"), name
        for each in containers(manifest):
            assert each["resources"]["requests"] and each["resources"]["limits"], name
        assert manifest["spec"]["replicas"] == 2, name
        selector = manifest["spec"]["selector"]["matchLabels"]
        labels = manifest["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), name


def test_the_api_is_ready_on_readyz_alive_on_healthz_and_served_by_its_service() -> None:
    api = deployments()["api"]
    (main,) = pod(api)["containers"]
    assert main["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert main["livenessProbe"]["httpGet"]["path"] == "/healthz"
    (port,) = main["ports"]
    assert str(port["containerPort"]) == config()["LAUREL_API_PORT"]
    assert config()["LAUREL_API_HOST"] == "0.0.0.0"  # noqa: S104 - in its pod, for the probes
    (service,) = of_kind("Service")
    assert service["spec"]["selector"].items() <= \
        api["spec"]["template"]["metadata"]["labels"].items()
    assert service["spec"]["ports"][0]["targetPort"] in (port["name"], port["containerPort"])


def test_the_followers_lead_by_lease_and_are_alive_by_their_heartbeat() -> None:
    from laurel.cli import parser

    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    alive = next(a for a in commands["alive"]._actions if a.dest == "process")
    for name in LEADER_ELECTED:
        manifest = deployments()[name]
        (main,) = pod(manifest)["containers"]
        assert main["livenessProbe"]["exec"]["command"] == ["laurel", "alive", name]
        assert name in alive.choices
        # Two replicas rely on the lease; a rollout never takes the standing one away first.
        assert manifest["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    worker = pod(deployments()["worker"])["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert worker[probe]["exec"]["command"] == ["laurel", "alive", "worker"]
    assert "worker" in alive.choices


def test_every_deployment_has_a_disruption_budget_that_keeps_one_running() -> None:
    budgets = of_kind("PodDisruptionBudget")
    for name, manifest in deployments().items():
        labels = manifest["spec"]["template"]["metadata"]["labels"]
        matching = [b for b in budgets
                    if b["spec"]["selector"]["matchLabels"].items() <= labels.items()]
        assert len(matching) == 1, name
        assert matching[0]["spec"].get("maxUnavailable") == 1 or \
            matching[0]["spec"].get("minAvailable") == 1, name


def test_every_image_is_laurel_at_one_tag_the_kustomization_s() -> None:
    images = {c["image"] for _, d in DOCUMENTS if d["kind"] in {"Deployment", "Job"}
              for c in containers(d)}
    assert len(images) == 1, images
    (image,) = images
    name, _, tag = image.partition(":")
    assert name == "laurel" and re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", tag), image
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
    assert kustomization["images"] == [{"name": "laurel", "newTag": tag}]


def test_the_kustomization_lists_every_manifest_but_the_release_job() -> None:
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
    files = {p.name for p in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files - {"migrate-job.yaml"}
    assert kustomization["resources"][0] == "namespace.yaml"


def test_the_migration_runs_before_every_process() -> None:
    (job,) = of_kind("Job")
    assert pod(job)["containers"][0]["command"] == ["laurel", "migrate"]
    for name, manifest in deployments().items():
        init = pod(manifest).get("initContainers", [])
        assert init and init[0]["command"] == ["laurel", "migrate"], name
        assert init[0]["envFrom"] == pod(manifest)["containers"][0]["envFrom"], name


def test_every_setting_named_is_laurel_s_and_secrets_are_not_in_the_config_map() -> None:
    data = config()
    assert set(data) <= LAUREL_SETTINGS, set(data) - LAUREL_SETTINGS
    assert set(SECRET_KEYS) <= LAUREL_SETTINGS
    for key in data:
        assert not re.search(r"SECRET|PASSWORD|API_KEY|DATABASE_URL", key), key
    config_text = (MANIFESTS / "config.yaml").read_text()
    for key in SECRET_KEYS:
        assert key in config_text, f"config.yaml does not say the Secret holds {key}"
    names = {d["metadata"]["name"] for d in of_kind("ConfigMap")}
    for _, document in DOCUMENTS:
        if document["kind"] not in {"Deployment", "Job"}:
            continue
        for each in containers(document):
            for variable in each.get("env", []):
                assert variable["name"] in LAUREL_SETTINGS, variable
            for source in each.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in names
                else:
                    assert source["secretRef"]["name"] == "laurel-secrets"


def test_everything_is_in_the_namespace_the_manifests_make() -> None:
    (namespace,) = of_kind("Namespace")
    for _, document in DOCUMENTS:
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == namespace["metadata"]["name"]


def test_the_temporal_certificates_are_mounted_where_the_settings_read_them() -> None:
    data = config()
    files = [Path(data[f"LAUREL_TEMPORAL_TLS_{part}"]) for part in ("CA", "CERT", "KEY")]
    for name, manifest in deployments().items():
        volumes = {v["name"]: v for v in pod(manifest).get("volumes", [])}
        for each in containers(manifest):
            for mount in each.get("volumeMounts", []):
                assert mount["name"] in volumes, (name, mount)
        if name not in TALK_TO_TEMPORAL:
            continue
        (main,) = pod(manifest)["containers"]
        mounted = {Path(m["mountPath"]): volumes[m["name"]] for m in main["volumeMounts"]}
        for file in files:
            assert file.parent in mounted, (name, file)
            assert mounted[file.parent]["secret"]["secretName"] == "laurel-temporal-tls"


def test_a_stopped_worker_has_time_to_finish_its_steps() -> None:
    grace = pod(deployments()["worker"])["terminationGracePeriodSeconds"]
    assert grace > float(config()["LAUREL_WORKER_SHUTDOWN_SECONDS"])


def test_the_pods_run_as_laurel_s_user_read_only() -> None:
    for _, document in DOCUMENTS:
        if document["kind"] not in {"Deployment", "Job"}:
            continue
        security = pod(document)["securityContext"]
        assert security["runAsNonRoot"] and security["runAsUser"] == 10001  # the Dockerfile's
        for each in containers(document):
            assert each["securityContext"]["readOnlyRootFilesystem"] is True
            assert each["securityContext"]["allowPrivilegeEscalation"] is False
            mounts = {m["mountPath"] for m in each["volumeMounts"]}
            assert config()["LAUREL_DATA_DIR"] in mounts and "/tmp" in mounts  # noqa: S108
