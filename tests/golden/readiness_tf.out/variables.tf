variable "python" {
  type    = string
  default = "python3.13"
}
