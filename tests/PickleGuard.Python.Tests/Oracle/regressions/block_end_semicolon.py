# A block whose last simple statement ends with ';' ends after the ';' (stdlib: test_threading.py).
def f():
    g();

if x:
    y = 1;
with open(p) as h:
    pass;
