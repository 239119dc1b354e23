stage   = "prod"
runtime = "python3.12"
