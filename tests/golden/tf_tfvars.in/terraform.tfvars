# Shared by every stage
stage          = "dev"
runtime        = "python3.9"
layer_runtimes = ["python3.9", "python3.10"]
