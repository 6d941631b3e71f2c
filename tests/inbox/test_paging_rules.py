"""When the inbox list asks for pages unasked, and when it stops: the rules without Qt."""

from __future__ import annotations

from viewer.inbox.paging import FOLLOW_UPS, SLACK_PAGES, EndReason, PageStep, PageWalk


def arrive(
    walk: PageWalk,
    fresh: int = 100,
    shown: int | None = None,
    loaded: int = 100,
    total: int | None = 10_000,
    exhausted: bool = False,
) -> PageStep:
    return walk.arrived(
        fresh=fresh,
        shown=fresh if shown is None else shown,
        loaded=loaded,
        total=total,
        exhausted=exhausted,
    )


def test_a_page_that_shows_rows_asks_for_nothing_more():
    walk = PageWalk()
    walk.start()
    assert arrive(walk) == PageStep()
    assert walk.can_continue


def test_pages_showing_nothing_bring_only_a_few_requests_unasked():
    walk = PageWalk()
    walk.start()
    loaded = 0
    steps = []
    for _ in range(10):
        loaded += 100
        steps.append(arrive(walk, fresh=100, shown=0, loaded=loaded).follow_up)
    assert steps == [True] * FOLLOW_UPS + [False] * (10 - FOLLOW_UPS)
    assert walk.can_continue  # waiting for the view, not ended
    walk.asked()
    assert arrive(walk, shown=0, loaded=loaded + 100).follow_up


def test_pages_with_nothing_new_end_the_walk_after_a_few_and_say_how_many():
    walk = PageWalk()
    walk.start()
    arrive(walk)
    for number in range(SLACK_PAGES - 1):
        walk.asked()
        step = arrive(walk, fresh=0, total=1000 + number)
        assert step.ended is None
    walk.asked()
    step = arrive(walk, fresh=0, total=2000)
    assert step.ended is not None and step.ended.reason is EndReason.REPEATING
    assert step.ended.pages == SLACK_PAGES + 1
    assert step.ended.message == (
        f"The server kept sending activities already shown; stopped after {SLACK_PAGES + 1} pages."
    )
    assert not walk.can_continue and walk.ended is step.ended
    assert arrive(walk) == PageStep()  # a late page changes nothing


def test_a_page_bringing_something_new_restarts_the_count_of_pages_without():
    walk = PageWalk()
    walk.start()
    for _ in range(5):
        for _ in range(SLACK_PAGES - 1):
            assert arrive(walk, fresh=0).ended is None
        assert arrive(walk, fresh=1).ended is None
    assert walk.can_continue


def test_the_walk_ends_at_the_limit_of_loaded_activities():
    walk = PageWalk(max_activities=250)
    walk.start()
    assert arrive(walk, loaded=100).ended is None
    assert arrive(walk, loaded=200).ended is None
    step = arrive(walk, loaded=300)
    assert step.ended is not None and step.ended.reason is EndReason.LIMIT
    assert step.ended.loaded == 300
    assert "Stopped at 300 activities" in step.ended.message
    assert "inbox/maxActivities" in step.ended.message


def test_the_walk_ends_when_the_servers_own_total_is_loaded():
    walk = PageWalk()
    walk.start()
    step = arrive(walk, loaded=120, total=120)
    assert step.ended is not None and step.ended.reason is EndReason.TOTAL
    assert "All 120 activities" in step.ended.message


def test_a_pager_at_its_end_is_no_end_to_report():
    walk = PageWalk(max_activities=100)
    walk.start()
    assert arrive(walk, fresh=0, shown=0, loaded=100, total=100, exhausted=True) == PageStep()
    assert walk.ended is None


def test_starting_again_forgets_the_last_walk():
    walk = PageWalk()
    walk.start()
    for _ in range(SLACK_PAGES + 1):
        arrive(walk, fresh=0)
    assert not walk.can_continue
    walk.start()
    assert walk.can_continue and walk.pages == 0
    assert arrive(walk, fresh=0, shown=0).follow_up  # the count of pages without starts over
