match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0):
        pass
    case Point(0, y=1) | Point(x=1) as p if p.z:
        pass
    case {"key": value, **rest}:
        pass
    case {1: _, None: a, Color.RED: b}:
        pass
    case [1, 2, *others] | (3, *_) | ():
        pass
    case -1 | 1.5 | 2 + 3j | -4 - 5j | "s" "t" | b"" | None | True | False:
        pass
    case Color.RED | mod.Color.GREEN:
        pass
    case (a, b) | [a, b]:
        pass
    case str() | bytes():
        pass
    case (x):
        pass
    case x:
        pass
    case _:
        pass
match a, *b:
    case (1, 2, 3):
        pass
match (a):
    case 1 as one:
        pass
