"""The pathway tab's Views menu: save the current filters, search, view and sort by name.

The views are kept in the settings (``pathway/savedViews``, one JSON text; see
``viewer.pathway.saved_views``), per pathway as typed. The view marked "Open by default"
is applied when that pathway is fetched after another one (or first in a session).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QMenu,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeView,
    QWidget,
)

from viewer.pathway.saved_views import SavedView, ViewSet, clean_name, decode, encode, pathway_key
from viewer.pathway.ui.filters import FilterPanel
from viewer.pathway.ui.views import PathwayViews
from viewer.widgets.transient import open_transient

SETTING = "pathway/savedViews"


def sort_headers(pages: QTabWidget) -> dict[str, QHeaderView]:
    """The header of each sortable view among ``pages``, by the page's object name."""
    found: dict[str, QHeaderView] = {}
    for number in range(pages.count()):
        page = pages.widget(number)
        if page is None:
            continue
        # A page is a view, or holds its main one as ``table`` (the groups, the follow-up).
        view = page if isinstance(page, QAbstractItemView) else getattr(page, "table", None)
        if isinstance(view, QTreeView) and view.isSortingEnabled():
            found[page.objectName()] = view.header()
        elif isinstance(view, QTableView) and view.isSortingEnabled():
            found[page.objectName()] = view.horizontalHeader()
    return found


class SavedViewsButton(QToolButton):
    """ "Views ▾": Save current view…, the saved views, Open by default, Delete.

    ``recalled`` is emitted after a view chosen from the menu was applied, so the tab can
    fetch again when its filters differ from what is shown.
    """

    recalled = Signal()

    def __init__(
        self,
        settings: QSettings,
        filters: FilterPanel,
        pages: PathwayViews,
        pathway: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("savedViewsButton")
        self.setText("Views")
        self.setToolTip("Save the filters, search, view and sort of this pathway by name")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._settings = settings
        self._filters = filters
        self._pages = pages
        self._pathway = pathway
        self._opened: str | None = None
        self.dialog: QInputDialog | None = None
        self.menu_ = QMenu(self)
        self.menu_.setObjectName("savedViewsMenu")
        self.menu_.aboutToShow.connect(self._fill_menu)
        self.setMenu(self.menu_)
        self._fill_menu()

    # -- kept in the settings -------------------------------------------------------------

    def _all(self) -> dict[str, ViewSet]:
        return decode(self._settings.value(SETTING, ""))

    def _key(self) -> str:
        return pathway_key(self._pathway())

    def saved(self) -> ViewSet:
        """The views of the pathway now typed in the tab."""
        return self._all().get(self._key(), ViewSet())

    def _store(self, views: ViewSet) -> None:
        everything = self._all()
        everything[self._key()] = views
        self._settings.setValue(SETTING, encode(everything))

    # -- what a view holds ----------------------------------------------------------------

    def current(self, name: str) -> SavedView:
        """The tab's filters, search, view and sort now, named ``name``."""
        sort = {
            page: (header.sortIndicatorSection(), header.sortIndicatorOrder() == _DESCENDING)
            for page, header in sort_headers(self._pages).items()
        }
        return SavedView(
            clean_name(name),
            dict(self._filters.values()),
            self._pages.search_edit.text(),
            _page_name(self._pages.currentWidget()),
            sort,
        )

    def apply(self, view: SavedView) -> None:
        """Show ``view``: check its filters, and set its search, view and sort orders."""
        self._filters.set_values(dict(view.filters))
        self._pages.search_edit.setText(view.search)
        self._pages.apply_search()
        for name, header in sort_headers(self._pages).items():
            column, descending = view.sort.get(name, (-1, False))
            header.setSortIndicator(column, _DESCENDING if descending else _ASCENDING)
        for number in range(self._pages.count()):
            page = self._pages.widget(number)
            if view.view and page is not None and page.objectName() == view.view:
                self._pages.setCurrentIndex(number)

    def save_as(self, name: str) -> SavedView | None:
        """Save what the tab shows as ``name`` (replacing a view of that name)."""
        view = self.current(name)
        if not view.name or not self._key():
            return None
        views = self.saved()
        views.put(view)
        self._store(views)
        return view

    def recall(self, name: str) -> None:
        view = self.saved().get(name)
        if view is not None:
            self._opened = self._key()  # chosen here: the default view does not override it
            self.apply(view)
            self.recalled.emit()

    def set_default(self, name: str | None) -> None:
        views = self.saved()
        views.default = name if name is None or views.get(name) else None
        self._store(views)

    def delete(self, name: str) -> None:
        views = self.saved()
        views.remove(name)
        self._store(views)

    def opening(self) -> None:
        """Before a fetch: a pathway other than the last one opens its default view."""
        key = self._key()
        if key == self._opened:
            return
        self._opened = key
        view = self.saved().default_view()
        if view is not None:
            self.apply(view)

    # -- the menu -------------------------------------------------------------------------

    @Slot()
    def _fill_menu(self) -> None:
        menu = self.menu_
        menu.clear()
        save = menu.addAction("Save current view…")
        save.setObjectName("saveViewAction")
        save.triggered.connect(self.ask_name)
        has_pathway = bool(self._key())
        save.setEnabled(has_pathway)
        views = self.saved()
        if not views.views:
            hint = menu.addAction(
                "No saved views for this pathway" if has_pathway else "Enter a pathway first"
            )
            hint.setEnabled(False)
            return
        menu.addSeparator()
        for view in views.views:
            mark = " (default)" if view.name == views.default else ""
            action = menu.addAction(view.name + mark)
            action.setObjectName(f"recallView:{view.name}")
            action.triggered.connect(partial(self.recall, view.name))
        menu.addSeparator()
        default = menu.addMenu("Open by default")
        group = QActionGroup(default)
        for name in (None, *views.names()):
            action = default.addAction("None" if name is None else name)
            action.setCheckable(True)
            action.setChecked(views.default == name)
            action.setActionGroup(group)
            action.triggered.connect(partial(self.set_default, name))
        delete = menu.addMenu("Delete")
        for name in views.names():
            action = delete.addAction(name)
            action.triggered.connect(partial(self.delete, name))

    @Slot()
    def ask_name(self) -> QInputDialog:
        """Ask for the new view's name (without blocking); OK saves it."""
        dialog = QInputDialog(self)
        dialog.setObjectName("saveViewDialog")
        dialog.setWindowTitle("Save view")
        dialog.setLabelText("Name of this view (a saved view of that name is replaced):")
        dialog.setTextValue(self._pages.tabText(self._pages.currentIndex()).replace("&&", "&"))
        dialog.textValueSelected.connect(self.save_as)
        self.dialog = dialog
        return open_transient(dialog, self._dialog_gone)

    @Slot()
    def _dialog_gone(self) -> None:
        self.dialog = None

    def menu_actions(self) -> list[QAction]:
        """The menu's entries as shown now (filled first)."""
        self._fill_menu()
        return self.menu_.actions()


def _page_name(page: QWidget | None) -> str:
    return page.objectName() if page is not None else ""


_ASCENDING = Qt.SortOrder.AscendingOrder
_DESCENDING = Qt.SortOrder.DescendingOrder
