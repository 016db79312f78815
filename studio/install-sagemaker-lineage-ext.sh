#!/bin/bash
# SageMaker Studio lifecycle configuration (app type JupyterLab): installs
# sagemaker-lineage-ext into the space's JupyterLab environment each time the space
# starts, so the "Pipeline lineage" panel, the server extension and %lineage are there.
#
# Register it once per account and region, then attach it to a domain or a space
# (README, "Install in SageMaker Studio"). Its output is in CloudWatch Logs, group
# /aws/sagemaker/studio, stream <domain>/<space>/JupyterLab/default/LifecycleConfigOnStart.
#
# Spaces without internet: set WHEELS_S3_PREFIX to an S3 prefix holding the wheels
# (sagemaker_lineage_ext, ipycytoscape, spectate); the execution role needs s3:GetObject
# and s3:ListBucket there. The install then reads nothing but that prefix.
set -euo pipefail

VERSION_SPEC="${VERSION_SPEC:-sagemaker-lineage-ext}"     # e.g. sagemaker-lineage-ext==0.2.0
WHEELS_S3_PREFIX="${WHEELS_S3_PREFIX:-}"                  # e.g. s3://my-bucket/wheels/lineage/

if [ -n "$WHEELS_S3_PREFIX" ]; then
  wheels="$(mktemp -d)"
  aws s3 cp --recursive --quiet "$WHEELS_S3_PREFIX" "$wheels"
  pip install --quiet --no-index --find-links "$wheels" "$VERSION_SPEC"
else
  pip install --quiet "$VERSION_SPEC"
fi

# A JupyterLab already running picks the extension up once restarted (the page then
# needs a reload); at the very first start of a space it is not running yet.
if command -v restart-jupyter-server >/dev/null 2>&1 && pgrep -f "jupyter-lab|jupyterlab" >/dev/null; then
  restart-jupyter-server
fi
