module "api" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name       = "api"
  runtime             = "python3.9"
  create_layer        = false
  compatible_runtimes = ["python3.9", "python3.12"]
}

module "git_pinned" {
  source  = "git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git?ref=v7.2.1"
  runtime = "python3.8"
}

module "in_house" {
  source  = "app.terraform.io/acme/function/aws"
  runtime = "python3.10"
}

module "container" {
  source  = "app.terraform.io/acme/service/aws"
  runtime = "docker"
}

module "missing_local" {
  source  = "./does-not-exist"
  runtime = "python3.9"
}
