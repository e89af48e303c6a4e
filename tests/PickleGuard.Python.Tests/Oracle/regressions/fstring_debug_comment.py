# The debug text of f"{expr = }" leaves comments out (stdlib 3.12+: test/test_fstring.py).
x = f"{1+2 = # my comment
  }"
