"""Batch JSONL files without any UI: check input before upload, read results, build retries.

Everything streams line by line; no module here loads a whole file into memory.
"""
