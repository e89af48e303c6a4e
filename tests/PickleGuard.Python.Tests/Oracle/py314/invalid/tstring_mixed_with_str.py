# A t-string cannot be implicitly concatenated with a plain string literal (PEP 750).
x = t"{1}" "plain"
