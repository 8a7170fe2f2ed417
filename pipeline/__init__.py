"""Touchpoint registry: extract the Перечень точек взаимодействия and service
requirements from Russian regional orders into one validated JSON schema."""

__version__ = "0.1.0"
