import crypt


def parse(event):
    return crypt.crypt(event["p"])
