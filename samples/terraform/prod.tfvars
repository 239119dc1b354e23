# terraform apply -var-file=prod.tfvars
lambda_runtime = "python3.10"
