x = t"{x!z}"
