"""sagemaker-lineage-ext: lineage of Amazon SageMaker Pipelines for notebooks, JupyterLab and REST."""

__version__ = "0.1.0"
