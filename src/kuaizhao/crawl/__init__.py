"""The crawler: a Scrapy package that discovers articles, fetches them politely and archives them.

`runner.run_crawl()` is the entry point used by `kuaizhao crawl` and `kuaizhao demo`.
"""
