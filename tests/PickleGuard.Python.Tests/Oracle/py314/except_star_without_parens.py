# PEP 758 with except* and with more than two types; parentheses still allowed.
try:
    pass
except* ValueError, TypeError, KeyError:
    pass
except* (OSError, EOFError) as group:
    pass

try:
    pass
except A.B, C[0], D():
    pass
except E:
    pass
