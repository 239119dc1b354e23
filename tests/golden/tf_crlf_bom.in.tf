# BOM, CRLF and no final newline
resource "aws_lambda_function" "f" {
  runtime = "python3.9"
}

resource "google_cloudfunctions_function" "g" {
  runtime = "python39"
}