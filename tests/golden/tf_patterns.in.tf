# Patterns from real estates: one resource per map entry, dynamic blocks,
# fallbacks, container images without a runtime, and values iacfix must not touch.

locals {
  functions = {
    orders  = { runtime = "python3.9", memory = 512 }  # migrated last
    billing = { runtime = "python3.12", memory = 256 }
  }
  defaults = { python = "python3.10" }
}

resource "aws_lambda_function" "fn" {
  for_each      = local.functions
  function_name = each.key
  runtime       = each.value.runtime
  memory_size   = each.value.memory
}

resource "aws_lambda_function" "fallback" {
  runtime = try(var.override, "python3.8")
}

resource "aws_lambda_function" "lookup" {
  runtime = lookup(local.defaults, var.family, "python3.9")
}

resource "aws_lambda_function" "image" {
  package_type = "Image"
  runtime      = var.package_type == "Image" ? null : var.image_runtime
}

variable "override" {
  type    = string
  default = null
}

variable "family" {
  default = "python"
}

variable "package_type" {
  default = "Image"
}

variable "image_runtime" {
  default = ""
}

resource "google_cloudfunctions2_function" "export" {
  name = "export"
  dynamic "build_config" {
    for_each = [1]
    content {
      runtime     = "python39"
      entry_point = "main"
    }
  }
}

variable "layer_runtimes" {
  type    = list(string)
  default = ["python3.9", "python3.12"]
  validation {
    condition     = alltrue([for r in var.layer_runtimes : contains(["python3.9", "python3.12"], lower(r))])
    error_message = "Unsupported runtime."
  }
}

resource "aws_lambda_layer_version" "deps" {
  compatible_runtimes = var.layer_runtimes
}

# Left alone, and the findings say why:
variable "pinned" {
  default = "python3.9"
  validation {
    condition     = var.pinned == "python3.9" || var.pinned == "python3.12"
    error_message = "Pinned by the platform team."
  }
}

resource "aws_lambda_function" "pinned" {
  runtime = var.pinned
}

variable "runtimes" {
  default = ["python3.13", "python3.8"]
}

resource "aws_lambda_layer_version" "indexed" {
  compatible_runtimes = var.runtimes
}

resource "aws_lambda_function" "second" {
  runtime = var.runtimes[1]
}

resource "aws_lambda_function" "escaped" {
  runtime = "python3.\u0039"
}
