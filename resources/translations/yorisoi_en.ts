<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
  <context>
    <name>yorisoi</name>
    <message>
      <location filename="../../ui/app.py" line="61" />
      <source>寄り添い</source>
      <translation>Yorisoi</translation>
    </message>
    <message>
      <location filename="../../ui/app.py" line="87" />
      <source>エラー</source>
      <translation>Error</translation>
    </message>
    <message>
      <location filename="../../ui/controller.py" line="157" />
      <source>データベースを作成しています…</source>
      <translation>Creating the database…</translation>
    </message>
    <message>
      <location filename="../../ui/controller.py" line="161" />
      <source>進み具合</source>
      <translation>Progress</translation>
    </message>
    <message>
      <location filename="../../ui/controller.py" line="180" />
      <source>デモデータを作成しています…</source>
      <translation>Creating demo data…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="102" />
      <source>担当者</source>
      <translation>Assigned worker</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="104" />
      <source>メモ</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="112" />
      <source>課題</source>
      <translation>Issues</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="125" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="126" />
      <source>キャンセル</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="50" />
      <source>ケースの編集</source>
      <translation>Edit case</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="50" />
      <source>新規ケース</source>
      <translation>New case</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="56" />
      <source>本人</source>
      <translation>Person</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="58" />
      <source>氏名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="59" />
      <source>ふりがな</source>
      <translation>Kana</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="60" />
      <source>生年月日</source>
      <translation>Birth date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="61" />
      <source>性別</source>
      <translation>Sex</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="62" />
      <source>電話</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="63" />
      <source>住所</source>
      <translation>Address</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="76" />
      <source>主訴</source>
      <translation>Main concern</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="79" />
      <source>地区</source>
      <translation>District</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="82" />
      <source>状況</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="85" />
      <source>緊急度</source>
      <translation>Urgency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="91" />
      <source>同意</source>
      <translation>Consent</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="94" />
      <source>同意日</source>
      <translation>Consent date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="98" />
      <source>主担当機関</source>
      <translation>Lead agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="133" />
      <source>解決できません</source>
      <translation>Cannot resolve</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="35" />
      <source>（空欄）</source>
      <translation>(empty)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="37" />
      <source>削除</source>
      <translation>deleted</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="39" />
      <source>あり</source>
      <translation>present</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="53" />
      <source>競合の解決</source>
      <translation>Resolve a conflict</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="61" />
      <source>元の値</source>
      <translation>Base</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="62" />
      <source>この端末の変更</source>
      <translation>Mine</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="62" />
      <source>あなた</source>
      <translation>you</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="63" />
      <source>他の変更</source>
      <translation>Theirs</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="64" />
      <source>不明</source>
      <translation>unknown</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="77" />
      <source>統合した値（編集できます）</source>
      <translation>Merged value (editable)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="80" />
      <source>この端末の値を残す</source>
      <translation>Keep mine</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="82" />
      <source>他の変更を採用</source>
      <translation>Take theirs</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/conflict_dialog.py" line="83" />
      <source>統合した値で保存</source>
      <translation>Save merged</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/draft_dialog.py" line="88" />
      <source>入力中の内容を破棄しますか？</source>
      <translation>Discard what you typed?</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="106" />
      <source>作成</source>
      <translation>Create</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="48" />
      <source>寄り添い — はじめての設定</source>
      <translation>Yorisoi — first run</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="53" />
      <source>このパソコンの利用者とパスフレーズ</source>
      <translation>Who uses this laptop, and the passphrase</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="57" />
      <source>記録はすべてこのパスフレーズで暗号化されます。忘れると復元できません。</source>
      <translation>Everything is encrypted with this passphrase. If it is forgotten, nothing can be recovered.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="67" />
      <source>役割</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="69" />
      <source>所属機関</source>
      <translation>Agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="70" />
      <source>パスフレーズ</source>
      <translation>Passphrase</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="72" />
      <source>パスフレーズ（確認）</source>
      <translation>Passphrase (again)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="74" />
      <source>パスフレーズの強さ</source>
      <translation>Passphrase strength</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="81" />
      <source>デモデータ（架空の2,000人）を作成する</source>
      <translation>Create demo data (2,000 fictional persons)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="86" />
      <source>デモデータ</source>
      <translation>Demo data</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="95" />
      <source>強さ</source>
      <translation>Strength</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="97" />
      <source>確認</source>
      <translation>Again</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="113" />
      <source>受付番号</source>
      <translation>Receipt no.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="113" />
      <source>（保存時に採番）</source>
      <translation>(numbered on save)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="117" />
      <source>紹介元機関</source>
      <translation>Sending agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="120" />
      <source>紹介元担当者</source>
      <translation>Sending worker</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="122" />
      <source>紹介先機関</source>
      <translation>Receiving agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="128" />
      <source>同意の根拠</source>
      <translation>Basis</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="130" />
      <source>同意を得た機関</source>
      <translation>Agencies consented to</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="139" />
      <source>根拠となる支援会議</source>
      <translation>Support meeting (basis)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="154" />
      <source>受付</source>
      <translation>Receipt</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="163" />
      <source>紹介元・紹介先</source>
      <translation>From / to</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="173" />
      <source>本人・相談者・世帯</source>
      <translation>Person, consulter, household</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="192" />
      <source>紹介理由・緊急度</source>
      <translation>Reason and urgency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="202" />
      <source>支援会議</source>
      <translation>Support meeting</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="206" />
      <source>紹介先からの回答</source>
      <translation>Reply from the receiving agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="219" />
      <source>保存（Ctrl+S）</source>
      <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="221" />
      <source>閉じる</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="223" />
      <source>印刷・PDF…</source>
      <translation>Print / PDF…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="224" />
      <source>紹介票を印刷</source>
      <translation>Print referral sheet</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="247" />
      <source>印刷機能は未導入です。</source>
      <translation>Printing is not installed.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="250" />
      <source>保存してから印刷できます。</source>
      <translation>Save the sheet before printing.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="82" />
      <source>うけとめ・つなげるシート</source>
      <translation>Referral sheet</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="89" />
      <source>紹介元 連絡先</source>
      <translation>Sender contact</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="89" />
      <source>紹介先 担当者</source>
      <translation>Receiving worker</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="90" />
      <source>相談者（本人以外）</source>
      <translation>Consulted by (if not the person)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="91" />
      <source>本人との関係</source>
      <translation>Relationship to the person</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="92" />
      <source>その他の課題</source>
      <translation>Other issue</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="92" />
      <source>同意署名者</source>
      <translation>Consent signed by</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="93" />
      <source>回答者</source>
      <translation>Replied by</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="93" />
      <source>世帯の状況</source>
      <translation>Household situation</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="94" />
      <source>相談内容</source>
      <translation>Account</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="94" />
      <source>本人の希望</source>
      <translation>The person's wishes</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="95" />
      <source>関わっているサービス</source>
      <translation>Services already involved</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="96" />
      <source>紹介理由</source>
      <translation>Reason for referral</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="96" />
      <source>回答内容</source>
      <translation>Reply</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="97" />
      <source>紹介日</source>
      <translation>Referral date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="98" />
      <source>回答日</source>
      <translation>Reply date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="101" />
      <source>取り消した変更は、この端末に暗号化したまま90日間保管され、元に戻せます。</source>
      <translation>Dismissed changes are kept encrypted on this laptop for 90 days and can be restored.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="107" />
      <source>ごみ箱の中身</source>
      <translation>Items in the trash</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="111" />
      <source>{date} まで保管</source>
      <translation>kept until {date}</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="117" />
      <source>元に戻す</source>
      <translation>Restore</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="36" />
      <source>サーバーが受け付けなかった変更</source>
      <translation>Changes the server refused</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="41" />
      <source>受け付けられなかった理由</source>
      <translation>Why it was refused</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="44" />
      <source>この記録のケースはこの端末から外れました。下の内容は入力したときのままです。別のケースに付け替えると、この端末に戻して送信します。</source>
      <translation>The record's case left this laptop; the values below are as they were typed. Attach it to another case to bring it back and send it.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="53" />
      <source>記録の内容</source>
      <translation>Contact text</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="56" />
      <source>コピー</source>
      <translation>Copy</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="57" />
      <source>印刷…</source>
      <translation>Print…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="58" />
      <source>ケースを開く</source>
      <translation>Open case</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="60" />
      <source>もう一度送信</source>
      <translation>Send again</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/rejected_dialog.py" line="98" />
      <source>ごみ箱</source>
      <translation>Trash</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="34" />
      <source>地域資源の編集</source>
      <translation>Edit regional resource</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="36" />
      <source>地域資源の登録</source>
      <translation>New regional resource</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="40" />
      <source>名称</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="43" />
      <source>種類</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="50" />
      <source>日程</source>
      <translation>Schedule</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="51" />
      <source>連絡先</source>
      <translation>Contact</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="106" />
      <source>{n}秒後に再入力できます</source>
      <translation>Try again in {n} s</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="39" />
      <source>寄り添い — 解錠</source>
      <translation>Yorisoi — unlock</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="42" />
      <source>パスフレーズを入力してください</source>
      <translation>Enter your passphrase</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="43" />
      <source>プロファイル: {name}</source>
      <translation>Profile: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="52" />
      <source>解錠</source>
      <translation>Unlock</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="57" />
      <source>終了</source>
      <translation>Quit</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="83" />
      <source>解錠中…</source>
      <translation>Unlocking…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="103" />
      <source>下書きの状態</source>
      <translation>Draft state</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="109" />
      <source>保存（Ctrl+Enter）</source>
      <translation>Save (Ctrl+Enter)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="169" />
      <source>下書きから復元しました。</source>
      <translation>Restored from a draft.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="176" />
      <source>下書きを保存しました（{t}）</source>
      <translation>Draft saved ({t})</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="62" />
      <source>記録の入力</source>
      <translation>Record a contact</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="67" />
      <source>相談・訪問記録</source>
      <translation>Contact record</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="72" />
      <source>テンプレート</source>
      <translation>Template</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="73" />
      <source>（テンプレートなし）</source>
      <translation>(no template)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="80" />
      <source>種別</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="81" />
      <source>日時</source>
      <translation>Date and time</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="84" />
      <source>場所</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="85" />
      <source>同席者</source>
      <translation>Present</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="86" />
      <source>内容</source>
      <translation>What happened</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="88" />
      <source>次の対応</source>
      <translation>Next action</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="89" />
      <source>次回予定日</source>
      <translation>Next action date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="90" />
      <source>テンプレート（Alt+1〜6）</source>
      <translation>Template (Alt+1–6)</translation>
    </message>
    <message>
      <location filename="../../ui/i18n.py" line="83" />
      <source>予期しないエラーが発生しました（{kind}）。入力中の内容は下書きとして保存されています。</source>
      <translation>Unexpected error ({kind}). What you were typing is kept as a draft.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="100" />
      <source>ロック</source>
      <translation>Lock</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="100" />
      <source>ロック（Ctrl+L）</source>
      <translation>Lock (Ctrl+L)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="38" />
      <source>寄り添い — 相談支援記録</source>
      <translation>Yorisoi — case work</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="40" />
      <source>ナビゲーション</source>
      <translation>Navigation</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="60" />
      <source>ケース</source>
      <translation>Cases</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="60" />
      <source>世帯</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="60" />
      <source>今日の訪問</source>
      <translation>Today's visits</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="61" />
      <source>紹介（つなぐ）</source>
      <translation>Referrals</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="62" />
      <source>地域資源</source>
      <translation>Regional resources</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="62" />
      <source>同期</source>
      <translation>Sync</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="62" />
      <source>設定</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="91" />
      <source>利用者: {name}（{role}）</source>
      <translation>User: {name} ({role})</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="23" />
      <source>ケース番号</source>
      <translation>Case no.</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="25" />
      <source>担当</source>
      <translation>Assigned</translation>
    </message>
    <message>
      <location filename="../../ui/models/case_table_model.py" line="25" />
      <source>更新日</source>
      <translation>Updated</translation>
    </message>
    <message>
      <location filename="../../ui/models/household_table_model.py" line="18" />
      <source>人数</source>
      <translation>Members</translation>
    </message>
    <message>
      <location filename="../../ui/models/household_table_model.py" line="18" />
      <source>支援中のケース</source>
      <translation>Open cases</translation>
    </message>
    <message>
      <location filename="../../ui/models/lazy_table_model.py" line="160" />
      <source>読み込み中</source>
      <translation>Loading</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="106" />
      <source>記録者</source>
      <translation>By</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="123" />
      <source>日付</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="125" />
      <source>紹介先</source>
      <translation>To</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="127" />
      <source>紹介</source>
      <translation>Referrals</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="133" />
      <source>開催日</source>
      <translation>Held on</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="135" />
      <source>件名</source>
      <translation>Title</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="141" />
      <source>ケースの内容</source>
      <translation>Case sections</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="143" />
      <source>世帯・ライフステージ</source>
      <translation>Household and life stages</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="187" />
      <source>世帯の登録がありません</source>
      <translation>No household recorded</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="196" />
      <source>相談・訪問記録（{n}）</source>
      <translation>Contacts ({n})</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="204" />
      <source>【サーバー未受付】</source>
      <translation>[Not accepted by the server] </translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="213" />
      <source>歳</source>
      <translation> y</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="217" />
      <source>小学校区</source>
      <translation>School zone</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="229" />
      <source>受付日</source>
      <translation>Opened</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="230" />
      <source>終結日</source>
      <translation>Closed</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="240" />
      <source>支援チーム・役割分担</source>
      <translation>Support team and roles</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="242" />
      <source>機関</source>
      <translation>Agency</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="55" />
      <source>一覧に戻る</source>
      <translation>Back to list</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="55" />
      <source>← 一覧（Esc）</source>
      <translation>← List (Esc)</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="59" />
      <source>ケースを編集</source>
      <translation>Edit case</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="59" />
      <source>編集（Ctrl+E）</source>
      <translation>Edit (Ctrl+E)</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="62" />
      <source>記録を入力（Ctrl+R）</source>
      <translation>Record contact (Ctrl+R)</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="63" />
      <source>記録を入力</source>
      <translation>Record contact</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="66" />
      <source>紹介票を作成</source>
      <translation>New referral</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="79" />
      <source>概要</source>
      <translation>Overview</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="84" />
      <source>続柄</source>
      <translation>Relationship</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="85" />
      <source>年齢</source>
      <translation>Age</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="86" />
      <source>同居</source>
      <translation>Lives with</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="86" />
      <source>別居</source>
      <translation>no</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="89" />
      <source>世帯員</source>
      <translation>Household members</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="97" />
      <source>ライフステージ</source>
      <translation>Life stages</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="184" />
      <source>{n} 件</source>
      <translation>{n} cases</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="186" />
      <source>新しい順に {n} 件（さらに絞り込んでください）</source>
      <translation>Newest {n} shown (narrow the search)</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="191" />
      <source>{n} 件以上…</source>
      <translation>{n}+ cases…</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="194" />
      <source>（初回同期の途中：一部のケースはまだ検索できません）</source>
      <translation> (first sync unfinished: some cases not searchable yet)</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="50" />
      <source>ケース検索</source>
      <translation>Search cases</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="52" />
      <source>氏名・ふりがな・電話・住所・ケース番号で検索（Ctrl+F）</source>
      <translation>Search name, kana, phone, address, case no. (Ctrl+F)</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="59" />
      <source>全地区</source>
      <translation>All districts</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="63" />
      <source>全状況</source>
      <translation>Any status</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="65" />
      <source>全課題</source>
      <translation>Any issue</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="67" />
      <source>全緊急度</source>
      <translation>Any urgency</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="69" />
      <source>同意（すべて）</source>
      <translation>Any consent</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="71" />
      <source>自分の担当</source>
      <translation>Assigned to me</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="74" />
      <source>件数</source>
      <translation>Count</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="76" />
      <source>新規ケース（Ctrl+N）</source>
      <translation>New case (Ctrl+N)</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="89" />
      <source>ケース一覧</source>
      <translation>Case list</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="26" />
      <source>世帯検索</source>
      <translation>Search households</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="28" />
      <source>世帯員の氏名・ふりがな・電話・住所で検索</source>
      <translation>Search by a member's name, kana, phone, address</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="34" />
      <source>世帯一覧</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="30" />
      <source>議長</source>
      <translation>Chair</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="32" />
      <source>支援会議一覧</source>
      <translation>Support meetings</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="34" />
      <source>会議の内容</source>
      <translation>Meeting details</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="56" />
      <source>誓約書 署名済 {d}</source>
      <translation>pledge signed {d}</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="57" />
      <source>誓約書 未署名</source>
      <translation>pledge NOT signed</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="70" />
      <source>出席者</source>
      <translation>Attendees</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="71" />
      <source>検討したケース</source>
      <translation>Cases discussed</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="72" />
      <source>決定事項</source>
      <translation>Decisions</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="73" />
      <source>役割分担</source>
      <translation>Role assignments</translation>
    </message>
    <message>
      <location filename="../../ui/views/referrals.py" line="29" />
      <source>紹介元</source>
      <translation>From</translation>
    </message>
    <message>
      <location filename="../../ui/views/referrals.py" line="34" />
      <source>紹介一覧</source>
      <translation>Referrals</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="30" />
      <source>地域資源一覧</source>
      <translation>Regional resources</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="33" />
      <source>名称・住所・日程で検索</source>
      <translation>Search name, address, schedule</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="39" />
      <source>地域資源を登録</source>
      <translation>Add resource</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="39" />
      <source>新規登録</source>
      <translation>Add</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="40" />
      <source>地域資源を編集</source>
      <translation>Edit resource</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="40" />
      <source>編集</source>
      <translation>Edit</translation>
    </message>
    <message>
      <location filename="../../ui/views/settings.py" line="31" />
      <source>表示言語</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../ui/views/settings.py" line="32" />
      <source>システムの設定に従う</source>
      <translation>Follow the system</translation>
    </message>
    <message>
      <location filename="../../ui/views/settings.py" line="36" />
      <source>自動ロックまでの時間（分）</source>
      <translation>Auto-lock after (minutes)</translation>
    </message>
    <message>
      <location filename="../../ui/views/settings.py" line="39" />
      <source> 分</source>
      <translation> min</translation>
    </message>
    <message>
      <location filename="../../ui/views/settings.py" line="41" />
      <source>自動ロック</source>
      <translation>Auto-lock</translation>
    </message>
    <message>
      <location filename="../../ui/views/settings.py" line="43" />
      <source>利用者: {name}</source>
      <translation>User: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/views/settings.py" line="45" />
      <source>設定を保存</source>
      <translation>Save settings</translation>
    </message>
    <message>
      <location filename="../../ui/views/settings.py" line="60" />
      <source>保存しました。</source>
      <translation>Saved.</translation>
    </message>
    <message>
      <location filename="../../ui/views/simple_lists.py" line="36" />
      <source>検索</source>
      <translation>Search</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="120" />
      <source>この端末はサーバーに登録されていません（同期画面で登録できます）。</source>
      <translation>This laptop is not enrolled with a server (enrol on the Sync screen).</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="144" />
      <source>未送信の変更があります</source>
      <translation>Unsynced changes</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="145" />
      <source>サーバーにまだ送信していない変更が {n} 件あります。ロックしますか？
変更はこのパソコンに暗号化して保存され、解錠後の同期で送信されます。</source>
      <translation>{n} changes have not reached the server yet. Lock now?
They stay encrypted on this laptop and are sent at the next sync after unlocking.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="151" />
      <source>ロックする</source>
      <translation>Lock</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="154" />
      <source>サーバーにまだ送信していない変更が {n} 件あります。終了しますか？
変更はこのパソコンに暗号化して保存され、次回の同期で送信されます。</source>
      <translation>{n} changes have not reached the server yet. Quit now?
They stay encrypted on this laptop and are sent at the next sync.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="160" />
      <source>終了する</source>
      <translation>Quit</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="27" />
      <source>同期: 確認中…</source>
      <translation>Sync: checking…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="29" />
      <source>同期: 未登録</source>
      <translation>Sync: not enrolled</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="31" />
      <source>同期: サーバーを確認中…</source>
      <translation>Sync: checking the server…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="33" />
      <source>同期: サーバーに接続できます</source>
      <translation>Sync: server reachable</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="34" />
      <source>同期: サーバーに接続できません</source>
      <translation>Sync: server unreachable</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="39" />
      <source>最終同期: {when}</source>
      <translation>Last sync: {when}</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="40" />
      <source>まだありません</source>
      <translation>never</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync.py" line="45" />
      <source>未送信の変更: {n} 件</source>
      <translation>Pending changes: {n}</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="104" />
      <source>登録できませんでした。</source>
      <translation>Could not enrol.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="42" />
      <source>この端末をサーバーに登録</source>
      <translation>Enrol this laptop</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="46" />
      <source>サーバーのURL</source>
      <translation>Server URL</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="48" />
      <source>登録コード</source>
      <translation>Enrolment code</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="49" />
      <source>登録する</source>
      <translation>Enrol</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="54" />
      <source>登録コード（管理者から）</source>
      <translation>One-time code (from the administrator)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="84" />
      <source>URLと登録コードを入力してください。</source>
      <translation>Enter the server URL and the code.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="88" />
      <source>登録しています…</source>
      <translation>Enrolling…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_screen.py" line="96" />
      <source>登録しました。</source>
      <translation>Enrolled.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="128" />
      <source>今すぐ同期</source>
      <translation>Sync now</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="130" />
      <source>中止</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="135" />
      <source>競合（要確認）</source>
      <translation>Conflicts to resolve</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="137" />
      <source>競合</source>
      <translation>Conflicts</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="141" />
      <source>サーバーが受け付けなかった変更（この端末に残っています）</source>
      <translation>Changes the server refused (kept on this laptop)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="146" />
      <source>受け付けられなかった変更</source>
      <translation>Refused changes</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="151" />
      <source>開く</source>
      <translation>Open</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="153" />
      <source>別のケースに付け替え</source>
      <translation>Attach to another case</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="154" />
      <source>取り消す（ごみ箱へ）…</source>
      <translation>Dismiss (to the trash)…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="193" />
      <source>このプロファイルはデモデータ用です。サーバーには登録できず、同期しません。</source>
      <translation>This profile holds demo data: it cannot be enrolled and never syncs.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="197" />
      <source>この端末はサーバーに登録されていません。</source>
      <translation>This laptop is not enrolled with a server.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="201" />
      <source>前回の同期は失敗しました</source>
      <translation>the last sync failed</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="205" />
      <source>サーバー</source>
      <translation>Server</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="206" />
      <source>最後に同期した時刻（サーバー時刻）</source>
      <translation>Last sync (server time)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="209" />
      <source>未送信の変更</source>
      <translation>Unsynced changes</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="213" />
      <source>このパソコンの時計がサーバーと {n} 分ずれています。</source>
      <translation>This laptop's clock is {n} min off the server's.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="228" />
      <source>（この記録を待つ変更 {n} 件）</source>
      <translation> ({n} changes wait for it)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="238" />
      <source>ごみ箱（{n}）</source>
      <translation>Trash ({n})</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="272" />
      <source>同期中…</source>
      <translation>Syncing…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="283" />
      <source>検索用の索引を作成中（{n} 件）…</source>
      <translation>Building the search index ({n} entries)…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="307" />
      <source>同期しました（送信 {sent}、受信 {received}）</source>
      <translation>Synced (sent {sent}, received {received})</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="319" />
      <source>端末が無効化されました</source>
      <translation>Device revoked</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="325" />
      <source>同期中に予期しないエラーが発生しました。</source>
      <translation>Unexpected error during sync.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="370" />
      <source>できませんでした</source>
      <translation>Not possible</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="399" />
      <source>付け替え先のケース番号:</source>
      <translation>Case number to attach it to:</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="412" />
      <source>取り消しますか？</source>
      <translation>Dismiss this change?</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="413" />
      <source>この変更をサーバーに送るのをやめ、ごみ箱に移します。新しい記録はこの端末の画面から消えます。ごみ箱から90日間は元に戻せます。</source>
      <translation>This change will not be sent; it moves to the trash (a new record leaves the screens of this laptop). It can be restored from the trash for 90 days.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_view.py" line="92" />
      <source>サーバーに送信していない変更があります。このまま閉じますか？（変更はこのパソコンに暗号化して保存され、次回の同期で送信されます）</source>
      <translation>Some changes have not reached the server yet. Close anyway? (They stay encrypted on this laptop and are sent at the next sync.)</translation>
    </message>
    <message>
      <location filename="../../ui/views/timeline.py" line="65" />
      <source>世帯の情報がありません</source>
      <translation>No household information</translation>
    </message>
    <message>
      <location filename="../../ui/views/timeline.py" line="98" />
      <source>{age}歳</source>
      <translation>{age} y</translation>
    </message>
    <message>
      <location filename="../../ui/views/visits.py" line="25" />
      <source>自分の担当のみ</source>
      <translation>Mine only</translation>
    </message>
    <message>
      <location filename="../../ui/views/visits.py" line="33" />
      <source>予定</source>
      <translation>Planned</translation>
    </message>
    <message>
      <location filename="../../ui/views/visits.py" line="34" />
      <source>前回</source>
      <translation>Last contact</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="101" />
      <source>（未選択）</source>
      <translation>(none)</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="151" />
      <source>{label}を入力</source>
      <translation>Enter {label}</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="89" />
      <source>（すべて）</source>
      <translation>(all)</translation>
    </message>
  </context>
</TS>
