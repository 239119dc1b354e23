# syntax=docker/dockerfile:1
ARG PYTHON_VERSION=3.10
ARG FUNCTION_DIR=/var/task

FROM --platform=linux/arm64 public.ecr.aws/lambda/python:${PYTHON_VERSION}-arm64 AS build
RUN yum -y install gcc \
      make \
      # headers for psycopg
      postgresql-devel \
 && yum clean all
COPY requirements.txt .
RUN <<EOF
set -e
python3.10 -m pip install -r requirements.txt -t /opt/python/lib/python3.10/site-packages
pip3.10 check
EOF

FROM public.ecr.aws/lambda/python:${PYTHON_VERSION}-arm64 AS final
RUN yum update -y && yum groupinstall -y "Development Tools"
COPY --from=build /opt/python/lib/python3.10/site-packages /var/lang/lib/python3.10/site-packages
COPY app.py ${LAMBDA_TASK_ROOT}
cmd ["app.handler"]
