# Identifiers are NFKC-normalized (stdlib: test_unicode_identifiers.py, test_traceback.py).
µ = 1
ｗｉｄｔｈ = 2
ﬁle = 3
