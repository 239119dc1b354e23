# Lambda, Google Cloud Functions and Azure Functions side by side.
terraform {
  required_version = ">= 1.5"
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  runtime       = "python3.13" # pinned in 2021
  handler       = "app.handler"
  role          = aws_iam_role.lambda.arn

  environment {
    variables = {
      RUNTIME_NOTE = "python3.9 stays in this comment-like string"
    }
  }
}

resource "aws_lambda_function" "already" {
  runtime = "python3.13"
}

resource "aws_lambda_function" "node" {
  runtime = "nodejs18.x"
}

resource "aws_lambda_function" "typo" {
  runtime = "pyhton3.12"
}

resource "aws_lambda_function" "computed" {
  runtime = lookup(var.runtimes, terraform.workspace)
}

resource "aws_lambda_layer_version" "deps" {
  layer_name = "deps"
  compatible_runtimes = [
    "python3.13",  # old
    "python3.12",
  ]
}

resource "aws_lambda_layer_version" "inline" {
  layer_name          = "inline"
  compatible_runtimes = ["python3.13"]
}

resource "aws_iam_role_policy" "p" {
  policy = <<-EOT
    {"runtime": "python3.9"}
  EOT
}

resource "google_cloudfunctions_function" "v1" {
  name    = "v1"
  runtime = "python313"
}

resource "google_cloudfunctions2_function" "v2" {
  name = "v2"
  build_config {
    runtime     = "python313"
    entry_point = "main"
  }
}

resource "azurerm_linux_function_app" "app" {
  name = "app"
  site_config {
    application_stack {
      python_version = "3.13"
    }
  }
}

resource "azurerm_linux_function_app_slot" "staging" {
  site_config {
    application_stack {
      python_version = "3.13"
    }
  }
}

resource "azurerm_function_app" "legacy" {
  site_config {
    linux_fx_version = "PYTHON|3.13"
  }
}

resource "azurerm_function_app" "docker" {
  site_config {
    linux_fx_version = "DOCKER|myimage:latest"
  }
}
