/* The documented metric families.
 *
 * Sources, in the project's own words (tests/data/documented-families.md
 * holds the same facts as tables, and check_catalog compares the two):
 *   - controller-runtime: reconciler, webhook, leader-election, client-go
 *     REST client, certwatcher and workqueue families, with label names in
 *     their declaration order;
 *   - client_golang: the Go runtime and process collectors;
 *   - dbops: the DB Provision Operator (27 families);
 *   - dynamo: the Dynamo operator (7 families);
 *   - provisioning: the Provisioning platform's orchestrator, control
 *     center and vault service families, and provisioning_database_connected
 *     from its alert rules;
 *   - postgres_exporter: the pg_stat_archiver families (labels: the
 *     <Postgres> block's instance and namespace);
 *   - kube-state-metrics: kube_customresource_info and
 *     kube_customresource_status_condition of custom resources, as a
 *     Custom Resource State configuration names them;
 *   - prometheus: the per-target families Prometheus itself produces (up,
 *     scrape_*), which the <Target> collector produces the same way;
 *   - plugin: the plugin's own self-metrics. */
#include "om_catalog_data.h"

#define L(...)                                                                 \
  (const char *const[]) { __VA_ARGS__, NULL }
#define L0                                                                     \
  (const char *const[]) { NULL }
#define BUCKETS(...)                                                           \
  .buckets = (const double[]){__VA_ARGS__},                                    \
  .buckets_num = sizeof((const double[]){__VA_ARGS__}) / sizeof(double)

#define COUNTER(n, l, src)                                                     \
  { .name = n, .type = OM_TYPE_COUNTER, .labels = l, .source = src }
#define FCOUNTER(n, l, src)                                                    \
  {                                                                            \
    .name = n, .type = OM_TYPE_COUNTER, .labels = l, .float_counter = true,    \
    .source = src                                                              \
  }
#define GAUGE(n, l, src)                                                       \
  { .name = n, .type = OM_TYPE_GAUGE, .labels = l, .source = src }
#define HISTOGRAM(n, l, src)                                                   \
  { .name = n, .type = OM_TYPE_HISTOGRAM, .labels = l, .source = src }
#define SUMMARY(n, l, src)                                                     \
  { .name = n, .type = OM_TYPE_SUMMARY, .labels = l, .source = src }

#define CR "controller-runtime"
#define CG "client_golang"
#define DBOPS "dbops"
#define DYN "dynamo"
#define PROV "provisioning"

#define DBOPS_OP_LABELS L("operation", "engine", "status", "namespace")
#define DBOPS_BACKUP_BUCKETS                                                   \
  BUCKETS(1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)

static const om_family families[] = {
    /* controller-runtime: reconciler */
    COUNTER("controller_runtime_reconcile_total", L("controller", "result"),
            CR),
    COUNTER("controller_runtime_reconcile_errors_total", L("controller"), CR),
    COUNTER("controller_runtime_terminal_reconcile_errors_total",
            L("controller"), CR),
    COUNTER("controller_runtime_reconcile_panics_total", L("controller"), CR),
    HISTOGRAM("controller_runtime_reconcile_time_seconds", L("controller"), CR),
    GAUGE("controller_runtime_max_concurrent_reconciles", L("controller"), CR),
    GAUGE("controller_runtime_active_workers", L("controller"), CR),
    COUNTER("controller_runtime_reconcile_timeouts_total", L("controller"), CR),
    GAUGE("controller_runtime_reconcile_queue_length", L("controller"), CR),
    /* controller-runtime: webhooks */
    HISTOGRAM("controller_runtime_webhook_latency_seconds", L("webhook"), CR),
    COUNTER("controller_runtime_webhook_requests_total", L("webhook", "code"),
            CR),
    GAUGE("controller_runtime_webhook_requests_in_flight", L("webhook"), CR),
    COUNTER("controller_runtime_webhook_panics_total", L0, CR),
    COUNTER("controller_runtime_conversion_webhook_panics_total", L0, CR),
    /* controller-runtime: workqueue (client-go) */
    GAUGE("workqueue_depth", L("name", "controller", "priority"), CR),
    COUNTER("workqueue_adds_total", L("name", "controller"), CR),
    HISTOGRAM("workqueue_queue_duration_seconds", L("name", "controller"), CR),
    HISTOGRAM("workqueue_work_duration_seconds", L("name", "controller"), CR),
    GAUGE("workqueue_unfinished_work_seconds", L("name", "controller"), CR),
    GAUGE("workqueue_longest_running_processor_seconds",
          L("name", "controller"), CR),
    COUNTER("workqueue_retries_total", L("name", "controller"), CR),
    HISTOGRAM("workqueue_queue_latency_seconds", L("name"), CR),
    GAUGE("workqueue_longest_running_processor_microseconds", L("name"), CR),
    /* controller-runtime: leader election, REST client, certwatcher */
    GAUGE("leader_election_master_status", L("name"), CR),
    COUNTER("rest_client_requests_total", L("code", "method", "host"), CR),
    HISTOGRAM("rest_client_request_latency_seconds", L("verb", "url"), CR),
    HISTOGRAM("rest_client_request_duration_seconds", L("verb", "host"), CR),
    HISTOGRAM("rest_client_dns_resolution_duration_seconds", L("host"), CR),
    HISTOGRAM("rest_client_request_size_bytes", L("verb", "host"), CR),
    HISTOGRAM("rest_client_response_size_bytes", L("verb", "host"), CR),
    HISTOGRAM("rest_client_rate_limiter_duration_seconds", L("verb", "host"),
              CR),
    COUNTER("rest_client_request_retries_total", L("code", "verb", "host"), CR),
    COUNTER("certwatcher_read_certificate_total", L0, CR),
    COUNTER("certwatcher_read_certificate_errors_total", L0, CR),

    /* client_golang: process collector */
    FCOUNTER("process_cpu_seconds_total", L0, CG),
    GAUGE("process_open_fds", L0, CG),
    GAUGE("process_max_fds", L0, CG),
    GAUGE("process_virtual_memory_bytes", L0, CG),
    GAUGE("process_virtual_memory_max_bytes", L0, CG),
    GAUGE("process_resident_memory_bytes", L0, CG),
    GAUGE("process_start_time_seconds", L0, CG),
    COUNTER("process_network_receive_bytes_total", L0, CG),
    COUNTER("process_network_transmit_bytes_total", L0, CG),
    /* client_golang: Go collector, base and memstats */
    GAUGE("go_goroutines", L0, CG),
    GAUGE("go_threads", L0, CG),
    SUMMARY("go_gc_duration_seconds", L0, CG),
    GAUGE("go_info", L("version"), CG),
    GAUGE("go_memstats_last_gc_time_seconds", L0, CG),
    GAUGE("go_memstats_alloc_bytes", L0, CG),
    COUNTER("go_memstats_alloc_bytes_total", L0, CG),
    GAUGE("go_memstats_sys_bytes", L0, CG),
    COUNTER("go_memstats_mallocs_total", L0, CG),
    COUNTER("go_memstats_frees_total", L0, CG),
    GAUGE("go_memstats_heap_alloc_bytes", L0, CG),
    GAUGE("go_memstats_heap_sys_bytes", L0, CG),
    GAUGE("go_memstats_heap_idle_bytes", L0, CG),
    GAUGE("go_memstats_heap_inuse_bytes", L0, CG),
    GAUGE("go_memstats_heap_released_bytes", L0, CG),
    GAUGE("go_memstats_heap_objects", L0, CG),
    GAUGE("go_memstats_stack_inuse_bytes", L0, CG),
    GAUGE("go_memstats_stack_sys_bytes", L0, CG),
    GAUGE("go_memstats_mspan_inuse_bytes", L0, CG),
    GAUGE("go_memstats_mspan_sys_bytes", L0, CG),
    GAUGE("go_memstats_mcache_inuse_bytes", L0, CG),
    GAUGE("go_memstats_mcache_sys_bytes", L0, CG),
    GAUGE("go_memstats_buck_hash_sys_bytes", L0, CG),
    GAUGE("go_memstats_gc_sys_bytes", L0, CG),
    GAUGE("go_memstats_other_sys_bytes", L0, CG),
    GAUGE("go_memstats_next_gc_bytes", L0, CG),
    COUNTER("go_memstats_lookups_total", L0, CG),
    GAUGE("go_memstats_gc_cpu_fraction", L0, CG),
    GAUGE("go_gc_gogc_percent", L0, CG),
    GAUGE("go_gc_gomemlimit_bytes", L0, CG),
    GAUGE("go_sched_gomaxprocs_threads", L0, CG),
    /* client_golang: Go runtime/metrics families */
    COUNTER("go_cgo_go_to_c_calls_calls_total", L0, CG),
    FCOUNTER("go_cpu_classes_gc_mark_assist_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_gc_mark_dedicated_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_gc_mark_idle_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_gc_pause_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_gc_total_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_idle_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_scavenge_assist_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_scavenge_background_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_scavenge_total_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_total_cpu_seconds_total", L0, CG),
    FCOUNTER("go_cpu_classes_user_cpu_seconds_total", L0, CG),
    COUNTER("go_gc_cycles_automatic_gc_cycles_total", L0, CG),
    COUNTER("go_gc_cycles_forced_gc_cycles_total", L0, CG),
    COUNTER("go_gc_cycles_total_gc_cycles_total", L0, CG),
    COUNTER("go_gc_heap_allocs_bytes_total", L0, CG),
    COUNTER("go_gc_heap_allocs_objects_total", L0, CG),
    COUNTER("go_gc_heap_frees_bytes_total", L0, CG),
    COUNTER("go_gc_heap_frees_objects_total", L0, CG),
    COUNTER("go_gc_heap_tiny_allocs_objects_total", L0, CG),
    FCOUNTER("go_sync_mutex_wait_total_seconds_total", L0, CG),
    COUNTER("go_sched_goroutines_created_goroutines_total", L0, CG),
    GAUGE("go_gc_heap_goal_bytes", L0, CG),
    GAUGE("go_gc_heap_live_bytes", L0, CG),
    GAUGE("go_gc_heap_objects_objects", L0, CG),
    GAUGE("go_gc_limiter_last_enabled_gc_cycle", L0, CG),
    GAUGE("go_gc_scan_globals_bytes", L0, CG),
    GAUGE("go_gc_scan_heap_bytes", L0, CG),
    GAUGE("go_gc_scan_stack_bytes", L0, CG),
    GAUGE("go_gc_scan_total_bytes", L0, CG),
    GAUGE("go_gc_stack_starting_size_bytes", L0, CG),
    GAUGE("go_memory_classes_heap_free_bytes", L0, CG),
    GAUGE("go_memory_classes_heap_objects_bytes", L0, CG),
    GAUGE("go_memory_classes_heap_released_bytes", L0, CG),
    GAUGE("go_memory_classes_heap_stacks_bytes", L0, CG),
    GAUGE("go_memory_classes_heap_unused_bytes", L0, CG),
    GAUGE("go_memory_classes_metadata_mcache_free_bytes", L0, CG),
    GAUGE("go_memory_classes_metadata_mcache_inuse_bytes", L0, CG),
    GAUGE("go_memory_classes_metadata_mspan_free_bytes", L0, CG),
    GAUGE("go_memory_classes_metadata_mspan_inuse_bytes", L0, CG),
    GAUGE("go_memory_classes_metadata_other_bytes", L0, CG),
    GAUGE("go_memory_classes_os_stacks_bytes", L0, CG),
    GAUGE("go_memory_classes_other_bytes", L0, CG),
    GAUGE("go_memory_classes_profiling_buckets_bytes", L0, CG),
    GAUGE("go_memory_classes_total_bytes", L0, CG),
    GAUGE("go_sched_goroutines_goroutines", L0, CG),
    GAUGE("go_sched_goroutines_not_in_go_goroutines", L0, CG),
    GAUGE("go_sched_goroutines_runnable_goroutines", L0, CG),
    GAUGE("go_sched_goroutines_running_goroutines", L0, CG),
    GAUGE("go_sched_goroutines_waiting_goroutines", L0, CG),
    GAUGE("go_sched_threads_total_threads", L0, CG),
    HISTOGRAM("go_gc_heap_allocs_by_size_bytes", L0, CG),
    HISTOGRAM("go_gc_heap_frees_by_size_bytes", L0, CG),
    HISTOGRAM("go_gc_pauses_seconds", L0, CG),
    HISTOGRAM("go_sched_latencies_seconds", L0, CG),
    HISTOGRAM("go_sched_pauses_stopping_gc_seconds", L0, CG),
    HISTOGRAM("go_sched_pauses_stopping_other_seconds", L0, CG),
    HISTOGRAM("go_sched_pauses_total_gc_seconds", L0, CG),
    HISTOGRAM("go_sched_pauses_total_other_seconds", L0, CG),
    /* client_golang v1.12.0-v1.12.1 exported these with a stray _total */
    HISTOGRAM("go_gc_heap_allocs_by_size_bytes_total", L0, CG),
    HISTOGRAM("go_gc_heap_frees_by_size_bytes_total", L0, CG),
    HISTOGRAM("go_gc_pauses_seconds_total", L0, CG),

    /* DB Provision Operator */
    COUNTER("dbops_connection_attempts_total",
            L("instance", "engine", "status", "namespace"), DBOPS),
    {.name = "dbops_connection_latency_seconds",
     .type = OM_TYPE_HISTOGRAM,
     .labels = L("instance", "engine", "namespace"),
     BUCKETS(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
     .source = DBOPS},
    GAUGE("dbops_instance_healthy", L("instance", "engine", "namespace"),
          DBOPS),
    GAUGE("dbops_instance_last_health_check_timestamp_seconds",
          L("instance", "engine", "namespace"), DBOPS),
    COUNTER("dbops_database_operations_total", DBOPS_OP_LABELS, DBOPS),
    {.name = "dbops_database_operation_duration_seconds",
     .type = OM_TYPE_HISTOGRAM,
     .labels = L("operation", "engine", "namespace"),
     BUCKETS(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
     .source = DBOPS},
    GAUGE("dbops_database_size_bytes",
          L("database", "instance", "engine", "namespace"), DBOPS),
    COUNTER("dbops_user_operations_total", DBOPS_OP_LABELS, DBOPS),
    COUNTER("dbops_role_operations_total", DBOPS_OP_LABELS, DBOPS),
    COUNTER("dbops_grant_operations_total", DBOPS_OP_LABELS, DBOPS),
    COUNTER("dbops_backup_operations_total", L("engine", "status", "namespace"),
            DBOPS),
    {.name = "dbops_backup_duration_seconds",
     .type = OM_TYPE_HISTOGRAM,
     .labels = L("engine", "namespace"),
     DBOPS_BACKUP_BUCKETS,
     .source = DBOPS},
    GAUGE("dbops_backup_size_bytes", L("database", "engine", "namespace"),
          DBOPS),
    GAUGE("dbops_backup_last_success_timestamp_seconds",
          L("database", "engine", "namespace"), DBOPS),
    COUNTER("dbops_restore_operations_total",
            L("engine", "status", "namespace"), DBOPS),
    {.name = "dbops_restore_duration_seconds",
     .type = OM_TYPE_HISTOGRAM,
     .labels = L("engine", "namespace"),
     DBOPS_BACKUP_BUCKETS,
     .source = DBOPS},
    COUNTER("dbops_scheduled_backups_total", L("status", "namespace"), DBOPS),
    GAUGE("dbops_schedule_next_backup_timestamp_seconds",
          L("database", "namespace"), DBOPS),
    GAUGE("dbops_resource_count", L("resource_type", "phase", "namespace"),
          DBOPS),
    GAUGE("dbops_instance_info",
          L("instance", "namespace", "engine", "version", "host", "port",
            "phase"),
          DBOPS),
    GAUGE("dbops_database_info",
          L("database", "namespace", "instance_ref", "db_name", "phase"),
          DBOPS),
    GAUGE("dbops_user_info",
          L("user", "namespace", "instance_ref", "username", "phase"), DBOPS),
    GAUGE("dbops_role_info",
          L("role", "namespace", "instance_ref", "role_name", "phase"), DBOPS),
    GAUGE("dbops_grant_info",
          L("grant", "namespace", "user_ref", "database_ref", "privileges",
            "phase"),
          DBOPS),
    GAUGE("dbops_backup_info",
          L("backup", "namespace", "database_ref", "storage_type", "phase"),
          DBOPS),
    GAUGE("dbops_schedule_info",
          L("schedule", "namespace", "database_ref", "cron", "paused"), DBOPS),
    GAUGE("dbops_restore_info",
          L("restore", "namespace", "backup_ref", "target_instance", "phase"),
          DBOPS),

    /* Dynamo operator */
    HISTOGRAM("dynamo_operator_reconcile_duration_seconds",
              L("resource_type", "namespace", "result"), DYN),
    COUNTER("dynamo_operator_reconcile_total",
            L("resource_type", "namespace", "result"), DYN),
    COUNTER("dynamo_operator_reconcile_errors_total",
            L("resource_type", "namespace", "error_type"), DYN),
    HISTOGRAM("dynamo_operator_webhook_duration_seconds",
              L("resource_type", "operation"), DYN),
    COUNTER("dynamo_operator_webhook_requests_total",
            L("resource_type", "operation", "result"), DYN),
    COUNTER("dynamo_operator_webhook_denials_total",
            L("resource_type", "operation", "reason"), DYN),
    GAUGE("dynamo_operator_resources_total",
          L("resource_type", "namespace", "status"), DYN),

    /* Provisioning platform: no labels are documented for these */
    COUNTER("provisioning_workflows_total", L0, PROV),
    GAUGE("provisioning_workflows_active", L0, PROV),
    COUNTER("provisioning_workflows_completed", L0, PROV),
    COUNTER("provisioning_workflows_failed", L0, PROV),
    GAUGE("provisioning_tasks_queued", L0, PROV),
    GAUGE("provisioning_tasks_running", L0, PROV),
    COUNTER("provisioning_tasks_completed", L0, PROV),
    COUNTER("provisioning_checkpoint_recoveries", L0, PROV),
    COUNTER("provisioning_api_requests_total", L0, PROV),
    HISTOGRAM("provisioning_api_requests_duration_seconds", L0, PROV),
    COUNTER("provisioning_auth_attempts_total", L0, PROV),
    COUNTER("provisioning_auth_failures_total", L0, PROV),
    COUNTER("provisioning_rbac_denials_total", L0, PROV),
    COUNTER("provisioning_secrets_operations_total", L0, PROV),
    COUNTER("provisioning_kms_encryptions_total", L0, PROV),
    COUNTER("provisioning_kms_decryptions_total", L0, PROV),
    HISTOGRAM("provisioning_kms_latency_seconds", L0, PROV),
    GAUGE("provisioning_workflow_duration_seconds", L0, PROV),
    GAUGE("provisioning_database_connected", L0, PROV),
    COUNTER("provisioning_custom_workflows", L0, PROV),
    HISTOGRAM("provisioning_task_duration", L0, PROV),
    COUNTER("provisioning_custom_metric", L0, PROV),

    /* postgres_exporter's WAL archiver families, so its dashboards work */
    COUNTER("pg_stat_archiver_archived_count", L("instance", "namespace"),
            "postgres_exporter"),
    COUNTER("pg_stat_archiver_failed_count", L("instance", "namespace"),
            "postgres_exporter"),
    GAUGE("pg_stat_archiver_last_archive_age", L("instance", "namespace"),
          "postgres_exporter"),

    /* kube-state-metrics custom-resource state */
    GAUGE("kube_customresource_info",
          L("customresource_group", "customresource_version",
            "customresource_kind", "namespace", "name"),
          "kube-state-metrics"),
    GAUGE("kube_customresource_status_condition",
          L("customresource_group", "customresource_version",
            "customresource_kind", "namespace", "name", "condition", "status"),
          "kube-state-metrics"),

    /* per-target families, named as Prometheus names its own */
    GAUGE("up", L("job", "instance"), "prometheus"),
    GAUGE("scrape_duration_seconds", L("job", "instance"), "prometheus"),
    GAUGE("scrape_samples_scraped", L("job", "instance"), "prometheus"),
    GAUGE("scrape_samples_post_metric_relabeling", L("job", "instance"),
          "prometheus"),

    /* the plugin's own */
    COUNTER("operator_metrics_dropped_samples_total",
            L("collector", "block", "reason"), "plugin"),
    COUNTER("operator_metrics_malformed_lines_total", L("job", "instance"),
            "plugin"),
    GAUGE("operator_metrics_probe_success", L("job", "instance", "probe"),
          "plugin"),
    GAUGE("operator_metrics_series_limited", L("job", "instance"), "plugin"),
    GAUGE("operator_metrics_backup_source_state", L("block", "state"),
          "plugin"),
    GAUGE("operator_metrics_backup_source_last_success_timestamp_seconds",
          L("block"), "plugin"),
    GAUGE("operator_metrics_backup_repository_status",
          L("block", "database", "namespace", "message"), "plugin"),
    GAUGE("operator_metrics_kubernetes_resource_state",
          L("block", "resource", "state"), "plugin"),
    COUNTER("operator_metrics_kubernetes_list_failures_total",
            L("block", "resource", "reason"), "plugin"),
    GAUGE("operator_metrics_kubernetes_skipped_objects", L("block", "resource"),
          "plugin"),
    GAUGE("operator_metrics_kubernetes_objects", L("block", "resource"),
          "plugin"),
    GAUGE("operator_metrics_kubernetes_last_success_timestamp_seconds",
          L("block", "resource"), "plugin"),
};

const om_family *om_catalog_families(size_t *num) {
  *num = OM_LEN(families);
  return families;
}
