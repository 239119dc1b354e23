resource "aws_lambda_function" "api" {
  function_name = "api-${var.stage}"
  runtime       = var.runtime
}

resource "aws_lambda_layer_version" "deps" {
  compatible_runtimes = var.layer_runtimes
}
