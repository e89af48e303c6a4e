"""Load PickleGuard's tagged JSON (see docs/convert.md) back into Python objects.

    from load_tagged_json import load_tagged_json
    with open("data.json", encoding="utf-8") as f:
        data = load_tagged_json(f.read())

Standard library only (Python 3.7+). NumPy arrays ({"$ndarray": ...}) become numpy arrays when numpy can be
imported and otherwise stay dicts. Opaque objects ({"$object": ...}) and globals ({"$global": ...}) stay dicts:
this loader never imports or calls anything named in the data. Nesting is limited by Python's recursion limit.
"""
import base64
import collections
import datetime
import decimal
import json
import uuid

# defaultdict factories that are rebuilt; any other factory becomes None (the data never chooses code to run).
_FACTORIES = {"builtins.list": list, "builtins.dict": dict, "builtins.set": set, "builtins.int": int,
              "builtins.float": float, "builtins.str": str, "builtins.tuple": tuple, "builtins.bytes": bytes}


def load_tagged_json(text):
    """Parse tagged JSON text and return the Python value it describes."""
    return from_tagged(json.loads(text, parse_int=_parse_int))


def from_tagged(value, _ids=None):
    """Turn an already parsed tagged JSON value into Python objects."""
    ids = {} if _ids is None else _ids
    if isinstance(value, list):
        return [from_tagged(item, ids) for item in value]
    if not isinstance(value, dict) or not value:
        return value
    first = next(iter(value))
    if first.startswith("$") and not first.startswith("$$"):
        return _tagged(value, ids)
    return {_unescape(key): from_tagged(item, ids) for key, item in value.items()}


def _parse_int(digits):
    try:
        return int(digits)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows for str -> int
        return int(decimal.Decimal(digits))


def _unescape(key):
    return key[1:] if key.startswith("$$") else key


def _fill_dict(target, body, ids):
    """A dict body is an object of (escaped) string keys or a list of [key, value] pairs."""
    if isinstance(body, dict):
        for key, item in body.items():
            target[_unescape(key)] = from_tagged(item, ids)
    else:
        for key, item in body:
            target[from_tagged(key, ids)] = from_tagged(item, ids)
    return target


def _register(ids, value, out):
    if "$id" in value:
        ids[value["$id"]] = out
    return out


def _tagged(value, ids):
    tag = next(key for key in value if key != "$id")
    body = value[tag]
    if tag == "$ref":
        found = ids[body]
        if type(found) is _Pending:
            found.used = True
        return found
    if tag == "$list":
        out = _register(ids, value, [])
        out.extend(from_tagged(item, ids) for item in body)
        return out
    if tag in ("$dict", "$ordereddict", "$counter", "$defaultdict"):
        out = {"$dict": dict, "$ordereddict": collections.OrderedDict, "$counter": collections.Counter,
               "$defaultdict": collections.defaultdict}[tag]()
        if tag == "$defaultdict":
            factory = value.get("factory")
            out.default_factory = _FACTORIES.get(factory.get("$global")) if isinstance(factory, dict) else None
        return _fill_dict(_register(ids, value, out), body, ids)
    if tag == "$set":
        out = _register(ids, value, set())
        out.update(from_tagged(item, ids) for item in body)
        return out
    if tag == "$deque":
        out = _register(ids, value, collections.deque(maxlen=value.get("maxlen")))
        out.extend(from_tagged(item, ids) for item in body)
        return out
    if tag == "$bytearray":
        return _register(ids, value, bytearray(base64.b64decode(body)))
    if tag in ("$tuple", "$frozenset"):
        return _immutable(tuple if tag == "$tuple" else frozenset, value, body, ids)
    simple = {
        "$bytes": lambda: base64.b64decode(body),
        "$float": lambda: float(body),
        "$str": lambda: "".join(map(chr, body)),
        "$complex": lambda: complex(from_tagged(body[0], ids), from_tagged(body[1], ids)),
        "$decimal": lambda: decimal.Decimal(body),
        "$uuid": lambda: uuid.UUID(body),
        "$date": lambda: datetime.date.fromisoformat(body),
        "$timedelta": lambda: datetime.timedelta(days=body[0], seconds=body[1], microseconds=body[2]),
        "$timezone": lambda: _timezone(body, value.get("name")),
    }
    if tag in simple:
        return simple[tag]()
    if tag in ("$datetime", "$time"):
        return _datetime(tag, value, ids)
    if tag == "$ndarray":
        return _register(ids, value, _ndarray(body, value, ids))
    # $object, $global and unknown tags: data only, never imported or called.
    out = _register(ids, value, {})
    out.update((key, from_tagged(item, ids)) for key, item in value.items() if key != "$id")
    return out


class _Pending:
    """Stands for a shared tuple or frozenset while its own items are built: it is in a cycle through them."""
    __slots__ = ("used",)

    def __init__(self):
        self.used = False


def _immutable(kind, value, body, ids):
    """A tuple or frozenset; a shared one ("$id") may be referenced from inside its own items (through a list or dict)."""
    key = value.get("$id")
    if key is None:
        return kind(from_tagged(item, ids) for item in body)
    pending = ids[key] = _Pending()
    items = [from_tagged(item, ids) for item in body]
    out = ids[key] = kind(items)
    if pending.used:
        # Python cannot build such a cycle without a mutable container in it: those are patched in place, and an
        # immutable holder of the placeholder below them is rebuilt.
        done = {}
        for item in items:
            _patch(item, pending, out, done, ids)
    return out


def _patch(value, pending, real, done, ids):
    if value is pending:
        return real
    if id(value) in done:
        return done[id(value)]
    done[id(value)] = value
    if isinstance(value, list):
        value[:] = [_patch(item, pending, real, done, ids) for item in value]
    elif isinstance(value, dict):
        for key in list(value):
            value[key] = _patch(value[key], pending, real, done, ids)
    elif isinstance(value, collections.deque):
        items = [_patch(item, pending, real, done, ids) for item in value]
        value.clear()
        value.extend(items)
    elif isinstance(value, tuple) and value:
        rebuilt = tuple(_patch(item, pending, real, done, ids) for item in value)
        if any(new is not old for new, old in zip(rebuilt, value)):
            for key, known in list(ids.items()):
                if known is value:
                    ids[key] = rebuilt
            done[id(value)] = rebuilt
            return rebuilt
    return value


def _timezone(numbers, name):
    offset = datetime.timedelta(days=numbers[0], seconds=numbers[1], microseconds=numbers[2])
    return datetime.timezone(offset, name) if name is not None else datetime.timezone(offset)


def _datetime(tag, value, ids):
    kind = datetime.datetime if tag == "$datetime" else datetime.time
    out = kind.fromisoformat(value[tag])
    if value.get("fold"):
        out = out.replace(fold=1)
    if "tzname" in value:
        out = out.replace(tzinfo=datetime.timezone(out.utcoffset(), value["tzname"]))
    if "tzinfo" in value:
        zone = from_tagged(value["tzinfo"], ids)
        if not isinstance(zone, datetime.tzinfo):
            return {tag: value[tag], "tzinfo": zone}
        out = out.replace(tzinfo=zone)
    return out


def _ndarray(body, value, ids):
    try:
        import numpy
    except ImportError:
        return {"$ndarray": {key: from_tagged(item, ids) for key, item in body.items()}}
    order = body.get("order", "C")
    if isinstance(body["data"], str):
        flat = numpy.frombuffer(base64.b64decode(body["data"]), dtype=numpy.dtype(body["dtype"]))
    else:
        flat = numpy.array(from_tagged(body["data"], ids) + [None], dtype=object)[:-1]
    array = flat.reshape(body["shape"], order=order).copy(order=order)
    return array[()] if body.get("scalar") else array
