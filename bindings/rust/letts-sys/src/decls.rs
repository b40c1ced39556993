// Declarations of every function libletts.so.0 exports, in header order.
// Written by gen_decls.py from include/letts/*.h; tests/symbols.rs checks
// the names against tests/abi/exported-symbols.txt.

/// Opaque C handle `letts_bulk_options` (see the C headers).
#[repr(C)]
pub struct letts_bulk_options { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_bulk_result` (see the C headers).
#[repr(C)]
pub struct letts_bulk_result { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_cancel` (see the C headers).
#[repr(C)]
pub struct letts_cancel { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_client` (see the C headers).
#[repr(C)]
pub struct letts_client { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_client_options` (see the C headers).
#[repr(C)]
pub struct letts_client_options { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_config` (see the C headers).
#[repr(C)]
pub struct letts_config { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_devserver` (see the C headers).
#[repr(C)]
pub struct letts_devserver { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_devserver_options` (see the C headers).
#[repr(C)]
pub struct letts_devserver_options { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_error` (see the C headers).
#[repr(C)]
pub struct letts_error { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_exec_spec` (see the C headers).
#[repr(C)]
pub struct letts_exec_spec { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_host_results` (see the C headers).
#[repr(C)]
pub struct letts_host_results { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_job` (see the C headers).
#[repr(C)]
pub struct letts_job { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_launch_failure` (see the C headers).
#[repr(C)]
pub struct letts_launch_failure { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_list_filter` (see the C headers).
#[repr(C)]
pub struct letts_list_filter { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_mission` (see the C headers).
#[repr(C)]
pub struct letts_mission { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_mission_info` (see the C headers).
#[repr(C)]
pub struct letts_mission_info { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_mission_list` (see the C headers).
#[repr(C)]
pub struct letts_mission_list { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_response` (see the C headers).
#[repr(C)]
pub struct letts_response { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_restart_result` (see the C headers).
#[repr(C)]
pub struct letts_restart_result { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_run_handle` (see the C headers).
#[repr(C)]
pub struct letts_run_handle { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_run_options` (see the C headers).
#[repr(C)]
pub struct letts_run_options { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_run_result` (see the C headers).
#[repr(C)]
pub struct letts_run_result { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_schedule` (see the C headers).
#[repr(C)]
pub struct letts_schedule { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_staged_file` (see the C headers).
#[repr(C)]
pub struct letts_staged_file { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_staging_head` (see the C headers).
#[repr(C)]
pub struct letts_staging_head { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_staging_list` (see the C headers).
#[repr(C)]
pub struct letts_staging_list { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_string_list` (see the C headers).
#[repr(C)]
pub struct letts_string_list { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }
/// Opaque C handle `letts_target` (see the C headers).
#[repr(C)]
pub struct letts_target { _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }

/// C callback type `letts_bytes_fn`.
pub type letts_bytes_fn = Option<unsafe extern "C" fn(data: *const c_char, len: usize, user_data: *mut c_void) -> c_int>;
/// C callback type `letts_completion_fn`.
pub type letts_completion_fn = Option<unsafe extern "C" fn(result: *const letts_run_result, user_data: *mut c_void)>;
/// C callback type `letts_event_fn`.
pub type letts_event_fn = Option<unsafe extern "C" fn(json_line: *const c_char, len: usize, user_data: *mut c_void) -> c_int>;
/// C callback type `letts_launch_failure_fn`.
pub type letts_launch_failure_fn = Option<unsafe extern "C" fn(failure: *const letts_launch_failure, user_data: *mut c_void)>;
/// C callback type `letts_mission_interrupt_fn`.
pub type letts_mission_interrupt_fn = Option<unsafe extern "C" fn(signal: c_int, user_data: *mut c_void) -> c_int>;
/// C callback type `letts_progress_fn`.
pub type letts_progress_fn = Option<unsafe extern "C" fn(has_value: c_int, value: f64, message: *const c_char, user_data: *mut c_void) -> c_int>;
/// C callback type `letts_schedule_clock_fn`.
pub type letts_schedule_clock_fn = Option<unsafe extern "C" fn(data: *mut c_void) -> i64>;
/// C callback type `letts_schedule_dispatch_fn`.
pub type letts_schedule_dispatch_fn = Option<unsafe extern "C" fn(data: *mut c_void, entry: *const c_char, tick_unix_ms: i64, mission_id: *const c_char)>;

extern "C" {
    pub fn letts_cancel_new(out: *mut *mut letts_cancel, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_cancel_trigger(cancel: *mut letts_cancel);
    pub fn letts_cancel_is_triggered(cancel: *const letts_cancel) -> c_int;
    pub fn letts_cancel_free(cancel: *mut letts_cancel);
    pub fn letts_client_options_new(out: *mut *mut letts_client_options, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_free(opts: *mut letts_client_options);
    pub fn letts_client_options_set_request_timeout_ms(opts: *mut letts_client_options, ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_connect_timeout_ms(opts: *mut letts_client_options, ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_total_timeout_ms(opts: *mut letts_client_options, ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_max_connections_per_host(opts: *mut letts_client_options, n: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_retry_attempts(opts: *mut letts_client_options, attempts: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_retry_backoff(opts: *mut letts_client_options, ms: *const i64, count: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_reconnect_backoff(opts: *mut letts_client_options, ms: *const i64, count: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_ignore_proxy(opts: *mut letts_client_options, ignore: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_stream_fresh_connection(opts: *mut letts_client_options, fresh: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_user_agent(opts: *mut letts_client_options, user_agent: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_insecure_config_permissions(opts: *mut letts_client_options, insecure: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_max_response_bytes(opts: *mut letts_client_options, bytes: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_options_set_max_event_line_bytes(opts: *mut letts_client_options, bytes: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_new(out: *mut *mut letts_client, cfg: *const letts_config, opts: *const letts_client_options, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_discover(out: *mut *mut letts_client, opts: *const letts_client_options, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_free(client: *mut letts_client);
    pub fn letts_client_with_match(client: *const letts_client, labels: *const *const c_char, n_labels: usize, out: *mut *mut letts_client, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_with_failure_observer(client: *const letts_client, fn_: letts_launch_failure_fn, user_data: *mut c_void, out: *mut *mut letts_client, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_with_cancel(client: *const letts_client, cancel: *mut letts_cancel, out: *mut *mut letts_client, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_config_json(client: *const letts_client) -> *const c_char;
    pub fn letts_client_dugdales(client: *const letts_client, labels: *const *const c_char, n_labels: usize, out: *mut *mut letts_string_list, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_status_name(status: letts_status) -> *const c_char;
    pub fn letts_free(ptr: *mut c_void);
    pub fn letts_version() -> *const c_char;
    pub fn letts_version_number() -> c_int;
    pub fn letts_config_load_file(out: *mut *mut letts_config, path: *const c_char, flags: c_uint, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_config_load_string(out: *mut *mut letts_config, yaml: *const c_char, len: usize, name: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_config_discover(out: *mut *mut letts_config, flags: c_uint, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_config_free(cfg: *mut letts_config);
    pub fn letts_config_path(cfg: *const letts_config) -> *const c_char;
    pub fn letts_config_json(cfg: *const letts_config) -> *const c_char;
    pub fn letts_config_dugdales(cfg: *const letts_config, labels: *const *const c_char, n_labels: usize, out: *mut *mut letts_string_list, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_config_base_url(cfg: *const letts_config, dugdale_id: *const c_char, out: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_restart_mission(client: *const letts_client, host: *const c_char, id: *const c_char, out: *mut *mut letts_restart_result, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_restart_result_mission_id(result: *const letts_restart_result) -> *const c_char;
    pub fn letts_restart_result_restarted_from(result: *const letts_restart_result) -> *const c_char;
    pub fn letts_restart_result_status(result: *const letts_restart_result) -> *const c_char;
    pub fn letts_restart_result_json(result: *const letts_restart_result) -> *const c_char;
    pub fn letts_restart_result_free(result: *mut letts_restart_result);
    pub fn letts_bulk_options_new(out: *mut *mut letts_bulk_options, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_bulk_options_free(options: *mut letts_bulk_options);
    pub fn letts_bulk_options_set_ids(options: *mut letts_bulk_options, ids: *const *const c_char, n_ids: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_bulk_options_set_filter(options: *mut letts_bulk_options, filter: *const letts_list_filter, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_bulk_options_set_dry_run(options: *mut letts_bulk_options, dry_run: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_bulk_options_set_force(options: *mut letts_bulk_options, force: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_bulk_restart(client: *const letts_client, host: *const c_char, options: *const letts_bulk_options, out: *mut *mut letts_bulk_result, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_bulk_delete(client: *const letts_client, host: *const c_char, options: *const letts_bulk_options, out: *mut *mut letts_bulk_result, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_bulk_result_dry_run(result: *const letts_bulk_result) -> c_int;
    pub fn letts_bulk_result_count(result: *const letts_bulk_result) -> usize;
    pub fn letts_bulk_result_failed_count(result: *const letts_bulk_result) -> usize;
    pub fn letts_bulk_result_id(result: *const letts_bulk_result, i: usize) -> *const c_char;
    pub fn letts_bulk_result_ok(result: *const letts_bulk_result, i: usize) -> c_int;
    pub fn letts_bulk_result_mission_id(result: *const letts_bulk_result, i: usize) -> *const c_char;
    pub fn letts_bulk_result_status(result: *const letts_bulk_result, i: usize) -> *const c_char;
    pub fn letts_bulk_result_error(result: *const letts_bulk_result, i: usize) -> *const c_char;
    pub fn letts_bulk_result_details_json(result: *const letts_bulk_result, i: usize) -> *const c_char;
    pub fn letts_bulk_result_json(result: *const letts_bulk_result) -> *const c_char;
    pub fn letts_bulk_result_free(result: *mut letts_bulk_result);
    pub fn letts_devserver_options_new(out: *mut *mut letts_devserver_options, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_devserver_options_free(opts: *mut letts_devserver_options);
    pub fn letts_devserver_options_set_config_file(opts: *mut letts_devserver_options, path: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_devserver_options_set_config_yaml(opts: *mut letts_devserver_options, yaml: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_devserver_options_set_port(opts: *mut letts_devserver_options, port: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_devserver_options_set_mission_dir(opts: *mut letts_devserver_options, dir: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_devserver_start(out: *mut *mut letts_devserver, opts: *const letts_devserver_options, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_devserver_url(srv: *const letts_devserver) -> *const c_char;
    pub fn letts_devserver_port(srv: *const letts_devserver) -> c_int;
    pub fn letts_devserver_dispatch_token(srv: *const letts_devserver) -> *const c_char;
    pub fn letts_devserver_admin_token(srv: *const letts_devserver) -> *const c_char;
    pub fn letts_devserver_data_dir(srv: *const letts_devserver) -> *const c_char;
    pub fn letts_devserver_client_config(srv: *const letts_devserver) -> *const c_char;
    pub fn letts_devserver_stop(srv: *mut letts_devserver, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_devserver_free(srv: *mut letts_devserver);
    pub fn letts_client_dugdale_info(client: *const letts_client, host: *const c_char, json: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_lanes(client: *const letts_client, host: *const c_char, json: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_pause_lane(client: *const letts_client, host: *const c_char, lane: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_continue_lane(client: *const letts_client, host: *const c_char, lane: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_admin_apply(client: *const letts_client, host: *const c_char, body_json: *const c_char, json: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_admin_state(client: *const letts_client, host: *const c_char, json: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_healthz(client: *const letts_client, host: *const c_char, json: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_readyz(client: *const letts_client, host: *const c_char, json: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_version(client: *const letts_client, host: *const c_char, json: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_metrics(client: *const letts_client, host: *const c_char, text: *mut *mut c_char, len: *mut usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_duration_parse_ms(text: *const c_char, ms: *mut i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_error_status(err: *const letts_error) -> letts_status;
    pub fn letts_error_message(err: *const letts_error) -> *const c_char;
    pub fn letts_error_http_status(err: *const letts_error) -> c_int;
    pub fn letts_error_code(err: *const letts_error) -> *const c_char;
    pub fn letts_error_dugdale(err: *const letts_error) -> *const c_char;
    pub fn letts_error_details(err: *const letts_error) -> *const c_char;
    pub fn letts_error_mission_id(err: *const letts_error) -> *const c_char;
    pub fn letts_error_free(err: *mut letts_error);
    pub fn letts_exec_spec_new(out: *mut *mut letts_exec_spec, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_free(spec: *mut letts_exec_spec);
    pub fn letts_exec_spec_set_host(spec: *mut letts_exec_spec, host: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_lane(spec: *mut letts_exec_spec, lane: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_command(spec: *mut letts_exec_spec, argv: *const *const c_char, argc: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_script_file(spec: *mut letts_exec_spec, path: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_add_input_file(spec: *mut letts_exec_spec, key: *const c_char, path: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_add_output(spec: *mut letts_exec_spec, key: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_stdin(spec: *mut letts_exec_spec, data: *const c_char, len: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_stdin_file(spec: *mut letts_exec_spec, path: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_timeout_ms(spec: *mut letts_exec_spec, ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_group_id(spec: *mut letts_exec_spec, group_id: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_display_name(spec: *mut letts_exec_spec, name: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_exec_spec_set_exec_id(spec: *mut letts_exec_spec, exec_id: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_exec_dispatch(client: *const letts_client, spec: *const letts_exec_spec, exec_id: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_exec_run(client: *const letts_client, spec: *const letts_exec_spec, opts: *const letts_run_options, result: *mut *mut letts_run_result, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_exec_wait(client: *const letts_client, host: *const c_char, exec_id: *const c_char, opts: *const letts_run_options, result: *mut *mut letts_run_result, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_exec_run_start(client: *const letts_client, spec: *const letts_exec_spec, opts: *const letts_run_options, out: *mut *mut letts_run_handle, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_exec_wait_start(client: *const letts_client, host: *const c_char, exec_id: *const c_char, opts: *const letts_run_options, out: *mut *mut letts_run_handle, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_exec_get(client: *const letts_client, host: *const c_char, id: *const c_char, out: *mut *mut letts_mission_info, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_exec_follow_events(client: *const letts_client, host: *const c_char, id: *const c_char, from: i64, follow: c_int, fn_: letts_event_fn, user_data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_exec_stream_output(client: *const letts_client, host: *const c_char, id: *const c_char, stream: *const c_char, follow: c_int, fn_: letts_bytes_fn, user_data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_run_parallel(client: *const letts_client, jobs: *const *const letts_job, n_jobs: usize, opts: *const letts_run_options, out: *mut *mut letts_host_results, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_run_on_all(client: *const letts_client, job: *const letts_job, opts: *const letts_run_options, out: *mut *mut letts_host_results, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_host_results_free(results: *mut letts_host_results);
    pub fn letts_host_results_count(results: *const letts_host_results) -> usize;
    pub fn letts_host_results_host(results: *const letts_host_results, i: usize) -> *const c_char;
    pub fn letts_host_results_result(results: *const letts_host_results, i: usize) -> *const letts_run_result;
    pub fn letts_host_results_is_reachable(results: *const letts_host_results, i: usize) -> c_int;
    pub fn letts_host_results_is_success(results: *const letts_host_results, i: usize) -> c_int;
    pub fn letts_host_results_error_kind(results: *const letts_host_results, i: usize) -> *const c_char;
    pub fn letts_host_results_error_message(results: *const letts_host_results, i: usize) -> *const c_char;
    pub fn letts_host_results_error_http_status(results: *const letts_host_results, i: usize) -> c_int;
    pub fn letts_host_results_error_code(results: *const letts_host_results, i: usize) -> *const c_char;
    pub fn letts_job_new(out: *mut *mut letts_job, mission: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_free(job: *mut letts_job);
    pub fn letts_job_set_route(job: *mut letts_job, route: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_host(job: *mut letts_job, host: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_lane(job: *mut letts_job, lane: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_match(job: *mut letts_job, labels: *const *const c_char, n_labels: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_input_json(job: *mut letts_job, json: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_add_file(job: *mut letts_job, role: *const c_char, path: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_timeout_ms(job: *mut letts_job, ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_mission_id(job: *mut letts_job, mission_id: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_unique(job: *mut letts_job, key: *const c_char, window_ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_unique_at_ms(job: *mut letts_job, at_unix_ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_job_set_unique_conflict_is_error(job: *mut letts_job, is_error: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_uuidv7_generate(out: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_dispatch(client: *const letts_client, job: *const letts_job, mission_id: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_try_dispatch(client: *const letts_client, job: *const letts_job, mission_id: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_launch_failure_error(failure: *const letts_launch_failure) -> *const letts_error;
    pub fn letts_launch_failure_retryable(failure: *const letts_launch_failure) -> c_int;
    pub fn letts_launch_failure_method(failure: *const letts_launch_failure) -> *const c_char;
    pub fn letts_launch_failure_phase(failure: *const letts_launch_failure) -> *const c_char;
    pub fn letts_launch_failure_mission_id(failure: *const letts_launch_failure) -> *const c_char;
    pub fn letts_launch_failure_mission(failure: *const letts_launch_failure) -> *const c_char;
    pub fn letts_launch_failure_json(failure: *const letts_launch_failure) -> *const c_char;
    pub fn letts_list_cursor_encode(time_created_ms: i64, time_finished_ms: i64, mission_id: *const c_char, out: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_cursor_decode(cursor: *const c_char, time_created_ms: *mut i64, time_finished_ms: *mut i64, mission_id: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_start(out: *mut *mut letts_mission, argc: c_int, argv: *const *const c_char, flags: c_uint, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_free(m: *mut letts_mission);
    pub fn letts_mission_exit(m: *mut letts_mission) -> !;
    pub fn letts_mission_exit_code(m: *const letts_mission) -> c_int;
    pub fn letts_mission_is_standalone(m: *const letts_mission) -> c_int;
    pub fn letts_mission_id(m: *const letts_mission) -> *const c_char;
    pub fn letts_mission_lane(m: *const letts_mission) -> *const c_char;
    pub fn letts_mission_workdir(m: *const letts_mission) -> *const c_char;
    pub fn letts_mission_tmpdir(m: *const letts_mission) -> *const c_char;
    pub fn letts_mission_input_json(m: *const letts_mission) -> *const c_char;
    pub fn letts_mission_input_has(m: *const letts_mission, path: *const c_char) -> c_int;
    pub fn letts_mission_input_lookup(m: *const letts_mission, path: *const c_char, out: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_input_string(m: *const letts_mission, path: *const c_char, def: *const c_char, out: *mut *const c_char, len: *mut usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_input_int(m: *const letts_mission, path: *const c_char, def: i64, out: *mut i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_input_double(m: *const letts_mission, path: *const c_char, def: f64, out: *mut f64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_input_bool(m: *const letts_mission, path: *const c_char, def: c_int, out: *mut c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_file_roles(m: *const letts_mission, out: *mut *mut letts_string_list, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_file_path(m: *const letts_mission, role: *const c_char, out: *mut *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_file_size(m: *const letts_mission, role: *const c_char, out: *mut u64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_file_sha256(m: *const letts_mission, role: *const c_char, out: *mut *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_file_open(m: *const letts_mission, role: *const c_char, fd: *mut c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_progress(m: *mut letts_mission, value: f64, message: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_progress_message(m: *mut letts_mission, message: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_interrupted(m: *const letts_mission) -> c_int;
    pub fn letts_mission_check(m: *mut letts_mission, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_on_interrupt(m: *mut letts_mission, fn_: letts_mission_interrupt_fn, user_data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_interrupt_fd(m: *const letts_mission) -> c_int;
    pub fn letts_mission_interrupt(m: *mut letts_mission, signal: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_output_path(m: *mut letts_mission, key: *const c_char, out: *mut *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_output_register(m: *mut letts_mission, key: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_success(m: *mut letts_mission, return_json: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_fail(m: *mut letts_mission, message: *const c_char, reason: *const c_char, details_json: *const c_char, exit_code: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_ended(m: *const letts_mission) -> c_int;
    pub fn letts_client_get_mission(client: *const letts_client, host: *const c_char, id: *const c_char, out: *mut *mut letts_mission_info, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_new(out: *mut *mut letts_list_filter, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_free(filter: *mut letts_list_filter);
    pub fn letts_list_filter_set_status(filter: *mut letts_list_filter, status: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_outcome(filter: *mut letts_list_filter, outcome: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_lane(filter: *mut letts_list_filter, lane: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_mission(filter: *mut letts_list_filter, mission: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_mission_prefix(filter: *mut letts_list_filter, prefix: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_kind(filter: *mut letts_list_filter, kind: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_group_id(filter: *mut letts_list_filter, group_id: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_order(filter: *mut letts_list_filter, order: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_since_ms(filter: *mut letts_list_filter, unix_ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_until_ms(filter: *mut letts_list_filter, unix_ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_limit(filter: *mut letts_list_filter, limit: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_list_filter_set_cursor(filter: *mut letts_list_filter, cursor: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_list_missions(client: *const letts_client, host: *const c_char, filter: *const letts_list_filter, out: *mut *mut letts_mission_list, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_list_free(list: *mut letts_mission_list);
    pub fn letts_mission_list_count(list: *const letts_mission_list) -> usize;
    pub fn letts_mission_list_get(list: *const letts_mission_list, i: usize) -> *const letts_mission_info;
    pub fn letts_mission_list_next_cursor(list: *const letts_mission_list) -> *const c_char;
    pub fn letts_client_kill(client: *const letts_client, host: *const c_char, id: *const c_char, signal: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_restart(client: *const letts_client, host: *const c_char, id: *const c_char, new_id: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_delete(client: *const letts_client, host: *const c_char, id: *const c_char, force: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_follow_events(client: *const letts_client, host: *const c_char, id: *const c_char, from: i64, follow: c_int, fn_: letts_event_fn, user_data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_stream_output(client: *const letts_client, host: *const c_char, id: *const c_char, stream: *const c_char, follow: c_int, fn_: letts_bytes_fn, user_data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_mission_info_free(info: *mut letts_mission_info);
    pub fn letts_mission_info_json(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_mission_id(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_kind(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_lane(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_mission_name(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_display_name(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_group_id(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_status(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_outcome(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_exit_code(info: *const letts_mission_info, exit_code: *mut i64) -> c_int;
    pub fn letts_mission_info_signal(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_fail_reason(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_fail_message(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_fail_details_json(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_return_json(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_input_json(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_input_fingerprint(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_pid(info: *const letts_mission_info) -> i64;
    pub fn letts_mission_info_time_created_ms(info: *const letts_mission_info) -> i64;
    pub fn letts_mission_info_time_started_ms(info: *const letts_mission_info) -> i64;
    pub fn letts_mission_info_time_finished_ms(info: *const letts_mission_info) -> i64;
    pub fn letts_mission_info_duration_ms(info: *const letts_mission_info) -> i64;
    pub fn letts_mission_info_timeout_ms(info: *const letts_mission_info) -> i64;
    pub fn letts_mission_info_truncated_stdout(info: *const letts_mission_info) -> c_int;
    pub fn letts_mission_info_truncated_stderr(info: *const letts_mission_info) -> c_int;
    pub fn letts_mission_info_restarted_from(info: *const letts_mission_info) -> *const c_char;
    pub fn letts_mission_info_input_count(info: *const letts_mission_info) -> usize;
    pub fn letts_mission_info_input_role(info: *const letts_mission_info, i: usize) -> *const c_char;
    pub fn letts_mission_info_input_staging_id(info: *const letts_mission_info, i: usize) -> *const c_char;
    pub fn letts_mission_info_input_sha256(info: *const letts_mission_info, i: usize) -> *const c_char;
    pub fn letts_mission_info_input_size(info: *const letts_mission_info, i: usize) -> i64;
    pub fn letts_mission_info_output_count(info: *const letts_mission_info) -> usize;
    pub fn letts_mission_info_output_role(info: *const letts_mission_info, i: usize) -> *const c_char;
    pub fn letts_mission_info_output_staging_id(info: *const letts_mission_info, i: usize) -> *const c_char;
    pub fn letts_mission_info_output_sha256(info: *const letts_mission_info, i: usize) -> *const c_char;
    pub fn letts_mission_info_output_size(info: *const letts_mission_info, i: usize) -> i64;
    pub fn letts_client_request(client: *const letts_client, host: *const c_char, scope: letts_scope, method: *const c_char, path: *const c_char, json_body: *const c_char, headers: *const *const c_char, n_headers: usize, out: *mut *mut letts_response, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_response_status(response: *const letts_response) -> c_int;
    pub fn letts_response_body(response: *const letts_response, len: *mut usize) -> *const c_char;
    pub fn letts_response_header(response: *const letts_response, name: *const c_char) -> *const c_char;
    pub fn letts_response_header_count(response: *const letts_response) -> usize;
    pub fn letts_response_header_name(response: *const letts_response, index: usize) -> *const c_char;
    pub fn letts_response_header_value(response: *const letts_response, index: usize) -> *const c_char;
    pub fn letts_response_check(response: *const letts_response, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_response_free(response: *mut letts_response);
    pub fn letts_run_options_new(out: *mut *mut letts_run_options, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_free(opts: *mut letts_run_options);
    pub fn letts_run_options_set_wait_timeout_ms(opts: *mut letts_run_options, ms: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_set_cancel(opts: *mut letts_run_options, cancel: *mut letts_cancel, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_set_kill_on_cancel(opts: *mut letts_run_options, on: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_set_progress(opts: *mut letts_run_options, fn_: letts_progress_fn, user_data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_set_failure_as_error(opts: *mut letts_run_options, on: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_set_fetch_logs(opts: *mut letts_run_options, on: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_set_outputs_folder(opts: *mut letts_run_options, dir: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_with_completion_observer(client: *const letts_client, fn_: letts_completion_fn, user_data: *mut c_void, out: *mut *mut letts_client, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_add_retry_outcome(opts: *mut letts_run_options, outcome: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_add_retry_fail_reason(opts: *mut letts_run_options, reason: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_set_retry_attempts(opts: *mut letts_run_options, max_attempts: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_options_set_retry_backoff(opts: *mut letts_run_options, base_ms: i64, cap_ms: i64, multiplier: f64, jitter: f64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_run(client: *const letts_client, job: *const letts_job, opts: *const letts_run_options, result: *mut *mut letts_run_result, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_wait(client: *const letts_client, host: *const c_char, mission_id: *const c_char, opts: *const letts_run_options, result: *mut *mut letts_run_result, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_download_output(client: *const letts_client, result: *const letts_run_result, key: *const c_char, data: *mut *mut c_char, len: *mut usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_result_free(result: *mut letts_run_result);
    pub fn letts_run_result_from_json(out: *mut *mut letts_run_result, host: *const c_char, json: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_error_run_result(err: *const letts_error) -> *const letts_run_result;
    pub fn letts_run_result_host(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_mission_id(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_kind(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_lane(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_attempts(result: *const letts_run_result) -> usize;
    pub fn letts_run_result_attempt_id(result: *const letts_run_result, i: usize) -> *const c_char;
    pub fn letts_run_result_outcome(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_is_success(result: *const letts_run_result) -> c_int;
    pub fn letts_run_result_fail_reason(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_fail_message(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_fail_details_json(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_return_json(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_exit_code(result: *const letts_run_result, exit_code: *mut i64) -> c_int;
    pub fn letts_run_result_signal(result: *const letts_run_result) -> *const c_char;
    pub fn letts_run_result_duration_ms(result: *const letts_run_result) -> i64;
    pub fn letts_run_result_time_finished_ms(result: *const letts_run_result) -> i64;
    pub fn letts_run_result_progress_dropped(result: *const letts_run_result) -> i64;
    pub fn letts_run_result_stdout(result: *const letts_run_result, len: *mut usize) -> *const c_char;
    pub fn letts_run_result_stderr(result: *const letts_run_result, len: *mut usize) -> *const c_char;
    pub fn letts_run_result_stdout_truncated(result: *const letts_run_result) -> c_int;
    pub fn letts_run_result_stderr_truncated(result: *const letts_run_result) -> c_int;
    pub fn letts_run_result_output_count(result: *const letts_run_result) -> usize;
    pub fn letts_run_result_output_role(result: *const letts_run_result, i: usize) -> *const c_char;
    pub fn letts_run_result_output_staging_id(result: *const letts_run_result, i: usize) -> *const c_char;
    pub fn letts_run_result_output_sha256(result: *const letts_run_result, i: usize) -> *const c_char;
    pub fn letts_run_result_output_size(result: *const letts_run_result, i: usize) -> i64;
    pub fn letts_client_run_start(client: *const letts_client, job: *const letts_job, opts: *const letts_run_options, out: *mut *mut letts_run_handle, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_wait_start(client: *const letts_client, host: *const c_char, mission_id: *const c_char, opts: *const letts_run_options, out: *mut *mut letts_run_handle, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_handle_fd(handle: *const letts_run_handle) -> c_int;
    pub fn letts_run_handle_step(handle: *mut letts_run_handle, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_handle_state(handle: *const letts_run_handle) -> letts_run_state;
    pub fn letts_run_handle_mission_id(handle: *const letts_run_handle) -> *const c_char;
    pub fn letts_run_handle_result(handle: *const letts_run_handle, result: *mut *mut letts_run_result, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_run_handle_free(handle: *mut letts_run_handle);
    pub fn letts_schedule_new(out: *mut *mut letts_schedule, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_free(schedule: *mut letts_schedule);
    pub fn letts_schedule_add(schedule: *mut letts_schedule, name: *const c_char, spec: *const c_char, time_zone: *const c_char, job: *const letts_job, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_add_interval(schedule: *mut letts_schedule, name: *const c_char, interval_ms: i64, job: *const letts_job, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_set_catch_up(schedule: *mut letts_schedule, policy: letts_catch_up, grace_ms: i64, max_fires: i64, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_set_on_dispatch(schedule: *mut letts_schedule, fn_: letts_schedule_dispatch_fn, data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_set_clock(schedule: *mut letts_schedule, now: letts_schedule_clock_fn, data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_next(schedule: *const letts_schedule, name: *const c_char, after_unix_ms: i64, times: *mut i64, n: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_tick_id(name: *const c_char, tick_unix_ms: i64, out: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_fd(schedule: *const letts_schedule) -> c_int;
    pub fn letts_schedule_step(schedule: *mut letts_schedule, client: *const letts_client, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_schedule_run(schedule: *mut letts_schedule, client: *const letts_client, cancel: *const letts_cancel, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_stage_file(client: *const letts_client, host: *const c_char, path: *const c_char, out: *mut *mut letts_staged_file, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_staged_file_id(file: *const letts_staged_file) -> *const c_char;
    pub fn letts_staged_file_sha256(file: *const letts_staged_file) -> *const c_char;
    pub fn letts_staged_file_size(file: *const letts_staged_file) -> u64;
    pub fn letts_staged_file_free(file: *mut letts_staged_file);
    pub fn letts_client_staging_head(client: *const letts_client, host: *const c_char, id: *const c_char, out: *mut *mut letts_staging_head, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_staging_head_state(head: *const letts_staging_head) -> *const c_char;
    pub fn letts_staging_head_sha256(head: *const letts_staging_head) -> *const c_char;
    pub fn letts_staging_head_size(head: *const letts_staging_head) -> u64;
    pub fn letts_staging_head_bytes_received(head: *const letts_staging_head) -> u64;
    pub fn letts_staging_head_free(head: *mut letts_staging_head);
    pub fn letts_client_staging_download(client: *const letts_client, host: *const c_char, id: *const c_char, offset: u64, length: u64, path: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_staging_read(client: *const letts_client, host: *const c_char, id: *const c_char, offset: u64, length: u64, fn_: letts_bytes_fn, user_data: *mut c_void, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_staging_list(client: *const letts_client, host: *const c_char, mission_id: *const c_char, ref_kind: *const c_char, limit: u64, cursor: *const c_char, out: *mut *mut letts_staging_list, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_staging_list_count(list: *const letts_staging_list) -> usize;
    pub fn letts_staging_list_next_cursor(list: *const letts_staging_list) -> *const c_char;
    pub fn letts_staging_list_json(list: *const letts_staging_list) -> *const c_char;
    pub fn letts_staging_list_id(list: *const letts_staging_list, index: usize) -> *const c_char;
    pub fn letts_staging_list_state(list: *const letts_staging_list, index: usize) -> *const c_char;
    pub fn letts_staging_list_sha256(list: *const letts_staging_list, index: usize) -> *const c_char;
    pub fn letts_staging_list_ref_kind(list: *const letts_staging_list, index: usize) -> *const c_char;
    pub fn letts_staging_list_role(list: *const letts_staging_list, index: usize) -> *const c_char;
    pub fn letts_staging_list_size(list: *const letts_staging_list, index: usize) -> i64;
    pub fn letts_staging_list_bytes_received(list: *const letts_staging_list, index: usize) -> i64;
    pub fn letts_staging_list_time_created(list: *const letts_staging_list, index: usize) -> i64;
    pub fn letts_staging_list_time_expires(list: *const letts_staging_list, index: usize) -> i64;
    pub fn letts_staging_list_free(list: *mut letts_staging_list);
    pub fn letts_client_staging_delete(client: *const letts_client, host: *const c_char, id: *const c_char, force: c_int, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_client_staging_by_content(client: *const letts_client, host: *const c_char, scope: letts_scope, sha256: *const c_char, size: u64, out: *mut *mut letts_staged_file, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_string_list_count(list: *const letts_string_list) -> usize;
    pub fn letts_string_list_get(list: *const letts_string_list, index: usize) -> *const c_char;
    pub fn letts_string_list_free(list: *mut letts_string_list);
    pub fn letts_target_new(out: *mut *mut letts_target, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_target_free(target: *mut letts_target);
    pub fn letts_target_set_route(target: *mut letts_target, route: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_target_set_host(target: *mut letts_target, host: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_target_set_lane(target: *mut letts_target, lane: *const c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_target_set_match(target: *mut letts_target, labels: *const *const c_char, n_labels: usize, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_target_resolve(target: *const letts_target, cfg: *const letts_config, scope_match: *const *const c_char, n_scope_match: usize, dugdale_id: *mut *mut c_char, lane: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_unique_id(key: *const c_char, window_ms: i64, at_unix_ms: i64, out: *mut *mut c_char, err: *mut *mut letts_error) -> letts_status;
    pub fn letts_unique_window_start(window_ms: i64, at_unix_ms: i64, out: *mut i64, err: *mut *mut letts_error) -> letts_status;
}
