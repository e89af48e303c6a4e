# -*- coding: koi8-r -*-
# A code-page source encoding (stdlib: test/encoded_modules/module_koi8_r.py).
x = "Привет"
