variable "runtimes" {
  type = list(string)
}

resource "aws_lambda_layer_version" "this" {
  layer_name          = "deps"
  compatible_runtimes = var.runtimes
}
