# Shared by every stage
stage          = "dev"
runtime        = "python3.13"
layer_runtimes = ["python3.13"]
