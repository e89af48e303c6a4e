# A node whose first or last operand is parenthesized spans the parentheses (stdlib: _strptime.py,
# _pyio.py, ctypes tests, _collections_abc.py).
first_weekday = (first_weekday + 1) % 7
flag = not (reading or writing)
x = (c_int * 16).from_buffer(a)
generator = type((lambda: (yield))())
ok = (sys.platform == 'win32') and (ext != '.exe')
y = (a if b else c)[0]
z = a + (b)
w = (a)(b)
