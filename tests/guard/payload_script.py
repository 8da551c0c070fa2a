open("m", "w").close()
