locals {
  runtime = var.py
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  runtime       = local.runtime
}

resource "google_cloudfunctions2_function" "this" {
  name = var.name
  build_config {
    runtime = var.google_runtime
  }
}
