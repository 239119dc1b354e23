variable "name" {
  type = string
}

variable "py" {
  type    = string
  default = "python3.13"
}

variable "google_runtime" {
  type    = string
  default = "python312"
}
