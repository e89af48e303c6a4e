import base64
import json
import pickle

import torch
import yaml
from flask import Blueprint, jsonify, request

from .serialization import load_trusted_blob, restore_cart

bp = Blueprint("shop", __name__)


@bp.route("/profile")
def profile():
    # VULNERABLE: the session cookie is attacker-controlled; unpickling it runs their code.
    session = pickle.loads(base64.b64decode(request.cookies["session"]))
    return jsonify(user=session["user"])


@bp.route("/import", methods=["POST"])
def import_settings():
    # VULNERABLE: yaml.load with the full loader constructs arbitrary Python objects.
    settings = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify(settings)


@bp.route("/import-safe", methods=["POST"])
def import_settings_safely():
    # Safe: safe_load only builds plain data (dicts, lists, strings, numbers).
    settings = yaml.safe_load(request.data)
    return jsonify(settings)


@bp.route("/cart", methods=["POST"])
def cart():
    # VULNERABLE (across modules): restore_cart unpickles its parameter.
    items = restore_cart(request.form["cart"])
    return jsonify(items=items)


@bp.route("/cart.json", methods=["POST"])
def cart_json():
    # Safe: JSON cannot encode code.
    items = json.loads(request.data)
    return jsonify(items=items)


@bp.route("/model", methods=["POST"])
def upload_model():
    # VULNERABLE: torch.load unpickles the upload (weights_only=False allows arbitrary globals).
    upload = request.files["model"]
    model = torch.load(upload, weights_only=False)
    return jsonify(layers=len(model))


@bp.route("/restore", methods=["POST"])
def restore():
    # Mitigated: a restricted unpickler that only allows a few harmless classes.
    state = load_trusted_blob(request.get_data())
    return jsonify(state=state)
