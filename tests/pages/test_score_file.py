"""The "score a file" page: an uploaded CSV scored by the population core, capped, keyed, never stored."""

from __future__ import annotations

import io
import logging

import pyarrow.csv as pcsv
import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from schemas import ASSESSMENT_EXAMPLES
from service.http.forms import MAX_UPLOAD_BYTES
from service.pages.upload import MAX_UPLOAD_ROWS
from tests.helpers import TEST_KEY

HEADER = "patient_id,age,smoking,osteoporosis,diabetes,levels_fused,obesity\n"
P1, P4 = ASSESSMENT_EXAMPLES["high"]["value"], ASSESSMENT_EXAMPLES["low"]["value"]
KEYED = {"Authorization": f"Bearer {TEST_KEY}"}
ROWS = "p1,70,current,true,true,6,true\np2,17,never,,,2,\np3,broken\np4,50,never,false,false,1,false\n"


def upload(client, text: str | bytes, key: str | None = TEST_KEY, wanted: str = "page"):
    data = text.encode() if isinstance(text, str) else text
    fields = {
        "file": FileStorage(io.BytesIO(data), "patients.csv", content_type="text/csv"),
        "format": wanted,
    }
    if key is not None:
        fields["api_key"] = key
    boundary, body = encode_multipart(fields)
    return client.post("/score-file", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_the_page_opens_without_a_key_and_asks_for_one(client):
    response = client.get("/score-file")
    assert response.status_code == 200 and 'type="file"' in response.get_data(as_text=True)
    assert 'name="api_key"' in response.get_data(as_text=True)


def test_a_file_is_scored_as_the_population_core_scores_it(client):
    response = upload(client, HEADER + ROWS, wanted="csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="scores.csv"'
    rows = pcsv.read_csv(io.BytesIO(response.data)).to_pylist()
    assert [(r["line"], r["status"], r["reason"] or None) for r in rows] == [
        (2, "ok", None), (3, "rejected", "invalid"), (4, "rejected", "unreadable"), (5, "ok", None)
    ]  # fmt: skip
    for row, patient in ((rows[0], P1), (rows[3], P4)):
        answer = client.post("/v1/assessments", json=patient, headers=KEYED).get_json()["outcomes"]
        for outcome, block in answer.items():
            assert (row[f"{outcome}_tier"], row[f"{outcome}_points"]) == (block["risk"], block["points"])


def test_the_csv_is_the_formats_csv_and_no_id_from_the_file_runs_as_a_formula(client):
    """The download is written by the service's one CSV renderer: its dialect (CRLF, quoted where
    needed) and its cells, text from the file never left to run as a spreadsheet formula."""
    body = upload(client, HEADER + "=HYPERLINK(1),70,current,true,true,6,true\n", wanted="csv").data
    lines = body.split(b"\r\n")
    assert lines[0].startswith(b"line,patient_id,status,") and lines[-1] == b""
    assert lines[1].startswith(b"2,'=HYPERLINK(1),ok,")


def test_the_page_shows_the_tier_distribution_and_the_csv_to_download(client):
    page = upload(client, HEADER + ROWS).get_data(as_text=True)
    assert "4 rows: 2 scored, 2 rejected" in page
    assert 'role="img"' in page and "Patients per non-union tier: low 1, moderate 0, high 1" in page
    assert 'download="scores.csv"' in page and "data:text/csv;base64," in page
    assert "The line has 2 fields" in page


def test_scoring_needs_the_key_and_a_refused_key_keeps_no_file(client):
    response = upload(client, HEADER + ROWS, key="wrong-key-0123456789")
    assert response.status_code == 401 and "Enter a valid API key" in response.get_data(as_text=True)
    assert upload(client, HEADER + ROWS, key=None).status_code == 401


@pytest.mark.parametrize(
    ("text", "words"),
    [(HEADER.replace(",smoking", ""), "the required column smoking is missing"),
     ("", "the file is empty"),
     (HEADER + "p,70,never,false,false,2,false\n" * (MAX_UPLOAD_ROWS + 1), f"more than {MAX_UPLOAD_ROWS:,}")],
    ids=["missing column", "empty", "too many rows"],
)  # fmt: skip
def test_a_file_that_cannot_be_scored_is_a_422_naming_why(client, text, words):
    response = upload(client, text)
    assert response.status_code == 422 and words in response.get_data(as_text=True)


def test_a_file_over_the_size_cap_is_refused_unread(client):
    response = upload(client, HEADER + "x" * MAX_UPLOAD_BYTES)
    assert response.status_code == 413


def test_nothing_of_the_file_is_logged(client, caplog):
    with caplog.at_level(logging.DEBUG):
        upload(client, HEADER + "zq-marker-77,70,current,true,true,6,true\n")
    assert "zq-marker-77" not in caplog.text


def test_a_chunked_upload_past_the_limit_is_refused_whole():
    """The upload is read by the one body reader: a chunked body past MAX_UPLOAD_BYTES is a 413, never
    a file cut at the limit and scored."""
    from werkzeug.test import encode_multipart

    from service.http.forms import MAX_UPLOAD_BYTES
    from tests.helpers import unchecked_client

    many = HEADER + "p1,70,current,true,true,6,true\n" * (MAX_UPLOAD_BYTES // 30)
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(many.encode()), "patients.csv", "text/csv"), "api_key": TEST_KEY}
    )
    response = unchecked_client().post(
        "/score-file",
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413


def test_an_upload_cut_before_its_closing_boundary_is_a_400_not_a_refused_key(client):
    boundary = "cut-boundary"
    cut = f'--{boundary}\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n{TEST_KEY}\r\n'
    response = client.post("/score-file", data=cut, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400 and "could not be read as a form" in response.get_data(as_text=True)
