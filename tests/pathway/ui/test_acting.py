"""End to end: the Groups, Follow-up and Progress views of the pathway tab, on the demo server."""

from __future__ import annotations

import csv
from collections import defaultdict
from urllib.parse import unquote

import msgspec
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication

from tests.pathway.ui.conftest import FETCH_TIMEOUT_MS, fetch
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.export.views import FOLLOW_UP_COLUMNS, GROUP_COLUMNS, PROGRESS_COLUMNS
from viewer.export.xlsx_file import SUFFIX
from viewer.pathway.groups import ALL_REQUIRED_ID
from viewer.pathway.ui import follow_up_view, groups_view
from viewer.pathway.ui.tab import PathwayTab


def raw_answer(demo_server, pathway: str = "Pathway A") -> dict:
    with PathwayClient(demo_server.url, demo_server.pathway_token) as client:
        return msgspec.json.decode(client.fetch_body(PathwayQuery(pathway)))["data"][0]


def wait_ready(qtbot, view) -> None:
    """Open the view and wait for its rows (a view counts once it is shown)."""
    view.parentWidget().parentWidget().setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.table, timeout=FETCH_TIMEOUT_MS)


def test_the_views_are_tabs_after_by_user(qtbot, tab: PathwayTab, demo_server):
    titles = [tab.views.tabText(i) for i in range(tab.views.count())]
    at = titles.index("By user")
    assert titles[at + 1 : at + 3] == ["Groups", "Follow-up"]
    assert "Progress" in titles[at + 3 :]
    assert tab.acting.groups.message.text().startswith("Fetch a pathway")


def test_a_view_counts_once_it_is_shown(qtbot, tab: PathwayTab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    view = tab.acting.groups
    assert not view.isVisible() and not view.rows()
    assert view.message.text() == "Counting users by group…"
    wait_ready(qtbot, view)
    assert view.rows()


def test_a_click_on_a_count_lists_the_users_behind_it(qtbot, tab: PathwayTab, demo_server):
    answer = raw_answer(demo_server)
    fetch(qtbot, tab, "Pathway A")
    view = tab.acting.groups
    wait_ready(qtbot, view)
    activity = answer["activities"][0]
    # From the server's own answer: who in the first group completed the first activity.
    group = sorted({g for log in activity["logs"] for g in log["groups"] or ()})[0]
    expected = sorted(
        log["email"]
        for log in activity["logs"]
        if group in (log["groups"] or ()) and log["status"]["state"] == "completed"
    )
    assert expected
    model = view.model
    (row,) = [
        r
        for r in range(model.rowCount())
        if (item := model.row_at(r))
        and item.group == group
        and item.activity_name == activity["name"]
    ]
    assert model.index(row, groups_view.DONE).data() == f"{len(expected):,}"
    window = view.open_cell(model.index(row, groups_view.DONE))
    assert window is not None and window.isVisible()
    assert sorted(u.email for u in window.users) == expected
    assert window.model.rowCount() == len(expected)
    names = [window.model.index(r, 0).data() for r in range(window.model.rowCount())]
    assert names == sorted(names, key=str.casefold)  # by name, as the header says
    window.copy_emails()
    clip = QGuiApplication.clipboard().text()
    assert sorted(clip.split(", ")) == expected
    # A click on the activity's name lists nobody.
    window.close()
    qtbot.waitUntil(lambda: view.users_window is None)
    assert view.open_cell(model.index(row, groups_view.ACTIVITY)) is None


def test_groups_sort_and_show_the_total_over_required_activities(qtbot, tab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    view = tab.acting.groups
    wait_ready(qtbot, view)
    totals = [row for row in view.rows() if row.activity_id == ALL_REQUIRED_ID]
    assert len(totals) == len({row.group for row in view.rows()})
    view.table.sortByColumn(groups_view.SHARE, Qt.SortOrder.DescendingOrder)
    shares = [row.percent_completed for row in view.rows()]
    assert shares == sorted(shares, reverse=True) and shares[0] > shares[-1]


def behind(answer: dict) -> dict[str, list[str]]:
    """From the server's answer: each e-mail's required activities not completed."""
    missing: dict[str, list[str]] = defaultdict(list)
    for activity in answer["activities"]:
        if not activity.get("required"):
            continue
        done = {log["email"] for log in activity["logs"] if log["status"]["state"] == "completed"}
        everyone = {log["email"] for a in answer["activities"] for log in a["logs"]}
        for email in everyone - done:
            missing[email].append(activity["name"])
    return missing


def test_follow_up_copies_the_addresses_of_who_is_behind(qtbot, tab, demo_server):
    answer = raw_answer(demo_server)
    fetch(qtbot, tab, "Pathway A")
    view = tab.acting.follow_up
    wait_ready(qtbot, view)
    expected = behind(answer)
    assert expected
    assert {row.email for row in view.rows()} == set(expected)
    text = view.copy_emails()
    assert QGuiApplication.clipboard().text() == text
    assert sorted(text.split(", ")) == sorted(expected)


def test_follow_up_for_chosen_activities(qtbot, tab, demo_server):
    answer = raw_answer(demo_server)
    fetch(qtbot, tab, "Pathway A")
    view = tab.acting.follow_up
    wait_ready(qtbot, view)
    assert tab.data.activities[0].name == answer["activities"][0]["name"]
    optional = [i for i, a in enumerate(answer["activities"]) if not a.get("required")]
    position = optional[0] if optional else 0
    label = tab.data.activities[position].label
    done = {
        log["email"]
        for log in answer["activities"][position]["logs"]
        if log["status"]["state"] == "completed"
    }
    before = view.rows()
    view.choose([position])
    qtbot.waitUntil(lambda: view.rows() != before, timeout=FETCH_TIMEOUT_MS)
    assert view.choose_button.text() == "Activities: 1 chosen"
    assert {row.email for row in view.rows()} == {u.email for u in tab.data.users} - done
    assert all(row.missing == (label,) for row in view.rows())
    view.choose([])
    qtbot.waitUntil(lambda: not view.rows(), timeout=FETCH_TIMEOUT_MS)
    assert view.summary.text().startswith("No activity chosen")
    assert not view.copy_button.isEnabled()


def test_write_email_opens_every_link_after_saying_how_many(qtbot, tab, demo_server, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True
    )
    fetch(qtbot, tab, "Pathway A")
    view = tab.acting.follow_up
    wait_ready(qtbot, view)
    emails = {row.email for row in view.rows()}
    urls = view.write_email()
    if len(urls) > 1:  # the demo's list is long enough: it asks first
        assert view.question is not None and str(len(urls)) in view.question.text()
        assert opened == []
        view.question.button(view.question.StandardButton.Open).click()
    assert opened == urls and all(u.startswith("mailto:") for u in urls)
    assert all(len(u) <= 2000 for u in urls)
    found = {a for u in opened for a in unquote(u.split("bcc=", 1)[1]).split(",") if a}
    assert found == emails


def test_write_email_with_one_link_opens_it_at_once(qtbot, tab, demo_server, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(follow_up_view, "mailto_urls", lambda emails: ["mailto:?bcc=a@b.example"])
    fetch(qtbot, tab, "Pathway A")
    view = tab.acting.follow_up
    wait_ready(qtbot, view)
    assert view.write_email() == ["mailto:?bcc=a@b.example"]
    assert view.question is None and len(opened) == 1


def test_progress_charts_three_saved_copies(qtbot, saving_tab: PathwayTab, demo_server):
    tab = saving_tab
    view = tab.acting.progress
    fetch(qtbot, tab, "Pathway A")
    qtbot.waitUntil(lambda: view.copies() == 1, timeout=FETCH_TIMEOUT_MS)
    assert view.summary.text().startswith("Completion over 1 saved copy")
    for _ in range(2):
        assert demo_server.advance_pathway("Pathway A", 15) == 15
        fetch(qtbot, tab, "Pathway A")
    qtbot.waitUntil(lambda: view.copies() == 3, timeout=FETCH_TIMEOUT_MS)
    assert view.stack.currentWidget() is view.chart
    series = view.chart.series()
    assert {s.key for s in series} >= {ALL_REQUIRED_ID}
    assert all(len(s.points) == 3 for s in series)
    # Only completions were added between the copies: the completed shares only grow.
    sums = [sum(s.points[n][1] for s in series if s.key != ALL_REQUIRED_ID) for n in range(3)]
    assert sums == sorted(sums) and sums[0] < sums[-1]
    # The last point of each activity is its share now, counted from the server's answer.
    answer = raw_answer(demo_server)
    users = {log["email"] for a in answer["activities"] for log in a["logs"]}
    last = {s.label: s.points[-1][1] for s in series}
    for shown, raw in zip(tab.data.activities, answer["activities"], strict=True):
        done = {log["email"] for log in raw["logs"] if log["status"]["state"] == "completed"}
        assert last[shown.label] == pytest.approx(100 * len(done) / len(users), abs=0.05)
    view.mode.setCurrentIndex(view.mode.findData("group"))
    groups = {s.label for s in view.chart.series()}
    assert "Everyone" in groups and len(groups) >= 3
    assert all(len(s.points) == 3 for s in view.chart.series())
    point = view.chart.position_of(0, 2)
    found = view.chart.point_at(point.x(), point.y())
    assert found is not None and found[0] == view.chart.series()[0]


def test_progress_without_saved_copies_says_why(qtbot, tab: PathwayTab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    assert tab.acting.progress.stack.currentWidget() is tab.acting.progress.message
    assert "No copies are saved" in tab.acting.progress.message.text()


def export(qtbot, tab: PathwayTab, scope: str, path) -> None:
    handle = tab.exporter.export_to(str(path), scope)
    assert handle is not None
    qtbot.waitUntil(lambda: not tab.exporter.running, timeout=FETCH_TIMEOUT_MS)
    assert path.exists()


def test_each_view_exports_csv_and_excel(qtbot, saving_tab: PathwayTab, demo_server, tmp_path):
    tab = saving_tab
    fetch(qtbot, tab, "Pathway A")
    wait_ready(qtbot, tab.acting.groups)
    wait_ready(qtbot, tab.acting.follow_up)
    qtbot.waitUntil(lambda: tab.acting.progress.copies() == 1, timeout=FETCH_TIMEOUT_MS)
    for scope, header, shown in (
        ("groups", GROUP_COLUMNS, len(tab.acting.groups.rows())),
        ("follow-up", FOLLOW_UP_COLUMNS, len(tab.acting.follow_up.rows())),
        ("progress", PROGRESS_COLUMNS, len(tab.acting.progress.shown_rows())),
    ):
        path = tmp_path / f"{scope}.csv"
        export(qtbot, tab, scope, path)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == header and len(rows) - 1 == shown > 0
        book = tmp_path / f"{scope}{SUFFIX}"
        export(qtbot, tab, scope, book)
        assert book.read_bytes()[:2] == b"PK"  # a zip: an Excel workbook


def test_export_buttons_open_the_dialog_on_their_view(qtbot, tab: PathwayTab, demo_server):
    fetch(qtbot, tab, "Pathway A")
    wait_ready(qtbot, tab.acting.follow_up)
    tab.acting.follow_up.export_button.click()
    dialog = tab.exporter.dialog
    assert dialog is not None and dialog.scope() == "follow-up"
    dialog.reject()


def test_the_activity_column_stretches_and_the_counts_keep_their_width(
    qtbot, tab: PathwayTab, demo_server
):
    fetch(qtbot, tab, "Pathway A")
    view = tab.acting.groups
    wait_ready(qtbot, view)
    table, header = view.table, view.table.horizontalHeader()
    metrics = table.fontMetrics()
    longest = max(metrics.horizontalAdvance(row.activity_name) for row in view.rows())
    assert header.sectionSize(groups_view.ACTIVITY) >= longest  # "Community Day Article"
    for column in range(groups_view.USERS, groups_view.SHARE + 1):  # titles whole
        title = view.model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title) + 8
    counts = [header.sectionSize(c) for c in range(groups_view.USERS, groups_view.SHARE + 1)]
    # The view's spare width goes to the activities, not to the last number column.
    ends = header.sectionViewportPosition(groups_view.SHARE) + header.sectionSize(groups_view.SHARE)
    assert ends == table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0  # every column in sight
    activity = header.sectionSize(groups_view.ACTIVITY)
    tab.resize(tab.width() + 200, tab.height())
    qtbot.waitUntil(lambda: header.sectionSize(groups_view.ACTIVITY) > activity)
    assert [header.sectionSize(c) for c in range(groups_view.USERS, groups_view.SHARE + 1)] == (
        counts
    )
