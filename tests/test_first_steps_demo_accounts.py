"""The demo accounts `laurel up` prints take every award of the demo province to its
outcome: whatever a demo clerk proposes, someone of the right role can act at every unit
on its route, and each listed password signs in."""

from __future__ import annotations

from pathlib import Path

from api.web.accounts import Account, Accounts, seed_demo_accounts
from domain.errors import WrongLevel
from domain.policy import Route
from domain.vocabulary import Role
from infrastructure.policy_file import load_policy_book
from infrastructure.settings import BUNDLED_POLICY

PHUONG_1 = "hg.vi-thanh.phuong-1"


def signed_in(data_dir: Path) -> list[Account]:
    """Each account of ``demo-accounts.txt``, signed in with the password listed there."""
    accounts = Accounts(data_dir / "accounts.json")
    listing = (data_dir / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()
    people = []
    for line in listing:
        username, password, _ = line.split("\t")
        person = accounts.sign_in(username, password)
        assert person is not None, f"{username} does not sign in with its listed password"
        people.append(person)
    return people


def missing_people(route: Route, proposer_unit: str, held: set[tuple[str, str]]) -> list[str]:
    needed = [(Role.PROPOSER, proposer_unit)]
    needed += [(Role.REVIEWER, step.unit_id) for step in route.reviews]
    needed.append((Role.DECIDER, route.decision.unit_id))  # a central award's is recorded
    return [f"{role} @ {unit}" for role, unit in needed if (role, unit) not in held]


def test_every_demo_award_finds_a_person_of_the_right_role_at_every_step(
    tmp_path: Path,
) -> None:
    seed_demo_accounts(tmp_path)
    held = {(role, person.unit_id) for person in signed_in(tmp_path) for role in person.roles}
    policy = load_policy_book(BUNDLED_POLICY).latest
    proposers = {unit for role, unit in held if role == Role.PROPOSER}
    departments = {u.id for u in policy.org.units.values() if u.kind == "department"}
    assert {PHUONG_1, *departments} <= proposers

    finished: set[str] = set()
    for unit in sorted(proposers):
        for award in policy.awards.values():
            for procedure in award.procedures:
                kind = sorted(award.nominee_kinds)[0]
                try:
                    route = policy.plan_route(award.code, unit, kind, procedure)
                except WrongLevel:
                    continue  # e.g. a department has no district to decide its Lao động tiên tiến
                lacking = missing_people(route, unit, held)
                assert not lacking, f"{award.code} ({procedure}) from {unit}: {lacking}"
                finished.add(award.code)
    assert finished == set(policy.awards)
    assert (Role.AUDITOR, "hg") in held


def test_a_data_directory_of_fewer_accounts_gets_the_missing_ones_and_keeps_its_own(
    tmp_path: Path,
) -> None:
    first = seed_demo_accounts(tmp_path)
    listing = tmp_path / "demo-accounts.txt"
    kept = [line for line in listing.read_text(encoding="utf-8").splitlines()
            if line.startswith(("vanthu.phuong1\t", "hoidong.phuong1\t"))]
    listing.write_text("\n".join(kept) + "\n", encoding="utf-8")  # as an older Laurel left it

    again = seed_demo_accounts(tmp_path)
    assert {row[0] for row in again} == {row[0] for row in first}
    passwords = {username: password for username, password, _ in again}
    for line in kept:
        username, password, _ = line.split("\t")
        assert passwords[username] == password
    assert len(signed_in(tmp_path)) == len(first)


def test_every_demo_account_has_its_own_address_for_notifications(tmp_path: Path) -> None:
    seed_demo_accounts(tmp_path)
    people = signed_in(tmp_path)
    addresses = [person.email for person in people]
    assert people and addresses == [f"{p.username}@demo.laurel.vn" for p in people]
    assert len(set(addresses)) == len(addresses)
    assert all(person.email_enabled for person in people)
