"""UI language: Qt translations from resources/translations, Japanese source strings.

Source strings are Japanese (the default language). ``tr(ja, en)`` looks the Japanese text up in
the installed QTranslator. The English argument seeds the English catalogue
(``resources/translations/update_ts.py`` writes it into ``yorisoi_en.ts`` for messages that have
no translation yet; translators then edit the .ts, which wins), and is shown in English for a
message the catalogue lacks.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.domain import vocab as _vocab
from app.i18n import current_language
from app.storage.paths import resources_dir

CONTEXT = "yorisoi"
LANGUAGES = ("ja", "en")
_state = {"lang": "ja"}
_installed: list[QTranslator] = []


def tr(ja: str, en: str = "") -> str:
    """The message in the UI language. In English a message the catalogue lacks (new since
    the .ts was refreshed, or built at run time like a label looked up in a table) falls back
    to ``en`` instead of showing Japanese."""
    text = QCoreApplication.translate(CONTEXT, ja)
    if text == ja and en and _state["lang"] == "en":
        return en
    return text


def language() -> str:
    return _state["lang"]


def resolve_language(setting: str | None) -> str:
    """The setting if it names a language, else the system locale (Japanese unless English)."""
    if setting in LANGUAGES:
        return str(setting)
    return current_language()


def install(app: QCoreApplication, lang: str) -> str:
    """Install the translators for ``lang`` (replacing earlier ones). Returns the language used."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    lang = lang if lang in LANGUAGES else "ja"
    _state["lang"] = lang
    QLocale.setDefault(
        QLocale(QLocale.Language.English if lang == "en" else QLocale.Language.Japanese)
    )
    if lang == "en":
        own = QTranslator(app)
        if own.load(str(resources_dir() / "translations" / "yorisoi_en.qm")):
            app.installTranslator(own)
            _installed.append(own)
    else:  # Qt's own dialogs (buttons of QMessageBox, QFileDialog...) in Japanese
        qt = QTranslator(app)
        if qt.load("qtbase_ja", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
    return lang


def vlabel(vocabulary: _vocab.Vocabulary, code: str | None) -> str:
    """Label of a vocabulary code in the UI language."""
    return _vocab.label(vocabulary, code, language())


def vchoices(vocabulary: _vocab.Vocabulary) -> list[tuple[str, str]]:
    return [(code, vlabel(vocabulary, code)) for code in vocabulary]


def error_text(exc: BaseException) -> str:
    """A message for the person at the keyboard; never a traceback or personal data."""
    from app.domain.errors import YorisoiError

    if isinstance(exc, YorisoiError):
        return exc.message(language())
    return tr(
        "予期しないエラーが発生しました（{kind}）。入力中の内容は下書きとして保存されています。",
        "Unexpected error ({kind}). What you were typing is kept as a draft.",
    ).format(kind=type(exc).__name__)
