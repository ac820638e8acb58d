# ---------------------------------------------------------------------------------------------
# Optional: a BigQuery remote function scoring table rows through the function's POST /bigquery
# (docs/DEPLOY.md, "BigQuery remote function"). Nothing here exists unless bigquery.enabled.
# ---------------------------------------------------------------------------------------------

locals {
  bigquery_count = var.bigquery.enabled ? 1 : 0
}

# BigQuery calls the endpoint as this connection's service account, which Google creates with the
# connection and which holds no role until the invoker binding below.
resource "google_bigquery_connection" "remote_functions" {
  count         = local.bigquery_count
  connection_id = var.bigquery.connection_id
  # A remote function, its connection and its dataset share one location, and a single-region
  # one must be the function's own region.
  location      = var.region
  friendly_name = "${var.function_name} remote function"
  description   = "Identity BigQuery calls ${var.function_name}'s POST /bigquery as."
  cloud_resource {}

  depends_on = [google_project_service.required]
}

resource "google_bigquery_dataset" "remote_functions" {
  count       = var.bigquery.enabled && var.bigquery.create_dataset ? 1 : 0
  dataset_id  = var.bigquery.dataset_id
  location    = var.region
  description = "Holds ${var.function_name}'s BigQuery remote function."

  depends_on = [google_project_service.required]
}

resource "google_bigquery_routine" "predict_delay" {
  count = local.bigquery_count
  # An existing dataset is named by the variable; a created one is referred to, so that it is
  # created first.
  dataset_id   = var.bigquery.create_dataset ? google_bigquery_dataset.remote_functions[0].dataset_id : var.bigquery.dataset_id
  routine_id   = var.bigquery.routine_id
  routine_type = "SCALAR_FUNCTION"
  # A remote function has no body: the endpoint computes it.
  definition_body = ""
  description     = "P(a flight departing SCL leaves more than 15 minutes late), from ${var.function_name}: JSON {probability, delayed, model, version}."

  # The order and types POST /bigquery reads each call's arguments in (functions/bigquery.ts).
  arguments {
    name      = "OPERA"
    data_type = jsonencode({ typeKind = "STRING" })
  }
  arguments {
    name      = "TIPOVUELO"
    data_type = jsonencode({ typeKind = "STRING" })
  }
  arguments {
    name      = "fecha_i"
    data_type = jsonencode({ typeKind = var.bigquery.fecha_i_type })
  }
  arguments {
    name      = "SIGLADES"
    data_type = jsonencode({ typeKind = "STRING" })
  }
  return_type = jsonencode({ typeKind = "JSON" })

  remote_function_options {
    endpoint   = "${google_cloudfunctions2_function.predict.url}/bigquery"
    connection = google_bigquery_connection.remote_functions[0].name
    # The provider takes the number as a string.
    max_batching_rows    = tostring(var.bigquery.max_batching_rows)
    user_defined_context = { on_invalid = var.bigquery.on_invalid }
  }
}

# The connection's service account may call this function's Cloud Run service, and nothing else.
resource "google_cloud_run_service_iam_member" "bigquery_invoker" {
  count    = local.bigquery_count
  project  = google_cloudfunctions2_function.predict.project
  location = google_cloudfunctions2_function.predict.location
  service  = google_cloudfunctions2_function.predict.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_bigquery_connection.remote_functions[0].cloud_resource[0].service_account_id}"
}
