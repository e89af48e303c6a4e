# MatchValue spans its value (stdlib: test/test_patma.py).
match x:
    case 0:
        pass
    case -1 | 1.5 | "s" | a.b:
        pass
