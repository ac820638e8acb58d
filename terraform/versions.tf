terraform {
  # The CLI the workflows run (.github/workflows: terraform_version 1.9.8), patch releases only;
  # 1.9 is also the first whose validation blocks may refer to other variables (variables.tf).
  required_version = "~> 1.9.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # Every resource and attribute here was checked against the provider 6.50.0 schema; ~> 6.50
      # takes its later 6.x releases, never a major that may rename or remove some.
      version = "~> 6.50"
    }
  }

  # State lives in a GCS bucket shared by every deployer (docs/DEPLOY.md, "State"). Bucket and
  # prefix are given at init, so the same configuration serves any project:
  #   terraform init -backend-config="bucket=<state bucket>" -backend-config="prefix=scl-delay-predictor"
  backend "gcs" {}
}
