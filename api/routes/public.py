"""What anyone may read without an account: tracking by code, the catalogue, problems."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import LaurelDep, Limit, Offset, read_models
from api.problems import PROBLEM_RESPONSES, THROTTLED_RESPONSES, catalogue
from api.reads import tracking as reads
from api.schemas import (
    AwardPublic,
    AwardsPublic,
    EligibilityRulePublic,
    Label,
    OrgUnitPublic,
    OrgUnitsPublic,
    PolicyPublic,
    PolicyVersionsPublic,
    ProcedurePublic,
    PublicNoticesPublic,
    TrackingPublic,
)
from api.throttle import client_of, throttles_of
from domain.application import normalised_tracking_code
from domain.eligibility import Rule
from domain.errors import NotFound
from domain.policy import Policy

router = APIRouter(responses=PROBLEM_RESPONSES)


@router.get("/track/{tracking_code}", tags=["tracking"], responses=THROTTLED_RESPONSES)
async def track(tracking_code: str, laurel: LaurelDep, request: Request) -> TrackingPublic:
    """A nomination's progress by its tracking code, without an account.

    Shows the nominee's name and the steps taken; never actors, votes or notes. Limited
    per client address and per code (429 with `Retry-After`)."""
    throttles_of(request).lookup(client_of(request), normalised_tracking_code(tracking_code))
    return await read_models(laurel, lambda conn: reads.tracking(tracking_code, laurel, conn))


def _policy(laurel: LaurelDep, version: str | None) -> Policy:
    return laurel.policies.version(version) if version else laurel.policy


VersionQuery = Annotated[str | None, Query(description="a policy version; default: in force")]


@router.get("/org-units", tags=["catalogue"])
def org_units(
    laurel: LaurelDep, level: str | None = None, version: VersionQuery = None
) -> OrgUnitsPublic:
    """The organisation tree (units, districts, the province) of a policy version."""
    policy = _policy(laurel, version)
    units = [
        OrgUnitPublic(id=u.id, name=u.name, level=u.level, kind=u.kind, parent_id=u.parent_id,
                      formerly=list(u.formerly))
        for u in policy.org.units.values()
        if level is None or u.level == level
    ]
    return OrgUnitsPublic(policy_version=policy.version, items=units)


@router.get("/awards", tags=["catalogue"])
def awards(laurel: LaurelDep, version: VersionQuery = None) -> AwardsPublic:
    """The award catalogue: who decides, through which levels, by which vote rule."""
    policy = _policy(laurel, version)
    items = [
        AwardPublic(
            code=a.code, name=Label(vi=a.name.vi, en=a.name.en),
            nominee_kinds=sorted(a.nominee_kinds), chain=list(a.chain),
            deciding_level=a.deciding_level,
            authority=Label(vi=a.authority.vi, en=a.authority.en),
            review_days=dict(a.review_days), vote=a.vote.to_dict(),
            public_notice=a.public_notice,
            procedures={name: ProcedurePublic(chain=list(p.chain), review_days=dict(p.review_days))
                        for name, p in a.procedures.items()},
            eligibility=[_rule_public(rule, policy) for rule in a.eligibility],
            lower_forms=list(a.lower_forms), required_documents=list(a.required_documents),
        )
        for a in policy.awards.values()
    ]
    return AwardsPublic(policy_version=policy.version, items=items)


def _rule_public(rule: Rule, policy: Policy) -> EligibilityRulePublic:
    described = rule.describe(policy.awards)
    return EligibilityRulePublic(kind=rule.kind, parameters=rule.parameters(),
                                 legal_basis=rule.legal_basis,
                                 description=Label(vi=described.vi, en=described.en))


def _version_public(policy: Policy, active: Policy) -> dict[str, Any]:
    return {"version": policy.version, "effective_from": policy.effective_from,
            "active": policy is active, "levels": list(policy.levels),
            "awards": len(policy.awards), "org_units": len(policy.org.units)}


@router.get("/policy", tags=["catalogue"])
def active_policy(laurel: LaurelDep, version: VersionQuery = None) -> PolicyPublic:
    """The policy version in force today (or the one named): levels, vote rule,
    working calendar and deadlines."""
    policy, active = _policy(laurel, version), laurel.policy
    calendar = policy.calendar
    return PolicyPublic.model_validate({
        **_version_public(policy, active),
        "level_names": {k: {"vi": v.vi, "en": v.en} for k, v in policy.level_names.items()},
        "vote": policy.vote.to_dict(),
        "calendar": {"utc_offset_hours": calendar.utc_offset_hours,
                     "weekend": sorted(calendar.weekend),
                     "holidays": sorted(d.isoformat() for d in calendar.holidays)},
        "deadlines": {"decision_days": policy.decision_days,
                      "notice_days": policy.notice_days,
                      "reminder_share": policy.reminder_share},
        "return_reasons": {code: {"vi": label.vi, "en": label.en}
                           for code, label in policy.return_reasons.items()},
        "unregistered_nominees": list(policy.unregistered_nominees),
        **_inside_levels(policy),
    })


def _inside_levels(policy: Policy) -> dict[str, Any]:
    """The steps inside a level before its council, as the policy states them."""
    appraisal, consultation = policy.inside_levels.appraisal, policy.inside_levels.consultation
    return {
        "appraisal": None if appraisal is None else {
            "levels": list(appraisal.levels), "working_days": appraisal.working_days,
            "awards": sorted(appraisal.awards) if appraisal.awards is not None else None},
        "consultation": None if consultation is None else {
            "level": consultation.level,
            "awards": sorted(consultation.awards) if consultation.awards is not None else None,
            "agencies": [a.to_dict() for a in consultation.agencies]},
    }


@router.get("/policy/versions", tags=["catalogue"])
def policy_versions(laurel: LaurelDep) -> PolicyVersionsPublic:
    """Every version of the policy, oldest first, and which one is in force."""
    active = laurel.policy
    return PolicyVersionsPublic.model_validate(
        {"items": [_version_public(p, active) for p in laurel.policies.versions]})


@router.get("/public-notices", tags=["tracking"])
async def public_notices(
    laurel: LaurelDep, limit: Limit = 50, offset: Offset = 0
) -> PublicNoticesPublic:
    """Nominations for state-level awards now in their public comment period (công khai):
    anyone may object with the tracking code."""
    return await read_models(laurel, lambda conn: reads.public_notices(laurel, conn, limit,
                                                                       offset))


@router.get("/problems/{code}", tags=["catalogue"])
def problem_description(code: str) -> dict[str, Any]:
    """What a problem ``type`` means."""
    entry = catalogue().get(code)
    if entry is None:
        raise NotFound(f"No problem type {code}", vi=f"Không có loại lỗi {code}")
    return {"type": f"/problems/{code}", **entry}
