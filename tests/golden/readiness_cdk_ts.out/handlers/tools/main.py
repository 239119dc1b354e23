from lib2to3 import refactor
from tkinter import tix


def handler(event, context):
    return refactor, tix
