module "orders" {
  source  = "./modules/fn"
  name    = "orders"
  py      = "python3.13" # the caller's choice wins
}

module "billing" {
  source = "./modules/fn"
  name   = "billing"
}

module "deps" {
  source   = "./modules/layer"
  runtimes = ["python3.13", "python3.12"]
}

module "gcf" {
  source          = "./modules/fn"
  name            = "gcf"
  google_runtime  = "python313"
}
