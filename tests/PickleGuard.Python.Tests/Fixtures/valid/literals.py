a = 1_000_000 + 0x_FF + 0o17 + 0b1010 + 123456789012345678901234567890
b = 1.5e-3 + .5 + 5. + 1e400 + 3j + 1.5J + 0_0
c = 'single' "double" '''triple
line''' """x"""
d = b'bytes\x00\xff' rb'\d' Br"raw"
e = u'kind' 'joined'
f = r'\n' R"\t" '\N{BULLET}\u00e9\U0001F600\x41\101\
continued'
g = None, True, False, ...
h = '\d is kept'
