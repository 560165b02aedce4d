"""Moving captures in and out as standard WARC files: `kuaizhao warc export` and `kuaizhao warc import`."""
