"""What the tests share: the app and patients they build, fixture bundles and hook calls, a
hypothesis strategy for valid patients, and readers of problems and metrics."""

from __future__ import annotations

import gzip
import importlib
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import date
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import strategies as st
from jsonschema import Draft6Validator
from pydantic import ValidationError as ModelValidationError

from schemas.examples import ASSESSMENT_EXAMPLES
from schemas.patient import MODEL, REGIONS, SMOKING, SYMPTOMS
from service import create_app
from tests.contract import ContractClient

ADULT = MODEL.adult_age

BASE_PATIENT = dict(ASSESSMENT_EXAMPLES["low"]["value"])  # every core factor absent

TEST_KEY = "test-key-0123456789abcdef"

TEST_SETTINGS = {
    "TESTING": True,
    "API_KEYS": (TEST_KEY,),
    "CDS_FETCH_BUDGET": 3.0,
}


def make_app(**overrides):
    """Return an app with the test settings whose test clients hold every exchange to the contract."""
    app = create_app({**TEST_SETTINGS, **overrides})
    app.test_client_class = ContractClient
    return app


def make_patient(**changes):
    """Return a patient with every core factor absent, changed by `changes`."""
    return {**BASE_PATIENT, **changes}


PROBLEM = "application/problem+json"


def problem_of(response, status):
    assert response.status_code == status, response.data
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["instance"] == response.request.path
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


P, H = "pseudarthrosis", "hardware_failure"


def points_of(result: dict, outcome: str, factor: str) -> int:
    """Return the points a factor adds to an outcome (0 when it is only considered)."""
    block = result["outcomes"][outcome]
    for entry in block["contributing_factors"] + block["other_factors_considered"]:
        if entry["factor"] == factor:
            return entry["points"]
    raise AssertionError(f"{factor} missing from {outcome}")


def entry(result, outcome, factor):
    block = result["outcomes"][outcome]
    return next(
        e for e in block["contributing_factors"] + block["other_factors_considered"] if e["factor"] == factor
    )


FIXTURES = Path(__file__).parent / "fixtures" / "fhir"

FHIR_JSON = "application/fhir+json"

ON = date(2026, 11, 21)

EXPECTED = {
    "complete": {
        "age": 68,
        "smoking": "current",
        "osteoporosis": None,  # no osteoporosis Condition: unknown, even with a low T-score
        "diabetes": True,
        "levels_fused": 3,  # L3-S1
        "obesity": None,
        "bmi": 32.4,
        "t_score": -2.7,  # the lowest of the latest scan day
        "hba1c": 8.4,
        "vitamin_d_deficiency": True,
        "steroid_use": True,  # predniSONE 5 MG Oral Tablet, matched by name
        "region": "lumbar",
        "fusion_to_sacrum_or_pelvis": True,
    },
    "messy": {
        "age": None,  # no birthDate
        "smoking": "former",  # the latest usable; the newer one was entered in error
        "osteoporosis": None,  # the osteoporosis Condition is refuted
        "diabetes": True,  # ICD-10-CM E11.9
        "levels_fused": 1,  # C5-C6
        "obesity": None,
        "bmi": 27.5,  # newer ones: wrong unit, entered in error, another patient's
        "hba1c": 8.5,  # 69 mmol/mol
        "region": "cervical",
        "fusion_to_sacrum_or_pelvis": False,
        "days_since_surgery": 11,  # the C5-C6 fusion performed on 2026-11-10
    },
    "sparse": {
        "age": 77,  # born "1949": the earliest day, the older age
        "smoking": None,
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": None,
        "obesity": None,
    },
    "healthy": {
        "age": 40,
        "smoking": "never",
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": 1,
        "obesity": None,
        "height_cm": 177.8,  # 70 in
        "weight_kg": 74.8,  # 165 lb
        "t_score": -0.4,
        "region": "lumbar",
        "fusion_to_sacrum_or_pelvis": True,
    },
    # An EHR export (US Core shapes, absolute references, a searchset with includes and resources
    # the model does not read).
    "ehr-export": {
        "age": 69,
        "smoking": "former",
        "months_since_quit": 4,  # quit 2026-07-01, a component of the smoking status
        "osteoporosis": None,
        "diabetes": True,  # E11.9 with SNOMED 44054006
        "levels_fused": 4,  # the planned revision, L2-S1
        "obesity": None,
        "height_cm": 177.8,  # 70 in
        "weight_kg": 107.0,  # 236 lb
        "hba1c": 7.1,  # the latest of two
        "t_score": -2.1,
        "fragility_fracture": True,  # healed (resolved) in 2025: still a recent fragility fracture
        "prior_spine_surgery": True,  # the L4-L5 fusion of 2019, before the planned one
        "region": "lumbar",
        "fusion_to_sacrum_or_pelvis": True,
        # no steroid_use: a knee injection and a 6-day dose pack never count
    },
    # The first page of a search: what it holds is read; the rest is unknown, and reported.
    "ehr-page-1": {
        "age": 69,
        "smoking": "former",
        "months_since_quit": 4,
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": None,
        "obesity": None,
        "height_cm": 177.8,
        "weight_kg": 107.0,
        "hba1c": 7.1,
        "t_score": -2.1,
    },
    # Nothing but a Patient, without an id: referenced by its fullUrl.
    "patient-only": {
        "age": 55,
        "smoking": None,
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": None,
        "obesity": None,
    },
}


SNOMED, LOINC, ICD10CM, CPT, RXNORM, UCUM = (
    "http://snomed.info/sct",
    "http://loinc.org",
    "http://hl7.org/fhir/sid/icd-10-cm",
    "http://www.ama-assn.org/go/cpt",
    "http://www.nlm.nih.gov/research/umls/rxnorm",
    "http://unitsofmeasure.org",
)


def coded(system: str, code: str, **more) -> dict:
    """A CodeableConcept of one coding (`more`: text, display)."""
    text = more.pop("text", None)
    concept: dict = {"coding": [{"system": system, "code": code, **more}]}
    return {**concept, "text": text} if text else concept


def resource(kind: str, code: dict | None = None, **fields) -> dict:
    """A resource about the sparse fixture's patient (pat-sparse)."""
    found = {"resourceType": kind, "subject": {"reference": "Patient/pat-sparse"}, **fields}
    return {**found, "code": code} if code else found


def read_fhir(*resources: dict, on: date | None = None, terms=None):
    """Extract the sparse fixture's Patient (born 1949) with these resources; return the Extraction."""
    from service.fhir import extract, load_terminology

    body = bundle("sparse")
    body["entry"] += [{"resource": r} for r in resources]
    return extract(body, terms or load_terminology(), on or ON)


def ignored(extraction) -> list[str]:
    """The reasons the reading gave for what it left out."""
    return [issue["diagnostics"] for issue in extraction.issues]


R4_SCHEMA = Path(__file__).parent / "fixtures" / "fhir-r4-schema" / "fhir.schema.json.gz"


@cache
def _r4_definitions() -> dict:
    return json.loads(gzip.decompress(R4_SCHEMA.read_bytes()))["definitions"]


def fhir_r4_problems(resource: dict) -> list[str]:
    """What two validators find wrong with a resource (and with each resource of a Bundle): the
    official HL7 R4 JSON schema, and the fhir.resources models. An empty list: valid R4."""
    kind = resource.get("resourceType", "")
    schema = {"$ref": f"#/definitions/{kind}", "definitions": _r4_definitions()}
    found = [
        f"schema {list(e.absolute_path)}: {e.message}" for e in Draft6Validator(schema).iter_errors(resource)
    ]
    model = getattr(importlib.import_module(f"fhir.resources.R4B.{kind.lower()}"), kind)
    try:
        model.model_validate(resource)
    except ModelValidationError as error:
        found.append(f"fhir.resources: {error}")
    for entry in resource.get("entry", ()) if kind == "Bundle" else ():
        found += fhir_r4_problems(entry["resource"])
    return found


def bundle(name):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _first(body, kind):
    return next(e["resource"] for e in body["entry"] if e["resource"]["resourceType"] == kind)


def mutate(path, value):
    """Set a (possibly new) element on the first resource of a type in the complete fixture."""

    def change(body):
        kind, *keys = path.split(".")
        target = _first(body, kind)
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
        return body

    return change


# Values the published schema allows where the reader expected something else (each was a 500).
ODD_BUT_VALID = {
    "overflowing date": mutate("Observation.effectiveDateTime", "0001-01-01T00:00:00+01:00"),
    "far future date": mutate("Observation.effectiveDateTime", "9999-12-31T23:59:59-14:00"),
    "unit as a list": mutate("Observation.valueQuantity.unit", []),
    "reference as a list": mutate("Observation.subject.reference", []),
    "subject as a number": mutate("Condition.subject", 7),
    "medication reference as a number": mutate("MedicationStatement.medicationReference", 7),
    "dosage as a number": mutate("MedicationStatement.dosage", 7),
    "route as a string": mutate("MedicationStatement.dosage", [{"route": "oral"}]),
    "code as a number": mutate("Condition.code", {"coding": [{"system": 5, "code": 44054006}]}),
    "status as a number": mutate("ServiceRequest.status", 1),
    "body site as a string": mutate("ServiceRequest.bodySite", "L4-S1"),
    "period as a list": mutate("ServiceRequest.performedPeriod", []),
}


PATIENT_VIEW = "/cds-services/spinal-fusion-risk"

ORDER_SELECT = "/cds-services/spinal-fusion-risk-order"


def resources(name):
    return [e["resource"] for e in bundle(name)["entry"]]


def prefetch_of(name):
    """Answer the patient-view templates from a fixture, as an EHR would."""
    found = resources(name)

    def search(*types):
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [{"resource": r} for r in found if r["resourceType"] in types],
        }

    return {
        "patient": found[0],
        "observations": search("Observation"),
        "conditions": search("Condition"),
        "medicationStatements": search("MedicationStatement", "Medication"),
        "medicationRequests": search("MedicationRequest", "Medication"),
        "serviceRequests": search("ServiceRequest"),
        "procedures": search("Procedure"),
    }


def call(name, **extra):
    return {
        "hook": "patient-view",
        "hookInstance": f"instance-{name}",
        "context": {"userId": "Practitioner/dr-1", "patientId": resources(name)[0]["id"]},
        **extra,
    }


CORE_FLAGS = ("osteoporosis", "diabetes", "obesity")

OPTIONAL_FLAGS = (
    "fragility_fracture",
    "steroid_use",
    "vitamin_d_deficiency",
    "prior_spine_surgery",
    "fusion_to_sacrum_or_pelvis",
    "three_column_osteotomy",
    "other_nicotine",
)


def maybe(strategy):
    return st.none() | strategy


def numbers(low, high):
    return st.floats(low, high, allow_nan=False).map(lambda x: round(x, 1))


@st.composite
def patients(draw, unknowns=True):
    """A valid patient: any core value (or null), any refinements the 422 rules allow."""
    core = maybe if unknowns else (lambda s: s)
    patient = {
        "age": draw(core(st.integers(ADULT, 120))),
        "smoking": draw(core(st.sampled_from(SMOKING))),
        "levels_fused": draw(core(st.integers(1, 24))),
        **{flag: draw(core(st.booleans())) for flag in CORE_FLAGS},
    }
    for flag in OPTIONAL_FLAGS:
        if draw(st.booleans()):
            patient[flag] = draw(st.booleans())
    optional = {
        "t_score": numbers(-5, 3),
        "hounsfield_units": numbers(30, 300),
        "hba1c": numbers(4, 14),
        "region": st.sampled_from(REGIONS),
        "symptoms": st.lists(st.sampled_from(SYMPTOMS), max_size=4),
        "days_since_surgery": st.integers(0, 3650),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            patient[name] = draw(strategy)
    if patient["smoking"] == "former" and draw(st.booleans()):
        patient["months_since_quit"] = draw(st.integers(0, 60))
    weight = draw(st.sampled_from(["none", "bmi", "height_weight"]))
    if weight == "bmi":
        patient["bmi"] = draw(numbers(15, 60))
    elif weight == "height_weight":
        patient["height_cm"], patient["weight_kg"] = draw(numbers(140, 200)), draw(numbers(40, 180))
    if patient.get("region") == "cervical":
        patient.pop("fusion_to_sacrum_or_pelvis", None)
    return patient


def metric(text: str, name: str, **labels: str) -> float:
    """Return a sample's value from the Prometheus text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match[1].split(","))) == wanted:
            return float(match[2])
    return 0.0


AUTH = {"Authorization": f"Bearer {TEST_KEY}"}


Misbehaviour = Callable[[BaseHTTPRequestHandler], bool]  # True when it answered the request itself


class FhirServer:
    """Answer `Type/id` reads and `Type?...` searches from a list of resources; record requests.

    `page_size` splits searches into pages linked by Bundle.link next; `misbehave` may answer a
    request its own way (every loop in it must be bounded)."""

    def __init__(
        self,
        resources: list[dict],
        delay: float = 0.0,
        page_size: int | None = None,
        misbehave: Misbehaviour | None = None,
    ) -> None:
        self.resources = resources
        self.delay = delay
        self.page_size = page_size
        self.misbehave = misbehave
        self.requests: list[tuple[str, str | None]] = []  # (path, Authorization header)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Authorization")))
                time.sleep(server.delay)
                try:
                    if server.misbehave and server.misbehave(self):
                        return
                    status, body = server.answer(self.path)
                    payload = json.dumps(body).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/fhir+json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timeout test intends

            def log_message(self, *args):  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/fhir"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, path: str) -> tuple[int, dict]:
        parts = urlsplit(path)
        resource_path = parts.path.removeprefix("/fhir/")
        if parts.query:
            matches = [r for r in self.resources if r["resourceType"] == resource_path]
            return 200, self._page(resource_path, parts.query, matches)
        kind, _, ident = resource_path.partition("/")
        found = next((r for r in self.resources if r["resourceType"] == kind and r.get("id") == ident), None)
        return (200, found) if found else (404, {"resourceType": "OperationOutcome", "issue": []})

    def _page(self, kind: str, query: str, matches: list[dict]) -> dict:
        bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in matches]}
        if self.page_size is None:
            return bundle
        fields = dict(item.partition("=")[::2] for item in query.split("&"))
        offset = int(fields.get("_offset", 0))
        bundle["entry"] = bundle["entry"][offset : offset + self.page_size]
        if offset + self.page_size < len(matches):
            following = f"{self.base}/{kind}?{query.split('&_offset')[0]}&_offset={offset + self.page_size}"
            bundle["link"] = [{"relation": "next", "url": following}]
        return bundle

    def __enter__(self) -> FhirServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class Issuer:
    """An EHR signing CDS Hooks calls: real keys (RS384 and ES384), its JWKS served on 127.0.0.1."""

    def __init__(self, name: str = "https://ehr.example.org") -> None:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        self.name = name
        self.keys = {
            "rsa-1": ("RS384", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "ec-1": ("ES384", ec.generate_private_key(ec.SECP384R1())),
        }
        self.server = FhirServer([], misbehave=self._answer)
        self.url = f"http://127.0.0.1:{self.server.httpd.server_port}/jwks.json"

    def jwks(self) -> dict:
        import jwt

        keys = []
        for kid, (alg, private) in self.keys.items():
            algorithm = jwt.get_algorithm_by_name(alg)
            keys.append(
                {**json.loads(algorithm.to_jwk(private.public_key())), "kid": kid, "alg": alg, "use": "sig"}
            )
        return {"keys": keys}

    def _answer(self, handler: BaseHTTPRequestHandler) -> bool:
        payload = json.dumps(self.jwks()).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
        return True

    def token(self, audience: str, kid: str = "rsa-1", **claims) -> str:
        """A signed JWT for `audience`, fresh unless `claims` say otherwise (None drops a claim)."""
        import uuid

        import jwt

        now = int(time.time())
        body = {
            "iss": self.name,
            "aud": audience,
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
            **claims,
        }
        alg, private = self.keys[kid]
        return jwt.encode(
            {k: v for k, v in body.items() if v is not None}, private, algorithm=alg, headers={"kid": kid}
        )

    def __enter__(self) -> Issuer:
        self.server.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)


def wait_for(condition, seconds: float = 15) -> bool:
    """Poll `condition` until it holds or `seconds` pass (bounded: never waits forever)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False
