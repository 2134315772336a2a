"""Binds every scenario of the feature files in this folder (the step library comes with the
orderflow pytest plugin: fixtures/plugin.py registers steps/)."""

from pytest_bdd import scenarios

scenarios(".")
