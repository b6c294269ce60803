"""smmod speaks British English whatever the computer's locale.

Qt calls ``setlocale(LC_ALL, "")`` when the application starts, after which the C
library translates its messages ("No such file or directory" became "Datei oder
Verzeichnis nicht gefunden" in the middle of an English sentence), and Qt's own date
fields follow the system locale ("1 Jan. 2000"). Dates for people come from
``smmod.formatting``; this keeps the rest of the text in the same language.
"""

from __future__ import annotations

import locale

from PySide6.QtCore import QLocale

_CATEGORIES = (locale.LC_MESSAGES, locale.LC_TIME, locale.LC_NUMERIC, locale.LC_MONETARY,
               locale.LC_COLLATE)


def settle_locale() -> None:
    """English (UK) for Qt widgets, and the C library's messages and formats in English."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    for category in _CATEGORIES:
        locale.setlocale(category, "C")
