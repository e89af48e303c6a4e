x = f"{1+2 = # a comment
  }"
y = f"""{
    a  # first
    +  # second
    b = }"""
