"""The item models on generated answers pass Qt's own model checks (qtmodeltester)."""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import PAYLOADS
from tests.fuzz.strategies import encoded, fuzz, pathway_answer
from tests.fuzz.test_fuzz_activity_http import activity
from viewer.api.activity_types import Activity
from viewer.inbox.ui.model import InboxModel
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.ui.matrix_model import PathwayMatrixModel
from viewer.pathway.ui.tree_model import PathwayTreeModel
from viewer.tasks import TaskRunner

#: Answers the tab shows: one pathway (an answer with more is refused before any model).
_one_pathway = pathway_answer.map(lambda answer: {**answer, "data": answer["data"][:1]})


@fuzz(40)
@given(encoded(_one_pathway), st.sampled_from(["", "a", "<", "x@"]))
def test_pathway_models_pass_the_model_tester(qtmodeltester, body: bytes, search: str):
    PAYLOADS["models: pathway answers"] += 1
    data = build_pathway_data(body)
    tree, matrix = PathwayTreeModel(), PathwayMatrixModel()
    try:
        for model in (tree, matrix):
            model.set_pathway_data(data)
            model.set_search(search)
            model.sort(1)
            qtmodeltester.check(model, force_py=True)
    finally:
        tree.deleteLater()
        matrix.deleteLater()


@fuzz(40)
@given(st.lists(st.lists(activity, max_size=8), min_size=1, max_size=3), st.booleans())
def test_inbox_model_passes_the_model_tester(qtbot, qtmodeltester, pages, unread_only: bool):
    PAYLOADS["models: inbox pages"] += 1
    runner = TaskRunner()
    model = InboxModel(runner, lambda: None)  # type: ignore[arg-type, return-value]
    try:
        model.set_unread_only(unread_only)
        seen: set[str] = set()
        for number, items in enumerate(pages):
            fresh = []
            for item in items:
                decoded = msgspec.convert(item, Activity)
                if decoded.uuid not in seen:  # the pager hands each activity on once
                    seen.add(decoded.uuid)
                    fresh.append(decoded)
            model.loader.arrived.emit(fresh, number == 0)
        qtmodeltester.check(model, force_py=True)
        if model.rowCount():
            model.apply_read([model.activity(0).uuid], True)
            qtmodeltester.check(model, force_py=True)
    finally:
        model.close()
        runner.shutdown()
        model.deleteLater()
        runner.deleteLater()
