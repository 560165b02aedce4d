"""`python -m kuaizhao` is the `kuaizhao` command."""

from .cli import main

main()
