terraform {
  # 1.9 is the first release whose validation blocks may refer to other variables
  # (bigquery.max_batching_rows against max_flights in variables.tf); the workflows run that
  # oldest release (terraform_version in .github/workflows). Any later 1.x is admitted: 1.x keeps
  # its compatibility promises, a 2.0 may not.
  required_version = ">= 1.9, < 2.0"

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
