"""Controlled vocabularies: code -> (Japanese label, English label).

Codes are what is stored and synced; labels are what people see. ``parse`` accepts either.
"""

from __future__ import annotations

from app.domain.errors import ValidationError
from app.i18n import pick

Vocabulary = dict[str, tuple[str, str]]

CASE_STATUS: Vocabulary = {
    "received": ("受付", "Received"),
    "assessment": ("アセスメント", "Assessment"),
    "supporting": ("支援中", "Supporting"),
    "watching": ("見守り", "Watching"),
    "closed": ("終結", "Closed"),
}

# The issue checkboxes of the referral sheet (うけとめ・つなげるシート).
ISSUE_CATEGORY: Vocabulary = {
    "health_disability": ("健康・障害", "Health / disability"),
    "housing": ("住まい", "Housing"),
    "income": ("収入・生活費", "Income / living costs"),
    "rent_loans": ("家賃・ローン", "Rent / loans"),
    "tax_utilities": ("税金・公共料金", "Taxes / utilities"),
    "debt": ("借金", "Debt"),
    "work": ("仕事", "Work"),
    "relationships": ("家族・近隣関係", "Family / neighbour relations"),
    "childcare": ("子育て", "Childcare"),
    "caregiving": ("介護", "Caregiving"),
    "hikikomori": ("ひきこもり・不登校", "Hikikomori / school refusal"),
    "dv_abuse": ("DV・虐待", "DV / abuse"),
    "no_food": ("食べるものがない", "No food"),
    "other": ("その他", "Other"),
}

URGENCY: Vocabulary = {
    "high": ("高", "High"),
    "medium": ("中", "Medium"),
    "low": ("低", "Low"),
}

CONSENT_STATUS: Vocabulary = {
    "given": ("同意あり", "Consent given"),
    "refused": ("同意なし", "Consent refused"),
    "pending": ("未確認", "Not yet asked"),
}

CONTACT_KIND: Vocabulary = {
    "visit": ("訪問", "Home visit"),
    "office": ("来所", "Office visit"),
    "phone": ("電話", "Phone"),
    "outreach": ("アウトリーチ", "Outreach"),
    "accompany": ("同行", "Accompanied"),
    "meeting": ("会議", "Meeting"),
}

REFERRAL_STATUS: Vocabulary = {
    "draft": ("下書き", "Draft"),
    "sent": ("送付済", "Sent"),
    "received": ("受理", "Received"),
    "in_progress": ("対応中", "In progress"),
    "done": ("完了", "Done"),
    "returned": ("返戻", "Returned"),
}

CONSENT_BASIS: Vocabulary = {
    "consent": ("本人同意", "Consent of the person"),
    "support_meeting": (
        "支援会議（社会福祉法第106条の6）",
        "Support meeting (Social Welfare Act 106-6)",
    ),
}

MEETING_KIND: Vocabulary = {
    "shien_kaigi": ("支援会議", "Support meeting (art. 106-6)"),
    "jusoteki": ("重層的支援会議", "Multi-layered support meeting"),
    "shinchoku": ("進捗会議", "Progress meeting"),
}
# Only a 支援会議 (Social Welfare Act art. 106-6) may share a person's information without
# consent; the other kinds are consent-based.
NO_CONSENT_MEETING_KINDS = frozenset({"shien_kaigi"})

# The status of a task (役割分担) from a meeting's minutes.
TASK_STATUS: Vocabulary = {
    "open": ("未着手", "Not started"),
    "in_progress": ("対応中", "In progress"),
    "done": ("完了", "Done"),
}

# How the consultation reached us (相談経路), printed on the referral sheet.
CONSULT_ROUTE: Vocabulary = {
    "self": ("本人から", "The person"),
    "family": ("家族・親族から", "Family"),
    "neighbour": ("近隣住民・民生委員から", "Neighbours / welfare volunteer"),
    "agency": ("関係機関から", "Another agency"),
    "outreach": ("アウトリーチで把握", "Found through outreach"),
    "other": ("その他", "Other"),
}

# Cautions for whoever contacts the person (連絡上の注意).
CONTACT_CAUTION: Vocabulary = {
    "address_secret": ("住所秘匿", "Address confidential"),
    "no_home_call": ("自宅への電話不可", "Do not phone home"),
    "no_mail": ("郵送不可", "No post"),
    "no_visit": ("訪問は事前連絡のうえ", "Visit only by appointment"),
    "interpreter": ("通訳が必要", "Needs an interpreter"),
    "hearing": ("耳が遠い（筆談・大きな声で）", "Hard of hearing"),
}
# Cautions that make the sheet carry a warning next to the address.
ADDRESS_CAUTIONS = frozenset({"address_secret"})

# How the hand-over to the receiving agency is arranged (つなぎ方).
HANDOVER: Vocabulary = {
    "accompany": ("同行して紹介", "Accompanied introduction"),
    "joint_interview": ("合同面談", "Joint interview"),
    "introduce_only": ("紹介のみ（本人から連絡）", "Introduction only"),
    "agency_contacts": ("送付先から本人へ連絡", "Receiving agency contacts the person"),
}

ROLE: Vocabulary = {
    "outreach": ("アウトリーチ職員", "Outreach worker"),
    "coordinator": ("包括化推進員", "Coordinator"),
    "admin": ("システム管理者", "Administrator"),
}

RELATIONSHIP: Vocabulary = {
    "self": ("本人", "Self"),
    "head": ("世帯主", "Head of household"),
    "spouse": ("配偶者", "Spouse"),
    "child": ("子", "Child"),
    "parent": ("父母", "Parent"),
    "grandparent": ("祖父母", "Grandparent"),
    "grandchild": ("孫", "Grandchild"),
    "sibling": ("兄弟姉妹", "Sibling"),
    "relative": ("その他の親族", "Other relative"),
    "cohabitant": ("同居人", "Cohabitant"),
}

SEX: Vocabulary = {
    "female": ("女", "Female"),
    "male": ("男", "Male"),
    "other": ("その他", "Other"),
    "unknown": ("不明", "Unknown"),
}

RESOURCE_KIND: Vocabulary = {
    "gathering": ("つどい場", "Gathering place"),
    "window": ("相談窓口", "Consultation window"),
    "facility": ("地域施設", "Community facility"),
    "kodomo_shokudo": ("こども食堂", "Children's cafeteria"),
    "mobile_shop": ("移動販売", "Mobile shop"),
    "other": ("その他", "Other"),
}

LIFE_EVENT_KIND: Vocabulary = {
    "birth": ("出生", "Birth"),
    "school": ("入学・進学", "School"),
    "work": ("就職・離職", "Work"),
    "marriage": ("結婚・離婚", "Marriage / divorce"),
    "moving": ("転居", "Moving"),
    "illness": ("病気・障害", "Illness / disability"),
    "care": ("介護開始", "Care began"),
    "death": ("死亡", "Death"),
    "other": ("その他", "Other"),
}

DISTRICTS: list[tuple[str, str, str]] = [
    # (code, name, kana)
    ("chuo", "中央", "ちゅうおう"),
    ("oda", "小田", "おだ"),
    ("osho", "大庄", "おおしょう"),
    ("tachibana", "立花", "たちばな"),
    ("muko", "武庫", "むこ"),
    ("sonoda", "園田", "そのだ"),
]


def label(vocab: Vocabulary, code: str | None, lang: str | None = None) -> str:
    if code is None:
        return ""
    pair = vocab.get(code)
    if pair is None:
        return code
    return pick(pair[0], pair[1], lang)


def parse(vocab: Vocabulary, value: str, field: str) -> str:
    """Accept a code or a Japanese/English label; return the code or raise ValidationError."""
    text = value.strip()
    if text in vocab:
        return text
    for code, (ja, en) in vocab.items():
        if text == ja or text.lower() == en.lower():
            return code
    choices = "、".join(ja for ja, _ in vocab.values())
    raise ValidationError(
        f"{field} の値「{text}」は使えません。使える値: {choices}",
        f"Invalid value for {field}: {text!r}. Allowed: " + ", ".join(vocab.keys()),
        field=field,
    )
