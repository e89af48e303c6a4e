x = "€"  # BOM
