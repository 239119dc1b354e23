import html


def table(rows):
    return "".join(f"<tr><td>{html.escape(str(r))}</td></tr>" for r in rows)
