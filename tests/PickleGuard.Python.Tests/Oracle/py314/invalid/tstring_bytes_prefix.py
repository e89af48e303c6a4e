# There are no byte template strings.
x = bt"{1}"
