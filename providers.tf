# The only provider configuration: the standard AWS environment variables (AWS_ENDPOINT_URL,
# credentials, profile) pick the account and endpoint. Kept in its own file so the stack can also
# be called as a module (the tests plan several variants of it under one provider).
provider "aws" {
  region = var.region
}
