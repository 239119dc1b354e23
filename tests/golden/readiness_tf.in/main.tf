data "archive_file" "api" {
  type        = "zip"
  source_dir  = "${path.module}/src/api"
  output_path = "${path.module}/build/api.zip"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "app.handler"
  runtime       = var.python
  filename      = data.archive_file.api.output_path
}

data "archive_file" "single" {
  type        = "zip"
  source_file = "src/single/job.py"
  output_path = "build/single.zip"
}

resource "aws_lambda_function" "single" {
  function_name = "single"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "job.handler"
  runtime       = "python3.11"
  filename      = data.archive_file.single.output_path
}

module "thumb" {
  source        = "terraform-aws-modules/lambda/aws"
  version       = "~> 7.0"
  function_name = "thumb"
  handler       = "thumb.handler"
  runtime       = "python3.11"
  source_path   = "src/thumb"
}

resource "aws_lambda_function" "old" {
  function_name = "old"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "old.handler"
  runtime       = "python2.7"
  filename      = "src/old"
}

resource "aws_lambda_function" "prebuilt" {
  function_name = "prebuilt"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "app.handler"
  runtime       = "python3.11"
  filename      = "build/prebuilt.zip"
}
