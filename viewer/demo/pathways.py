"""Pathway logs at scale: compact per-log state, filters, and answers encoded straight to bytes.

A pathway's logs are generated on first use and kept as arrays (state, progress, timestamp
and a random word per user and activity), a few bytes per log. An answer is written as JSON
bytes directly from those arrays, and recent answers are cached by pathway and filters, so
repeated fetches of a 170 MB pathway cost one copy to the socket.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import msgspec

from viewer.demo.data import (
    ANCHOR,
    DAY,
    PathwayDef,
    Person,
    kind_labels,
    make_pathways,
    make_people,
)
from viewer.demo.fulfilment import offset_suffix, payload_maker

NOT_STARTED, IN_PROGRESS, COMPLETED = 0, 1, 2
_STATE_NAMES = {IN_PROGRESS: b"in progress", COMPLETED: b"completed"}
_NOT_STARTED_TAIL = (
    b'"status":{"complete":false,"progress":0,"state":"not started","timestamp":null},'
    b'"fulfilment":[]}'
)
_encode = msgspec.json.encode


def fold(value: str) -> str:
    """How filter values compare: case-insensitive, spaces collapsed."""
    return " ".join(value.split()).casefold()


class Filters(NamedTuple):
    """Normalised filters: each a sorted tuple of folded values; empty means no filter."""

    activities: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    users: tuple[str, ...] = ()

    @classmethod
    def of(cls, **values: Iterable[str]) -> Filters:
        return cls(
            **{k: tuple(sorted({fold(v) for v in vs if fold(v)})) for k, vs in values.items()}
        )


@dataclass(frozen=True)
class Answer:
    """The ``data`` array of an answer as JSON bytes, its MD5 and how long it took."""

    data: bytes
    hash: str
    seconds: float


class PathwayState:
    """One pathway's enrolled people and the state of every (activity, person) log."""

    def __init__(self, seed: int, pdef: PathwayDef, people: list[Person], members: list[int]):
        self.pdef = pdef
        self.lock = threading.RLock()
        self.people = [people[i] for i in members]
        self.prefixes = [_encode(p.as_json_fields())[:-1] + b"," for p in self.people]
        self.offsets = [p.offset * 60 for p in self.people]
        self.suffixes = [offset_suffix(p.offset) for p in self.people]
        self.advances = 0
        self.clock = ANCHOR
        count = len(self.people)
        rng = random.Random(f"{seed}/logs/{pdef.ID}")
        rand, bits = rng.random, rng.getrandbits
        active = [rand() >= 0.15 for _ in range(count)]
        if pdef.fixed_people:  # the seed's example people have always made a start
            active[:3] = [True] * min(3, count)
        self.state: list[bytearray] = []
        self.progress: list[bytearray] = []
        self.stamp: list[array[int]] = []
        self.aux: list[array[int]] = []
        span = 150 * DAY
        for act in pdef.activities:
            done = 0.75 - 0.1 * act.level
            started = done + 0.15
            st, pr = bytearray(count), bytearray(count)
            ts, aux = array("q", [0]) * count, array("I", [0]) * count
            for i in range(count):
                if not active[i]:
                    continue
                roll = rand()
                if roll < done:
                    st[i], pr[i] = COMPLETED, 100
                elif roll < started:
                    st[i], pr[i] = IN_PROGRESS, 5 + int(rand() * 90)
                else:
                    continue
                ts[i] = ANCHOR - int(rand() * span)
                aux[i] = bits(32)
            self.state.append(st)
            self.progress.append(pr)
            self.stamp.append(ts)
            self.aux.append(aux)
        if pdef.fixed_people:
            self._seed_examples(rng)

    def _seed_examples(self, rng: random.Random) -> None:
        """Give the people the seed's examples name the progress those examples show."""
        plan = {  # activity name -> states of Joe Soap, User One, User Two
            "Data Tracking": (COMPLETED, COMPLETED, COMPLETED),
            "Story A": (COMPLETED, COMPLETED, IN_PROGRESS),
            "Video A": (IN_PROGRESS, COMPLETED, NOT_STARTED),
            "Audio A": (NOT_STARTED, IN_PROGRESS, NOT_STARTED),
        }
        for index, act in enumerate(self.pdef.activities):
            for person, state in enumerate(plan.get(act.name, ())[: len(self.people)]):
                self.state[index][person] = state
                self.progress[index][person] = {COMPLETED: 100, IN_PROGRESS: 60}.get(state, 0)
                self.stamp[index][person] = ANCHOR - rng.randrange(DAY, 30 * DAY) if state else 0
                self.aux[index][person] = rng.getrandbits(32) if state else 0

    # -- filters --------------------------------------------------------------------------

    def select_activities(self, filters: Filters) -> list[int]:
        wanted_acts, wanted_types = set(filters.activities), set(filters.types)
        chosen = []
        for index, act in enumerate(self.pdef.activities):
            if (
                wanted_acts
                and fold(act.ID) not in wanted_acts
                and fold(act.name) not in wanted_acts
            ):
                continue
            if wanted_types and not kind_labels(act.kind) & wanted_types:
                continue
            chosen.append(index)
        return chosen

    def select_people(self, filters: Filters) -> list[int] | None:
        """Positions of the people the filters keep; None when every person is kept."""
        if not filters.groups and not filters.users:
            return None
        groups, users = set(filters.groups), set(filters.users)
        chosen = []
        for index, p in enumerate(self.people):
            if groups and not any(fold(g) in groups for g in p.groups):
                continue
            if users and not (
                fold(p.email) in users
                or fold(p.firstname) in users
                or fold(p.lastname) in users
                or fold(f"{p.firstname} {p.lastname}") in users
            ):
                continue
            chosen.append(index)
        return chosen

    # -- encoding -------------------------------------------------------------------------

    def encode(self, filters: Filters) -> bytes:
        """The answer's ``data`` array as JSON bytes."""
        pdef = self.pdef
        pathway = _encode({"name": pdef.name, "type": "pathway", "ID": pdef.ID})
        people = self.select_people(filters)
        parts = [b'[{"pathway":' + pathway + b',"activities":[']
        for number, index in enumerate(self.select_activities(filters)):
            if number:
                parts.append(b",")
            parts.append(self._encode_activity(index, people))
        parts.append(b"]}]")
        return b"".join(parts)

    def _encode_activity(self, index: int, people: list[int] | None) -> bytes:
        act = self.pdef.activities[index]
        st, pr, stamps, aux = (
            self.state[index],
            self.progress[index],
            self.stamp[index],
            self.aux[index],
        )
        positions = range(len(self.people)) if people is None else people
        if people is None:
            completed = st.count(COMPLETED)
        else:
            completed = sum(1 for i in people if st[i] == COMPLETED)
        head = _encode(
            {
                "ID": act.ID,
                "name": act.name,
                "type": act.kind.code,
                "fulfilmentType": act.fulfilment,
                "required": act.required,
                "level": act.level,
            }
        )[:-1] + b',"stats":{"total":%d,"completed":%d},"logs":[' % (len(positions), completed)
        template = (
            b'%s"status":{"complete":%s,"progress":%d,"state":"%s","timestamp":"%s%s"},'
            b'"fulfilment":{"type":"'
            + act.kind.code.encode()
            + b'","state":"%s","progress":%d,%s,"timestamp":"%s%s"}}'
        )
        payload = payload_maker(act)
        prefixes, offsets, suffixes = self.prefixes, self.offsets, self.suffixes
        gmtime, names = time.gmtime, _STATE_NAMES
        logs: list[bytes] = []
        add = logs.append
        for i in positions:
            state = st[i]
            if state == NOT_STARTED:
                add(prefixes[i] + _NOT_STARTED_TAIL)
                continue
            t = gmtime(stamps[i] + offsets[i])
            when = b"%04d-%02d-%02dT%02d:%02d:%02d" % (t[0], t[1], t[2], t[3], t[4], t[5])
            name, progress, suffix = names[state], pr[i], suffixes[i]
            add(
                template
                % (
                    prefixes[i],
                    b"true" if state == COMPLETED else b"false",
                    progress,
                    name,
                    when,
                    suffix,
                    name,
                    progress,
                    payload(state, progress, aux[i]),
                    when,
                    suffix,
                )
            )
        return head + b",".join(logs) + b"]}"

    # -- changes --------------------------------------------------------------------------

    def advance(self, seed: int, count: int) -> int:
        """Move ``count`` unfinished logs one step forward, with timestamps after all others."""
        self.advances += 1
        rng = random.Random(f"{seed}/advance/{self.pdef.ID}/{self.advances}")
        candidates = [
            (a, i)
            for a, st in enumerate(self.state)
            for i, value in enumerate(st)
            if value != COMPLETED
        ]
        chosen = rng.sample(candidates, min(count, len(candidates)))
        chosen.sort()
        for a, i in chosen:
            self.clock += rng.randrange(20, 600)
            if self.state[a][i] == NOT_STARTED:
                self.state[a][i], self.progress[a][i] = IN_PROGRESS, 10 + rng.randrange(80)
                self.aux[a][i] = rng.getrandbits(32)
            else:
                self.state[a][i], self.progress[a][i] = COMPLETED, 100
            self.stamp[a][i] = self.clock
        return len(chosen)


class PathwayBook:
    """Every pathway of one seed, generated on first use, with an LRU cache of answers."""

    def __init__(
        self,
        seed: int,
        users: int,
        activities: int,
        *,
        cache_entries: int = 4,
        cache_bytes: int = 768 << 20,
    ) -> None:
        self.seed, self.users = seed, max(1, users)
        self.pathways = make_pathways(seed, max(1, activities))
        self._lock = threading.Lock()
        self._people: list[Person] | None = None
        self._states: dict[str, PathwayState] = {}
        self._cache: OrderedDict[tuple[str, Filters], Answer] = OrderedDict()
        self._cache_entries, self._cache_bytes = cache_entries, cache_bytes

    def find(self, text: str) -> PathwayDef | None:
        wanted = fold(text)
        for pdef in self.pathways:
            if fold(pdef.ID) == wanted or fold(pdef.name) == wanted:
                return pdef
        return None

    def require(self, text: str) -> PathwayDef:
        pdef = self.find(text)
        if pdef is None:
            known = ", ".join(p.name for p in self.pathways)
            raise KeyError(f"no pathway {text!r}; the demo has: {known}")
        return pdef

    def state(self, pdef: PathwayDef) -> PathwayState:
        with self._lock:
            found = self._states.get(pdef.ID)
            if found is None:
                if self._people is None:
                    self._people = make_people(self.seed, self.users + self.users // 4 + 1)
                pool = range(3, len(self._people))
                rng = random.Random(f"{self.seed}/members/{pdef.ID}")
                if pdef.fixed_people:
                    members = [0, 1, 2, *rng.sample(pool, max(0, self.users - 3))]
                else:
                    members = sorted(rng.sample(pool, self.users))
                found = self._states[pdef.ID] = PathwayState(self.seed, pdef, self._people, members)
            return found

    def answer(self, pdef: PathwayDef, filters: Filters) -> tuple[Answer, bool]:
        """The answer for a pathway and filters, and whether it came from the cache."""
        key = (pdef.ID, filters)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached, True
        state = self.state(pdef)
        with state.lock:
            with self._lock:
                cached = self._cache.get(key)
            if cached is not None:
                return cached, True
            started = time.perf_counter()
            data = state.encode(filters)
            digest = hashlib.md5(data, usedforsecurity=False).hexdigest()
            answer = Answer(data, digest, time.perf_counter() - started)
            with self._lock:
                self._cache[key] = answer
                self._trim()
        return answer, False

    def _trim(self) -> None:
        total = sum(len(a.data) for a in self._cache.values())
        while len(self._cache) > 1 and (
            len(self._cache) > self._cache_entries or total > self._cache_bytes
        ):
            _, dropped = self._cache.popitem(last=False)
            total -= len(dropped.data)

    def generated(self) -> list[str]:
        """The IDs of the pathways made so far (the ones somebody asked for)."""
        with self._lock:
            return list(self._states)

    def advance(self, pathway: str, count: int) -> int:
        pdef = self.require(pathway)
        state = self.state(pdef)
        with state.lock:
            changed = state.advance(self.seed, max(0, count))
            with self._lock:
                for key in [k for k in self._cache if k[0] == pdef.ID]:
                    del self._cache[key]
        return changed
