"""The deployment description (Dockerfile, docker-compose.yml), checked statically: there
is no Docker engine on these machines, so the file is validated against the Compose
specification's schema and cross-checked here (dependencies, the one-shot migration
before every process, replicas, healthchecks that are real ``laurel`` commands, settings
that exist)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from infrastructure.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
APP_SERVICES = ("api", "worker", "relay", "projector", "notifier")
ONE_SHOT = ("migrate",)
"""Services that run to completion once (the others wait for them to succeed)."""
LEADER_ELECTED = ("relay", "projector", "notifier")
LAUREL_SETTINGS = {f"LAUREL_{name.upper()}" for name in Settings.model_fields}
REQUIRED = re.compile(r"\$\{(\w+):\?[^}]+\}")
SECRET_KEY = re.compile(r"PASSWORD|PWD|SECRET|TOKEN")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: str(value) for key, value in env.items()}


def dependencies(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    deps = service.get("depends_on") or {}
    return {name: {} for name in deps} if isinstance(deps, list) else deps


def volume_sources(service: dict[str, Any]) -> list[str]:
    sources = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            if volume.get("type", "volume") == "volume" and volume.get("source"):
                sources.append(volume["source"])
        elif ":" in volume:
            sources.append(volume.split(":", 1)[0])
    return [s for s in sources if not s.startswith(("/", ".", "~", "$"))]


def instruction(name: str) -> list[str] | None:
    """The last NAME instruction of the Dockerfile, as an argv list."""
    found = None
    for line in DOCKERFILE.read_text().splitlines():
        keyword, _, rest = line.strip().partition(" ")
        if keyword.upper() == name:
            rest = rest.strip()
            found = json.loads(rest) if rest.startswith("[") else rest.split()
    return found


def test_the_compose_file_is_valid_against_the_compose_specification() -> None:
    exe = Path(sys.executable).parent / "check-jsonschema"
    command = str(exe) if exe.exists() else shutil.which("check-jsonschema")
    assert command, "check-jsonschema is not installed"
    result = subprocess.run(
        [command, "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_dependency_is_a_defined_service(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for target in dependencies(service):
            assert target in services, f"{name} depends on undefined service {target}"


def test_app_services_wait_for_healthy_postgres_and_temporal(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in APP_SERVICES:
        deps = dependencies(services[name])
        for target in ("postgres", "temporal"):
            assert deps.get(target, {}).get("condition") == "service_healthy", (name, target)


def test_every_named_volume_is_declared(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    for name, service in compose["services"].items():
        for source in volume_sources(service):
            assert source in declared, f"{name} uses undeclared volume {source}"


def test_the_four_app_services_share_one_image_and_build_context(
    services: dict[str, dict[str, Any]],
) -> None:
    images = {services[name].get("image") for name in APP_SERVICES}
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in APP_SERVICES}
    assert len(images) == 1 and None not in images, images
    assert len(builds) == 1 and "null" not in builds, builds


def test_each_app_service_runs_its_own_laurel_subcommand(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in APP_SERVICES:
        command = services[name].get("command") or instruction("CMD")
        if isinstance(command, str):
            command = command.split()
        assert command == ["laurel", name], (name, command)


def test_every_service_has_a_healthcheck_and_a_restart_policy(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service.get("restart") == "on-failure", name  # again only if it failed
            continue
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
        assert service.get("restart") in {"always", "unless-stopped", "on-failure"}, name


def test_the_migration_runs_once_before_every_laurel_process(
    services: dict[str, dict[str, Any]],
) -> None:
    migrate = services["migrate"]
    assert migrate["command"] == ["laurel", "migrate"]
    assert migrate["image"] == services["api"]["image"]
    assert set(dependencies(migrate)) == {"postgres"}
    for name in APP_SERVICES:
        assert dependencies(services[name])["migrate"] == {
            "condition": "service_completed_successfully"}, name


def test_every_laurel_process_runs_two_replicas(services: dict[str, dict[str, Any]]) -> None:
    for name in APP_SERVICES:
        assert services[name].get("deploy", {}).get("replicas") == 2, name
    # Each API replica takes a host port of the published range.
    published = services["api"]["ports"][0]
    default = re.search(r":-([^}]+)\}", published)
    assert default, published
    low, _, high = default.group(1).rpartition(":")[2].partition("-")
    assert int(high) - int(low) + 1 == 2, published


def test_each_healthcheck_is_a_command_laurel_has(services: dict[str, dict[str, Any]]) -> None:
    from laurel.cli import parser

    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    alive = next(a for a in commands["alive"]._actions if a.dest == "process")
    for name in LEADER_ELECTED:
        test = services[name]["healthcheck"]["test"]
        assert test == ["CMD", "laurel", "alive", name], (name, test)
        assert name in alive.choices, name
    # The worker's is its heartbeat too: cheap, and not failed by Temporal being away.
    assert services["worker"]["healthcheck"]["test"] == ["CMD", "laurel", "alive", "worker"]
    assert "worker" in alive.choices


def test_a_stopped_worker_has_time_to_finish_its_steps(
    services: dict[str, dict[str, Any]],
) -> None:
    grace = services["worker"]["stop_grace_period"]
    assert grace.endswith("s") and int(grace[:-1]) > Settings().worker_shutdown_seconds


def test_every_laurel_variable_is_a_known_setting(services: dict[str, dict[str, Any]]) -> None:
    used = {key for s in services.values() for key in environment(s) if key.startswith("LAUREL_")}
    used |= set(re.findall(r"\$\{(LAUREL_\w+?)(?=[:}?-])", COMPOSE_FILE.read_text()))
    assert used <= LAUREL_SETTINGS, used - LAUREL_SETTINGS


def test_secrets_are_required_variables_never_literals(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        for key, value in environment(service).items():
            if SECRET_KEY.search(key):
                assert REQUIRED.fullmatch(value), f"{name}.{key} must be ${{VAR:?message}}"
    for name in APP_SERVICES:
        env = environment(services[name])
        jwt_secret = REQUIRED.fullmatch(env["LAUREL_JWT_SECRET"])
        assert jwt_secret and jwt_secret.group(1) == "LAUREL_JWT_SECRET", name
        password = REQUIRED.search(env["LAUREL_DATABASE_URL"])
        assert password and password.group(1) == "POSTGRES_PASSWORD", name


def test_the_dockerfile_runs_laurel_as_a_non_root_user() -> None:
    assert DOCKERFILE.is_file()
    command = (instruction("ENTRYPOINT") or []) + (instruction("CMD") or [])
    assert command[:1] == ["laurel"], command
    user = instruction("USER")
    assert user and user[0] not in {"root", "0"}, user
