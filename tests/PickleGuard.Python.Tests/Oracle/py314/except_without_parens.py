# PEP 758: except and except* without parentheses (Python 3.14).
try:
    pass
except ValueError, TypeError:
    pass
except KeyError, IndexError, LookupError:
    pass
except (OSError, EOFError) as error:
    pass

try:
    pass
except* ValueError, TypeError:
    pass
except* KeyError:
    pass
