"""The floor: a bare Flask app whose one endpoint returns a small JSON object."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/floor", methods=["GET", "POST"])
def floor():
    return jsonify(status="ok", risk="low")
