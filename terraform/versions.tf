terraform {
  # optional() attribute defaults, used by the grouped settings in variables.tf, arrived in 1.3.
  required_version = ">= 1.3, < 2.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.x and 7.x both have every argument used here (build_config.service_account,
      # cleanup_policies, the function's url); a future 8.x may rename or remove some.
      version = ">= 6.0, < 8.0"
    }
  }

  # State lives in a GCS bucket shared by every deployer (docs/DEPLOY.md, "State"). Bucket and
  # prefix are given at init, so the same configuration serves any project:
  #   terraform init -backend-config="bucket=<state bucket>" -backend-config="prefix=scl-delay-predictor"
  backend "gcs" {}
}
