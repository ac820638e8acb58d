provider "google" {
  project        = var.project_id
  region         = var.region
  default_labels = var.labels
}

locals {
  # iam.googleapis.com is not a service the function calls, but creating its two service
  # accounts needs it; the BigQuery ones serve only the optional remote function (bigquery.tf)
  # and prediction log (prediction-log.tf).
  services = toset(concat(
    [
      "artifactregistry.googleapis.com",
      "cloudbuild.googleapis.com",
      "cloudfunctions.googleapis.com",
      "iam.googleapis.com",
      "logging.googleapis.com",
      "run.googleapis.com",
      "storage.googleapis.com",
    ],
    var.bigquery.enabled ? ["bigquery.googleapis.com", "bigqueryconnection.googleapis.com"] : [],
    var.prediction_log.enabled ? ["bigquery.googleapis.com"] : [],
  ))

  # Private by default: allUsers joins the invokers only when allow_unauthenticated says so.
  invokers = toset(concat(var.invokers, var.allow_unauthenticated ? ["allUsers"] : []))

  build_member = "serviceAccount:${google_service_account.build.email}"
}

resource "google_project_service" "required" {
  for_each = local.services
  service  = each.value

  # Other workloads in the project may use these APIs; destroying this configuration must not
  # switch them off (the provider's default differs between 6.x and 7.x, so say it).
  disable_on_destroy = false
}

# ---------------------------------------------------------------------------------------------
# Where the function's source and images live.
# ---------------------------------------------------------------------------------------------

resource "google_artifact_registry_repository" "images" {
  repository_id = var.function_name
  location      = var.region
  format        = "DOCKER"
  description   = "Images Cloud Build makes from ${var.function_name}'s source."

  # A KEEP policy only exempts versions from a DELETE policy, so the pair works together: old
  # versions go, the most recent ones of each image (the serving one among them) stay.
  cleanup_policy_dry_run = false
  cleanup_policies {
    id     = "keep-most-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.image_cleanup.keep_count
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      tag_state  = "ANY"
      older_than = "${var.image_cleanup.delete_after_days * 86400}s"
    }
  }

  # API enablement exposes no attribute this resource reads, so the order must be stated.
  depends_on = [google_project_service.required]
}

resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-${var.function_name}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # It holds only archives that `npm run build` recreates from git.
  force_destroy = true

  # A new build replaces the archive object; versioning keeps the replaced one for
  # source_retention_days, then the rule below deletes it. The current archive is never touched.
  versioning {
    enabled = true
  }
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.source_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.required]
}

resource "google_storage_bucket_object" "source" {
  # Named by content: a new build is a new object, which changes the function's source and
  # rebuilds it; an unchanged build keeps the name, and the plan shows no change.
  name   = "${var.function_name}/${filesha256(var.source_archive)}.zip"
  bucket = google_storage_bucket.source.name
  source = var.source_archive
}

# ---------------------------------------------------------------------------------------------
# Identities: one the function runs as, one Cloud Build builds it as.
# ---------------------------------------------------------------------------------------------

resource "google_service_account" "runtime" {
  account_id   = "${var.function_name}-run"
  display_name = "${var.function_name} runtime"
  # No roles: the function reads only its own bundle, and what it writes to stdout reaches
  # Cloud Logging through Cloud Run without any permission of its own.
  description = "Identity the function runs as; it holds no roles."

  depends_on = [google_project_service.required]
}

# Without build_config.service_account, Cloud Build runs as the project's default build
# identity, which new projects no longer grant enough to (and which older ones grant far more).
resource "google_service_account" "build" {
  account_id   = "${var.function_name}-build"
  display_name = "${var.function_name} build"
  description  = "Identity Cloud Build uses to turn the function's source into an image."

  depends_on = [google_project_service.required]
}

resource "google_project_iam_member" "build_log_writer" {
  project = var.project_id
  role    = "roles/logging.logWriter" # build logs
  member  = local.build_member
}

# The role, project-wide, that Google documents for a custom build service account, so the build
# can fetch the function's source. Cloud Functions stages sources in buckets of its own
# (gcf-v2-sources-*, created at the first deploy), which a grant on our bucket would not cover.
resource "google_project_iam_member" "build_object_admin" {
  project = var.project_id
  role    = "roles/storage.objectAdmin"
  member  = local.build_member
}

# Pushing is needed on this repository only, not on every repository in the project.
resource "google_artifact_registry_repository_iam_member" "build_writer" {
  project    = google_artifact_registry_repository.images.project
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.writer"
  member     = local.build_member
}

# ---------------------------------------------------------------------------------------------
# The function and who may call it.
# ---------------------------------------------------------------------------------------------

resource "google_cloudfunctions2_function" "predict" {
  name        = var.function_name
  location    = var.region
  description = "Probability that flights departing SCL leave more than 15 minutes late."

  build_config {
    runtime = var.runtime
    # Fixed by the code, not a setting: functions/index.ts registers http('predict', …).
    entry_point       = "predict"
    docker_repository = google_artifact_registry_repository.images.id
    service_account   = google_service_account.build.id
    # onnxruntime-node's install script downloads CUDA binaries; the CPU binding ships inside the
    # package. The bundle's package.json denies the script (allowScripts), which an npm older
    # than 11 ignores; the script itself honours this variable.
    environment_variables = {
      ONNXRUNTIME_NODE_INSTALL = "skip"
    }
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = var.service.available_memory
    available_cpu                    = var.service.available_cpu
    min_instance_count               = var.service.min_instance_count
    max_instance_count               = var.service.max_instance_count
    max_instance_request_concurrency = var.service.max_instance_request_concurrency
    timeout_seconds                  = var.service.timeout_seconds
    ingress_settings                 = var.service.ingress_settings
    service_account_email            = google_service_account.runtime.email
    environment_variables = {
      NODE_ENV              = "production"
      MAX_FLIGHTS           = tostring(var.max_flights)
      MAX_EXPLAINED_FLIGHTS = tostring(var.max_explained_flights)
      MAX_DEPARTURES        = tostring(var.max_departures)
      LOG_REQUESTS          = tostring(var.log_requests)
      BODY_DEADLINE_MS      = tostring(var.body_deadline_ms)
      VUELOS_MODEL          = var.vuelos_model
      LOG_PREDICTIONS       = var.prediction_log.enabled ? tostring(var.prediction_log.sampling_rate) : "0"
      # Log lines link to their request's trace only in the projects/<id>/traces/<trace> form.
      GOOGLE_CLOUD_PROJECT = var.project_id
      # The bundle ships its source map: stack traces in the logs then name functions/*.ts lines.
      # V8 sizes its heap from the instance's memory unless told: parsing the worst 32 MiB body
      # takes ~1 GB of heap, and a smaller limit kills the instance with every request in it
      # (docs/BENCHMARKS.md, "Worst-case memory"; var.service's description has the rule).
      NODE_OPTIONS = "--enable-source-maps --max-old-space-size=1536"
    }
  }

  # The build runs as soon as the function is created; without these grants in place it
  # cannot write its logs, read the source or push the image.
  depends_on = [
    google_project_iam_member.build_log_writer,
    google_project_iam_member.build_object_admin,
    google_artifact_registry_repository_iam_member.build_writer,
  ]
}

# A 2nd-gen HTTP function is a Cloud Run service: callers need roles/run.invoker on it.
resource "google_cloud_run_service_iam_member" "invokers" {
  for_each = local.invokers
  project  = google_cloudfunctions2_function.predict.project
  location = google_cloudfunctions2_function.predict.location
  service  = google_cloudfunctions2_function.predict.name
  role     = "roles/run.invoker"
  member   = each.value
}
