"""The fictional demo's words and tables: towns and school zones of the six districts, case
titles, accounts and wishes by issue, referral reasons by agency and issue, replies, contact
narratives (with whom they fit), tasks and resources (used by app.services.demo). All made up."""

from __future__ import annotations

# district code -> (towns, 小学校区). Town names from the city's districts (DOMAIN.md); the
# school zones are named after them. Block numbers are random, so no address is real.
TOWNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "chuo": (("東難波町", "西難波町", "大物町", "北城内", "神田中通", "昭和通"),
             ("難波小", "西小", "明城小", "竹谷小")),
    "oda": (("杭瀬", "長洲", "潮江", "金楽寺町", "常光寺", "次屋", "久々知", "下坂部", "神崎町"),
            ("杭瀬小", "長洲小", "金楽寺小", "下坂部小", "小田北小")),
    "osho": (("稲葉荘", "稲葉元町", "大島", "大庄北", "大庄中通", "大庄西町", "崇徳院", "蓬川町",
              "浜田町", "元浜町", "中浜町", "道意町", "武庫川町", "扇町"),
             ("大庄小", "浜小", "成徳小", "大島小", "明倫小")),
    "tachibana": (("立花町", "七松町", "水堂町", "尾浜町", "栗山町", "三反田町", "塚口本町"),
                  ("立花小", "七松小", "水堂小", "尾浜小", "立花南小")),
    "muko": (("武庫之荘", "武庫元町", "常松", "常吉", "時友", "友行"),
             ("武庫小", "武庫東小", "武庫庄小", "武庫南小", "常陽小")),
    "sonoda": (("田能", "食満", "椎堂", "猪名寺", "上坂部", "戸ノ内町", "東塚口町", "善法寺町"),
               ("園田小", "園田東小", "園田南小", "上坂部小", "園和小")),
}  # fmt: skip
DISTRICT_NAMES = {
    "chuo": "中央", "oda": "小田", "osho": "大庄", "tachibana": "立花", "muko": "武庫",
    "sonoda": "園田",
}  # fmt: skip
ISSUE_TITLES = {
    "health_disability": "通院が途絶えている",
    "housing": "住まいの確保が必要",
    "income": "生活費が足りない",
    "rent_loans": "市営住宅の家賃滞納",
    "tax_utilities": "税金・公共料金の滞納",
    "debt": "多重債務の相談",
    "work": "離職後の就労相談",
    "relationships": "近隣とのトラブル",
    "childcare": "子育ての負担",
    "caregiving": "家族の介護の負担",
    "hikikomori": "長期のひきこもり",
    "dv_abuse": "DV・暴力の疑い",
    "no_food": "食べるものがない",
    "other": "多頭飼育の状態",
}
CHILD_TITLES = {
    "hikikomori": "不登校が続いている",
    "no_food": "食事を十分にとれていない",
    "dv_abuse": "虐待の疑い",
    "health_disability": "発達の課題と通院の支援",
    "caregiving": "家族の介護を担っている（ヤングケアラー）",
}
# What the person or family said (相談内容) for the main issue; children's cases come from school.
ACCOUNTS = {
    "health_disability": "通院をやめて半年になる。薬も飲めておらず、本人は体調への不安を話している。",
    "housing": "家主から立ち退きを求められているが、保証人がおらず転居先が見つからない。",
    "income": "収入だけでは生活費が足りず、食費を切り詰めている。公共料金の支払いも遅れがち。",
    "rent_loans": "市営住宅の家賃を数か月滞納しており、督促状が届いている。",
    "tax_utilities": "国民健康保険料と水道料金の滞納があり、給水停止の予告が届いた。",
    "debt": "複数の消費者金融から借入があり、返済のために別の借入をしている。",
    "work": "半年前に離職し、再就職の見通しが立たない。貯金も残りわずかとのこと。",
    "relationships": "近隣住民と騒音をめぐるトラブルが続き、本人は外出を避けている。",
    "childcare": "子どもの世話に追われて休めず、周りに頼れる人がいない。",
    "caregiving": "家族の介護で外出もままならず、疲れがたまっている。",
    "hikikomori": "数年にわたり自宅からほとんど出ておらず、家族以外と話す機会がない。",
    "dv_abuse": "家族からの暴力がうかがわれる。本人は家を離れたいと話している。",
    "no_food": "冷蔵庫に食べるものがなく、数日まともに食事をとれていない。",
    "other": "室内で多数の猫を飼育しており、近隣から臭いの苦情が出ている。",
}  # fmt: skip
CHILD_ACCOUNTS = {
    "hikikomori": "学校から、二学期に入って長期欠席が続いているとの相談があった。",
    "no_food": "学校から、朝食をとらずに登校し給食を多く求めるとの情報提供があった。",
    "dv_abuse": "学校から、腕にあざがあり家に帰りたがらないとの情報提供があった。",
    "health_disability": "発達の課題で通院していたが、ここ数か月受診が途切れている。",
    "caregiving": "学校から、祖父母の介護のため遅刻や欠席が増えているとの相談があった。",
}  # fmt: skip
WISHES = {
    "hikikomori": "今は外に出たくないが、家族とは話をしたい",
    "debt": "借金を整理して生活を立て直したい",
    "housing": "今の地域で住まいを見つけたい",
    "rent_loans": "今の住まいに住み続けたい",
    "caregiving": "介護の負担を減らして、自分の時間もほしい",
    "work": "自分に合う仕事を見つけて働きたい",
    "dv_abuse": "安全な場所で暮らしたい",
    "childcare": "子どもと落ち着いて暮らしたい",
    "other": "猫の数を減らして、近所に迷惑をかけないようにしたい",
}
CHILD_WISHES = {
    "hikikomori": "（本人）学校の友達とまた遊びたい",
    "caregiving": "（本人）学校に通い続けたい",
}
# Why a referral goes to an agency, for the issue it is sent for (8. つなぐ理由): the reason
# names that issue, so a sheet about neighbour trouble never asks for 生活福祉資金.
REASONS: dict[str, dict[str, str]] = {
    "houkatsu": {"caregiving": "介護保険サービスの利用と、家族の介護負担の軽減が必要なため",
                 "health_disability": "介護保険サービスの利用と見守りの調整が必要なため"},
    "shakyo": {"income": "生活福祉資金など、生活の立て直しの支援が必要なため",
               "no_food": "食料支援（フードバンク）と、生活の立て直しの支援が必要なため",
               "relationships": "近隣との関係の調整と、地域での見守りの支援が必要なため",
               "housing": "転居先探しと保証人の確保について支援が必要なため",
               "rent_loans": "家賃の滞納について、家計の立て直しの支援が必要なため",
               "tax_utilities": "公共料金の滞納について、家計の立て直しの支援が必要なため",
               "debt": "借入の返済について、家計の立て直しの支援が必要なため",
               "work": "離職後の生活費について、家計の立て直しの支援が必要なため"},
    "kouken": {"income": "金銭管理と権利擁護の支援が必要なため"},
    "hikikomori": {"hikikomori": "ひきこもり状態への継続的な支援が必要なため"},
    "npo": {"work": "就労に向けた伴走支援が必要なため",
            "income": "収入を得るための、就労に向けた伴走支援が必要なため",
            "no_food": "食料の支援（フードバンク）と、地域の居場所へのつなぎが必要なため",
            "hikikomori": "ひきこもりの方の居場所づくりと、社会参加に向けた伴走支援が必要なため",
            "relationships": "近隣との関係に悩む方の、地域での居場所づくりの支援が必要なため"},
    "kodomo_shokudo": {"no_food": "子どもの食事と居場所の確保が必要なため"},
    "iryou": {"health_disability": "受診の再開と、医療と介護の連携が必要なため",
              "caregiving": "家族の介護について、医療と介護の連携が必要なため"},
    "toshi": {"rent_loans": "市営住宅の家賃の分納と、住まいの相談が必要なため",
              "housing": "住まいの確保（市営住宅の申込み）の相談が必要なため"},
    "kyoiku": {"hikikomori": "不登校について、学校と連携した支援（スクールソーシャルワーカー）が必要なため",
               "dv_abuse": "子どもの安全の確認について、学校と連携した見守りが必要なため",
               "caregiving": "家族の介護を担う子どもについて、学校と連携した支援が必要なため"},
    "bengoshi": {"debt": "債務整理についての法律相談が必要なため",
                 "dv_abuse": "安全の確保に向けた法律相談（保護命令など）が必要なため"},
    "doubutsu": {"other": "多頭飼育への対応（不妊去勢・譲渡）が必要なため"},
    "kodomo": {"dv_abuse": "子どもの安全の確認と家庭への支援が必要なため",
               "caregiving": "家族の介護を担う子ども（ヤングケアラー）と家庭への支援が必要なため",
               "childcare": "子育ての負担を軽くする家庭への支援が必要なため",
               "no_food": "子どもの食事と家庭の状況の確認が必要なため",
               "health_disability": "子どもの発達と健康面について、家庭への支援が必要なため",
               "hikikomori": "不登校の子どもと家庭への支援が必要なため"},
    "fukushi": {"dv_abuse": "安全の確保と生活再建の支援が必要なため",
                "health_disability": "障害福祉サービスの利用と、健康面の支援の調整が必要なため"},
    "hoken": {"health_disability": "保健師による健康面の支援と、受診の再開が必要なため",
              "relationships": "近隣との関係の悩みの背景にある心の健康について、保健師の支援が必要なため",
              "hikikomori": "ひきこもりの背景にある心の健康について、保健師の支援が必要なため",
              "other": "多頭飼育による衛生と健康面について、保健師の支援が必要なため",
              "childcare": "子育ての不安について、保健師による家庭訪問の支援が必要なため"},
    "shisan": {"tax_utilities": "税金・公共料金の納付相談（分納・減免）が必要なため"},
}  # fmt: skip
TASKS = {
    "houkatsu": "介護保険の申請を支援する",
    "shakyo": "家計の状況を確認する",
    "kouken": "日常生活自立支援事業の利用を検討する",
    "hikikomori": "本人との面談を設定する",
    "npo": "就労体験の場を紹介する",
    "kodomo_shokudo": "こども食堂の利用につなぐ",
    "iryou": "受診の再開を支援する",
    "toshi": "家賃の分納について相談する",
    "kyoiku": "学校と家庭訪問の日程を調整する",
    "bengoshi": "法律相談の予約を取る",
    "doubutsu": "飼育の状況を確認する",
    "kodomo": "子どもの安全を確認する",
    "fukushi": "一時的な避難先を確保する",
    "hoken": "保健師が家庭訪問する",
    "shisan": "分納の計画を立てる",
}
# Agencies whose staff receive referrals and sit on support meetings (with their own staff).
PARTNERS = tuple(REASONS)
OUTREACH_AGENCIES = ("chiiki", "shakyo", "hikikomori")
ADDRESSEES = {"suishin": "重層的支援推進担当課長", "hwc_south": "南部保健福祉センター所長",
              "hwc_north": "北部保健福祉センター所長"}  # fmt: skip
# The receiving agency's reply (返信欄) for each status: what it says fits where the sheet is.
REPLIES: dict[str, tuple[str, ...]] = {
    "received": ("受理しました。担当者から本人に連絡し、初回面談の日程を調整します。",
                 "受理しました。担当者を決めて、今週中に本人と連絡をとります。"),
    "in_progress": ("初回面談を実施しました。継続して支援し、次回の会議で経過を報告します。",
                    "担当者を決めて対応中です。本人と月に一度面談しています。"),
    "done": ("本人と面談し、サービスの利用につながりました。対応を完了します。",
             "必要な手続きを終え、支援の見通しが立ちました。対応を完了します。"),
    "returned": ("本人と連絡がとれず、支援を始められなかったため返戻します。連絡がとれましたら"
                 "改めてご相談ください。",
                 "本人が当機関の利用を望まれなかったため返戻します。引き続き見守りをお願いします。"),
}  # fmt: skip
# contact kind -> (narrative, place, who came along, whom it fits); the place and the people fit
# the text, and the text fits the person (see _fit): 地域包括支援センター serves people of 65 and
# over and their families, a ひきこもり支援員 a person withdrawn at home, a school a child.
CONTACTS: dict[str, tuple[tuple[str, str, str | None, str], ...]] = {
    "visit": (
        ("自宅を訪問。本人と玄関先で面会。表情は穏やかで、最近の生活について話を聞いた。", "自宅", None,
         "any"),
        ("自宅を訪問したが本人不在。メモを残し、後日改めて訪問する。", "自宅", None, "any"),
        ("自宅を訪問。室内に物が多く、片付けの支援について提案した。", "自宅", None, "adult"),
        ("自宅を訪問。保護者から子どもの最近の様子と家での過ごし方を聞いた。", "自宅", None, "child"),
    ),
    "phone": (
        ("電話で近況を確認。食事は一日二回とれているとのこと。次回訪問の約束をした。", "電話", None,
         "adult"),
        ("本人から電話。届いた書類の書き方がわからないとのことで、来所を勧めた。", "電話", None, "any"),
        ("学校と電話で連絡。最近の出席の様子と家庭の状況を共有した。", "電話", None, "pupil"),
    ),
    "office": (
        ("来所相談。手続きに必要な書類を一緒に確認した。", "保健福祉センター", None, "any"),
        ("来所相談。これまでの経過を聞き取り、次の面談の日を決めた。", "地域振興センター", None, "any"),
    ),
    "outreach": (
        ("つどい場で本人と会い、最近の様子を聞いた。次回も顔を出すとのこと。", "つどい場", None, "adult"),
        ("公民館の体操教室の後に本人と話した。近所の人とも顔見知りになってきた。", "公民館", None,
         "elder"),
        ("こども食堂の運営者から情報提供。子どもが夕食をとれていない様子があるとのこと。",
         "こども食堂", None, "kids"),
        ("地域の見守り活動の中で本人の様子を確認した。民生委員とも情報を共有した。", "地域", None,
         "any"),
    ),
    "accompany": (
        ("民生委員と同行訪問。本人と家族から話を聞き、今後の段取りを相談した。", "自宅", "民生委員", "any"),
        ("ひきこもり支援員と同行訪問。本人は部屋から出てこなかったが、家族と話ができた。", "自宅",
         "ひきこもり支援員", "withdrawn"),
        ("本人に同行して市役所の窓口へ。国民健康保険の手続きを済ませた。", "市役所", None, "adult"),
        ("地域包括支援センター職員と病院に同行。医療相談室で今後の通院について話し合った。",
         "病院", "地域包括支援センター職員", "elder"),
        ("地域包括支援センター職員と同行訪問。家族の介護サービスの利用について話し合った。", "自宅",
         "地域包括支援センター職員", "carer"),
        ("スクールソーシャルワーカーと同行訪問。保護者と子どもの学校での様子について話した。", "自宅",
         "スクールソーシャルワーカー", "pupil"),
        ("保健師と同行訪問。保護者から子どもの発達と生活の様子を聞いた。", "自宅", "保健師", "infant"),
    ),
}  # fmt: skip
KINDS = (
    "visit",
    "visit",
    "phone",
    "office",
    "outreach",
    "accompany",
)  # a contact's kind, by weight
NEXT_ACTIONS = {"visit": "再訪問", "phone": "電話で確認", "office": "再訪問", "outreach": "再訪問",
                "accompany": "関係機関と調整"}  # fmt: skip
LIFE_EVENTS = (("moving", "転居してきた"), ("illness", "入院した"), ("work", "離職した"),
               ("care", "介護が始まった"))  # fmt: skip
RESOURCE_NAMES = ["ふれあいサロン", "いきいき百歳体操", "こども食堂", "移動販売", "つどい場",
                  "ボランティアセンター", "子育てひろば", "認知症カフェ"]  # fmt: skip


FAMILY = (
    "妻",
    "夫",
    "息子",
    "娘",
    "父",
    "母",
    "兄",
    "姉",
    "弟",
    "妹",
    "兄弟",
    "姉妹",
    "祖父",
    "祖母",
)
