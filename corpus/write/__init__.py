"""Writers: a declaration as the file a budget officer submits (see form.py)."""

from corpus.write.form import FORM_FORMATS, form_grid, printable, write_form

__all__ = ["FORM_FORMATS", "form_grid", "printable", "write_form"]
