variable "lambda_runtime" {
  description = "Python runtime of every Lambda function in this stack."
  type        = string
  default     = "python3.11"

  validation {
    condition     = contains(["python3.10", "python3.11", "python3.12"], var.lambda_runtime)
    error_message = "Use a runtime the platform team supports."
  }
}
