FROM public.ecr.aws/lambda/python:3.8 AS deps
RUN amazon-linux-extras install -y postgresql14 \
 && yum install -y postgresql
RUN yum-config-manager --enable epel

FROM public.ecr.aws/lambda/python:3.9-x86_64@sha256:5f0e1d2c3b4a59687766554433221100ffeeddccbbaa99887766554433221100 AS runtime
COPY --from=deps /usr/lib64/libpq.so.5 /opt/lib/
FROM python:3.9.18-slim AS tools
FROM amazon/aws-lambda-python:3.9.2023.06.28.12 AS dated
