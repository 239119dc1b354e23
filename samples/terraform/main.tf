# A small multi-cloud estate: the same Python service deployed on
# AWS Lambda, Google Cloud Functions and Azure Functions.

terraform {
  required_version = ">= 1.5"
}

locals {
  service = "orders"
  # One place to move every Lambda function at once.
  lambda_runtime = var.lambda_runtime
}

# --- AWS -------------------------------------------------------------------

resource "aws_lambda_function" "api" {
  function_name = "${local.service}-api"
  role          = aws_iam_role.lambda.arn
  handler       = "app.handler"
  runtime       = local.lambda_runtime
  filename      = "build/api.zip"
}

resource "aws_lambda_layer_version" "deps" {
  layer_name = "${local.service}-deps"
  filename   = "build/deps.zip"
  compatible_runtimes = [
    "python3.9",  # still used by the reports job
    "python3.11",
  ]
}

module "worker" {
  source = "./modules/python-fn"
  name   = "${local.service}-worker"
  python = "python3.10"
}

module "thumbnailer" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "${local.service}-thumbnailer"
  handler       = "thumb.handler"
  runtime       = "python3.9"
  source_path   = "src/thumbnailer"
}

resource "aws_iam_role" "lambda" {
  name = "${local.service}-lambda"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    }
  EOT
}

# --- Google Cloud ------------------------------------------------------------

resource "google_cloudfunctions2_function" "export" {
  name     = "${local.service}-export"
  location = "europe-west1"

  build_config {
    runtime     = "python310"
    entry_point = "export"
  }
}

# --- Azure -------------------------------------------------------------------

resource "azurerm_linux_function_app" "webhooks" {
  name                = "${local.service}-webhooks"
  resource_group_name = "rg-${local.service}"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  site_config {
    application_stack {
      python_version = "3.9"
    }
  }
}
