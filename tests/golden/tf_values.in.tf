variable "runtime" {
  description = "Lambda runtime"
  type        = string
  default     = "python3.10"

  validation {
    condition     = contains(["python3.9", "python3.10", "python3.12"], var.runtime)
    error_message = "Pick a supported runtime."
  }
}

variable "required" {
  type = string
}

variable "stage" {
  default = "prod"
}

locals {
  py     = "python3.8"
  layers = ["python3.8", local.py]
  config = {
    runtime = "python3.9"
    memory  = 256
  }
  picked = var.stage == "prod" ? "python3.11" : "python3.12"
}

resource "aws_lambda_function" "a" {
  runtime = var.runtime
}

resource "aws_lambda_function" "b" {
  runtime = local.config.runtime
}

resource "aws_lambda_function" "c" {
  runtime = local.picked
}

resource "aws_lambda_function" "d" {
  runtime = "${local.py}"
}

resource "aws_lambda_function" "e" {
  runtime = "python${var.required}"
}

resource "aws_lambda_function" "f" {
  runtime = var.required
}

resource "aws_lambda_function" "g" {
  runtime = data.aws_ssm_parameter.runtime.value
}

resource "aws_lambda_layer_version" "shared" {
  compatible_runtimes = local.layers
}
