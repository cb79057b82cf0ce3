"""Adapters of the five Shanghai seed layouts (tabbed, starred, sheets, pages) and our own tabular
exports. Which adapter reads a form is decided by the reader (`corpus.read.profiles`)."""
