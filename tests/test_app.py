"""Entry points: the window factory, the command line, and the demo mode."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import httpx
import pytest
from PySide6.QtWidgets import QTabWidget

from viewer.app import create_window
from viewer.cli import main, parse_gui_args

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_create_window_with_demo_has_both_tabs_and_a_running_demo_server(qtbot, settings):
    window = create_window(
        parse_gui_args(["--demo", "--demo-users", "20", "--demo-inbox", "30"]),
        settings=settings,
        demo_at_once=True,  # never shown: nothing would paint to start it
    )
    qtbot.addWidget(window)
    tabs = window.findChild(QTabWidget, "tabs")
    assert [tabs.widget(i).objectName() for i in range(tabs.count())] == ["pathwayTab", "inboxTab"]
    assert window.connections.demo
    config = window.connections.config("activity-log")
    response = httpx.get(
        f"{config.base_url}/v1/activities/types",
        headers={"Authorization": f"Bearer {config.token}"},
    )
    assert response.status_code == 200
    window.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{config.base_url}/v1/activities/types", timeout=2)


#: Opens the demo window, notes at its first paint whether the demo server's HTTP side was
#: loaded, then asks the demo a question from a thread (the tabs' requests also come from
#: threads) and prints what it saw once the answer is in.
_FIRST_PAINT_PROBE = """
import sys, threading
import httpx
from PySide6.QtCore import QTimer
from viewer.app import application, create_window
from viewer.cli import parse_gui_args
window = create_window(parse_gui_args(["--demo", "--demo-users", "5", "--demo-inbox", "5"]))
config = window.connections.config("activity-log")
seen = {}
def ask():
    response = httpx.get(
        config.base_url + "/v1/activities/types",
        headers={"Authorization": "Bearer " + config.token},
        timeout=30,
    )
    seen["status"] = response.status_code
def painted():
    window.repaint()
    seen["loaded at first paint"] = sorted(
        name for name in ("http.server", "viewer.demo.server") if name in sys.modules
    )
    threading.Thread(target=ask, daemon=True).start()
def check():
    if "status" in seen:
        print(seen)
        window.close()
        application().quit()
poll = QTimer(interval=20, timeout=check)
window.show()
QTimer.singleShot(0, painted)
poll.start()
application().exec()
"""


def test_demo_server_is_loaded_after_the_window_paints_and_answers_what_waited_for_it():
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_PAINT_PROBE],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'loaded at first paint': [], 'status': 200}", result.stderr


def _tab_names(window) -> list[str]:
    tabs = window.findChild(QTabWidget, "tabs")
    return [tabs.widget(i).objectName() for i in range(tabs.count())]


def test_demo_window_makes_its_inbox_tab_after_the_first_paint(qtbot, settings):
    window = create_window(
        parse_gui_args(["--demo", "--demo-users", "5", "--demo-inbox", "5"]), settings=settings
    )
    qtbot.addWidget(window)
    assert window.tabs.tabText(1) == "Activity inbox"  # its place and title are there at once
    assert _tab_names(window)[0] == "pathwayTab"
    assert _tab_names(window)[1] != "inboxTab"
    window.show()
    qtbot.waitUntil(lambda: _tab_names(window) == ["pathwayTab", "inboxTab"])
    assert window.tabs.currentIndex() == 0
    assert window.inbox_tab is window.tabs.widget(1)
    window.close()


@pytest.mark.parametrize("args", [["--demo", "--demo-users", "5", "--demo-inbox", "5"], []])
def test_window_starts_its_fold_helper_after_the_first_paint_and_stops_it_on_close(
    qtbot, settings, args
):
    window = create_window(parse_gui_args(args), settings=settings)
    qtbot.addWidget(window)
    assert window.fold_helper is None  # nothing before the window is on screen
    window.show()
    qtbot.waitUntil(lambda: window.fold_helper is not None and window.fold_helper.running)
    process = window.fold_helper._process
    assert process is not None
    assert window.pathway_tab.fold_helper is window.fold_helper
    window.close()
    assert process.poll() is not None


def test_demo_window_opening_on_the_inbox_makes_it_at_once(qtbot, settings):
    settings.setValue("window/tab", 1)
    window = create_window(
        parse_gui_args(["--demo", "--demo-users", "5", "--demo-inbox", "5"]), settings=settings
    )
    qtbot.addWidget(window)
    assert _tab_names(window) == ["pathwayTab", "inboxTab"]
    assert window.tabs.currentIndex() == 1
    window.close()


def test_demo_window_inbox_is_made_when_first_asked_for(qtbot, settings):
    window = create_window(
        parse_gui_args(["--demo", "--demo-users", "5", "--demo-inbox", "5"]), settings=settings
    )
    qtbot.addWidget(window)
    tab = window.inbox_tab
    assert _tab_names(window) == ["pathwayTab", "inboxTab"]
    assert window.inbox_tab is tab
    window.close()


def test_demo_window_closed_before_painting_never_makes_its_inbox(qtbot, settings):
    window = create_window(
        parse_gui_args(["--demo", "--demo-users", "5", "--demo-inbox", "5"]), settings=settings
    )
    qtbot.addWidget(window)
    window.close()
    window.build_inbox()  # as the first-paint timer would, later
    assert _tab_names(window)[1] != "inboxTab"


def test_demo_mode_does_not_touch_the_keyring(qtbot, settings, memory_keyring):
    window = create_window(
        parse_gui_args(["--demo", "--demo-users", "5", "--demo-inbox", "5"]), settings=settings
    )
    qtbot.addWidget(window)
    window.close()
    assert memory_keyring.passwords == {}


def test_window_without_configuration_opens_with_empty_tabs(qtbot, settings):
    window = create_window(parse_gui_args([]), settings=settings)
    qtbot.addWidget(window)
    assert window.findChild(QTabWidget, "tabs").count() == 2
    assert not window.connections.demo
    window.close()


def test_window_geometry_and_tab_are_remembered(qtbot, settings):
    window = create_window(parse_gui_args([]), settings=settings)
    qtbot.addWidget(window)
    window.resize(700, 500)  # within the offscreen screen (800x600)
    window.tabs.setCurrentIndex(1)
    window.close()
    again = create_window(parse_gui_args([]), settings=settings)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 1
    assert (again.width(), again.height()) == (700, 500)
    again.close()


@pytest.mark.parametrize("argv", [["--no-such-option"], ["--demo-users", "many"], ["export"]])
def test_bad_arguments_exit_with_status_2(argv, capsys):
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    assert status == 2
    assert capsys.readouterr().err


def test_module_prints_usage_and_exits_2_on_bad_arguments():
    result = subprocess.run(
        [sys.executable, "-m", "viewer", "--bogus"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert result.returncode == 2
    assert "usage: python -m viewer" in result.stderr


def test_demo_server_subcommand_prints_address_and_tokens_on_one_line():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "viewer",
            "demo-server",
            "--port",
            "0",
            "--users",
            "10",
            "--inbox",
            "10",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        line = process.stdout.readline()
        match = re.fullmatch(
            r"url=(http://127\.0\.0\.1:\d+) pathway_token=(\S+) activity_token=(\S+)"
            r" client_id=(\S+) client_secret=(\S+)\n",
            line,
        )
        assert match, line
        url, pathway_token, activity_token, client_id, client_secret = match.groups()
        response = httpx.post(
            f"{url}/v1/logs/pathway-logs",
            json={"pathway": "Pathway A", "activities": ["Story A"]},
            headers={"Authorization": f"Basic {pathway_token}"},
        )
        assert response.json()["status"] == "success"
        response = httpx.get(
            f"{url}/v1/activities/unread-count",
            headers={"Authorization": f"Bearer {activity_token}"},
        )
        assert "unread" in response.json()
        issued = httpx.post(
            f"{url}/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
            },
        ).json()
        response = httpx.get(
            f"{url}/v1/activities/unread-count",
            headers={"Authorization": f"Bearer {issued['access_token']}"},
        )
        assert "unread" in response.json()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0
