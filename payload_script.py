open('m', 'w').close()
