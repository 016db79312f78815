"""``python -m sagemaker_lineage_ext``: the CLI, for when the console script is not on PATH."""

from .cli import main

main()
