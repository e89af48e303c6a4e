#!/usr/bin/env python3
"""Oracle for `pickleguard convert`: does the JSON load back into the values that were pickled?

For every row of tests/fixtures/convert/manifest.tsv this rebuilds the case's value from code (the CASES of
tools/fixtures/gen_convert.py; nothing is unpickled), loads <json-dir>/<file>.json with docs/load_tagged_json.py and
compares the two strictly: exact types, float bits (NaN, -0.0), dict order, and identity — values shared in the
original must be shared in the result, cycles included. When the jsonschema package is installed, every JSON document
is also validated against docs/schemas/pickle-json.schema.json. Prints one line per mismatch; exits 1 when there is one.

    python3 tests/oracle/convert_roundtrip.py --json DIR [--fixtures DIR]
"""
import argparse
import collections
import datetime
import decimal
import importlib.util
import math
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MUTABLE = (list, dict, set, bytearray, collections.deque)


class Mismatch(Exception):
    pass


def same(a, b, path, protocol, pairs):
    if type(a) is not type(b):
        raise Mismatch(f"{path}: type {type(a).__name__} != {type(b).__name__} ({a!r:.80} vs {b!r:.80})")
    if isinstance(a, MUTABLE) or (isinstance(a, (tuple, frozenset)) and a):
        # Identity: the n-th distinct mutable object (or non-empty tuple/frozenset: shared ones keep their identity
        # too) of the original must map to one distinct object of the result.
        if id(a) in pairs:
            if pairs[id(a)] is not b:
                raise Mismatch(f"{path}: shared value is not shared in the result")
            return
        pairs[id(a)] = b
    if isinstance(a, float):
        if not (math.isnan(a) and math.isnan(b)) and (a != b or math.copysign(1, a) != math.copysign(1, b)):
            raise Mismatch(f"{path}: {a!r} != {b!r}")
    elif isinstance(a, complex):
        same(a.real, b.real, path + ".real", protocol, pairs)
        same(a.imag, b.imag, path + ".imag", protocol, pairs)
    elif isinstance(a, decimal.Decimal):
        if str(a) != str(b):
            raise Mismatch(f"{path}: {a} != {b}")
    elif isinstance(a, (datetime.datetime, datetime.time)):
        # Protocols before 4 do not carry fold (datetime._getstate), so the pickled value never had it.
        fold_kept = protocol >= 4
        if a.replace(fold=0) != b.replace(fold=0) or (fold_kept and a.fold != b.fold) or repr(a.tzinfo) != repr(b.tzinfo):
            raise Mismatch(f"{path}: {a!r} != {b!r}")
    elif isinstance(a, (dict, collections.OrderedDict)):
        if list(a.keys()) != list(b.keys()):
            raise Mismatch(f"{path}: keys {list(a.keys())!r:.200} != {list(b.keys())!r:.200}")
        if isinstance(a, collections.defaultdict) and a.default_factory is not b.default_factory:
            raise Mismatch(f"{path}: default_factory {a.default_factory} != {b.default_factory}")
        for key in a:
            same(a[key], b[key], f"{path}[{key!r:.40}]", protocol, pairs)
    elif isinstance(a, (list, tuple, collections.deque)):
        if len(a) != len(b) or (isinstance(a, collections.deque) and a.maxlen != b.maxlen):
            raise Mismatch(f"{path}: length/maxlen differ ({len(a)} vs {len(b)})")
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]", protocol, pairs)
    elif a != b:
        raise Mismatch(f"{path}: {a!r:.120} != {b!r:.120}")


# Values the loader keeps as data (opaque objects; arrays when numpy is absent): what it must return instead.
def expected_override(case, module):
    if case == "allowed_object":
        point = lambda x, y: {"$object": "geometry.Point", "args": [], "state": {"x": x, "y": y}}
        return {"point": point(1, 2.5), "points": [point(3, 4)]}
    return None


def numpy_expected(case):
    import base64
    import struct
    arrays = {
        "numpy_f8_2x2_p2": ("<f8", [2, 2], struct.pack("<4d", 1.0, -2.5, float("inf"), 0.0), {}),
        "numpy2_i4_3_p2": ("<i4", [3], struct.pack("<3i", 1, -2, 3), {}),
        "numpy_fortran_p2": ("|u1", [2, 3], bytes(range(6)), {"order": "F"}),
        "numpy_scalar_p2": ("<i8", [], struct.pack("<q", 42), {"scalar": True}),
        "numpy_in_dict_p2": ("<f4", [2], struct.pack("<2f", 0.5, 2.0), {}),
    }
    dtype, shape, raw, extra = arrays[case]
    body = {"dtype": dtype, "shape": shape, **extra, "data": base64.b64encode(raw).decode()}
    value = {"$ndarray": body}
    return {"weights": value} if case == "numpy_in_dict_p2" else value


def as_tagged_arrays(value):
    """With NumPy installed the loader returns arrays: put them back in the $ndarray form the expectations use."""
    import base64
    import numpy
    if isinstance(value, numpy.ndarray):
        order = "F" if value.ndim > 1 and value.flags.f_contiguous and not value.flags.c_contiguous else "C"
        body = {"dtype": value.dtype.str, "shape": list(value.shape)}
        if order == "F" and not value.dtype.hasobject:
            body["order"] = "F"
        body["data"] = value.ravel().tolist() if value.dtype.hasobject else base64.b64encode(value.tobytes(order=order)).decode()
        return {"$ndarray": body}
    if isinstance(value, dict):
        return {key: as_tagged_arrays(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(as_tagged_arrays(item) for item in value)
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", required=True, help="directory with <fixture>.json files made by pickleguard convert")
    parser.add_argument("--fixtures", default=os.path.join(ROOT, "tests", "fixtures", "convert"))
    args = parser.parse_args()
    generator = load_module("gen_convert", os.path.join(ROOT, "tools", "fixtures", "gen_convert.py"))
    loader = load_module("load_tagged_json", os.path.join(ROOT, "docs", "load_tagged_json.py"))
    try:
        import numpy  # noqa: F401
        have_numpy = True
    except ImportError:
        have_numpy = False
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # jsonschema formats failing branches with repr(), which a 4401-digit int exceeds
    try:
        import json
        import jsonschema
        with open(os.path.join(ROOT, "docs", "schemas", "pickle-json.schema.json"), encoding="utf-8") as f:
            validator = jsonschema.Draft202012Validator(json.load(f))
    except ImportError:
        validator = None
    failures = checked = 0
    with open(os.path.join(args.fixtures, "manifest.tsv"), encoding="utf-8") as manifest:
        rows = [line.rstrip("\n").split("\t") for line in manifest if not line.startswith("#")]
    for file, case, protocol, _profile, _allowed in rows:
        json_path = os.path.join(args.json, file + ".json")
        try:
            with open(json_path, encoding="utf-8") as f:
                text = f.read()
            if validator is not None:
                errors = sorted(validator.iter_errors(json.loads(text, parse_int=loader._parse_int)), key=lambda e: list(e.path))
                if errors:
                    raise Mismatch(f"schema: {errors[0].message[:200]} at {list(errors[0].path)}")
            loaded = loader.load_tagged_json(text)
            if case in generator.JOBLIB:
                # joblib dumps: the arrays' values come from the generator (gen_convert_joblib.py), packed as NumPy lays them out.
                expected = generator.gen_convert_joblib.expected(generator.JOBLIB[case][0]())
                if have_numpy:
                    loaded = as_tagged_arrays(loaded)
            elif case in generator.NUMPY:
                if have_numpy:
                    continue  # the arrays themselves are checked by the .NET tests against the expected JSON
                expected = numpy_expected(case)
            else:
                expected = expected_override(case, generator)
                if expected is None:
                    expected = generator.CASES[case][0]()
            same(expected, loaded, "value", int(protocol), {})
            checked += 1
        except (Mismatch, OSError, ValueError, KeyError, TypeError) as error:
            failures += 1
            print(f"MISMATCH {file}: {error}")
    schema = "schema-valid and " if validator is not None else ""
    print(f"{checked} fixtures {schema}round-trip, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
