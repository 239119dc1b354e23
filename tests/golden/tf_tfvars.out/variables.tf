variable "stage" {
  type = string
}

variable "runtime" {
  type    = string
  default = "python3.13"
}

variable "layer_runtimes" {
  type    = list(string)
  default = ["python3.13"]
}
