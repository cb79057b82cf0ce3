"""Errors of the models package."""


class ModelError(Exception):
    """Base class."""


class EncoderError(ModelError):
    """An encoder that cannot be built or loaded; the message names the encoder and why."""
