variable "project_id" {
  description = "ID of the Google Cloud project that hosts the function and everything it needs."
  type        = string
}

variable "region" {
  description = "Region of the function, its image repository and its source bucket. Defaults to Santiago (southamerica-west1), next to SCL and the people who call the function."
  type        = string
  default     = "southamerica-west1"
}

variable "function_name" {
  description = "Name of the function and its Cloud Run service; also the stem of the image repository, the source bucket (after the project ID) and the two service accounts. 2 to 23 characters so every derived name fits its limit."
  type        = string
  default     = "scl-delay-predictor"

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{0,21}[a-z0-9]$", var.function_name))
    error_message = "function_name must be 2 to 23 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen."
  }
}

variable "runtime" {
  description = "Cloud Functions runtime, nodejs22 or later (Node.js 20 is retired on Cloud Functions). Its major must be at least the `engines.node` of the built package.json."
  type        = string
  default     = "nodejs22"

  validation {
    condition     = can(regex("^nodejs[0-9]+$", var.runtime)) && try(tonumber(trimprefix(var.runtime, "nodejs")), 0) >= 22
    error_message = "runtime must be nodejs22 or a later nodejsNN runtime."
  }
}

variable "source_archive" {
  description = "Path of the archive `npm run build` writes, relative to the directory Terraform runs in (terraform/, as with `terraform -chdir=terraform`). Its SHA-256 names the uploaded object, so a new build redeploys and an unchanged one does not."
  type        = string
  default     = "../dist/function.zip"
}

variable "service" {
  description = "Size and scaling of the function's instances: memory (k, M, G, Mi or Gi), vCPUs, instance counts, concurrent requests per instance, request timeout in seconds and ingress (ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB). More than one concurrent request per instance needs at least 1 vCPU. Memory must be at least twice the worst-case peak RSS that npm run bench measures (the Worst-case memory section of docs/BENCHMARKS.md: max_instance_request_concurrency clients each sending 32 MiB bodies, the largest Cloud Run admits), hence at least 4Gi: the worst body, 32 MiB of empty JSON objects, needs ~1 GB of V8 heap, which main.tf caps at 1536 MiB (NODE_OPTIONS). That peak does not grow with the concurrency: the function parses at most BODY_BUDGET_MIB (32 MiB) of bodies at once and answers the rest 503 with Retry-After, so the concurrency is sized for throughput (8 keeps the one vCPU busy: docs/CAPACITY.md)."
  type = object({
    available_memory                 = optional(string, "4Gi")
    available_cpu                    = optional(string, "1")
    min_instance_count               = optional(number, 0)
    max_instance_count               = optional(number, 10)
    max_instance_request_concurrency = optional(number, 8)
    timeout_seconds                  = optional(number, 60)
    ingress_settings                 = optional(string, "ALLOW_ALL")
  })
  default = {}

  validation {
    condition     = can(regex("^[0-9]+(k|M|G|Mi|Gi)$", var.service.available_memory))
    error_message = "service.available_memory must be a whole number followed by k, M, G, Mi or Gi, such as 4Gi."
  }
  validation {
    # Bytes of the setting, against twice the measured worst-case peak rounded up to 4 GiB.
    condition = try(
      tonumber(regex("^[0-9]+", var.service.available_memory)) * lookup(
        { k = 1000, M = 1000000, G = 1000000000, Mi = 1048576, Gi = 1073741824 },
        regex("[a-zA-Z]+$", var.service.available_memory)
      ) >= 4294967296,
      false
    )
    error_message = "service.available_memory must be at least 4Gi: twice the peak RSS of the worst 32 MiB requests (the Worst-case memory section of docs/BENCHMARKS.md)."
  }
  validation {
    condition     = try(tonumber(var.service.available_cpu) > 0 && tonumber(var.service.available_cpu) <= 8, false)
    error_message = "service.available_cpu must be a number of vCPUs above 0 and at most 8, such as \"1\"."
  }
  validation {
    condition     = var.service.min_instance_count >= 0 && var.service.max_instance_count >= 1 && var.service.min_instance_count <= var.service.max_instance_count
    error_message = "service instance counts must satisfy 0 <= min_instance_count <= max_instance_count and max_instance_count >= 1."
  }
  validation {
    condition     = var.service.max_instance_request_concurrency >= 1 && var.service.max_instance_request_concurrency <= 1000
    error_message = "service.max_instance_request_concurrency must be from 1 to 1000."
  }
  validation {
    condition     = var.service.max_instance_request_concurrency == 1 || try(tonumber(var.service.available_cpu) >= 1, false)
    error_message = "service.available_cpu must be at least \"1\" when max_instance_request_concurrency is above 1."
  }
  validation {
    condition     = var.service.timeout_seconds >= 1 && var.service.timeout_seconds <= 3600
    error_message = "service.timeout_seconds must be from 1 to 3600 (the limit for HTTP functions)."
  }
  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.service.ingress_settings)
    error_message = "service.ingress_settings must be ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

variable "max_flights" {
  description = "Largest batch of flights one request may carry (the function's MAX_FLIGHTS); larger batches are answered 413."
  type        = number
  default     = 10000

  validation {
    condition     = var.max_flights == floor(var.max_flights) && var.max_flights >= 1 && var.max_flights <= 1000000
    error_message = "max_flights must be a whole number from 1 to 1000000, the range the function accepts."
  }
}

variable "max_explained_flights" {
  description = "Largest batch one request may ask to explain, with explain set to true (the function's MAX_EXPLAINED_FLIGHTS); larger explained batches are answered 413. Explaining takes 0.5 to 0.7 ms of the instance's CPU per flight (npm run bench), during which its other requests wait (docs/BENCHMARKS.md, Explanations)."
  type        = number
  default     = 1000

  validation {
    condition     = var.max_explained_flights == floor(var.max_explained_flights) && var.max_explained_flights >= 1 && var.max_explained_flights <= 1000000
    error_message = "max_explained_flights must be a whole number from 1 to 1000000, the range the function accepts."
  }
}

variable "max_departures" {
  description = "Most departures one request's airport (the departure board read by the nowcast model) may list (the function's MAX_DEPARTURES); more are answered 413. The previous day and the current day at SCL's busiest fit in the default."
  type        = number
  default     = 800

  validation {
    condition     = var.max_departures == floor(var.max_departures) && var.max_departures >= 1 && var.max_departures <= 1000000
    error_message = "max_departures must be a whole number from 1 to 1000000, the range the function accepts."
  }
}

variable "vuelos_model" {
  description = "The model answering the original service's vuelos requests that name none (the function's VUELOS_MODEL): \"onehot-37\" (ours), or \"original\", the original service's own model, whose labels equal its XGBoost predict() on every input. Deploy with \"original\" to switch from the original service with nothing changing, compare with POST /predict?model=onehot-37 on your own traffic, then switch."
  type        = string
  default     = "onehot-37"

  validation {
    condition     = contains(["onehot-37", "original"], var.vuelos_model)
    error_message = "vuelos_model must be \"onehot-37\" or \"original\", the models that read the vuelos format."
  }
}

variable "log_requests" {
  description = "Whether the function writes one log line per request (the function's LOG_REQUESTS). Errors and model loads are logged either way."
  type        = bool
  default     = false
}

variable "body_deadline_ms" {
  description = "How long a request body may take to arrive after its headers (the function's BODY_DEADLINE_MS); a slower body is answered 408 and its connection closed, so that a slow upload cannot hold the instance. Keep it under service.timeout_seconds, or Cloud Run answers 504 first."
  type        = number
  default     = 30000

  validation {
    condition     = var.body_deadline_ms == floor(var.body_deadline_ms) && var.body_deadline_ms >= 1 && var.body_deadline_ms <= 300000 && var.body_deadline_ms < var.service.timeout_seconds * 1000
    error_message = "body_deadline_ms must be a whole number from 1 to 300000, and under service.timeout_seconds × 1000."
  }
}

variable "invokers" {
  description = "IAM members allowed to call the function (roles/run.invoker on its Cloud Run service), such as \"user:ana@example.com\" or \"serviceAccount:planner@my-project.iam.gserviceaccount.com\". Empty: only principals already allowed to invoke every Cloud Run service in the project (such as Owners) can call it."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for member in var.invokers : can(regex("^(user|group|serviceAccount|domain|principal|principalSet):.+", member))])
    error_message = "Each invoker must be an IAM member such as user:…, group:…, serviceAccount:…, domain:…, principal:… or principalSet:…; public access is allow_unauthenticated's decision."
  }
}

variable "allow_unauthenticated" {
  description = "Grant roles/run.invoker to allUsers, making the function callable without an identity token. Off by default; turn it on only for a deliberately public endpoint."
  type        = bool
  default     = false
}

variable "image_cleanup" {
  description = "Cleanup of the images Cloud Build pushes to the repository: versions older than delete_after_days are deleted, except the keep_count most recent ones of each image."
  type = object({
    keep_count        = optional(number, 5)
    delete_after_days = optional(number, 30)
  })
  default = {}

  validation {
    condition     = var.image_cleanup.keep_count >= 1 && var.image_cleanup.keep_count == floor(var.image_cleanup.keep_count)
    error_message = "image_cleanup.keep_count must be a whole number of at least 1, so the image serving the function is never deleted."
  }
  validation {
    condition     = var.image_cleanup.delete_after_days >= 1 && var.image_cleanup.delete_after_days == floor(var.image_cleanup.delete_after_days)
    error_message = "image_cleanup.delete_after_days must be a whole number of at least 1."
  }
}

variable "source_retention_days" {
  description = "Days a replaced source archive stays in the bucket (as a noncurrent object version) before the bucket deletes it. The current archive is never deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.source_retention_days >= 1 && var.source_retention_days == floor(var.source_retention_days)
    error_message = "source_retention_days must be a whole number of at least 1."
  }
}

variable "labels" {
  description = "Labels put on every resource that takes them (the provider's default_labels)."
  type        = map(string)
  default     = {}
}

variable "bigquery" {
  description = "An optional BigQuery remote function scoring table rows through the function's POST /bigquery, off unless enabled: a CLOUD_RESOURCE connection connection_id in region, the dataset dataset_id (created there unless create_dataset is false, when it must already exist in region), and the routine routine_id(OPERA STRING, TIPOVUELO STRING, fecha_i fecha_i_type, SIGLADES STRING) RETURNS JSON, whose service account alone gets roles/run.invoker on the function. fecha_i_type is DATETIME (Santiago local time) or TIMESTAMP (an instant). max_batching_rows is the most rows BigQuery sends in one call, at most max_flights: 500 is where one instance's rows/s levels off (docs/DEPLOY.md, \"BigQuery remote function\"). on_invalid is what a row the function refuses does: fail stops the query with an error naming the row and why, null makes its result NULL."
  type = object({
    enabled           = optional(bool, false)
    connection_id     = optional(string, "scl-delay-predictor")
    dataset_id        = optional(string, "scl_delay_predictor")
    create_dataset    = optional(bool, true)
    routine_id        = optional(string, "predict_delay")
    fecha_i_type      = optional(string, "DATETIME")
    max_batching_rows = optional(number, 500)
    on_invalid        = optional(string, "fail")
  })
  default = {}

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,1024}$", var.bigquery.connection_id))
    error_message = "bigquery.connection_id must be 1 to 1024 letters, digits, underscores or hyphens."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.bigquery.dataset_id))
    error_message = "bigquery.dataset_id must be 1 to 1024 letters, digits or underscores."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,256}$", var.bigquery.routine_id))
    error_message = "bigquery.routine_id must be 1 to 256 letters, digits or underscores."
  }
  validation {
    condition     = contains(["DATETIME", "TIMESTAMP"], var.bigquery.fecha_i_type)
    error_message = "bigquery.fecha_i_type must be DATETIME or TIMESTAMP."
  }
  validation {
    condition     = var.bigquery.max_batching_rows == floor(var.bigquery.max_batching_rows) && var.bigquery.max_batching_rows >= 1 && var.bigquery.max_batching_rows <= var.max_flights
    error_message = "bigquery.max_batching_rows must be a whole number from 1 to max_flights: the function answers a larger call 413, which fails the query."
  }
  validation {
    condition     = contains(["fail", "null"], var.bigquery.on_invalid)
    error_message = "bigquery.on_invalid must be fail or null."
  }
}

variable "prediction_log" {
  description = "The prediction log, off unless enabled: the function logs the flights, probabilities and decisions of a sampling_rate share of the requests POST /predict and POST /bigquery answer (the function's LOG_PREDICTIONS, 0 when disabled; schemas/prediction-log-entry.schema.json), and a log sink routes those entries to day-partitioned tables of the BigQuery dataset dataset_id, created in region, where each day's partition is deleted retention_days after that day. Its writer identity gets roles/bigquery.dataEditor on that dataset only. The dataset is not emptied on destroy: disabling fails while it holds tables, so that logged history is never deleted by a flag."
  type = object({
    enabled        = optional(bool, false)
    sampling_rate  = optional(number, 1)
    dataset_id     = optional(string, "scl_delay_predictions")
    retention_days = optional(number, 90)
  })
  default = {}

  validation {
    condition     = var.prediction_log.sampling_rate > 0 && var.prediction_log.sampling_rate <= 1
    error_message = "prediction_log.sampling_rate must be above 0 and at most 1: the share of requests logged."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.prediction_log.dataset_id))
    error_message = "prediction_log.dataset_id must be 1 to 1024 letters, digits or underscores."
  }
  validation {
    condition     = var.prediction_log.retention_days >= 1 && var.prediction_log.retention_days == floor(var.prediction_log.retention_days)
    error_message = "prediction_log.retention_days must be a whole number of at least 1."
  }
  validation {
    condition     = !(var.prediction_log.enabled && var.bigquery.enabled && var.bigquery.create_dataset && var.prediction_log.dataset_id == var.bigquery.dataset_id)
    error_message = "prediction_log.dataset_id must differ from bigquery.dataset_id when both create their dataset."
  }
}
