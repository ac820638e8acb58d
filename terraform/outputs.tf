output "function_url" {
  description = "HTTPS URL of the function; callers send an identity token (docs/DEPLOY.md)."
  value       = google_cloudfunctions2_function.predict.url
}

output "function_name" {
  description = "Name of the function, which is also the name of its Cloud Run service."
  value       = google_cloudfunctions2_function.predict.name
}

output "repository" {
  description = "Artifact Registry repository receiving the function's images, as projects/…/locations/…/repositories/…."
  value       = google_artifact_registry_repository.images.id
}

output "runtime_service_account" {
  description = "Email of the service account the function runs as."
  value       = google_service_account.runtime.email
}

output "build_service_account" {
  description = "Email of the service account Cloud Build builds the function as."
  value       = google_service_account.build.email
}

output "source_object" {
  description = "gs:// URL of the source archive the function was built from; its name is the archive's SHA-256."
  value       = "gs://${google_storage_bucket.source.name}/${google_storage_bucket_object.source.name}"
}

output "bigquery_routine" {
  description = "Fully qualified name of the BigQuery remote function, project.dataset.routine, as SQL calls it (README.md, \"Deploying\"); null unless bigquery.enabled."
  value       = one([for routine in google_bigquery_routine.predict_delay : "${routine.project}.${routine.dataset_id}.${routine.routine_id}"])
}
