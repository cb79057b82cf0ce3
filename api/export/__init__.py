"""Files a person takes away: the filled form (form.py) and the reviewer's memo (memo.py).

One module for the CLI (`recommend --out`, `review --out`) and the API (`/v1/exports/…`)."""

from api.export.download import Download, content_disposition

__all__ = ["Download", "content_disposition"]
