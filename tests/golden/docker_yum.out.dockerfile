# escape=`

FROM public.ecr.aws/lambda/provided:al2023 AS bootstrap
RUN dnf install -y `
      tar gzip && `
    dnf clean all
COPY bootstrap ${LAMBDA_RUNTIME_DIR}

FROM public.ecr.aws/lambda/python:3.12
RUN dnf install -y git || true
RUN sudo dnf -y install jq ; echo "yumex is no yum"
COPY --from=bootstrap /var/runtime/bootstrap /var/runtime/
CMD ["app.handler"]
