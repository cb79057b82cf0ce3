"""Errors of the corpus package. Each message names the file (or field) and what was expected."""

import errno


class CorpusError(Exception):
    """Base class: anything the corpus package refuses."""


class InputError(CorpusError):
    """A file that cannot be used as a declaration source (exit status 2 in the CLI)."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class StoreError(CorpusError):
    """The SQLite store is missing, unreadable or of another format version."""


class DataError(CorpusError, ValueError):
    """A declaration given as data (JSON, a stored row) with a missing or malformed field.

    `field` is the field's path (`indicators[0].name`); the message is "field：what was expected"."""

    def __init__(self, field: str, expected: str):
        self.field = field
        self.expected = expected
        super().__init__(f"{field}：{expected}")


_OS_PROBLEMS = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
                errno.EISDIR: "是文件夹", errno.EIO: "读写错误", errno.ENAMETOOLONG: "文件名过长",
                errno.ELOOP: "符号链接循环"}


def os_problem(exc: OSError) -> str:
    """An OSError as a user reads it (the OS's own words are English)."""
    return _OS_PROBLEMS.get(exc.errno, f"系统错误 {exc.errno}" if exc.errno else "读取错误")
