variable "name" {
  type = string
}

variable "py" {
  type    = string
  default = "python3.10"
}

variable "google_runtime" {
  type    = string
  default = "python312"
}
