"""Need to know on paper: what a referral sheet may carry to its receiving agency.

The rule (pure; the service supplies the support meeting's pledged member agencies):

1. ``consent`` basis, receiving agency named in the consent -> scope ``full``: every field.
2. ``support_meeting`` basis (no consent, 社会福祉法第106条の6), the meeting is a 支援会議 and
   the receiving agency has a member at it who signed the pledge -> scope ``meeting``: what the
   receiving member needs to identify, reach and act for the person (identity, household
   composition, issue checkboxes, services involved, reason and urgency). Left out: the
   consulter (protects whoever raised the concern), the person's account, their wishes and the
   household narrative; those stay inside the meeting, under its pledge, not on paper.
3. Anything else -> scope ``withheld``: the receiving agency is not named in the consent, the
   meeting is missing, is not a 支援会議 (a 重層的支援会議 needs consent) or has no pledged member
   from that agency, or no receiving agency is set. The sheet keeps only the administrative
   fields (receipt number, dates, agencies, workers, urgency, the sharing basis) and says why
   the rest was left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass

from app.domain.records import ReferralData

FULL = "full"
MEETING = "meeting"
WITHHELD = "withheld"

# Field groups as the sheet names them, in print order.
FIELD_LABELS: dict[str, str] = {
    "person": "本人の氏名・ふりがな・性別・生年月日・住所・電話",
    "consulter": "相談者（本人以外）と続柄",
    "household_members": "世帯員",
    "household_situation": "世帯の状況",
    "issue_categories": "課題の分類",
    "account": "相談内容（本人の訴え）",
    "wishes": "本人の希望",
    "services_involved": "関わっている機関・サービス",
    "reason": "つなぐ理由",
    "consent_signature": "同意者の署名",
    "reply": "受付機関からの返信内容",
}
MEETING_WITHHOLDS = ("consulter", "household_situation", "account", "wishes")
WITHHELD_ALL = tuple(FIELD_LABELS)


@dataclass(frozen=True)
class Redaction:
    scope: str  # FULL, MEETING or WITHHELD
    withheld: tuple[str, ...]  # keys of FIELD_LABELS left off the sheet
    reason_ja: str
    reason_en: str
    # Scope MEETING: the receiving agency's members who signed the pledge in time, the only
    # people the sheet may be handed to.
    recipients: tuple[str, ...] = ()

    @property
    def can_send(self) -> bool:
        """A sheet that carries nothing about the person cannot be sent (送付不可)."""
        return self.scope != WITHHELD

    def withheld_labels(self) -> list[str]:
        return [FIELD_LABELS[k] for k in self.withheld]

    def hides(self, key: str) -> bool:
        return key in self.withheld


@dataclass(frozen=True)
class MeetingBasis:
    """What the rule needs to know about the referral's support meeting."""

    member_agency_ids: frozenset[str]  # agencies with an attendee who signed the pledge in time
    case_ids: frozenset[str]  # cases the meeting discussed
    # (agency id, attendee name) of every member who signed the pledge on or before the meeting
    members: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls, agencies: Collection[str], cases: Collection[str],
        members: Collection[tuple[str, str]] = (),
    ) -> MeetingBasis:  # fmt: skip
        return cls(frozenset(agencies) | {a for a, _ in members}, frozenset(cases),
                   tuple(members))  # fmt: skip

    def members_of(self, agency_id: str) -> tuple[str, ...]:
        return tuple(name for a, name in self.members if a == agency_id)


def decide(data: ReferralData, meeting: MeetingBasis | None = None) -> Redaction:
    """Which fields the receiving agency may see (``meeting``: None when there is none)."""
    to = data.to_agency_id
    if not to:
        return Redaction(
            WITHHELD, WITHHELD_ALL,
            "送付先機関が指定されていないため、個人情報と相談内容は記載していません。"
            "送付先機関を指定してから改めて印刷してください。",
            "No receiving agency is set, so personal details were left out. Set the receiving "
            "agency and print again.",
        )  # fmt: skip
    if data.consent_basis == "consent":
        if to in data.consent_agency_ids:
            return Redaction(
                FULL, (),
                "本人が同意した機関への送付のため、全項目を記載しています。",
                "The receiving agency is named in the consent: all fields are included.",
            )  # fmt: skip
        return Redaction(
            WITHHELD, WITHHELD_ALL,
            "送付先機関は本人が同意した機関に含まれていないため、個人情報と相談内容は記載して"
            "いません。送付先を同意の範囲に加えてから改めて印刷してください。",
            "The receiving agency is not named in the consent, so personal details were left "
            "out. Add it to the consent and print again.",
        )  # fmt: skip
    if not data.meeting_id:
        return Redaction(
            WITHHELD, WITHHELD_ALL,
            "本人同意がなく、根拠となる支援会議も指定されていないため、個人情報と相談内容は"
            "記載していません。本人の同意を得るか、このケースを支援会議で検討してから改めて"
            "印刷してください。",
            "No consent and no support meeting as the basis: personal details were left out. "
            "Obtain consent, or discuss the case at a support meeting, and print again.",
        )  # fmt: skip
    if data.meeting_kind != "shien_kaigi":
        return Redaction(
            WITHHELD, WITHHELD_ALL,
            f"本人同意のない情報は支援会議（社会福祉法第106条の6）でのみ共有できます。指定された"
            f"{_kind_ja(data.meeting_kind)}は本人同意に基づく会議のため、個人情報と相談内容は"
            "記載していません。本人の同意を得るか、支援会議で検討してから改めて印刷してください。",
            "Without consent only a support meeting (art. 106-6) may share; the named meeting "
            "is consent-based, so personal details were left out. Obtain consent or discuss the "
            "case at a support meeting, and print again.",
        )  # fmt: skip
    if meeting is None or data.case_id not in meeting.case_ids:
        return Redaction(
            WITHHELD, WITHHELD_ALL,
            "指定された支援会議ではこのケースを検討していないため、個人情報と相談内容は記載して"
            "いません。このケースを検討した支援会議を指定してください。",
            "The named support meeting did not discuss this case, so personal details were left "
            "out. Name the support meeting that discussed it.",
        )  # fmt: skip
    if to not in meeting.member_agency_ids:
        return Redaction(
            WITHHELD, WITHHELD_ALL,
            "送付先機関は支援会議の構成員（会議の日までに守秘義務の誓約書を提出した者）ではない"
            "ため、個人情報と相談内容は記載していません。送付先の職員を構成員に加え、誓約書を"
            "提出してもらってから改めて印刷してください。",
            "The receiving agency has no member at the support meeting who signed the pledge by "
            "the meeting's date, so personal details were left out. Add its worker as a member, "
            "have the pledge signed, and print again.",
        )  # fmt: skip
    return Redaction(
        MEETING, MEETING_WITHHOLDS,
        "本人同意なし。支援会議の構成員の間に限り、支援に必要な範囲で共有します"
        "（社会福祉法第106条の6）。相談の詳細は会議の場で共有し、この用紙には記載していません。",
        "No consent: shared only among the support meeting's members, as far as support needs "
        "(art. 106-6). The details stay in the meeting and are not on this sheet.",
        meeting.members_of(to),
    )  # fmt: skip


def _kind_ja(kind: str | None) -> str:
    from app.domain import vocab

    return vocab.label(vocab.MEETING_KIND, kind, "ja") or "会議"


def apply(data: ReferralData, redaction: Redaction) -> ReferralData:
    """A copy of ``data`` with the withheld fields emptied (the renderer never sees them)."""
    hide = redaction.hides
    changes: dict[str, object] = {}
    if hide("person"):
        changes["person"] = None
    if hide("consulter"):
        changes |= {"consulter_name": None, "consulter_relationship": None}
    if hide("household_members"):
        changes["household_members"] = ()
    if hide("household_situation"):
        changes["household_situation"] = None
    if hide("issue_categories"):
        changes |= {"issue_categories": (), "issue_other": None}
    for key in ("account", "wishes", "services_involved", "reason"):
        if hide(key):
            changes[key] = None
    if hide("consent_signature"):
        changes["consent_signed_by"] = None
    if hide("reply"):
        changes["reply_text"] = None
    if hide("person"):  # cautions and hand-over say things about the person too
        changes |= {"contact_cautions": (), "contact_note": None, "first_meeting_at": None,
                    "consult_route": None, "consent_agent_relationship": None}  # fmt: skip
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def redact(
    data: ReferralData, meeting: MeetingBasis | None = None
) -> tuple[ReferralData, Redaction]:
    redaction = decide(data, meeting)
    return apply(data, redaction), redaction
