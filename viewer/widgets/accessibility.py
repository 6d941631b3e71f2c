"""Accessible names for the controls of a window or dialog.

A screen reader names a control by its accessible name, or by its own text. Push buttons
have text; fields, lists and combo boxes often do not, so ``name_controls`` gives each
unnamed one the name a sighted person reads beside it: its form label or buddy label,
else its placeholder, else the first clause of its tooltip. ``unnamed_controls`` lists what
is left, for a test to fail on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolBox,
    QWidget,
)

#: What a person can operate (and so must be able to find by name).
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
    QAbstractSlider,
    QTabBar,
    QPlainTextEdit,
    QTextEdit,
)
#: Qt's own parts of a control, named by the control they belong to.
_QT_PARTS = ("qt_tableview_cornerbutton", "qt_menubar_ext_button", "qt_tabwidget_tabbar")


def controls(root: QWidget) -> Iterator[QWidget]:
    """The interactive controls under ``root`` that are ours to name."""
    for widget in (root, *root.findChildren(QWidget)):
        if not isinstance(widget, INTERACTIVE) or _is_qt_part(widget):
            continue
        yield widget


def _is_qt_part(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    if isinstance(widget, QScrollBar | QHeaderView) or widget.objectName() in _QT_PARTS:
        return True
    if isinstance(parent, QLineEdit | QComboBox | QAbstractSpinBox):
        return True  # a line edit's clear button, a combo box's own line edit
    # A combo box's popup list lives in a private frame of the combo box.
    return isinstance(widget, QAbstractItemView) and isinstance(
        parent and parent.parentWidget(), QComboBox
    )


def own_name(widget: QWidget) -> str:
    """What a screen reader would call the control now (empty: nothing)."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    if isinstance(widget, QTabBar):
        return ", ".join(widget.tabText(i) for i in range(widget.count())).replace("&", "")
    return ""


def name_controls(root: QWidget) -> None:
    """Give every unnamed control under ``root`` the name shown beside it, if any; and let
    the keyboard reach the page buttons of tool boxes, which Qt leaves to the mouse."""
    for box in root.findChildren(QToolBox):
        for button in box.findChildren(QAbstractButton, "qt_toolbox_toolboxbutton"):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    labels = {
        id(label.buddy()): label.text() for label in root.findChildren(QLabel) if label.buddy()
    }
    for widget in controls(root):
        if own_name(widget):
            continue
        name = (
            _form_label(widget)
            or labels.get(id(widget), "")
            or _placeholder(widget)
            or _tooltip_clause(widget.toolTip())
        )
        name = _clean(name)
        if name:
            widget.setAccessibleName(name)


def unnamed_controls(root: QWidget) -> list[QWidget]:
    return [widget for widget in controls(root) if not own_name(widget)]


def _form_label(widget: QWidget) -> str:
    """The label of the form row holding ``widget``, alone or in a row of its own."""
    parent = widget.parentWidget()
    for form in parent.findChildren(QFormLayout) if parent is not None else ():
        for row in range(form.rowCount()):
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if field is None:
                continue
            inner = field.layout()
            if field.widget() is widget or (inner is not None and inner.indexOf(widget) >= 0):
                label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                shown = label.widget() if label is not None else None
                if isinstance(shown, QLabel) and shown.text().strip():
                    return shown.text()
    return ""


def _placeholder(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return widget.placeholderText()
    if isinstance(widget, QComboBox):
        edit = widget.lineEdit()
        return widget.placeholderText() or (edit.placeholderText() if edit is not None else "")
    return ""


def _tooltip_clause(tip: str) -> str:
    text = QTextDocumentFragment.fromHtml(tip).toPlainText() if "<" in tip else tip
    return re.split(r"[:.(\n]", text, maxsplit=1)[0]


def _clean(text: str) -> str:
    return " ".join(text.replace("&", "").split()).rstrip(":…").strip()
