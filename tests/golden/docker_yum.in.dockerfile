# escape=`

FROM public.ecr.aws/lambda/provided:al2 AS bootstrap
RUN yum install -y `
      tar gzip && `
    yum clean all
COPY bootstrap ${LAMBDA_RUNTIME_DIR}

FROM public.ecr.aws/lambda/python:3.12
RUN yum install -y git || true
RUN sudo yum -y install jq ; echo "yumex is no yum"
COPY --from=bootstrap /var/runtime/bootstrap /var/runtime/
CMD ["app.handler"]
