# 3.14 syntax together with older constructs.
def render[T](items: list[T], *, sep: str = ", ") -> object:
    try:
        return t"{sep.join(map(str, items))!r}"
    except TypeError, ValueError:
        return t"{items}"


type Pair[K, V = int] = tuple[K, V]

match render([1, 2]):
    case {"strings": [first, *_]} if first:
        pass
    case _:
        pass
