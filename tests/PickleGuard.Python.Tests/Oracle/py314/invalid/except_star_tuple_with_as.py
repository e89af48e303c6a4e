try:
    pass
except* ValueError, TypeError as group:
    pass
