# A starred call argument takes a full expression (stdlib: test/test_grammar.py).
d01(*[] or [2])
f(*a if b else c, **d or e)
