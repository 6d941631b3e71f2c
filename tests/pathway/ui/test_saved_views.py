"""Saved views in the pathway tab: save, recall after a restart, open by default, delete."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.pathway.ui.conftest import fetch, last_body
from viewer.pathway.ui.matrix_model import EMAIL
from viewer.pathway.ui.tab import PathwayTab


def save_view(qtbot, tab: PathwayTab, name: str) -> None:
    """Through the menu's Save current view… and its dialog."""
    (save,) = [a for a in tab.saved_views.menu_actions() if a.objectName() == "saveViewAction"]
    save.trigger()
    dialog = tab.saved_views.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue(name)
    dialog.accept()
    qtbot.waitUntil(lambda: tab.saved_views.dialog is None)


def recall_action(tab: PathwayTab, name: str):
    actions = [a for a in tab.saved_views.menu_actions() if a.objectName() == f"recallView:{name}"]
    assert len(actions) == 1, [a.text() for a in tab.saved_views.menu_actions()]
    return actions[0]


def new_tab(qtbot, connections, settings) -> PathwayTab:
    tab = PathwayTab(connections, settings)
    qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    return tab


def test_a_saved_view_comes_back_after_a_restart(qtbot, connections, settings, demo_server):
    first = new_tab(qtbot, connections, settings)
    fetch(qtbot, first, "Pathway A")
    first.filters.lists["groups"].set_checked(["Group B"])
    fetch(qtbot, first)
    first.views.search_edit.setText("example.com")
    first.views.apply_search()
    first.views.setCurrentWidget(first.views.matrix)
    first.views.matrix.sortByColumn(EMAIL, Qt.SortOrder.DescendingOrder)
    save_view(qtbot, first, "Group B by e-mail")
    first.shutdown()

    second = new_tab(qtbot, connections, settings)
    try:
        second.filters.lists["groups"].set_checked([])
        second.views.setCurrentWidget(second.views.tree)  # the last view shown is remembered
        fetch(qtbot, second, "Pathway A")
        assert last_body(demo_server) == {"pathway": "Pathway A"}
        recall_action(second, "Group B by e-mail").trigger()
        # The filters differ from those shown: the view fetches again with its own.
        qtbot.waitUntil(lambda: last_body(demo_server).get("groups") == ["Group B"])
        qtbot.waitUntil(lambda: second.data.query.groups == ("Group B",), timeout=15000)
        assert second.filters.lists["groups"].checked() == ["Group B"]
        assert second.views.search_edit.text() == "example.com"
        assert second.views.currentWidget() is second.views.matrix
        header = second.views.matrix.horizontalHeader()
        assert header.sortIndicatorSection() == EMAIL
        assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        model = second.views.matrix_model
        emails = [model.index(r, EMAIL).data() for r in range(model.rowCount())]
        assert emails == sorted(emails, key=str.lower, reverse=True) and emails
        assert all("example.com" in e for e in emails)
    finally:
        second.shutdown()


def test_the_default_view_opens_with_its_pathway(qtbot, connections, settings, demo_server):
    first = new_tab(qtbot, connections, settings)
    first.pathway_input.setEditText("Pathway A")
    first.filters.lists["groups"].set_checked(["Group A"])
    first.views.setCurrentWidget(first.views.matrix)
    save_view(qtbot, first, "Group A")
    first.saved_views.set_default("Group A")
    first.filters.lists["groups"].set_checked([])
    first.shutdown()

    second = new_tab(qtbot, connections, settings)
    try:
        assert second.filters.lists["groups"].checked() == []
        fetch(qtbot, second, "Pathway A")
        assert last_body(demo_server)["groups"] == ["Group A"]  # before the first fetch
        assert second.views.currentWidget() is second.views.matrix
        # Once open, the user's own changes stay: a second fetch does not reapply it.
        second.filters.lists["groups"].set_checked([])
        fetch(qtbot, second)
        assert last_body(demo_server) == {"pathway": "Pathway A"}
        # Deleting the view removes it and its default mark.
        (delete,) = [a for a in second.saved_views.menu_actions() if a.text() == "Delete"]
        (entry,) = delete.menu().actions()
        entry.trigger()
        assert second.saved_views.saved().views == []
        texts = [a.text() for a in second.saved_views.menu_actions()]
        assert "No saved views for this pathway" in texts
    finally:
        second.shutdown()


def test_views_belong_to_their_pathway(qtbot, tab):
    tab.pathway_input.setEditText("Pathway A")
    save_view(qtbot, tab, "Mine")
    assert tab.saved_views.saved().names() == ["Mine"]
    tab.pathway_input.setEditText("Become A Store Owner")
    assert tab.saved_views.saved().names() == []
    tab.pathway_input.setEditText("  pathway a ")
    assert tab.saved_views.saved().names() == ["Mine"]
