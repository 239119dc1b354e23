variable "name" {
  type = string
}

variable "python" {
  type    = string
  default = "python3.9"
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "app.handler"
  runtime       = var.python
  filename      = "build/${var.name}.zip"
}
