# ---------------------------------------------------------------------------------------------
# Optional: the prediction log (the function's LOG_PREDICTIONS entries) routed to BigQuery, where
# the monitor reads it (README.md, "Monitoring"). Nothing here exists unless prediction_log.enabled.
# ---------------------------------------------------------------------------------------------

locals {
  prediction_log_count = var.prediction_log.enabled ? 1 : 0
}

resource "google_bigquery_dataset" "prediction_log" {
  count       = local.prediction_log_count
  dataset_id  = var.prediction_log.dataset_id
  location    = var.region
  description = "${var.function_name}'s prediction log (LOG_PREDICTIONS), one row per entry, routed by a log sink."

  # The sink writes one table per log, partitioned by day: retention deletes each partition when
  # it is that old. No default table expiration, which would delete the whole table, the recent
  # days with the old, that long after the sink created it.
  default_partition_expiration_ms = var.prediction_log.retention_days * 86400000

  depends_on = [google_project_service.required]
}

resource "google_logging_project_sink" "prediction_log" {
  count       = local.prediction_log_count
  name        = "${var.function_name}-prediction-log"
  description = "Routes ${var.function_name}'s prediction log entries to BigQuery."
  destination = "bigquery.googleapis.com/${google_bigquery_dataset.prediction_log[0].id}"
  # Exactly the entries functions/prediction-log.ts writes: this function's stdout lines that hold
  # a predictionLog (schemas/prediction-log-entry.schema.json). A 2nd-gen function's lines are its
  # Cloud Run service's, and the stdout log makes the table run_googleapis_com_stdout.
  filter = join(" AND ", [
    "resource.type = \"cloud_run_revision\"",
    "resource.labels.service_name = \"${google_cloudfunctions2_function.predict.name}\"",
    "log_id(\"run.googleapis.com/stdout\")",
    "jsonPayload.predictionLog.schema:*",
  ])

  # An identity of this sink's own, so that the grant below reaches no other sink.
  unique_writer_identity = true
  bigquery_options {
    use_partitioned_tables = true
  }
}

# The sink may create and write tables in this dataset, and nothing else.
resource "google_bigquery_dataset_iam_member" "prediction_log_writer" {
  count      = local.prediction_log_count
  project    = google_bigquery_dataset.prediction_log[0].project
  dataset_id = google_bigquery_dataset.prediction_log[0].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_logging_project_sink.prediction_log[0].writer_identity
}
