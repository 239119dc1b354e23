# syntax=docker/dockerfile:1
ARG PYTHON_VERSION=3.13
ARG FUNCTION_DIR=/var/task

FROM --platform=linux/arm64 public.ecr.aws/lambda/python:${PYTHON_VERSION}-arm64 AS build
RUN dnf -y install gcc \
      make \
      # headers for psycopg
      postgresql-devel \
 && dnf clean all
COPY requirements.txt .
RUN <<EOF
set -e
python3.13 -m pip install -r requirements.txt -t /opt/python/lib/python3.13/site-packages
pip3.13 check
EOF

FROM public.ecr.aws/lambda/python:${PYTHON_VERSION}-arm64 AS final
RUN dnf update -y && dnf groupinstall -y "Development Tools"
COPY --from=build /opt/python/lib/python3.13/site-packages /var/lang/lib/python3.13/site-packages
COPY app.py ${LAMBDA_TASK_ROOT}
cmd ["app.handler"]
