"""Hostile load on the service as deployed (the front before gunicorn): server CPU and memory per
amplification body, and health probes answered while a thousand slow clients of each kind hold
connections. Only 127.0.0.1; every loop bounded."""

from __future__ import annotations

import statistics

import requests

from tests.live.server import LiveServer
from tests.live.slow_clients import KINDS, MARGIN, hold
from tests.live.test_hostile import amplification

SLOW_CLIENTS = 1000  # of each kind, all at once
OPEN_CONTRACT_CALLS = 20


HEADER = "patient_id,age,smoking,osteoporosis,diabetes,levels_fused,obesity"


def uploads():
    """CSV files within the upload's limits built to cost CPU (each once took 14 s or more: the
    header's duplicate check and the reader of a quote left open were quadratic)."""
    yield (
        "upload: a header of 40,000 columns",
        (HEADER + "," + ",".join(f"c{i}" for i in range(40_000)) + "\n").encode(),
    )
    yield (
        "upload: a quote left open over 250,000 lines",
        (HEADER + '\n1,"' + "\n" * 250_000 + '",x,x,x,x,x\n').encode(),
    )


def amplification_cost(key: str, cpu_seconds, rss_mb) -> dict:
    """Send each amplification body once; return the server CPU seconds of each (front and
    service), the worst, the largest worker RSS after all of them (MB), and the CPU of one
    `GET /openapi.yaml` (open to anyone: ms)."""
    headers = {"Authorization": f"Bearer {key}"}
    costs = {}
    with LiveServer(workers=2, front=True, API_KEYS=key) as server:
        for name, method, path, kwargs in amplification():
            before = cpu_seconds(server)
            extra = {**headers, **kwargs.get("headers", {})}
            body = {k: v for k, v in kwargs.items() if k != "headers"}
            status = requests.request(
                method, server.url + path, headers=extra, timeout=30, **body
            ).status_code
            if status >= 500:
                raise RuntimeError(f"{name}: {status}")
            costs[name] = cpu_seconds(server) - before
        for name, upload in uploads():  # the score-file page: the key in its form, as the page sends it
            before = cpu_seconds(server)
            status = requests.post(
                server.url + "/score-file",
                files={"file": ("upload.csv", upload)},
                data={"api_key": key},
                timeout=60,
            ).status_code
            if status >= 500:
                raise RuntimeError(f"{name}: {status}")
            costs[name] = cpu_seconds(server) - before
        requests.get(server.url + "/openapi.yaml", timeout=10)  # the first call generates it
        before = cpu_seconds(server)
        for _ in range(OPEN_CONTRACT_CALLS):
            requests.get(server.url + "/openapi.yaml", timeout=10).raise_for_status()
        contract_ms = (cpu_seconds(server) - before) / OPEN_CONTRACT_CALLS * 1000
        rss = max(rss_mb(pid) for pid in server.worker_pids())
    return {
        "cpu_s": costs,
        "worst_cpu_s_per_request": max(costs.values()),
        "bundle_without_patient_cpu_s": costs["1.9 MB bundle, 2,000 entries of 300 codings, no Patient"],
        "prefetch_cpu_s": costs["prefetch of 2,000 entries of 300 codings, the last malformed"],
        "openapi_yaml_cpu_ms": contract_ms,
        "rss_mb_after": rss,
    }


def probes_under_slow_clients(key: str) -> dict:
    """Hold SLOW_CLIENTS clients of each kind at once against the deployed service, probing /healthz
    meanwhile; return the share of probes answered within 1 s and, per kind, how long the front
    held its clients (seconds) and the share cut within their deadline."""
    longest = max(kind.deadline for kind in KINDS.values())
    with LiveServer(workers=2, front=True, API_KEYS=key) as server:
        outcome = hold(server.port, dict.fromkeys(KINDS, SLOW_CLIENTS), seconds=longest + MARGIN + 1)
    kinds = {}
    for name, held in outcome.held.items():
        kinds[name] = {
            "clients": len(held),
            "deadline_s": KINDS[name].deadline,
            "held_min_s": min(held),
            "held_median_s": statistics.median(held),
            "held_max_s": max(held),
            "cut_within_deadline": 1 - len(outcome.late(name)) / len(held),
        }
    return {
        "slow_clients": SLOW_CLIENTS * len(KINDS),
        "probes": outcome.probes,
        "answered_within_1s": outcome.share_answered(),
        "cut_within_deadline": min(kind["cut_within_deadline"] for kind in kinds.values()),
        "kinds": kinds,
    }
