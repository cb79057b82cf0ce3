"""Errors of the recommender package."""


class RecommenderError(Exception):
    """Base class."""


class IndexMismatchError(RecommenderError):
    """A saved index that does not fit the live encoder or this zhibiao version."""


class IndexOutdatedError(IndexMismatchError):
    """A saved index made by an older zhibiao or an older encoder table: rebuilt, not refused."""


class IndexMissingError(RecommenderError):
    """No index where one was expected."""


class RequestError(RecommenderError):
    """A request that cannot be served as given (empty description, bad top_k …)."""
