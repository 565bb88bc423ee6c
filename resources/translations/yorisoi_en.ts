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
      <location filename="../../ui/controller.py" line="176" />
      <source>データベースを作成しています…</source>
      <translation>Creating the database…</translation>
    </message>
    <message>
      <location filename="../../ui/controller.py" line="180" />
      <source>進み具合</source>
      <translation>Progress</translation>
    </message>
    <message>
      <location filename="../../ui/controller.py" line="199" />
      <source>デモデータを作成しています…</source>
      <translation>Creating demo data…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="106" />
      <source>続柄（世帯主との関係）</source>
      <translation>Relationship to the head</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="120" />
      <source>主訴</source>
      <translation>Main concern</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="123" />
      <source>地区</source>
      <translation>District</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="128" />
      <source>状況</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="131" />
      <source>緊急度</source>
      <translation>Urgency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="134" />
      <source>課題</source>
      <translation>Issues</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="139" />
      <source>同意</source>
      <translation>Consent</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="143" />
      <source>同意日</source>
      <translation>Consent date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="148" />
      <source>主担当機関</source>
      <translation>Lead agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="152" />
      <source>担当者</source>
      <translation>Assigned worker</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="157" />
      <source>メモ</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="165" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="166" />
      <source>キャンセル</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="64" />
      <source>新規ケース</source>
      <translation>New case</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="64" />
      <source>ケースの編集</source>
      <translation>Edit case</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="72" />
      <source>本人</source>
      <translation>Person</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="74" />
      <source>氏名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="75" />
      <source>ふりがな</source>
      <translation>Kana</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="77" />
      <source>生年月日</source>
      <translation>Birth date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="80" />
      <source>性別</source>
      <translation>Sex</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="81" />
      <source>電話</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="82" />
      <source>住所</source>
      <translation>Address</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="84" />
      <source>小学校区</source>
      <translation>School zone</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="88" />
      <source>世帯</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="90" />
      <source>世帯を検索</source>
      <translation>Find a household</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="93" />
      <source>世帯員の氏名・ふりがな・電話・住所</source>
      <translation>A member's name, kana, phone, address</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="95" />
      <source>既存の世帯</source>
      <translation>Existing household</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="96" />
      <source>（世帯なし）</source>
      <translation>(no household)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/case_editor.py" line="98" />
      <source>（新しい世帯を作る・本人が世帯主）</source>
      <translation>(a new household, the person its head)</translation>
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
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="102" />
      <source>統合はコーディネーターが行います。</source>
      <translation>Coordinators merge duplicates.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="107" />
      <source>統合を元に戻す</source>
      <translation>Undo the merge</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="110" />
      <source>この人に統合された記録:</source>
      <translation>Merged into this person:</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="113" />
      <source>この人に統合された記録</source>
      <translation>Merged into this person</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="120" />
      <source>閉じる</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="150" />
      <source>「{name}」の記録をこの人に統合します。よろしいですか。</source>
      <translation>Merge the record of {name} into this person?</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="49" />
      <source>同じ人の可能性がある記録</source>
      <translation>Possible duplicates</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="52" />
      <source>同じ人と思われる記録があります。既存の人を選ぶか、別人として登録してください。</source>
      <translation>These existing records look like the same person. Pick one, or register a new person anyway.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="56" />
      <source>このケースの本人と同じ人と思われる記録です。統合すると、選んだ記録のケース・世帯・記録・紹介がこの人に移り、選んだ記録は「統合済み」として残ります。</source>
      <translation>Records that look like this case's person. Merging moves the chosen record's cases, households, contacts and referrals to this person; the chosen record is kept, marked as merged.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="66" />
      <source>一致度</source>
      <translation>Score</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="67" />
      <source>理由</source>
      <translation>Why</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="73" />
      <source>ケース</source>
      <translation>Cases</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="77" />
      <source>候補</source>
      <translation>Candidates</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="83" />
      <source>選んだ人のケースにする</source>
      <translation>Use the chosen person</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="84" />
      <source>既存の人を使う</source>
      <translation>Use existing person</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="88" />
      <source>別人として登録</source>
      <translation>Register as new</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="96" />
      <source>選んだ記録をこの人に統合…</source>
      <translation>Merge the chosen record…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/duplicate_dialog.py" line="97" />
      <source>統合</source>
      <translation>Merge</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="101" />
      <source>強さ</source>
      <translation>Strength</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="103" />
      <source>確認</source>
      <translation>Again</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="112" />
      <source>作成</source>
      <translation>Create</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="51" />
      <source>はじめての設定</source>
      <translation>First run</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="56" />
      <source>このパソコンの利用者とパスフレーズ</source>
      <translation>Who uses this laptop, and the passphrase</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="60" />
      <source>記録はすべてこのパスフレーズで暗号化されます。忘れると復元できません。</source>
      <translation>Everything is encrypted with this passphrase. If it is forgotten, nothing can be recovered.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="70" />
      <source>役割</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="75" />
      <source>所属機関</source>
      <translation>Agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="76" />
      <source>パスフレーズ</source>
      <translation>Passphrase</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="78" />
      <source>パスフレーズ（確認）</source>
      <translation>Passphrase (again)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="80" />
      <source>パスフレーズの強さ</source>
      <translation>Passphrase strength</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="87" />
      <source>デモデータ（架空の2,000人）を作成する</source>
      <translation>Create demo data (2,000 fictional persons)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/first_run.py" line="92" />
      <source>デモデータ</source>
      <translation>Demo data</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="124" />
      <source>世帯の編集</source>
      <translation>Edit household</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="126" />
      <source>世帯名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="131" />
      <source>状況・メモ</source>
      <translation>Situation</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="147" />
      <source>世帯員を追加</source>
      <translation>Add member</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="154" />
      <source>同じ人の記録</source>
      <translation>Existing record</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="155" />
      <source>（新しい人として登録）</source>
      <translation>(register a new person)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="159" />
      <source>加わった日</source>
      <translation>Joined on</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="163" />
      <source>別居</source>
      <translation>no</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="163" />
      <source>別居している</source>
      <translation>Lives apart</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="207" />
      <source>続柄の変更</source>
      <translation>Edit member</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="232" />
      <source>世帯主の変更</source>
      <translation>Change the head</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="235" />
      <source>新しい世帯主</source>
      <translation>New head</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="238" />
      <source>前の世帯主</source>
      <translation>Previous head</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="240" />
      <source>前の世帯主の続柄（新しい世帯主との関係）</source>
      <translation>Previous head's relationship</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="243" />
      <source>ほかの世帯員の続柄は世帯主との関係です。必要なら「続柄の変更」で直してください。</source>
      <translation>Relationships are to the head: correct the others' with 'Edit member'.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="258" />
      <source>世帯を離れる</source>
      <translation>Member leaves</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="262" />
      <source>離れた日</source>
      <translation>Left on</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="264" />
      <source>記録は消えません。世帯の履歴に「離れた世帯員」として残ります。</source>
      <translation>Nothing is deleted: the member stays in the household's history.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="282" />
      <source>なし</source>
      <translation>none</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="285" />
      <source>世帯員</source>
      <translation>Household members</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="304" />
      <source>世帯の統合</source>
      <translation>Merge households</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="307" />
      <source>同じ世帯の重複を、この世帯（左）に統合します。右の世帯の世帯員・ケース・記録は左に移り、右の世帯は「統合済み」として残ります。コーディネーターは後で元に戻せます。</source>
      <translation>Merge a duplicate into this household (left). The right one's members, cases and records move to the left; it is kept, marked as merged. A coordinator can undo it.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="314" />
      <source>統合する世帯を検索</source>
      <translation>Find the household to merge</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="323" />
      <source>候補の世帯</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="328" />
      <source>残る世帯</source>
      <translation>Kept household</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="329" />
      <source>統合される世帯</source>
      <translation>Household merged</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="331" />
      <source>統合される世帯（統合済みとして残る）</source>
      <translation>Merged (kept as merged)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="340" />
      <source>重複している世帯を、世帯員の氏名・ふりがな・電話・住所で探してください。</source>
      <translation>Find the duplicate household by a member's name, kana, phone or address.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="344" />
      <source>上の一覧で統合する世帯を選ぶと、その世帯員とケースがここに表示されます。</source>
      <translation>Choose the household to merge above to see its members and cases here.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="368" />
      <source>該当する世帯はありません。</source>
      <translation>No household matches.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="395" />
      <source>統合された世帯</source>
      <translation>Merged household</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="398" />
      <source>統合で移した世帯員・ケース・記録を、元の世帯に戻します。統合のあとに加えたものはこの世帯に残ります。</source>
      <translation>What the merge moved goes back to the merged household; what was added since stays here.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/household_dialogs.py" line="63" />
      <source>世帯主</source>
      <translation>Head</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="105" />
      <source>行</source>
      <translation>Row</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="106" />
      <source>結果</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="107" />
      <source>内容</source>
      <translation>What happened</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="108" />
      <source>理由・変更点</source>
      <translation>Reason / changes</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="112" />
      <source>取り込みの確認結果</source>
      <translation>Dry-run report</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="115" />
      <source>選んだ行の理由</source>
      <translation>Reason of the selected row</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="120" />
      <source>集計</source>
      <translation>Summary</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="126" />
      <source>取り込む</source>
      <translation>Import</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="131" />
      <source>列見出しのテンプレートを保存…</source>
      <translation>Save a template…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="132" />
      <source>テンプレートを保存</source>
      <translation>Save template</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="155" />
      <source>取り込みは包括化推進員（コーディネーター）とシステム管理者だけが行えます。</source>
      <translation>Only coordinators and administrators may import.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="177" />
      <source>取り込むファイル</source>
      <translation>File to import</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="179" />
      <source>CSV・Excel (*.csv *.txt *.xlsx)</source>
      <translation>CSV or Excel (*.csv *.txt *.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="188" />
      <source>テンプレートの保存先</source>
      <translation>Save the template as</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="190" />
      <source>Excel (*.xlsx);;CSV (*.csv)</source>
      <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="203" />
      <source>ファイルを保存できません: {name}</source>
      <translation>Cannot save the file: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="210" />
      <source>テンプレートを保存しました: {name}</source>
      <translation>Template saved: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="255" />
      <source>追加 {a} 件・更新 {u} 件・変更なし {n} 件・スキップ {s} 件・エラー {e} 件</source>
      <translation>{a} to add, {u} to update, {n} unchanged, {s} skipped, {e} errors</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="272" />
      <source>{line}行目: {reason}</source>
      <translation>Row {line}: {reason}</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="283" />
      <source>確認結果（まだ書き込んでいません）: </source>
      <translation>Dry run (nothing written yet): </translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="286" />
      <source>使われない列: </source>
      <translation>Columns not used: </translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="289" />
      <source>エラーの行を直したファイルで確認し直すまで取り込めません（何も書き込んでいません）。</source>
      <translation>Fix the rows in error and check again before importing (nothing was written).</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="294" />
      <source>取り込む変更はありません（このファイルの内容はすべて登録済みです）。</source>
      <translation>Nothing to import: everything in this file is already recorded.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="305" />
      <source>取り込みました: </source>
      <translation>Imported: </translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="40" />
      <source>追加</source>
      <translation>Add</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="41" />
      <source>更新</source>
      <translation>Update</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="42" />
      <source>変更なし</source>
      <translation>Unchanged</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="43" />
      <source>スキップ</source>
      <translation>Skip</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="58" />
      <source>地域資源の取り込み</source>
      <translation>Import regional resources</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="60" />
      <source>ケースの取り込み</source>
      <translation>Import cases</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="63" />
      <source>CSV（UTF-8 または Shift_JIS）か Excel（.xlsx）のファイルを選び、「確認」で取り込み内容を行ごとに確かめてから「取り込む」を押してください。同じファイルをもう一度取り込んでも変わりません。</source>
      <translation>Choose a CSV (UTF-8 or Shift_JIS) or Excel (.xlsx) file, check the report row by row, then import. Importing the same file again changes nothing.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="73" />
      <source>照合: 名称と地区が同じ資源は同じものとして更新します。空欄の項目は今の値を消しません。</source>
      <translation>Matched on name and district; empty cells keep what is recorded.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="78" />
      <source>照合: ケース番号が同じケースは同じものとして更新します（氏名も一致するときだけ）。空欄の項目は今の値を消しません。</source>
      <translation>Matched on the case number (and the person's name); empty cells keep what is recorded.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="86" />
      <source>ファイル</source>
      <translation>File</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="88" />
      <source>ファイルを選んでください</source>
      <translation>Choose a file</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="90" />
      <source>ファイルを選ぶ</source>
      <translation>Choose file</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="90" />
      <source>ファイルを選ぶ…</source>
      <translation>Choose file…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/import_dialog.py" line="94" />
      <source>確認（ドライラン）</source>
      <translation>Check (dry run)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="150" />
      <source>会議の編集</source>
      <translation>Edit meeting</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="151" />
      <source>新しい会議</source>
      <translation>New meeting</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="154" />
      <source>種別</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="158" />
      <source>開催日</source>
      <translation>Held on</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="165" />
      <source>開始時刻</source>
      <translation>Start time</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="171" />
      <source>件名</source>
      <translation>Title</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="174" />
      <source>場所</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="177" />
      <source>主催機関</source>
      <translation>Organiser</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="181" />
      <source>座長</source>
      <translation>Chair</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="189" />
      <source>誓約書</source>
      <translation>Pledges</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="190" />
      <source>有効期間付きの誓約書を認める</source>
      <translation>Accept standing pledges</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="194" />
      <source>全体の決定事項</source>
      <translation>Overall decisions</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="232" />
      <source>構成員の追加</source>
      <translation>Add a member</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="234" />
      <source>職員</source>
      <translation>Staff</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="235" />
      <source>外部の構成員の氏名</source>
      <translation>Outside member's name</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="238" />
      <source>誓約書の署名日</source>
      <translation>Pledge signed on</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="268" />
      <source>議題にケースを追加</source>
      <translation>Add a case to the agenda</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="275" />
      <source>検索</source>
      <translation>Search</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="277" />
      <source>ケース番号・氏名・ふりがな・電話・住所</source>
      <translation>Case number, name, kana, phone, address</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="282" />
      <source>ケース番号</source>
      <translation>Case no.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="286" />
      <source>担当</source>
      <translation>Assigned</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="288" />
      <source>ケースの一覧</source>
      <translation>Cases</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="294" />
      <source>該当するケースはありません。ケース番号、氏名（漢字・ふりがな）、電話、住所で探せます。</source>
      <translation>No case matches. Search by case number, name (kanji or kana), phone or address.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="352" />
      <source>誓約書の受領</source>
      <translation>Pledge received</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="355" />
      <source>構成員</source>
      <translation>Member</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="361" />
      <source>署名日</source>
      <translation>Signed on</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="366" />
      <source>有効期限（包括的な誓約）</source>
      <translation>Valid until (standing)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="367" />
      <source>有効期限</source>
      <translation>Valid until</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="397" />
      <source>議事録（ケースごと）</source>
      <translation>Minutes of a case</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="400" />
      <source>検討内容</source>
      <translation>Discussion</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="401" />
      <source>決定事項</source>
      <translation>Decisions</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="429" />
      <source>役割分担の追加</source>
      <translation>Add a role assignment</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="433" />
      <source>担当職員</source>
      <translation>Staff</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="434" />
      <source>担当機関</source>
      <translation>Agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="442" />
      <source>期限</source>
      <translation>Due</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="467" />
      <source>役割分担の状況</source>
      <translation>Task status</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="469" />
      <source>役割分担</source>
      <translation>Role assignments</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/meeting_dialogs.py" line="478" />
      <source>完了日</source>
      <translation>Completed on</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="111" />
      <source>うけとめ・つなげるシート</source>
      <translation>Referral sheet</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="144" />
      <source>（保存時に採番）</source>
      <translation>(numbered on save)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="157" />
      <source>初回面談の日時</source>
      <translation>First meeting</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="159" />
      <source>同意を得た機関</source>
      <translation>Agencies consented to</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="168" />
      <source>根拠となる支援会議</source>
      <translation>Support meeting (basis)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="182" />
      <source>受付</source>
      <translation>Receipt</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="183" />
      <source>受付番号</source>
      <translation>Receipt no.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="187" />
      <source>相談経路</source>
      <translation>How the person came to us</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="190" />
      <source>紹介元・紹介先</source>
      <translation>From / to</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="191" />
      <source>紹介元機関</source>
      <translation>Sending agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="192" />
      <source>紹介元担当者</source>
      <translation>Sending worker</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="194" />
      <source>紹介先機関</source>
      <translation>Receiving agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="197" />
      <source>本人・相談者・世帯</source>
      <translation>Person, consulter, household</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="199" />
      <source>連絡上の注意</source>
      <translation>Contact cautions</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="213" />
      <source>紹介理由・緊急度</source>
      <translation>Reason and urgency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="217" />
      <source>つなぎ方</source>
      <translation>Hand-over</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="224" />
      <source>同意の根拠</source>
      <translation>Basis</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="229" />
      <source>支援会議</source>
      <translation>Support meeting</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="231" />
      <source>紹介先からの回答</source>
      <translation>Reply from the receiving agency</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="241" />
      <source>保存（Ctrl+S）</source>
      <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="245" />
      <source>印刷・PDF…</source>
      <translation>Print / PDF…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="246" />
      <source>紹介票を印刷</source>
      <translation>Print referral sheet</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="279" />
      <source>印刷機能は未導入です。</source>
      <translation>Printing is not installed.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="282" />
      <source>保存してから印刷できます。</source>
      <translation>Save the sheet before printing.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="75" />
      <source>紹介元 連絡先</source>
      <translation>Sender contact</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="76" />
      <source>紹介先 担当者</source>
      <translation>Receiving worker</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="77" />
      <source>相談者（本人以外）</source>
      <translation>Consulted by (if not the person)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="78" />
      <source>本人との関係</source>
      <translation>Relationship to the person</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="79" />
      <source>その他の課題</source>
      <translation>Other issue</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="80" />
      <source>同意署名者</source>
      <translation>Consent signed by</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="81" />
      <source>代理人の続柄</source>
      <translation>Agent's relationship</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="82" />
      <source>連絡上の注意（その他）</source>
      <translation>Other contact caution</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="83" />
      <source>回答者</source>
      <translation>Replied by</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="84" />
      <source>世帯の状況</source>
      <translation>Household situation</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="85" />
      <source>相談内容</source>
      <translation>Account</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="86" />
      <source>本人の希望</source>
      <translation>The person's wishes</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="87" />
      <source>関わっているサービス</source>
      <translation>Services already involved</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="88" />
      <source>紹介理由</source>
      <translation>Reason for referral</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="89" />
      <source>回答内容</source>
      <translation>Reply</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="90" />
      <source>紹介日</source>
      <translation>Referral date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/referral_editor.py" line="92" />
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
      <location filename="../../ui/dialogs/resource_editor.py" line="43" />
      <source>地域資源の編集</source>
      <translation>Edit regional resource</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="45" />
      <source>地域資源の登録</source>
      <translation>New regional resource</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="49" />
      <source>名称</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="52" />
      <source>種類</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="59" />
      <source>日程</source>
      <translation>Schedule</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/resource_editor.py" line="60" />
      <source>連絡先</source>
      <translation>Contact</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="120" />
      <source>{n}秒後に再入力できます</source>
      <translation>Try again in {n} s</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="40" />
      <source>解錠</source>
      <translation>Unlock</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="43" />
      <source>パスフレーズを入力してください</source>
      <translation>Enter your passphrase</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="44" />
      <source>プロファイル: {name}</source>
      <translation>Profile: {name}</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="58" />
      <source>終了</source>
      <translation>Quit</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/unlock.py" line="97" />
      <source>解錠中…</source>
      <translation>Unlocking…</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="106" />
      <source>下書きの状態</source>
      <translation>Draft state</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="112" />
      <source>保存（Ctrl+Enter）</source>
      <translation>Save (Ctrl+Enter)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="172" />
      <source>下書きから復元しました。</source>
      <translation>Restored from a draft.</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="179" />
      <source>下書きを保存しました（{t}）</source>
      <translation>Draft saved ({t})</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="65" />
      <source>記録の入力</source>
      <translation>Record a contact</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="70" />
      <source>相談・訪問記録</source>
      <translation>Contact record</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="75" />
      <source>テンプレート</source>
      <translation>Template</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="76" />
      <source>（テンプレートなし）</source>
      <translation>(no template)</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="84" />
      <source>日時</source>
      <translation>Date and time</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="88" />
      <source>同席者</source>
      <translation>Present</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="91" />
      <source>次の対応</source>
      <translation>Next action</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="92" />
      <source>次回予定日</source>
      <translation>Next action date</translation>
    </message>
    <message>
      <location filename="../../ui/dialogs/visit_entry.py" line="93" />
      <source>テンプレート（Alt+1〜6）</source>
      <translation>Template (Alt+1–6)</translation>
    </message>
    <message>
      <location filename="../../ui/i18n.py" line="83" />
      <source>予期しないエラーが発生しました（{kind}）。入力中の内容は下書きとして保存されています。</source>
      <translation>Unexpected error ({kind}). What you were typing is kept as a draft.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="111" />
      <source>利用者: {name}（{role}）</source>
      <translation>User: {name} ({role})</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="120" />
      <source>ロック</source>
      <translation>Lock</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="120" />
      <source>ロック（Ctrl+L）</source>
      <translation>Lock (Ctrl+L)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="39" />
      <source>相談支援記録</source>
      <translation>Case work</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="46" />
      <source>ナビゲーション</source>
      <translation>Navigation</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="71" />
      <source>やること</source>
      <translation>To do</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="72" />
      <source>今日の訪問</source>
      <translation>Today's visits</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="72" />
      <source>担当状況</source>
      <translation>Caseloads</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="73" />
      <source>紹介（つなぐ）</source>
      <translation>Referrals</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="74" />
      <source>地域資源</source>
      <translation>Regional resources</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="74" />
      <source>同期</source>
      <translation>Sync</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="74" />
      <source>設定</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="77" />
      <source>実績報告</source>
      <translation>Reports</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="80" />
      <source>管理</source>
      <translation>Administration</translation>
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
      <location filename="../../ui/models/lazy_table_model.py" line="156" />
      <source>読み込み中</source>
      <translation>Loading</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="176" />
      <source>印刷</source>
      <translation>Print</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="186" />
      <source>印刷できませんでした。</source>
      <translation>Printing failed.</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="202" />
      <source>PDFのパスワード</source>
      <translation>PDF password</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="204" />
      <source>保存するPDFは暗号化します。開くときのパスワード（{n}文字以上）を決めてください。</source>
      <translation>The saved PDF is encrypted. Choose the password to open it ({n}+ characters).</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="211" />
      <source>パスワード</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="212" />
      <source>パスワード（確認）</source>
      <translation>Password (again)</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="241" />
      <source>パスワードは{n}文字以上にしてください。</source>
      <translation>The password needs at least {n} characters.</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="247" />
      <source>パスワードが一致しません。</source>
      <translation>The passwords do not match.</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="271" />
      <source>PDFとして保存</source>
      <translation>Save as PDF</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="285" />
      <source>保存できませんでした。</source>
      <translation>Could not save.</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="308" />
      <source>印刷プレビュー — {title}</source>
      <translation>Print preview — {title}</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="322" />
      <source>PDFとして保存…</source>
      <translation>Save as PDF…</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="340" />
      <source>{n} ページ</source>
      <translation>{n} pages</translation>
    </message>
    <message>
      <location filename="../../ui/printing.py" line="350" />
      <source>保存しました: {path}</source>
      <translation>Saved: {path}</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="202" />
      <source>管理者のログイン名</source>
      <translation>Admin login name</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="209" />
      <source>サインイン</source>
      <translation>Sign in</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="213" />
      <source>サインアウト</source>
      <translation>Sign out</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="216" />
      <source>ログイン名</source>
      <translation>Login</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="221" />
      <source>管理の状態</source>
      <translation>Administration status</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="228" />
      <source>サーバーと通信しています…</source>
      <translation>Talking to the server…</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="229" />
      <source>通信中</source>
      <translation>Request in progress</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="234" />
      <source>利用者</source>
      <translation>Users</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="235" />
      <source>端末</source>
      <translation>Devices</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="236" />
      <source>監査ログ</source>
      <translation>Audit log</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="237" />
      <source>マスタ</source>
      <translation>Master data</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="241" />
      <source>この端末はサーバーに登録されていません。管理には登録とネットワーク接続が必要です。</source>
      <translation>This laptop is not enrolled with a server: administration needs it, online.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="331" />
      <source>ログイン名とパスワードを入力してください。</source>
      <translation>Enter the login name and password.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="344" />
      <source>{login} としてサインインしました（ロックするとサインアウトします）。</source>
      <translation>Signed in as {login} (locking signs out).</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="368" />
      <source>サインアウトしました。</source>
      <translation>Signed out.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="400" />
      <source>利用者一覧</source>
      <translation>Users</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="402" />
      <source>担当地区</source>
      <translation>Districts</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="402" />
      <source>状態</source>
      <translation>State</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="421" />
      <source>無効</source>
      <translation>Disabled</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="421" />
      <source>有効</source>
      <translation>Active</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="444" />
      <source>利用者を選んでください。</source>
      <translation>Choose a user.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="464" />
      <source>利用者 {login} を保存しました。</source>
      <translation>User {login} saved.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="494" />
      <source>{login} のパスワードを再設定しました。</source>
      <translation>Password of {login} reset.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="531" />
      <source>{login} を無効化し、その端末を失効させました。</source>
      <translation>{login} disabled and their devices revoked.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="545" />
      <source>未同期とみなす日数</source>
      <translation>Days without sync counted as stale</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="549" />
      <source> 日</source>
      <translation> days</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="551" />
      <source>端末一覧を更新</source>
      <translation>Refresh devices</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="554" />
      <source>端末を失効</source>
      <translation>Revoke device</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="554" />
      <source>失効…</source>
      <translation>Revoke…</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="557" />
      <source>同期がない端末を強調:</source>
      <translation>Highlight no sync for:</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="564" />
      <source>端末一覧</source>
      <translation>Devices</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="565" />
      <source>端末名</source>
      <translation>Device</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="565" />
      <source>最終同期</source>
      <translation>Last sync</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="566" />
      <source>アプリ</source>
      <translation>App</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="566" />
      <source>スキーマ</source>
      <translation>Schema</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="566" />
      <source>未送信</source>
      <translation>Pending</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="567" />
      <source>却下</source>
      <translation>Rejected</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="583" />
      <source>失効</source>
      <translation>Revoked</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="585" />
      <source>{n}日以上同期なし</source>
      <translation>No sync for {n}+ days</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="586" />
      <source>正常</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="593" />
      <source>未同期</source>
      <translation>never</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="601" />
      <source>端末 {n} 台（未同期 {s} 台）</source>
      <translation>{n} devices ({s} stale)</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="609" />
      <source>端末を選んでください。</source>
      <translation>Choose a device.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="611" />
      <source>端末の失効</source>
      <translation>Revoke device</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="612" />
      <source>理由（紛失、返却など）:</source>
      <translation>Reason (lost, returned…):</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="619" />
      <source>失効の理由を入力してください。</source>
      <translation>Give a reason for the revocation.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="626" />
      <source>端末を失効させました。次の接続で端末内のデータは消去されます。</source>
      <translation>Device revoked: its data is wiped when it next connects.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="639" />
      <source>利用者で絞り込み</source>
      <translation>Filter by user</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="640" />
      <source>端末で絞り込み</source>
      <translation>Filter by device</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="641" />
      <source>ケースID</source>
      <translation>Case id</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="649" />
      <source>操作で絞り込み</source>
      <translation>Filter by action</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="654" />
      <source>（すべての操作）</source>
      <translation>(all actions)</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="655" />
      <source>開始日</source>
      <translation>From</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="656" />
      <source>終了日</source>
      <translation>To</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="664" />
      <source>監査ログを検索</source>
      <translation>Search audit log</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="667" />
      <source>次のページ</source>
      <translation>Next page</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="667" />
      <source>次の200件</source>
      <translation>Next 200</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="671" />
      <source>監査ログをCSV出力</source>
      <translation>Export audit CSV</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="671" />
      <source>CSV出力…</source>
      <translation>Export CSV…</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="675" />
      <source>ケースのアクセス履歴</source>
      <translation>Case access history</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="689" />
      <source>操作</source>
      <translation>Action</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="692" />
      <source>アクセス履歴</source>
      <translation>Access history</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="700" />
      <source>（すべての利用者）</source>
      <translation>(all users)</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="706" />
      <source>（すべての端末）</source>
      <translation>(all devices)</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="760" />
      <source>{n} 件表示</source>
      <translation>{n} shown</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="763" />
      <source>監査ログのCSV出力</source>
      <translation>Export audit log</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="779" />
      <source>{n} 件を書き出しました（この出力も監査ログに残ります）。</source>
      <translation>{n} rows exported (the export is audited too).</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="788" />
      <source>ケースIDを入力してください。</source>
      <translation>Enter a case id.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="794" />
      <source>【端末での閲覧・印刷・出力】</source>
      <translation>[Views, prints and exports on laptops]</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="799" />
      <source>【このケースを受け取った端末】</source>
      <translation>[Devices that received the case]</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="801" />
      <source>保持中</source>
      <translation>holds it</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="801" />
      <source>削除済み</source>
      <translation>purged</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="806" />
      <source>  記録はありません。</source>
      <translation>  No records.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="815" />
      <source>マスタの種類</source>
      <translation>Master table</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="820" />
      <source>マスタに追加</source>
      <translation>Add master row</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="820" />
      <source>追加…</source>
      <translation>Add…</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="823" />
      <source>マスタを編集</source>
      <translation>Edit master row</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="823" />
      <source>編集…</source>
      <translation>Edit…</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="826" />
      <source>変更は次の同期ですべての端末に配られます。行は削除せず「使用する」を外します。</source>
      <translation>Changes reach every laptop at its next sync. Rows are never deleted: untick “In use”.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="83" />
      <source>ファイルを書き込めませんでした（{kind}）。</source>
      <translation>The file could not be written ({kind}).</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="837" />
      <source>マスタ一覧</source>
      <translation>Master data</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="838" />
      <source>コード</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="838" />
      <source>詳細</source>
      <translation>Details</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="86" />
      <source>サーバーとの通信中に予期しないエラーが発生しました（{kind}）。</source>
      <translation>Unexpected error while talking to the server ({kind}).</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="889" />
      <source>使用停止</source>
      <translation>Not in use</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="891" />
      <source>会議の主催者（既定）</source>
      <translation>Default organiser</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="906" />
      <source>行を選んでください。</source>
      <translation>Choose a row.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin.py" line="927" />
      <source>マスタを保存しました。次の同期で各端末に配られます。</source>
      <translation>Saved; laptops get it at their next sync.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="146" />
      <source>パスワードの再設定: {login}</source>
      <translation>Reset password: {login}</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="148" />
      <source>新しいパスワード</source>
      <translation>New password</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="150" />
      <source>12文字以上で、推測されにくいものにしてください。変更するとこの利用者の端末は失効します。</source>
      <translation>12 characters or more, hard to guess. Changing it revokes this user's devices.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="194" />
      <source>端末登録コード: {login}</source>
      <translation>Enrolment code: {login}</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="196" />
      <source>登録コード</source>
      <translation>Enrolment code</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="203" />
      <source>登録コードのQRコード</source>
      <translation>QR code of the enrolment code</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="207" />
      <source>有効期限: {at}（1回限り有効）</source>
      <translation>Expires: {at} (single use)</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="211" />
      <source>利用者のパソコンで「同期」→「この端末を登録」を開き、このコードを入力してください。</source>
      <translation>On the user's laptop open Sync → Enrol this device and enter this code.</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="248" />
      <source>マスタの追加</source>
      <translation>Add master row</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="249" />
      <source>マスタの編集</source>
      <translation>Edit master data</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="59" />
      <source>利用者の追加</source>
      <translation>Add user</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="60" />
      <source>利用者の編集</source>
      <translation>Edit user</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="68" />
      <source>（なし）</source>
      <translation>(none)</translation>
    </message>
    <message>
      <location filename="../../ui/views/admin_dialogs.py" line="80" />
      <source>初期パスワード（任意）</source>
      <translation>Initial password (optional)</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="107" />
      <source>ケースの内容</source>
      <translation>Case sections</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="109" />
      <source>概要</source>
      <translation>Overview</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="111" />
      <source>世帯・ライフステージ</source>
      <translation>Household and life stages</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="114" />
      <source>紹介</source>
      <translation>Referrals</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="130" />
      <source>一覧に戻る</source>
      <translation>Back to list</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="130" />
      <source>← 一覧（Esc）</source>
      <translation>← List (Esc)</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="134" />
      <source>ケースを編集</source>
      <translation>Edit case</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="134" />
      <source>編集（Ctrl+E）</source>
      <translation>Edit (Ctrl+E)</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="138" />
      <source>記録を入力（Ctrl+R）</source>
      <translation>Record contact (Ctrl+R)</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="139" />
      <source>記録を入力</source>
      <translation>Record contact</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="142" />
      <source>紹介票を作成</source>
      <translation>New referral</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="145" />
      <source>概要を印刷…</source>
      <translation>Print summary…</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="146" />
      <source>ケース概要の印刷プレビュー</source>
      <translation>Case summary print preview</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="150" />
      <source>重複の確認…</source>
      <translation>Duplicates…</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="151" />
      <source>本人の重複の確認と統合</source>
      <translation>Check and merge duplicates of the person</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="187" />
      <source>受付日</source>
      <translation>Opened</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="188" />
      <source>終結日</source>
      <translation>Closed</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="197" />
      <source>支援チーム・やること</source>
      <translation>Support team and tasks</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="210" />
      <source>続柄</source>
      <translation>Relationship</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="211" />
      <source>年齢</source>
      <translation>Age</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="212" />
      <source>同居</source>
      <translation>Lives with</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="223" />
      <source>ライフステージ</source>
      <translation>Life stages</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="233" />
      <source>記録者</source>
      <translation>By</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="252" />
      <source>日付</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="254" />
      <source>紹介先</source>
      <translation>To</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="259" />
      <source>このケースの紹介（うけとめ・つなげるシート）はまだありません。「紹介票を作成」で作成できます。</source>
      <translation>No referral for this case yet. Create one with New referral.</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="281" />
      <source>このケースを議題にした会議はありません。支援会議・重層的支援会議・進捗会議で議題になると、ここに表示されます。</source>
      <translation>No meeting has discussed this case. Meetings with it on their agenda appear here.</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="320" />
      <source>世帯の登録がありません</source>
      <translation>No household recorded</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="329" />
      <source>相談・訪問記録（{n}）</source>
      <translation>Contacts ({n})</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="337" />
      <source>【サーバー未受付】</source>
      <translation>[Not accepted by the server] </translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="347" />
      <source>歳</source>
      <translation> y</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="370" />
      <source>支援チーム・役割分担</source>
      <translation>Support team and roles</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="387" />
      <source>機関</source>
      <translation>Agency</translation>
    </message>
    <message>
      <location filename="../../ui/views/case_view.py" line="390" />
      <source>やること（会議の役割分担）</source>
      <translation>Tasks (from meetings)</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="104" />
      <source>引き継ぐ</source>
      <translation>Hand over</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="122" />
      <source>全地区</source>
      <translation>All districts</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="125" />
      <source>集計の単位</source>
      <translation>Group by</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="126" />
      <source>担当者別</source>
      <translation>By worker</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="127" />
      <source>地区別</source>
      <translation>By district</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="129" />
      <source>終結も含める</source>
      <translation>Include closed</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="132" />
      <source>担当者・地区</source>
      <translation>Worker / district</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="133" />
      <source>件数</source>
      <translation>Count</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="142" />
      <source>担当者ごとの件数</source>
      <translation>Cases per worker</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="152" />
      <source>緊急</source>
      <translation>Urgency</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="156" />
      <source>ケース一覧</source>
      <translation>Case list</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="161" />
      <source>選んだケースを引き継ぐ…</source>
      <translation>Hand selected over…</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="162" />
      <source>選んだケースを引き継ぐ</source>
      <translation>Hand selected cases over</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="165" />
      <source>この担当者の全ケースを引き継ぐ…</source>
      <translation>Hand all of this worker's over…</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="166" />
      <source>この担当者の全ケースを引き継ぐ</source>
      <translation>Hand all of this worker's cases over</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="171" />
      <source>引き継ぎはコーディネーターが行います。</source>
      <translation>Coordinators hand cases over.</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="223" />
      <source>引き継ぐケースを右の一覧で選んでください（Ctrl・Shiftで複数）。</source>
      <translation>Select the cases in the list (Ctrl or Shift for several).</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="228" />
      <source>「担当者別」の表で担当者を選ぶと使えます。</source>
      <translation>Choose a worker in the by-worker table first.</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="291" />
      <source>{who}: {n}件</source>
      <translation>{who}: {n} case(s)</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="56" />
      <source>（未割当）</source>
      <translation>(unassigned)</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="69" />
      <source>ケースの引き継ぎ</source>
      <translation>Hand cases over</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="73" />
      <source>{who}さんの担当ケース {n}件すべてを引き継ぎます。</source>
      <translation>Hand over all {n} case(s) of {who}.</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="76" />
      <source>{who}さんの担当ケースから {n}件を引き継ぎます。</source>
      <translation>Hand over {n} case(s) of {who}.</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="79" />
      <source>{n}件のケースを引き継ぎます。</source>
      <translation>Hand over {n} case(s).</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="83" />
      <source>ほか {n}件</source>
      <translation>and {n} more</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="89" />
      <source>引き継ぎ先</source>
      <translation>New worker</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="91" />
      <source>例: 異動、担当地区の変更</source>
      <translation>e.g. transfer</translation>
    </message>
    <message>
      <location filename="../../ui/views/caseload.py" line="92" />
      <source>引き継ぎメモ</source>
      <translation>Handover note</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="197" />
      <source>{n} 件</source>
      <translation>{n} cases</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="199" />
      <source>新しい順に {n} 件（さらに絞り込んでください）</source>
      <translation>Newest {n} shown (narrow the search)</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="204" />
      <source>{n} 件以上…</source>
      <translation>{n}+ cases…</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="207" />
      <source>（初回同期の途中：一部のケースはまだ検索できません）</source>
      <translation> (first sync unfinished: some cases not searchable yet)</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="52" />
      <source>ケース検索</source>
      <translation>Search cases</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="54" />
      <source>氏名・ふりがな・電話・住所・ケース番号で検索（Ctrl+F）</source>
      <translation>Search name, kana, phone, address, case no. (Ctrl+F)</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="65" />
      <source>全状況</source>
      <translation>Any status</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="67" />
      <source>全課題</source>
      <translation>Any issue</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="69" />
      <source>全緊急度</source>
      <translation>Any urgency</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="71" />
      <source>同意（すべて）</source>
      <translation>Any consent</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="73" />
      <source>自分の担当</source>
      <translation>Assigned to me</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="78" />
      <source>新規ケース（Ctrl+N）</source>
      <translation>New case (Ctrl+N)</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="83" />
      <source>取り込み…</source>
      <translation>Import…</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="84" />
      <source>ケースを取り込む</source>
      <translation>Import cases</translation>
    </message>
    <message>
      <location filename="../../ui/views/cases.py" line="85" />
      <source>前のシステムの CSV・Excel から取り込む</source>
      <translation>Import from the previous system's CSV/Excel</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="129" />
      <source>世帯はまだ登録されていません。新規ケースの「既存の世帯」で「（新しい世帯を作る・本人が世帯主）」を選ぶと、ここに並びます。</source>
      <translation>No households yet. Choose (a new household) in a new case to start one.</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="159" />
      <source>状況: {s}</source>
      <translation>Situation: {s}</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="161" />
      <source>統合された世帯: {n}</source>
      <translation>Merged into this: {n}</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="252" />
      <source>統合した世帯の世帯主だった人の続柄を「その他の親族」にしました。確認して、必要なら「続柄の変更」で直してください。</source>
      <translation>The merged household's head now has the relationship 'other relative': check it and correct it with 'Edit member'.</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="40" />
      <source>{d} に離れた</source>
      <translation>left {d}</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="41" />
      <source>{d} から</source>
      <translation>since {d}</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="49" />
      <source>世帯検索</source>
      <translation>Search households</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="51" />
      <source>世帯員の氏名・ふりがな・電話・住所で検索</source>
      <translation>Search by a member's name, kana, phone, address</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="57" />
      <source>世帯一覧</source>
      <translation>Households</translation>
    </message>
    <message>
      <location filename="../../ui/views/households.py" line="69" />
      <source>在籍</source>
      <translation>Membership</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="111" />
      <source>先に「ケースを議題に」でケースを加えてください。</source>
      <translation>Add a case to the agenda first.</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="115" />
      <source>この会議には役割分担がまだありません。</source>
      <translation>This meeting has no role assignment yet.</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="117" />
      <source>先に「構成員を追加」で構成員を加えてください。</source>
      <translation>Add a member first.</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="175" />
      <source>有効（{d}{u}）</source>
      <translation>valid ({d}{u})</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="178" />
      <source>無効: {why}</source>
      <translation>not valid: {why}</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="180" />
      <source>同意のないケースの資料は渡しません</source>
      <translation>gets no material of cases without consent</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="181" />
      <source>支援会議の範囲で共有</source>
      <translation>shared within the meeting</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="189" />
      <source>検討</source>
      <translation>Discussion</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="190" />
      <source>決定</source>
      <translation>Decision</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="201" />
      <source>所属</source>
      <translation>Agency</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="202" />
      <source>共有</source>
      <translation>Sharing</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="211" />
      <source>主催</source>
      <translation>Organiser</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="213" />
      <source>構成員と誓約書</source>
      <translation>Members and pledges</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="214" />
      <source>議題のケースと議事録</source>
      <translation>Cases and minutes</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="33" />
      <source>番号</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="41" />
      <source>支援会議一覧</source>
      <translation>Support meetings</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="44" />
      <source>会議の内容</source>
      <translation>Meeting details</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="46" />
      <source>左の一覧から会議を選ぶと、構成員と誓約書、議題のケースと議事録、役割分担がここに表示されます。</source>
      <translation>Choose a meeting on the left to see its members and pledges, the cases on its agenda with their minutes, and its role assignments.</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="89" />
      <source>まだ会議がありません。「新しい会議」で支援会議・重層的支援会議・進捗会議を作成し、構成員と議題のケースを加えてください。</source>
      <translation>No meetings yet. Create one with New meeting, then add its members and the cases on its agenda.</translation>
    </message>
    <message>
      <location filename="../../ui/views/meetings.py" line="93" />
      <source>ここには、あなたが出席する会議と、あなたの担当ケースを扱う会議（支援会議・重層的支援会議・進捗会議）が表示されます。会議は包括化推進員などが作成し、同期するとこの端末に届きます。</source>
      <translation>Meetings you attend and meetings that discuss your cases appear here. Coordinators create them; they reach this laptop when it syncs.</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="121" />
      <source>この端末はサーバーに登録されていません（同期画面で登録できます）。</source>
      <translation>This laptop is not enrolled with a server (enrol on the Sync screen).</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="145" />
      <source>未送信の変更があります</source>
      <translation>Unsynced changes</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="146" />
      <source>サーバーにまだ送信していない変更が {n} 件あります。ロックしますか？
変更はこのパソコンに暗号化して保存され、解錠後の同期で送信されます。</source>
      <translation>{n} changes have not reached the server yet. Lock now?
They stay encrypted on this laptop and are sent at the next sync after unlocking.</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="152" />
      <source>ロックする</source>
      <translation>Lock</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="155" />
      <source>サーバーにまだ送信していない変更が {n} 件あります。終了しますか？
変更はこのパソコンに暗号化して保存され、次回の同期で送信されます。</source>
      <translation>{n} changes have not reached the server yet. Quit now?
They stay encrypted on this laptop and are sent at the next sync.</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="161" />
      <source>終了する</source>
      <translation>Quit</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="28" />
      <source>同期: 確認中…</source>
      <translation>Sync: checking…</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="30" />
      <source>同期: 未登録</source>
      <translation>Sync: not enrolled</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="32" />
      <source>同期: サーバーを確認中…</source>
      <translation>Sync: checking the server…</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="34" />
      <source>同期: サーバーに接続できます</source>
      <translation>Sync: server reachable</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="35" />
      <source>同期: サーバーに接続できません</source>
      <translation>Sync: server unreachable</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="40" />
      <source>最終同期: {when}</source>
      <translation>Last sync: {when}</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="41" />
      <source>まだありません</source>
      <translation>never</translation>
    </message>
    <message>
      <location filename="../../ui/views/reachability.py" line="46" />
      <source>未送信の変更: {n} 件</source>
      <translation>Pending changes: {n}</translation>
    </message>
    <message>
      <location filename="../../ui/views/referrals.py" line="30" />
      <source>紹介元</source>
      <translation>From</translation>
    </message>
    <message>
      <location filename="../../ui/views/referrals.py" line="35" />
      <source>紹介一覧</source>
      <translation>Referrals</translation>
    </message>
    <message>
      <location filename="../../ui/views/referrals.py" line="50" />
      <source>この状況の紹介はありません。</source>
      <translation>No referral in this state.</translation>
    </message>
    <message>
      <location filename="../../ui/views/referrals.py" line="51" />
      <source>紹介（うけとめ・つなげるシート）はまだありません。ケースを開いて「紹介票を作成」で作成すると、ここに並びます。</source>
      <translation>No referrals yet. Open a case and choose New referral; they are listed here.</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="100" />
      <source>（上位{k}、全{n}区分は表に）</source>
      <translation> (top {k} of {n}; all in the table)</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="156" />
      <source>期間の単位</source>
      <translation>Period unit</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="157" />
      <source>年度</source>
      <translation>Fiscal year</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="158" />
      <source>月</source>
      <translation>Month</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="165" />
      <source>集計の範囲</source>
      <translation>Computed from</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="167" />
      <source>この端末のデータ（オフライン）</source>
      <translation>This laptop's data (offline)</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="170" />
      <source>サーバーで集計（市全体・担当範囲）</source>
      <translation>On the server (city / your scope)</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="172" />
      <source>集計する</source>
      <translation>Compute</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="179" />
      <source>表</source>
      <translation>Table</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="182" />
      <source>外部提供用（{n}未満を{h}で秘匿）</source>
      <translation>For outside the office (hide counts under {n})</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="184" />
      <source>外部提供用</source>
      <translation>For outside the office</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="187" />
      <source>Excelに保存</source>
      <translation>Save as Excel</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="190" />
      <source>CSVに保存</source>
      <translation>Save as CSV</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="192" />
      <source>表:</source>
      <translation>Table:</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="207" />
      <source>グラフ</source>
      <translation>Chart</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="208" />
      <source>集計表</source>
      <translation>Figures</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="271" />
      <source>集計しています…</source>
      <translation>Computing…</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="294" />
      <source>集計できませんでした。</source>
      <translation>Could not compute the report.</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="363" />
      <source>回答までの平均日数（計）: {a}日　期限到来分の完了率（計）: {b}％</source>
      <translation>Mean days until reply (total): {a}  Tasks due, done (total): {b}%</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="376" />
      <source>保存先</source>
      <translation>Save as</translation>
    </message>
    <message>
      <location filename="../../ui/views/reports.py" line="394" />
      <source>保存しました: {p}</source>
      <translation>Saved {p}</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="31" />
      <source>地域資源一覧</source>
      <translation>Regional resources</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="34" />
      <source>名称・住所・日程で検索</source>
      <translation>Search name, address, schedule</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="40" />
      <source>地域資源を登録</source>
      <translation>Add resource</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="40" />
      <source>新規登録</source>
      <translation>Add</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="41" />
      <source>地域資源を編集</source>
      <translation>Edit resource</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="41" />
      <source>編集</source>
      <translation>Edit</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="44" />
      <source>地域資源を取り込む</source>
      <translation>Import resources</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="45" />
      <source>CSV・Excel の台帳から取り込む</source>
      <translation>Import a register from CSV or Excel</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="60" />
      <source>条件に合う地域資源はありません。</source>
      <translation>No resource matches.</translation>
    </message>
    <message>
      <location filename="../../ui/views/resources.py" line="61" />
      <source>地域資源（居場所・サロン・こども食堂など）はまだ登録されていません。「新規登録」で登録すると、全職員で共有されます。</source>
      <translation>No regional resources yet. Add one with Add; everyone shares them.</translation>
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
      <location filename="../../ui/views/sync_page.py" line="102" />
      <source>登録できませんでした。</source>
      <translation>Could not enrol.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_page.py" line="42" />
      <source>この端末をサーバーに登録</source>
      <translation>Enrol this laptop</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_page.py" line="46" />
      <source>サーバーのURL</source>
      <translation>Server URL</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_page.py" line="49" />
      <source>登録する</source>
      <translation>Enrol</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_page.py" line="54" />
      <source>登録コード（管理者から）</source>
      <translation>One-time code (from the administrator)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_page.py" line="82" />
      <source>URLと登録コードを入力してください。</source>
      <translation>Enter the server URL and the code.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_page.py" line="86" />
      <source>登録しています…</source>
      <translation>Enrolling…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_page.py" line="94" />
      <source>登録しました。</source>
      <translation>Enrolled.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="107" />
      <source>サーバーに送信していない変更があります。このまま閉じますか？（変更はこのパソコンに暗号化して保存され、次回の同期で送信されます）</source>
      <translation>Some changes have not reached the server yet. Close anyway? (They stay encrypted on this laptop and are sent at the next sync.)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="143" />
      <source>今すぐ同期</source>
      <translation>Sync now</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="145" />
      <source>中止</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="150" />
      <source>競合（要確認）</source>
      <translation>Conflicts to resolve</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="152" />
      <source>競合</source>
      <translation>Conflicts</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="156" />
      <source>サーバーが受け付けなかった変更（この端末に残っています）</source>
      <translation>Changes the server refused (kept on this laptop)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="161" />
      <source>受け付けられなかった変更</source>
      <translation>Refused changes</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="166" />
      <source>開く</source>
      <translation>Open</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="168" />
      <source>別のケースに付け替え</source>
      <translation>Attach to another case</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="169" />
      <source>取り消す（ごみ箱へ）…</source>
      <translation>Dismiss (to the trash)…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="212" />
      <source>この端末はサーバーに登録されていません。</source>
      <translation>This laptop is not enrolled with a server.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="216" />
      <source>前回の同期は失敗しました</source>
      <translation>the last sync failed</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="220" />
      <source>サーバー</source>
      <translation>Server</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="221" />
      <source>最後に同期した時刻（サーバー時刻）</source>
      <translation>Last sync (server time)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="224" />
      <source>未送信の変更</source>
      <translation>Unsynced changes</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="228" />
      <source>このパソコンの時計がサーバーと {n} 分ずれています。</source>
      <translation>This laptop's clock is {n} min off the server's.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="243" />
      <source>（この記録を待つ変更 {n} 件）</source>
      <translation> ({n} changes wait for it)</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="253" />
      <source>ごみ箱（{n}）</source>
      <translation>Trash ({n})</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="287" />
      <source>同期中…</source>
      <translation>Syncing…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="298" />
      <source>検索用の索引を作成中（{n} 件）…</source>
      <translation>Building the search index ({n} entries)…</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="322" />
      <source>同期しました（送信 {sent}、受信 {received}）</source>
      <translation>Synced (sent {sent}, received {received})</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="334" />
      <source>端末が無効化されました</source>
      <translation>Device revoked</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="340" />
      <source>同期中に予期しないエラーが発生しました。</source>
      <translation>Unexpected error during sync.</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="388" />
      <source>できませんでした</source>
      <translation>Not possible</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="417" />
      <source>付け替え先のケース番号:</source>
      <translation>Case number to attach it to:</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="430" />
      <source>取り消しますか？</source>
      <translation>Dismiss this change?</translation>
    </message>
    <message>
      <location filename="../../ui/views/sync_panel.py" line="431" />
      <source>この変更をサーバーに送るのをやめ、ごみ箱に移します。新しい記録はこの端末の画面から消えます。ごみ箱から90日間は元に戻せます。</source>
      <translation>This change will not be sent; it moves to the trash (a new record leaves the screens of this laptop). It can be restored from the trash for 90 days.</translation>
    </message>
    <message>
      <location filename="../../ui/views/timeline.py" line="113" />
      <source>世帯の情報がありません</source>
      <translation>No household information</translation>
    </message>
    <message>
      <location filename="../../ui/views/timeline.py" line="147" />
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
      <location filename="../../ui/views/visits.py" line="56" />
      <source>訪問予定表を印刷…</source>
      <translation>Print visit list…</translation>
    </message>
    <message>
      <location filename="../../ui/views/visits.py" line="57" />
      <source>訪問予定表の印刷プレビュー</source>
      <translation>Visit list print preview</translation>
    </message>
    <message>
      <location filename="../../ui/views/visits.py" line="67" />
      <source>この日に訪問の予定はありません。相談・訪問記録で「次回予定日」を入れると、その日の予定としてここに表示されます。</source>
      <translation>No visits planned for this day. The next action date of a contact record appears here on its day.</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="108" />
      <source>範囲</source>
      <translation>Scope</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="110" />
      <source>チーム全体</source>
      <translation>Whole team</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="112" />
      <source>すべての種類</source>
      <translation>All kinds</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="116" />
      <source>全員</source>
      <translation>Everyone</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="120" />
      <source>期限超過のみ</source>
      <translation>Overdue only</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="120" />
      <source>期限超過のみ(&amp;O)</source>
      <translation>&amp;Overdue only</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="123" />
      <source>日数の設定</source>
      <translation>Thresholds</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="123" />
      <source>日数の設定…</source>
      <translation>Thresholds…</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="199" />
      <source>{n}件（期限超過 {o}）: </source>
      <translation>{n} items ({o} overdue): </translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="215" />
      <source>この条件に当てはまる項目はありません。</source>
      <translation>Nothing matches these filters.</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="216" />
      <source>今はやることはありません。訪問の予定（相談・訪問記録の次回予定日）、役割分担の期限、紹介の返信待ち、同意の期限、長く連絡のないケースが近づくと、ここに表示されます。</source>
      <translation>Nothing to do now. Visits due (the next visit of a contact record), role assignments due, referral replies awaited, consents about to lapse and cases without contact for long appear here.</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="223" />
      <source>

チーム全体のやることは、「自分の担当」を「チーム全体」に切り替えると表示されます。</source>
      <translation>

Choose Whole team instead of Mine to see the team's.</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="45" />
      <source>{n}日超過</source>
      <translation>{n} d overdue</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="47" />
      <source>今日</source>
      <translation>today</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="48" />
      <source>あと{n}日</source>
      <translation>in {n} d</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="57" />
      <source>{base}（{n}・超過{o}）</source>
      <translation>{base} ({n}, {o} overdue)</translation>
    </message>
    <message>
      <location filename="../../ui/views/worklist.py" line="76" />
      <source>やることの設定</source>
      <translation>Worklist settings</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="141" />
      <source>（すべて）</source>
      <translation>(all)</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="143" />
      <source>（未選択）</source>
      <translation>(none)</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="234" />
      <source>{label}を入力</source>
      <translation>Enter {label}</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="675" />
      <source>入力内容の破棄</source>
      <translation>Discard changes</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="676" />
      <source>入力した内容は保存されていません。破棄して閉じますか？</source>
      <translation>What you entered has not been saved. Discard it and close?</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="681" />
      <source>破棄して閉じる</source>
      <translation>Discard</translation>
    </message>
    <message>
      <location filename="../../ui/widgets.py" line="683" />
      <source>編集に戻る</source>
      <translation>Keep editing</translation>
    </message>
  </context>
</TS>
