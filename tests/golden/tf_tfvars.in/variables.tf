variable "stage" {
  type = string
}

variable "runtime" {
  type    = string
  default = "python3.11"
}

variable "layer_runtimes" {
  type    = list(string)
  default = ["python3.11"]
}
