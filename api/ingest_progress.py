"""What `zhibiao ingest` shows while it works: a tqdm bar on a terminal (files, declarations,
rate, ETA), otherwise a progress line every PROGRESS_EVERY_S and a summary line at the end."""

from __future__ import annotations

import sys
import time

from corpus.store import FileResult

PROGRESS_EVERY_S = 10.0


class IngestProgress:
    """`on_file` callback of `corpus.store.ingest`; `close()` prints the summary."""

    def __init__(self, total: int, jobs: int, *, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.jobs = total, jobs
        self.files = self.declarations = self.parsed = 0
        self.started = self.last_line = time.monotonic()
        self.bar = None
        if self.stream.isatty() and total > 0:
            from tqdm import tqdm
            self.bar = tqdm(total=total, file=self.stream, unit="个文件", dynamic_ncols=True, leave=True,
                            desc="导入", bar_format="{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} 个文件 "
                                                    "[已用 {elapsed}，剩余 {remaining}，{rate_fmt}]{postfix}")

    def __call__(self, n: int, total: int, result: FileResult) -> None:
        self.files = n
        self.declarations += result.declarations if result.status in ("new", "replaced") else 0
        self.parsed += result.status in ("new", "replaced")
        if result.status == "failed":
            self._say(f"zhibiao: 错误：{result.path}: {result.reason}")
        elif result.note:
            self._say(f"zhibiao: 提示：{result.note}")
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(f"{self.declarations} 份申报表，{self._rate():.0f} 份/秒", refresh=False)
        elif time.monotonic() - self.last_line >= PROGRESS_EVERY_S and n < total:
            self.last_line = time.monotonic()
            elapsed = self.last_line - self.started
            left = elapsed / n * (total - n)
            self._say(f"zhibiao: 进度 {n}/{total} 个文件，{self.declarations} 份申报表"
                      f"（{self._rate():.0f} 份/秒），预计还需 {left:.0f} 秒")

    def _rate(self) -> float:
        return self.declarations / max(time.monotonic() - self.started, 1e-6)

    def _say(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elapsed = time.monotonic() - self.started
        if self.files:
            self._say(f"zhibiao: 用时 {elapsed:.1f} 秒：{self.files} 个文件（解析 {self.parsed} 个，"
                      f"{self.files / max(elapsed, 1e-6):.0f} 个/秒），入库 {self.declarations} 份申报表"
                      f"（{self._rate():.0f} 份/秒），{self.jobs} 个进程并行解析")
