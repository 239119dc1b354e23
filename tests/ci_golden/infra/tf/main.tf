resource "aws_lambda_function" "api" {
  function_name = "api"
  runtime       = "python3.11"
}

resource "google_cloudfunctions2_function" "export" {
  name = "export"
  build_config {
    runtime = "python310" // iacfix: ignore[runtime-deprecated] reason="decommissioned with the service"
  }
}

resource "aws_lambda_function" "legacy" {
  function_name = "legacy"
  runtime       = "nodejs18.x"
}
