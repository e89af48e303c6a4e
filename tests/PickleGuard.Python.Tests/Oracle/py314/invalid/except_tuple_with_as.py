# PEP 758 keeps the parentheses when the exception is bound: this is a SyntaxError in 3.14.
try:
    pass
except ValueError, TypeError as error:
    pass
