"""The page-view features, bound by pytest-bdd; the steps come from the orderflow plugin."""

from pytest_bdd import scenarios

scenarios(".")
