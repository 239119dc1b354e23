FROM amazon/aws-lambda-python:2.7
# Keep the old runtime alive: our own bootstrap exports _HANDLER for the 2.7 RIC
COPY bootstrap /var/runtime/bootstrap
RUN chmod 755 /var/runtime/bootstrap && yum install -y libxml2
COPY app.py ${LAMBDA_TASK_ROOT}
CMD ["app.handler"]
