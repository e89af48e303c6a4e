if x:
    y = 1
else:
    y = "été"
