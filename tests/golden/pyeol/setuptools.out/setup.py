#!/usr/bin/env python
"""Kept for editable installs on old pips."""
from setuptools import find_packages, setup

setup(
    name="legacy-sdk-ext",
    packages=find_packages("src"),
    python_requires='>=3.11, !=3.9.0',
    classifiers=[
        "Programming Language :: Python :: 3.11",
    ],
)
