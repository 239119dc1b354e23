"""Nox sessions for acme-orders."""
import nox

PYTHONS = ["3.11", "3.12"]  # keep in step with the CI matrix
nox.options.sessions = ["tests", "lint"]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python="3.13")
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", ".")


@nox.session(python=("3.13",))
def legacy(session: nox.Session) -> None:
    session.run("python", "-c", "print('3.8')")
